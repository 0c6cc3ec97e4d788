"""Turn article records (plain dicts) into txt, md, jsonl or csv files, and read jsonl back.

Knows nothing about the database: callers pass any iterable of dicts, which is consumed lazily
so a generator of 100k rows never sits in memory at once.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TextIO

from scraper.article import PARAGRAPH_SEPARATOR, RECORD_FIELDS, WATCH_FIELDS

FORMATS = ("txt", "md", "jsonl", "csv")
FIELDS = RECORD_FIELDS
CSV_FIELDS = (*RECORD_FIELDS, *WATCH_FIELDS)  # a csv has a fixed header: the watch columns too
BUNDLE_NAMES = {"jsonl": "articles.jsonl", "csv": "articles.csv"}
SEPARATORS = {"txt": "\n" + "=" * 40 + "\n\n", "md": "\n---\n\n"}  # renders end with "\n"
META_SEP = " · "
CSV_BOM = "\ufeff"
MAX_NAME_BYTES = 200
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_PREFIX = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_MD_LEADING = re.compile(r"^([#>+*=`~<|-]|\d+(?=[.)]))")
_RESERVED_CHARS = re.compile(r'[<>:"/\\|?*]')
_DEVICE_NAMES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])", re.IGNORECASE)
# Spreadsheets run a cell starting with these as a formula (=HYPERLINK(...), =cmd|...), so an
# article title or body could execute in whoever opens the CSV; a leading ' makes it plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """A user-facing failure with a one-line message (bad path, bad input line)."""


def _text(record: dict, key: str) -> str | None:
    """A single-line display value; missing, None and blank all mean "not shown"."""
    value = record.get(key)
    return None if value is None else (" ".join(str(value).split()) or None)


def format_date(published_at: str | None) -> str | None:
    """Show 2025-09-23T14:39:00+08:00 as "2025-09-23 14:39", in the page's own wall clock."""
    text = (published_at or "").strip()
    if not text or _DATE_ONLY.fullmatch(text):
        return text or None
    try:  # fromisoformat on 3.10 rejects a trailing "Z"
        when = datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", text))
    except ValueError:
        return text  # better to show the raw value than to drop it
    return f"{when:%Y-%m-%d %H:%M:%S}" if when.second else f"{when:%Y-%m-%d %H:%M}"


def meta_parts(record: dict) -> list[str]:
    """来源：… · 作者：… · 责编：… · time, each only when present (exports and the web page)."""
    parts = [
        f"{label}：{value}"
        for label, key in (("来源", "source"), ("作者", "author"), ("责编", "editor"))
        if (value := _text(record, key))
    ]
    if date := format_date(record.get("published_at")):
        parts.append(date)
    return parts


def _meta_line(record: dict, link: Callable[[str], str]) -> str | None:
    parts = meta_parts(record)
    if url := _text(record, "url"):
        parts.append(link(url))
    return META_SEP.join(parts) or None


def paragraphs(record: dict) -> list[str]:
    """The body's paragraphs, stripped, without empty ones."""
    body = str(record.get("body") or "")
    return [p.strip() for p in body.split(PARAGRAPH_SEPARATOR) if p.strip()]


def _compose(blocks: list[str | None]) -> str:
    """Join the non-empty blocks with blank lines; "" when there is nothing to show."""
    kept = [b for b in blocks if b]
    return "\n\n".join(kept) + "\n" if kept else ""


def render_txt(record: dict) -> str:
    """Title line, metadata line, blank line, paragraphs separated by blank lines."""
    head = "\n".join(h for h in (_text(record, "title"), _meta_line(record, str)) if h)
    return _compose([head, *paragraphs(record)])


def _md_url(url: str) -> str:
    # An autolink may not contain spaces or angle brackets; percent-encoding keeps it a link.
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def _md_escape(paragraph: str) -> str:
    """Backslash a leading character Markdown would read as a heading, quote, list, fence..."""
    # Per line: "#" or "- " inside a paragraph would still start a block. Only ASCII punctuation
    # is touched, so Chinese text passes through unchanged.
    return "\n".join(_MD_LEADING.sub(_md_backslash, line) for line in paragraph.split("\n"))


