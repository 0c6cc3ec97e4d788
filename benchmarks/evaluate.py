"""Evaluate article extraction on a labelled corpus: body segment P/R/F1, field accuracies, speed.

CORPUS_DIR/manifest.jsonl has one labelled page a line. Scores are exactly those of the reference
scorer ../shared/tools/score_extraction.py (tests/test_evaluate.py checks it): must_have and
must_not_have phrases found in the body after NFKC and whitespace folding give segment P/R/F1;
fields are exact after NFKC over the pages with a label (a list label accepts any of its values);
author/editor compare as name sequences (separators, staff codes like 李曦_NN2587 ignored); the
date at the label's precision (minute if it has a time, else day), date_day_acc at the day; a
value where the label is null is spurious (reported, not scored); a page on which the extractor
raises is an error and scores as an empty extraction.

    python benchmarks/evaluate.py ../shared/corpus              # scraper: JSON line + table
    python benchmarks/evaluate.py ../shared/corpus -v           # + per-page misses/leaks/fields
    python benchmarks/evaluate.py ../shared/corpus --anchors --repeat 3 --markdown

`--anchors` adds trafilatura, gne, newspaper4k and readability-lxml (`pip install -e '.[bench]'`),
called as the reference calls them; each page is timed alone, `--repeat N` keeps the fastest of N.
newspaper4k is called with fetch_images=False (the reference lets it download every image of the
page from the internet to pick a top image): scores are identical, and the run stays offline.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("title", "source", "author", "editor", "date")
ANCHORS = ("trafilatura", "gne", "newspaper4k", "readability")
Output = dict[str, Any]
Extractor = Callable[..., Output]

# --- the scoring rules: identical to the reference scorer's -------------------------------------

_STAFF_CODE = re.compile(r"[_\s]*[A-Z]{1,3}\d{2,5}\b")
_NAME_SEPARATORS = re.compile(r"[\s、,;/|]+")
_DATE = re.compile(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})(?:\D{1,3}(\d{1,2}):(\d{2}))?")
_TIME = re.compile(r"\d{1,2}:\d{2}")


def norm(value: Any) -> str:
    """NFKC, then no whitespace at all: how every phrase and field is compared."""
    if value is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def names(value: Any) -> str:
    """A credit as the bare sequence of names: 王乐文 方 敏 = 王乐文、方敏; 李曦_NN2587 = 李曦."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "、".join(map(str, value))
    text = unicodedata.normalize("NFKC", str(value))
    base = _STAFF_CODE.sub("", text)
    text = base if base.strip() else text  # a credit that is only a code (HN666) stays as it is
    return _NAME_SEPARATORS.sub("", text)


def date_key(value: Any, like: Any) -> str:
    """A date at the precision of the label `like`: the minute if it shows a time, else the day."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    m = _DATE.search(text)
    if not m:
        return norm(text)
    year, month, day_, hour, minute = m.groups()
    day = f"{year}-{int(month):02d}-{int(day_):02d}"
    label_has_time = _TIME.search(unicodedata.normalize("NFKC", str(like or "")))
    if label_has_time and hour is not None:
        return f"{day} {int(hour):02d}:{minute}"
    if label_has_time:
        return day + " (no time)"  # the label has a time the extraction lacks: never equal
    return day


def matches(name: str, got: Any, want: Any) -> bool:
    """Whether `got` is right; a list label accepts any of its values."""
    for w in want if isinstance(want, list) else [want]:
        if name == "date":
            if date_key(got, w) == date_key(w, w):
                return True
        elif name in ("author", "editor"):
            if got not in (None, "") and names(got) == names(w):
                return True
        elif norm(got) == norm(w):
            return True
    return False


# --- the systems, called exactly as the reference calls them ------------------------------------


def run_scraper(raw: bytes, url: str | None) -> Output:
    import scraper

    d = scraper.extract(raw, url=url).to_dict()
    return {"title": d.get("title"), "source": d.get("source"), "author": d.get("author"),
            "editor": d.get("editor"), "date": d.get("published_at"), "body": d.get("body") or ""}  # fmt: skip


_GB = {"gb2312": "gb18030", "gbk": "gb18030"}  # GB18030 is a superset of both


def decode(raw: bytes, enc: str | None) -> str:
    """Text for the anchors that take text: the manifest's declared charset, else UTF-8/GB18030."""
    m = re.search(r"declared ([\w-]+)", enc or "")
    name = _GB.get(m.group(1).lower(), m.group(1)) if m else None
    for e in ([name] if name else []) + ["utf-8", "gb18030"]:
        try:
            return raw.decode(e)
        except Exception:  # a wrong or unknown codec: try the next one
            pass
    return raw.decode("utf-8", "replace")


