"""Exports for other archival tools: Parquet (`parquet`) and WARC, binary files only.

`--format warc` writes the stored raw pages of a selection as WARC response records, with the
status, headers, server address and time of their capture where the archive has them (pages
archived before provenance was kept get a minimal 200 response)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from scraper.export.formats import ExportError, atomic_writer
from scraper.store.archive import Archive, RawPage
from scraper.warc.capture import Capture

BINARY_FORMATS = ("parquet", "warc")


def write_binary_export(
    archive: Archive, records: Iterable[dict], fmt: str, out: str | None, with_raw: bool = False
) -> int:
    """Write `records` as Parquet or WARC to the file `out`; how many articles were written."""
    if not out or out == "-" or Path(out).is_dir() or out.endswith("/"):
        raise ExportError(f"--format {fmt} writes one binary file: give --out FILE")
    if fmt == "warc":
        return write_warc(archive, records, out)
    from scraper.export.parquet import write_parquet  # pyarrow: only paid for when used

    return write_parquet(records, out, with_raw)


def write_warc(archive: Archive, records: Iterable[dict], out: str | Path) -> int:
    """Write the raw pages of `records` to the WARC file `out`; the number of articles."""
    from scraper.warc.writer import new_writer, write_capture  # warcio: only when used

    count = 0
    with atomic_writer(Path(out), encoding=None) as stream:
        writer = new_writer(stream, Path(out).name)
        for record in records:
            for page in archive.raw_pages(record["id"]):
                write_capture(writer, capture_of_raw(page, record.get("archived_at")))
            count += 1
    return count


def capture_of_raw(page: RawPage, archived_at: str | None) -> Capture:
    return Capture(
        page.url, page.content, page.fetched_at or archived_at or "", page.status or 200,
        page.headers or [], page.server_ip, None, page.content_type or "text/html",
        page.encoding,
    )  # fmt: skip