def _md_backslash(match: re.Match[str]) -> str:
    token = match.group(1)
    return token + "\\" if token[0].isdigit() else "\\" + token  # "1." -> "1\."


def render_md(record: dict) -> str:
    """Heading, metadata line with the url as <link>, paragraphs escaped minimally."""
    title = _text(record, "title")
    escaped = [_md_escape(p) for p in paragraphs(record)]
    return _compose([f"# {title}" if title else None, _meta_line(record, _md_url), *escaped])


RENDERERS: dict[str, Callable[[dict], str]] = {"txt": render_txt, "md": render_md}


def _ordered(record: dict) -> dict:
    """Every key, in a fixed order, so export -> import -> export is byte-identical."""
    ordered = {key: record.get(key) for key in FIELDS}
    ordered.update((key, record[key]) for key in sorted(record) if key not in ordered)
    return ordered


def _jsonl_line(record: dict) -> str:
    return json.dumps(_ordered(record), ensure_ascii=False, separators=(",", ":")) + "\n"


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _clean_title(title: str | None) -> str:
    text = unicodedata.normalize("NFC", title or "")
    chars = []
    for char in _RESERVED_CHARS.sub(" ", text):
        category = unicodedata.category(char)
        if category in ("Cf", "Cs"):  # zero-width/bidi marks; lone surrogates can't be encoded
            continue
        chars.append(" " if category in ("Cc", "Zl", "Zp") else char)
    # Leading dots would hide the file or form "..", trailing dots/spaces Windows strips.
    return unicodedata.normalize("NFC", " ".join("".join(chars).split())).strip(". ")


def _fit(title: str, budget: int) -> str:
    """Cut to at most `budget` UTF-8 bytes on a character boundary."""
    return title.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(". ")


def safe_filename(title: str | None, published_at: str | None, ext: str, taken: set[str]) -> str:
    """A portable "YYYY-MM-DD_title.ext" name, unique case-insensitively against `taken`.

    Both the chosen name and its case-folded form are added to `taken`, so collisions are found
    with set look-ups rather than a scan (a 100k-article export stays linear).
    """
    match = _DATE_PREFIX.match(published_at or "")
    prefix = (match.group(1) if match else "undated") + "_"
    suffix_ext = "." + ext.lstrip(".")
    title_text = _clean_title(title) or "untitled"
    number = 1
    while True:
        tail = (f" ({number})" if number > 1 else "") + suffix_ext
        budget = MAX_NAME_BYTES - len((prefix + tail).encode("utf-8"))
        stem = prefix + (_fit(title_text, budget) or "untitled")
        if _DEVICE_NAMES.fullmatch(stem.split(".")[0].strip()):
            stem = "_" + stem  # unreachable with the date prefix, kept as a guard
        name = stem + tail
        key = unicodedata.normalize("NFC", name.casefold())
        if name not in taken and key not in taken:
            taken.update((name, key))
            return name
        number += 1


@contextmanager
def atomic_writer(
    path: Path, encoding: str | None = "utf-8", newline: str = "\n"
) -> Iterator[TextIO]:
    """Write to a temp file beside `path`, then os.replace: a crash never leaves half a file.
    Without an encoding the file is binary (Parquet, WARC)."""
    # No fsync: exports can be re-run, and 100k fsyncs would dominate a per-article export.
    tmp = path.with_name(f".{path.name[:40]}.{secrets.token_hex(4)}.tmp")
    try:
        text = encoding is not None
        with open(
            tmp, "x" if text else "xb", encoding=encoding, newline=newline if text else None
        ) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException as exc:
        with suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def _wants_dir(out: str | Path) -> bool:
    return Path(out).is_dir() or str(out).endswith(("/", os.sep))


def _make_dir(directory: Path) -> Path:
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create directory {directory}: {exc.strerror or exc}") from exc
    return directory