def run_trafilatura(raw: bytes, url: str | None) -> Output:
    import trafilatura

    d = trafilatura.bare_extraction(raw, url=url, with_metadata=True, as_dict=True) or {}
    return {"title": d.get("title"), "source": d.get("sitename"), "author": d.get("author"),
            "editor": None, "date": d.get("date"), "body": d.get("text") or ""}  # fmt: skip


def run_gne(raw: bytes, url: str | None, enc: str | None = None) -> Output:
    from gne import GeneralNewsExtractor

    d = GeneralNewsExtractor().extract(decode(raw, enc))
    return {"title": d.get("title"), "source": None, "author": d.get("author") or None,
            "editor": None, "date": d.get("publish_time") or None, "body": d.get("content") or ""}  # fmt: skip


def run_newspaper(raw: bytes, url: str | None, enc: str | None = None) -> Output:
    import newspaper

    # fetch_images=False: by default newspaper4k downloads every image of the page from the
    # internet to pick a top image; a benchmark must stay offline (scores are the same).
    a = newspaper.Article(url or "http://example.com/a.html", language="zh", fetch_images=False)
    a.download(input_html=decode(raw, enc))
    a.parse()
    return {"title": a.title, "source": None, "author": ", ".join(a.authors) or None,
            "editor": None, "date": a.publish_date.isoformat() if a.publish_date else None,
            "body": a.text or ""}  # fmt: skip


def run_readability(raw: bytes, url: str | None, enc: str | None = None) -> Output:
    from readability import Document
    from selectolax.lexbor import LexborHTMLParser

    doc = Document(decode(raw, enc))
    summary = doc.summary()
    text = LexborHTMLParser(summary).body.text(separator="\n") if summary else ""
    return {"title": doc.short_title(), "source": None, "author": None, "editor": None,
            "date": None, "body": text}  # fmt: skip


SYSTEMS: dict[str, Extractor] = {"scraper": run_scraper, "trafilatura": run_trafilatura,
                                 "gne": run_gne, "newspaper4k": run_newspaper,
                                 "readability": run_readability}  # fmt: skip
MODULES = {"scraper": ["scraper"], "trafilatura": ["trafilatura"], "gne": ["gne"],
           "newspaper4k": ["newspaper"], "readability": ["readability", "selectolax.lexbor"]}  # fmt: skip
BYTES_ONLY = {"scraper", "trafilatura"}  # these take (raw, url); the others also the encoding


def warm(system: str) -> str | None:
    """Import the system before anything is timed; the reason it cannot be, if it cannot."""
    try:
        for module in MODULES.get(system, []):
            __import__(module)
    except ImportError as e:
        return f"not installed ({e})"
    return None


# --- one system over the corpus ----------------------------------------------------------------


def portal_half(site: str) -> int:
    """The fixed held-out split by portal: every page of a site falls in the same half (1 or 2).
    Develop on one half, check on the other, then swap (about 50 pages each, both sets mixed)."""
    return zlib.crc32(site.encode("utf-8")) % 2 + 1


def load_rows(corpus: Path, only_set: str | None = None, half: int | None = None) -> list[dict]:
    """The manifest's pages, as the reference scorer keeps them (not excluded), of `only_set` and
    of the portal `half` if given."""
    text = (corpus / "manifest.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [
        r
        for r in rows
        if not r.get("exclude")
        and only_set in (None, r.get("set"))
        and (half is None or half == portal_half(r["site"]))
    ]


def read_page(corpus: Path, row: dict) -> bytes:
    path = corpus / row["file"]
    return (path if path.exists() else corpus / "pages" / Path(row["file"]).name).read_bytes()


def timed(fn: Extractor, system: str, raw: bytes, row: dict) -> tuple[Output, float]:
    url, enc = row.get("url"), row.get("encoding")
    t0 = time.perf_counter()
    out = fn(raw, url) if system in BYTES_ONLY else fn(raw, url, enc)
    return out, time.perf_counter() - t0


