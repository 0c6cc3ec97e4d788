"""Benchmark the archive's full-text search: indexing rate, database size, query latency.

A synthetic archive of N articles (~2,000 characters each) is built from real news sentences
(search_corpus.py) with the product's bulk path, `scraper import`'s import_records (a process
per core). Then, in-process, Archive.search is timed against bare FTS5 with the same MATCH
string, quoted phrases are checked against a substring scan of every article, and `scraper
search` is timed as a subprocess. Several sizes build
incrementally: the 30,000-article archive is the 10,000 one plus 20,000 more articles.

    python benchmarks/search_bench.py                          # 10,000 articles
    python benchmarks/search_bench.py --sizes 2000             # a quick run
    python benchmarks/search_bench.py --sizes 10000,30000,100000 --keep /tmp/dbs --json
    python benchmarks/search_bench.py --measure /tmp/dbs/archive-100000.db --queries 60

Sizes not run are extrapolated linearly (indexing time and DB size only, never latency). The
source pages are read at run time and the archives live in a temporary directory (or --keep
DIR): no corpus text is written into the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from importlib.metadata import version
from pathlib import Path

# The sibling modules import by bare name: make that work from any working directory.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_corpus import draw_queries, load_source, sentence_frequencies  # noqa: E402
from search_measure import (  # noqa: E402
    CHUNK,
    RECALL_SAMPLE,
    WORKERS,
    cli_wall_time,
    index_range,
    phrase_recall,
    python_startup_ms,
    stats_dict,
    time_queries,
    vacuum,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path("/work/shared/corpus")
DEFAULT_SEED_FILE = REPO / "seeds" / "000_aab09b9d773d6dc3.txt"
EXTRAPOLATE_TO = (10_000, 30_000, 100_000, 1_000_000)
SEGMENT_TARGET = 0.8  # indexing should run at >= 80% of bare segmentation


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", type=_sizes,
                        help="Archive sizes, ascending, built incrementally [10000].")  # fmt: skip
    parser.add_argument("--queries", type=int, default=200, help="Queries per kind [200].")
    parser.add_argument("--cli-runs", type=int, default=10, help="scraper search runs [10].")
    parser.add_argument("--seed", type=int, default=1, help="Corpus and query seed [1].")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="Labelled corpus dir whose pages/ give sentences (skipped if absent).")  # fmt: skip
    parser.add_argument("--seed-file", type=Path, default=DEFAULT_SEED_FILE)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="Build in DIR and keep archive-N.db for every size.")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="Print one JSON document.")
    parser.add_argument("--measure", type=Path, metavar="DB",
                        help="Only time the queries on an archive built before (--keep).")  # fmt: skip
    return parser.parse_args(argv)


def _sizes(text: str) -> list[int]:
    sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    if not sizes or sizes != sorted(set(sizes)) or sizes[0] < 100:
        raise argparse.ArgumentTypeError("sizes must be ascending, distinct, each >= 100")
    return sizes


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    source = load_source(args.corpus if args.corpus.is_dir() else None, args.seed_file)
    queries = draw_queries(source, args.sizes[0], args.queries, args.seed)
    if args.measure:
        _print_queries(time_queries(args.measure, queries))
        return
    result = {"environment": environment(), "corpus": corpus_info(source), "sizes": []}
    result["mode"] = f"bulk import, {WORKERS} worker processes"
    with tempfile.TemporaryDirectory(prefix="search-bench-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        db_path = workdir / "work.db"
        _remove_db(db_path)
        startup = python_startup_ms(args.cli_runs, workdir)
        result["python_startup_ms"] = startup
        previous = 0
        for size in args.sizes:
            entry = run_size(db_path, source, queries, previous, size, args, workdir)
            entry["cumulative_index_seconds"] = _cumulative(result["sizes"], entry)
            result["sizes"].append(entry)
            _keep(db_path, workdir, size, last=size == args.sizes[-1], keep=args.keep)
            previous = size
    result["extrapolated"] = extrapolate(result["sizes"])
    result["wall_seconds"] = time.perf_counter() - started
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_report(result)


def run_size(db_path: Path, source, queries, start: int, size: int, args, workdir: Path) -> dict:
    """Grow the archive to `size` articles and measure everything at that size."""
    began = time.perf_counter()
    _log(f"{size:,}: indexing articles {start:,}..{size - 1:,}")
    stats = index_range(db_path, source, start, size, seed=args.seed,
                        progress=_progress(start, size))  # fmt: skip
    _log(f"{size:,}: VACUUM")
    storage = vacuum(db_path)
    storage["fts_columns"] = index_columns(db_path)
    _log(f"{size:,}: {len(queries)} x {args.queries} queries")
    latency = time_queries(db_path, queries)
    _log(f"{size:,}: phrase recall against a substring scan")
    sample = [q for kind in ("phrase", "phrase, any cut") for q in queries[kind][:RECALL_SAMPLE]]
    recall = phrase_recall(db_path, sample)
    _log(f"{size:,}: scraper search x {args.cli_runs} (broad and rare query)")
    broad, rare = queries["1 term, frequent"][0], queries["1 term, rare"][0]
    cli = [cli_wall_time(db_path, q, args.cli_runs, workdir) for q in (broad, rare)]
    return {
        "articles": size,
        "indexing": stats_dict(stats),
        "storage": storage,
        "queries": latency,
        "phrase_recall": recall,
        "cli": cli,
        "phase_seconds": time.perf_counter() - began,
    }


def _cumulative(previous: list[dict], entry: dict) -> float:
    """Indexing seconds from an empty archive to this size (sum of the increments)."""
    before = previous[-1]["cumulative_index_seconds"] if previous else 0.0
    return before + entry["indexing"]["index_seconds"]


def _keep(db_path: Path, workdir: Path, size: int, *, last: bool, keep: Path | None) -> None:
    if not keep:
        return
    target = workdir / f"archive-{size}.db"
    _remove_db(target)
    with closing(sqlite3.connect(db_path)) as conn:  # the file alone is copied: fold any WAL in
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if last:
        db_path.rename(target)
        _remove_db(db_path)  # the empty -wal/-shm of the closed working file
    else:
        shutil.copyfile(db_path, target)  # vacuumed and checkpointed: the file is the database


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _progress(start: int, stop: int):
    step = max(CHUNK, (stop - start) // 10 // CHUNK * CHUNK)
    begun = time.perf_counter()

    def report(done: int) -> None:
        if (done - start) % step == 0 or done == stop:
            _log(f"  {done:,} articles ({time.perf_counter() - begun:.0f} s)")

    return report


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- context ---------------------------------------------------------------------------------


def environment() -> dict:
    return {
        "scraper_digest": scraper_digest(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "rjieba": version("rjieba"),
        "sqlite_utils": version("sqlite-utils"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def scraper_digest() -> str:
    """A digest of scraper/*.py: the package changes between runs, so say which one was measured."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "scraper").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def index_columns(db_path: Path) -> list[str]:
    """The FTS table's columns as built (the schema is still growing)."""
    with closing(sqlite3.connect(db_path)) as conn:  # a bare `with` would not close it
        return [row[1] for row in conn.execute("PRAGMA table_info(articles_fts)")]


def corpus_info(source) -> dict:
    words = sentence_frequencies(source)
    return {
        "pages": source.pages,
        "sentences": len(source.sentences),
        "title_fragments": len(source.fragments),
        "query_words": len(words),
        "words_in_one_sentence": sum(1 for count in words.values() if count == 1),
    }


# --- extrapolation ---------------------------------------------------------------------------


def extrapolate(sizes: list[dict]) -> list[dict]:
    """Indexing time and DB size at sizes not run: a least-squares line (through 0 if one point)."""
    run = [entry["articles"] for entry in sizes]
    times = _fit(run, [entry["cumulative_index_seconds"] for entry in sizes])
    space = _fit(run, [entry["storage"]["bytes"] for entry in sizes])
    return [
        {"articles": n, "index_seconds": times(n), "bytes": space(n), "extrapolated": True}
        for n in EXTRAPOLATE_TO
        if n not in run and n > run[-1]
    ]


def _fit(xs: list[int], ys: list[float]):
    if len(xs) == 1:
        slope = ys[0] / xs[0]
        return lambda x: slope * x
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return lambda x: mean_y + slope * (x - mean_x)


# --- report ----------------------------------------------------------------------------------


def print_report(result: dict) -> None:
    env, corpus = result["environment"], result["corpus"]
    print(f"search bench · {result['mode']} · Python {env['python']} · SQLite {env['sqlite']} · "
          f"rjieba {env['rjieba']} · {env['cpus']} CPUs")  # fmt: skip
    print(f"scraper/ digest {env['scraper_digest']}")
    print(f"source: {corpus['sentences']:,} sentences from {corpus['pages']} pages; "
          f"{corpus['query_words']:,} query words ({corpus['words_in_one_sentence']:,} in one "
          f"sentence only)")  # fmt: skip
    for entry in result["sizes"]:
        print()
        _print_size(entry, result["python_startup_ms"])
    if result["extrapolated"]:
        _print_extrapolated(result["extrapolated"], len(result["sizes"]))
    print(f"\ntotal wall time {result['wall_seconds']:.0f} s")


def _print_size(entry: dict, startup_ms: float) -> None:
    n, stats, storage = entry["articles"], entry["indexing"], entry["storage"]
    ratio = stats["articles_per_s"] / stats["segment_articles_per_s"]
    verdict = "meets" if ratio >= SEGMENT_TARGET else "below"
    jieba = stats["jieba_articles_per_s"]
    print(f"== {n:,} articles ({entry['phase_seconds']:.0f} s) ==")
    print(f"indexing   +{stats['added']:,} articles in {stats['index_seconds']:.1f} s: "
          f"{stats['articles_per_s']:,.0f} articles/s · bare segmentation "
          f"{stats['segment_articles_per_s']:,.0f} articles/s · ratio {ratio:.0%} "
          f"({verdict} the {SEGMENT_TARGET:.0%} target)")  # fmt: skip
    if jieba:
        print(f"           the jieba package segments {jieba:,.0f} articles/s "
              f"(one process): indexing runs at {stats['articles_per_s'] / jieba:.1f}x that")  # fmt: skip
    print(f"text       {stats['chars'] / stats['added']:,.0f} chars/article "
          f"({stats['utf8_bytes'] / stats['added'] / 1024:.1f} KB UTF-8)")  # fmt: skip
    print(f"database   {storage['bytes'] / n / 1024:.1f} KB/article after VACUUM "
          f"({storage['bytes'] / 2**20:,.1f} MB){_parts(storage['parts'], n)} · "
          f"VACUUM {storage['vacuum_seconds']:.1f} s")  # fmt: skip
    print(f"FTS        columns {', '.join(storage['fts_columns'])}")
    _print_queries(entry["queries"])
    r = entry["phrase_recall"]
    print(f"phrases    {r['phrases']} quoted phrases vs a substring scan of every article: "
          f"recall {r['recall']:.3f}, same count for {r['equal']}/{r['phrases']} "
          f"({r['search_hits']:,} found, {r['scan_hits']:,} in the scan)")  # fmt: skip
    for cli in entry["cli"]:
        print(f"CLI        scraper search {cli['query']} --limit 10: median {cli['median_ms']:.0f} ms "
              f"of {cli['runs']} (python -c pass: {startup_ms:.0f} ms)")  # fmt: skip


def _parts(parts: dict, n: int) -> str:
    if not parts:
        return ""
    shown = ", ".join(f"{name} {size / n / 1024:.1f}" for name, size in parts.items())
    return f" [{shown}]"


def _print_queries(queries: dict) -> None:
    print("queries (ms)        n   hits | search p50   p95 | bare FTS p50   p95 | ratio | "
          "by date p50   p95 | bare by date p50   p95")  # fmt: skip
    for kind, r in queries.items():
        s, b, sd, d = r["search"], r["bare"], r["search_date"], r["date"]
        print(f"  {kind:<16} {r['queries']:>4} {r['hits_median']:>6,.0f} | "
              f"{s['p50_ms']:>10.1f} {s['p95_ms']:>5.1f} | {b['p50_ms']:>12.1f} {b['p95_ms']:>5.1f} | "
              f"{r['ratio_p50']:>4.1f}x | {sd['p50_ms']:>11.1f} {sd['p95_ms']:>5.1f} | "
              f"{d['p50_ms']:>16.1f} {d['p95_ms']:>5.1f}")  # fmt: skip


def _print_extrapolated(rows: list[dict], points: int) -> None:
    basis = "proportional to the one size run" if points == 1 else f"linear fit of {points} sizes"
    print(f"\nextrapolated ({basis}; latency not extrapolated)")
    for row in rows:
        n = row["articles"]
        print(f"  {n:>9,} articles: extrapolated indexing {row['index_seconds'] / 60:,.1f} min, "
              f"DB {row['bytes'] / 2**30:,.2f} GB ({row['bytes'] / n / 1024:.1f} KB/article)")  # fmt: skip


if __name__ == "__main__":
    main()