def _csv_chunks(records: Iterable[dict]) -> Iterator[str]:
    # Extra keys are jsonl-only: a streamed CSV must fix its header before the first row.
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    rows = ([_csv_cell(record.get(key)) for key in CSV_FIELDS] for record in records)
    for row in itertools.chain([CSV_FIELDS], rows):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def export_chunks(records: Iterable[dict], fmt: str) -> Iterator[str]:
    """The export of `records` as text, one chunk per article (csv: the header first), read
    lazily: a file and a web download stream the same bytes without holding the export."""
    if fmt == "csv":
        yield from _csv_chunks(records)
        return
    for number, record in enumerate(records):
        if fmt == "jsonl":
            yield _jsonl_line(record)
        else:
            yield (SEPARATORS[fmt] if number else "") + RENDERERS[fmt](record)


def _write_stream(records: Iterable[dict], fmt: str, stream: TextIO) -> int:
    count = 0

    def counted() -> Iterator[dict]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    for chunk in export_chunks(counted(), fmt):
        stream.write(chunk)
    return count


def _write_per_article(records: Iterable[dict], fmt: str, directory: Path) -> int:
    root = _make_dir(directory).resolve()
    taken: set[str] = set()  # fresh per export: re-exporting overwrites the same names
    count = 0
    for record in records:
        name = safe_filename(record.get("title"), record.get("published_at"), fmt, taken)
        path = (root / name).resolve()
        if path.parent != root or not path.is_relative_to(root):  # defence in depth
            raise ExportError(f"refusing to write outside {root}: {name!r}")
        with atomic_writer(path) as handle:
            handle.write(RENDERERS[fmt](record))
        count += 1
    return count


def write_export(records: Iterable[dict], fmt: str, out: str | Path | None, stdout: TextIO) -> int:
    """Write `records` as `fmt` to `out` (None or "-": `stdout`); return how many were written.

    txt/md: a directory `out` (existing, or ending in "/") gets one file per article, anything
    else one file with all of them. jsonl/csv: always one file, "articles.<fmt>" in a directory.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if out is None or str(out) == "-":
        if fmt == "csv":  # the same bytes as a file: spreadsheets need the BOM either way
            stdout.write(CSV_BOM)
        return _write_stream(records, fmt, stdout)
    target = Path(out)
    if _wants_dir(out):
        if fmt in RENDERERS:
            return _write_per_article(records, fmt, target)
        target = _make_dir(target) / BUNDLE_NAMES[fmt]
    if target.is_dir():
        raise ExportError(f"{target} is a directory")
    # utf-8-sig writes CSV_BOM: Excel only detects UTF-8 (and shows Chinese) with a BOM.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    newline = "" if fmt == "csv" else "\n"  # csv writes its own "\r\n"
    with atomic_writer(target, encoding, newline) as handle:
        return _write_stream(records, fmt, handle)


def read_jsonl(
    path: str | Path,
    report: Callable[[str], None] | None = None,
    check: Callable[[dict], str | None] | None = None,
) -> Iterator[dict]:
    """Yield one record per non-blank line. A bad line (not a JSON object, or a record `check`
    finds fault with) raises ExportError naming FILE:LINE, or, given `report`, is reported so
    and skipped."""
    try:
        with open(path, "rb") as handle:  # bytes: split on "\n" only; decode errors get a line
            for lineno, record, problem in _parse_jsonl(handle, check):
                if problem is None:
                    yield record
                elif report is None:
                    raise ExportError(f"{path}:{lineno}: {problem}")
                else:
                    report(f"{path}:{lineno}: {problem}; line skipped")
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _parse_jsonl(
    lines: Iterable[bytes], check: Callable[[dict], str | None] | None
) -> Iterator[tuple[int, dict, str | None]]:
    """(line number, record, what is wrong with the line or None) for each non-blank line."""
    for lineno, raw in enumerate(lines, 1):
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # tolerate a BOM from other tools
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except ValueError as exc:  # includes UnicodeDecodeError
            reason = str(exc).splitlines()[0][:100]
            yield lineno, {}, f"not a JSON object ({reason})"
            continue
        if not isinstance(record, dict):
            yield lineno, {}, f"not a JSON object (got {type(record).__name__})"
            continue
        yield lineno, record, check(record) if check else None