@dataclass
class Tally:
    """Counts over the pages scored so far."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    ok: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    n: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    spurious: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    day_ok: int = 0
    errors: int = 0
    seconds: list[float] = field(default_factory=list)  # pages that raised are not timed

    def add_body(self, row: dict, body: str) -> tuple[list[str], list[str]]:
        wanted = row.get("must_have") or []
        miss = [p for p in wanted if norm(p) not in body]
        leak = [p for p in row.get("must_not_have") or [] if norm(p) and norm(p) in body]
        self.tp += len(wanted) - len(miss)
        self.fn += len(miss)
        self.fp += len(leak)
        return miss, leak

    def add_fields(self, row: dict, out: Output) -> list[str]:
        wrong = []
        for f in FIELDS:
            want, got = row.get(f), out.get(f)
            if want in (None, ""):
                # a date nobody can see cannot be wrong, so it is never counted as spurious
                if got not in (None, "") and f != "date":
                    self.spurious[f] += 1
                continue
            self.n[f] += 1
            if f == "date":
                self.day_ok += date_key(got, "")[:10] == date_key(want, "")[:10]
            ok = matches(f, got, want)
            self.ok[f] += ok
            if not ok:
                wrong.append(f"{f}: want {want!r} got {got!r}")
        return wrong

    def result(self, system: str, pages: int) -> dict:
        prec = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        rec = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        ms = [1000 * s for s in self.seconds]
        res = {"system": system, "pages": pages, "errors": self.errors,
               "body_precision": round(prec, 3), "body_recall": round(rec, 3),
               "body_f1": round(f1, 3),
               # the reference's mean: the sum over timed pages divided by all pages
               "ms_per_page": round(1000 * sum(self.seconds) / max(1, pages), 2),
               "ms_per_page_median": round(statistics.median(ms), 2) if ms else None}  # fmt: skip
        for f in FIELDS:
            res[f"{f}_acc"] = round(self.ok[f] / self.n[f], 3) if self.n[f] else None
            res[f"{f}_n"] = self.n[f]
            res[f"{f}_spurious"] = self.spurious[f]
        n_date = self.n["date"]
        res["date_day_acc"] = round(self.day_ok / n_date, 3) if n_date else None
        return res


def report_page(name: str, miss: list[str], leak: list[str], wrong: list[str]) -> None:
    """The reference's -v lines for one page, on stderr."""
    if not (miss or leak or wrong):
        return
    print(f"  {name}: missed {len(miss)} leaked {len(leak)} {'; '.join(wrong)}", file=sys.stderr)
    for p in leak:
        print(f"      leaked: {p[:40]}", file=sys.stderr)
    for p in miss:
        print(f"      missed: {p[:40]}", file=sys.stderr)


def score(corpus: Path, system: str, verbose: bool = False, repeat: int = 1,
          extractor: Extractor | None = None, only_set: str | None = None,
          half: int | None = None) -> dict:  # fmt: skip
    """Score one system (or `extractor` under that name) over the corpus (or one of its sets):
    the reference's dict."""
    rows = load_rows(corpus, only_set, half)
    problem = warm(system)
    if problem:
        return {"system": system, "pages": len(rows), "status": problem}
    fn = extractor or SYSTEMS[system]
    tally = Tally()
    for row in rows:
        raw = read_page(corpus, row)
        try:
            out, best = timed(fn, system, raw, row)
            for _ in range(repeat - 1):  # timing only: the fastest of `repeat` runs of this page
                best = min(best, timed(fn, system, raw, row)[1])
            tally.seconds.append(best)
        except Exception as e:  # an extractor that crashes gets nothing for the page
            tally.errors += 1
            out = dict.fromkeys(FIELDS) | {"body": ""}
            if verbose:
                print(f"  {row['file']}: {type(e).__name__}: {e}", file=sys.stderr)
        miss, leak = tally.add_body(row, norm(out.get("body")))
        wrong = tally.add_fields(row, out)
        if verbose:
            report_page(row["file"], miss, leak, wrong)
    return tally.result(system, len(rows))


# --- reports -----------------------------------------------------------------------------------

