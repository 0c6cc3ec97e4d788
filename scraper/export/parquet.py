"""Parquet for pandas, DuckDB and Polars: one row per article, typed columns, the body as text
and as a list of paragraphs. With raw pages (`scraper batch` shards, `--with-raw`) a row also
carries its pages' compressed bytes and provenance, so `scraper import` restores them.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from scraper.article import RECORD_FIELDS
from scraper.export.backup import RAW_PAGES
from scraper.export.formats import ExportError, atomic_writer, paragraphs

ROW_GROUP = 256  # articles per row group (~10 MB with raw pages): bounds memory per worker
TIME_FIELDS = ("archived_at", "updated_at")  # stamped by the archive: always full timestamps
_UTC_TIME = pa.timestamp("ms", tz="UTC")  # Parquet has no seconds unit
RAW_PAGE_TYPE = pa.struct([
    ("url", pa.string()), ("content_type", pa.string()), ("encoding", pa.string()),
    ("fetched_at", pa.string()), ("sha256", pa.string()), ("zstd", pa.binary()),
    ("http_status", pa.int32()), ("http_headers", pa.string()), ("server_ip", pa.string()),
])  # fmt: skip
ARTICLE_SCHEMA = pa.schema(
    [("id", pa.int64())]
    + [(name, _UTC_TIME if name in TIME_FIELDS else pa.string()) for name in RECORD_FIELDS]
    + [("paragraphs", pa.list_(pa.string())), ("chars", pa.int32())]
)
RAW_SCHEMA = ARTICLE_SCHEMA.append(pa.field(RAW_PAGES, pa.list_(RAW_PAGE_TYPE)))


def write_parquet(records: Iterable[dict], out: str | Path, with_raw: bool = False) -> int:
    """Write `records` (with raw pages in the jsonl backup's form when `with_raw`) to `out`."""
    with atomic_writer(Path(out), encoding=None) as stream:
        return write_parquet_stream(records, stream, with_raw)


def write_parquet_stream(records: Iterable[dict], stream: BinaryIO, with_raw: bool) -> int:
    """The Parquet writer on an open binary stream (a local file, or an fsspec one)."""
    schema = RAW_SCHEMA if with_raw else ARTICLE_SCHEMA
    count = 0
    pending = iter(records)
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        while rows := list(itertools.islice(pending, ROW_GROUP)):
            writer.write_table(pa.Table.from_pylist([_row(r, with_raw) for r in rows], schema))
            count += len(rows)
    return count


def _row(record: dict, with_raw: bool) -> dict:
    row = {name: record.get(name) for name in ("id", *RECORD_FIELDS)}
    for name in TIME_FIELDS:
        row[name] = _timestamp(row[name])
    row["paragraphs"] = paragraphs(record)
    row["chars"] = len(record.get("body") or "")
    if with_raw:
        row[RAW_PAGES] = [_raw_row(page) for page in record.get(RAW_PAGES) or []]
    return row


def _raw_row(page: dict) -> dict:
    row = {name: page.get(name) for name in RAW_PAGE_TYPE.names if name != "zstd"}
    # A shard's pages carry their bytes as they are (`zstd`); a backup's as base64.
    row["zstd"] = page["zstd"] if "zstd" in page else base64.b64decode(page["zstd_base64"])
    return row


def _timestamp(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def read_parquet_records(path: str | Path) -> Iterator[dict]:
    """Records in the jsonl backup's form from a Parquet file this module wrote, streamed a
    row group at a time; ExportError if it is not such a file."""
    try:
        source = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as error:
        raise ExportError(f"cannot read {path} as Parquet: {error}") from None
    if "url" not in source.schema_arrow.names:
        raise ExportError(f"{path} is not a scraper Parquet export (it has no url column)")
    for group in range(source.num_row_groups):
        for row in source.read_row_group(group).to_pylist():
            yield _record(row)


def _record(row: dict) -> dict:
    record = {name: row.get(name) for name in ("id", *RECORD_FIELDS)}
    for name in TIME_FIELDS:
        value = record[name]
        record[name] = value.astimezone(timezone.utc).isoformat() if value else None
    if row.get(RAW_PAGES) is not None:
        record[RAW_PAGES] = [_backup_page(page) for page in row[RAW_PAGES]]
    return record


def _backup_page(page: dict) -> dict:
    kept = {name: value for name, value in page.items() if name != "zstd"}
    return {**kept, "zstd_base64": base64.b64encode(page["zstd"]).decode("ascii")}


def read_parquet_inputs(path: str | Path) -> Iterator[dict]:
    """The records of a Parquet file, or of every shard in a folder (`scraper batch --out`)."""
    path = Path(path)
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    if not files:
        raise ExportError(f"{path} holds no .parquet files")
    for file in files:
        yield from read_parquet_records(file)
