"""Reading WARC files: the HTML responses they hold, streamed one record at a time.

Records are filtered on their headers before the payload is read (URL, status, MIME type), so a
multi-GB file costs one record's memory and a skipped record costs no decoding. A truncated or
corrupt gzip member ends the file with a reported problem: every record before it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import fsspec
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from scraper.fetch.engine import PAGE_TYPES
from scraper.warc.capture import Capture, iso_date

WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_PAGE_BYTES = 10 * 1024 * 1024  # as the fetcher: larger payloads are not articles
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


@dataclass
class Skipped:
    """A response record that is not archived, and why (a revisit, a 404, a PDF …)."""

    url: str
    reason: str


@dataclass
class Problem:
    """The file could not be read to its end: what was read before is still yielded."""

    path: str
    message: str


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def warc_files(item: str) -> list[str]:
    """The WARC files an input names: itself, or a folder's WARC files (sorted)."""
    path = Path(item)
    if path.is_dir():
        return sorted(str(p) for p in path.iterdir() if is_warc(p.name))
    return [item] if is_warc(item) else []


class _Checked(ArchiveIterator):
    """warcio's iterator, told apart from a clean end when the last gzip member was cut."""

    truncated = False
    INC_RECORD = ""  # warcio prints each bad record boundary; counted in err_count instead

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        if decompressor is not None and not decompressor.eof:
            self.truncated = True
        super().close()


def read_captures(
    path: str, wanted: Callable[[str], bool] = lambda url: True
) -> Iterator[Capture | Skipped | Problem]:
    """The HTML responses of the WARC at `path` (a local path or an fsspec URL) whose URL is
    `wanted`; other responses and revisits as Skipped; a damaged file ends with a Problem."""
    try:
        with fsspec.open(path, "rb") as stream:
            records = _Checked(stream)
            seen = 0
            try:
                for seen, record in enumerate(records, 1):  # noqa: B007 (counted for below)
                    for item in _one(record, wanted):
                        if isinstance(item, Problem):
                            yield Problem(path, item.message)
                            return
                        yield item
            # warcio raises whatever its parsers meet on damaged bytes (ArchiveLoadFailed,
            # zlib.error, EOFError, even AttributeError): all mean the rest cannot be read.
            except Exception as error:  # noqa: BLE001
                yield Problem(path, f"corrupt record ({type(error).__name__}: {error})")
                return
            if not seen:
                yield Problem(path, "no WARC records in it (not a WARC file?)")
            elif records.truncated:
                yield Problem(path, "the file is truncated (its last gzip member is cut)")
            elif records.err_count:
                yield Problem(
                    path, f"corrupt: {records.err_count} records end where they should not"
                )
    except OSError as error:
        yield Problem(path, f"cannot read: {error.strerror or error}")


def _one(
    record: ArcWarcRecord, wanted: Callable[[str], bool]
) -> Iterator[Capture | Skipped | Problem]:
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    if record.rec_type not in ("response", "revisit"):
        return
    if not _SCHEME.match(url):  # what warcio makes of bytes that are not a WARC at all
        yield Problem("", "corrupt: a response record without a target URI (not a WARC?)")
        return
    if not wanted(url):
        return
    if record.rec_type == "revisit":
        yield Skipped(url, "revisit record (no payload)")
        return
    http = record.http_headers
    if http is None:
        return  # a response to dns: or whois:, not HTTP
    status = int(http.get_statuscode() or 0)
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if status != 200:
        yield Skipped(url, f"HTTP {status}")
    elif content_type not in PAGE_TYPES:
        yield Skipped(url, f"not an HTML page ({content_type})")
    else:
        yield _capture(record, url, status, content_type)


def _capture(
    record: ArcWarcRecord, url: str, status: int, content_type: str
) -> Capture | Skipped | Problem:
    content = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(content) > MAX_PAGE_BYTES:
        return Skipped(url, f"page larger than {MAX_PAGE_BYTES // 2**20} MB")
    if record.raw_stream.limit > 0:  # the block ended before its Content-Length
        return Problem("", f"the file is truncated: the record of {url} is cut short")
    http = record.http_headers
    charset = _CHARSET.search(http.get_header("Content-Type") or "")
    return Capture(
        url, content, iso_date(record.rec_headers.get_header("WARC-Date")) or "",
        status, list(http.headers), record.rec_headers.get_header("WARC-IP-Address"),
        None, content_type or "text/html", charset.group(1) if charset else None,
    )  # fmt: skip