COLUMNS = [("body P", "body_precision"), ("body R", "body_recall"), ("body F1", "body_f1"),
           ("title", "title_acc"), ("source", "source_acc"), ("author", "author_acc"),
           ("editor", "editor_acc"), ("date (minute)", "date_acc"), ("date (day)", "date_day_acc"),
           ("errors", "errors"), ("ms/page median", "ms_per_page_median"),
           ("ms/page mean", "ms_per_page")]  # fmt: skip


def cell(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.startswith("ms_"):
        return f"{value:.1f}"
    return str(value) if key == "errors" else f"{value:.3f}"


def table_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for res in results:
        if "status" in res:  # not installed: say so once, leave the rest blank
            status = res["status"].split(" (")[0]
            rows.append([res["system"], status] + [""] * (len(COLUMNS) - 1))
        else:
            rows.append([res["system"]] + [cell(key, res[key]) for _, key in COLUMNS])
    return rows


def render(results: list[dict], markdown: bool) -> str:
    """The comparison table: Markdown for the docs, else aligned plain text."""
    rows = [["system"] + [title for title, _ in COLUMNS], *table_rows(results)]
    if markdown:
        rows.insert(1, ["---"] + ["--:"] * len(COLUMNS))
        return "\n".join("| " + " | ".join(r) + " |" for r in rows)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    rows.insert(1, ["-" * w for w in widths])
    pad = [str.ljust] + [str.rjust] * len(COLUMNS)  # names left, numbers right
    return "\n".join(
        "  ".join(p(c, w) for p, c, w in zip(pad, r, widths, strict=True)) for r in rows
    )


def spurious_fields(res: dict) -> str:
    found = [f"{f} {res[f'{f}_spurious']}" for f in FIELDS if res[f"{f}_spurious"]]
    return ", ".join(found) or "none"


def notes(results: list[dict], repeat: int) -> str:
    """What the numbers are over: label counts, spurious fields, timing."""
    scored = [r for r in results if "status" not in r]
    if not scored:
        return ""
    first = scored[0]
    counts = ", ".join(f"{f} n={first[f'{f}_n']}" for f in FIELDS)
    spurious = "; ".join(f"{r['system']} {spurious_fields(r)}" for r in scored)
    runs = f"the fastest of {repeat} runs" if repeat > 1 else "one run"
    return (
        f"{first['pages']} pages. Fields: accuracy over the pages whose label is not null "
        f"({counts}). Spurious fields (a value where the label is null): {spurious}. "
        f"Timing: {runs} per page; the mean counts pages that raised as 0 ms."
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    ap.add_argument("--anchors", action="store_true",
                    help="also score trafilatura, gne, newspaper4k and readability-lxml")  # fmt: skip
    ap.add_argument(
        "--set",
        dest="only_set",
        metavar="SET",
        help="score only the pages of this set (manifest key 'set': A or B)",
    )
    ap.add_argument(
        "--half",
        type=int,
        choices=(1, 2),
        help="score only the portals of this half of the fixed split (portal_half)",
    )
    ap.add_argument("--repeat", type=int, default=1,
                    help="time each page this many times, keep the fastest")  # fmt: skip
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="per-page misses, leaks and wrong fields on stderr")  # fmt: skip
    out = ap.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print only the JSON lines")
    out.add_argument("--markdown", action="store_true", help="print only a Markdown table")
    return ap.parse_args(argv)


def quiet_anchor_warnings() -> None:
    """Noise the anchors print on every run; the calls stay exactly the reference's."""
    warnings.filterwarnings("ignore", message='"as_dict" will be removed')  # trafilatura 2.x
    warnings.filterwarnings("ignore", message="nltk is not installed")  # newspaper4k, unused NLP


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.corpus / "manifest.jsonl").is_file():
        print(f"evaluate: no manifest.jsonl in {args.corpus}", file=sys.stderr)
        return 2
    quiet_anchor_warnings()
    results = []
    for system in ("scraper", *ANCHORS) if args.anchors else ("scraper",):
        if args.verbose and args.anchors:
            print(f"{system}:", file=sys.stderr)
        results.append(
            score(
                args.corpus,
                system,
                args.verbose,
                args.repeat,
                only_set=args.only_set,
                half=args.half,
            )
        )
    if args.markdown:
        print(render(results, markdown=True) + "\n\n" + notes(results, args.repeat))
        return 0
    for res in results:
        print(json.dumps(res, ensure_ascii=False))
    if not args.json:
        print("\n" + render(results, markdown=False) + "\n\n" + notes(results, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
