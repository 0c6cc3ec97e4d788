"""Reading WARC files: the HTML responses they hold, streamed one record at a time.

FastWARC parses the records: compiled, it reads 2-3x as fast as warcio's pure-Python parser,
which made reading a sixth of a WARC import's time. Records are filtered on their WARC headers
before the HTTP headers are parsed or the payload read (URL, then status and MIME type), so a
multi-GB file costs one record's memory and a skipped record costs no decoding. A file cut short
or a corrupt gzip member ends the file with a reported problem: every record before it is kept.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import fsspec
from fastwarc.stream_io import GzipReader
from fastwarc.warc import (
    ArchiveIterator,
    WarcHeader,
    WarcRecord,
    WarcRecordPayloadReader,
    WarcRecordType,
)
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader

from scraper.fetch.engine import PAGE_TYPES
from scraper.warc.capture import Capture, iso_date

WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_PAGE_BYTES = 10 * 1024 * 1024  # as the fetcher: larger payloads are not articles
_MAX_HTTP_HEADERS = 2**20  # FastWARC's default (32 KB) fails on a page's long cookies or CSP
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_HTTP_SCHEMES = ("http:", "https:")
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_CHUNK = 2**16
_RESPONSE, _REVISIT, _NO_TYPE = (
    WarcRecordType.response,
    WarcRecordType.revisit,
    WarcRecordType.no_type,
)

Headers = list[tuple[str, str]]


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


def read_captures(
    path: str, wanted: Callable[[str], bool] = lambda url: True
) -> Iterator[Capture | Skipped | Problem]:
    """The HTML responses of the WARC at `path` (a local path or an fsspec URL) whose URL is
    `wanted`; other responses and revisits as Skipped; a damaged file ends with a Problem."""
    try:
        with fsspec.open(path, "rb") as stream:
            gzipped = stream.read(2) == _GZIP_MAGIC  # by content, whatever the name says
            stream.seek(0)
            yield from _read(path, stream, gzipped, wanted)
    except OSError as error:  # opening or peeking: _read reports the file's own faults
        yield Problem(path, f"cannot read: {error.strerror or error}")


def _read(
    path: str, stream: BinaryIO, gzipped: bool, wanted: Callable[[str], bool]
) -> Iterator[Capture | Skipped | Problem]:
    source = GzipReader(stream) if gzipped else stream
    # HTTP headers are parsed per record, only for the responses wanted (see _one).
    records = ArchiveIterator(source, parse_http=False, stream_detect=False)
    seen = 0
    try:
        for seen, record in enumerate(records, 1):  # noqa: B007 (counted for below)
            item = _checked(record, wanted)
            if isinstance(item, Problem):
                yield Problem(path, item.message)
                return
            if item is not None:
                yield item
        truncated = gzipped and _ends_inside_member(stream, source.frame_start_position())
    # FastWARC raises OSError on bytes it cannot parse (an invalid WARC header, a gzip data
    # error); zlib.error comes from the tail check: all mean the rest cannot be read.
    except Exception as error:  # noqa: BLE001
        what = "corrupt record" if seen else "corrupt: not a WARC file?"
        yield Problem(path, f"{what} ({type(error).__name__}: {error})")
        return
    if not seen:
        yield Problem(path, "no WARC records in it (not a WARC file?)")
    elif truncated:
        yield Problem(path, "the file is truncated (its last gzip member is cut)")


def _checked(
    record: WarcRecord, wanted: Callable[[str], bool]
) -> Capture | Skipped | Problem | None:
    """The record's item, or a Problem if the file ends inside the record: checked before
    its item is given, as a cut file's last record may have a cut URL or status line."""
    item = _one(record, wanted)
    if not isinstance(item, Problem) and _cut_short(record):
        return Problem("", f"the file is truncated: {_which(record)} is cut short")
    return item


def _cut_short(record: WarcRecord) -> bool:
    """Whether the record's block ends before its Content-Length, or its headers before a
    whole Content-Length: FastWARC gives the end of a cut file as a record like any other."""
    record.consume()  # what the iterator would skip anyway, counted here
    declared = record.headers.get_bytes(WarcHeader.CONTENT_LENGTH) or b""
    return not declared.strip().isdigit() or record.reader.tell() < record.content_length


def _which(record: WarcRecord) -> str:
    url = _target_uri(record)
    return f"the record of {url}" if url else "its last record"


def _ends_inside_member(stream: BinaryIO, start: int | None) -> bool:
    """Whether the file stops inside a gzip member. FastWARC takes a cut member for a whole
    one, so the members from the last one it began (`start`) are inflated again here: one
    record's worth for a gzip-per-record WARC, the whole file for a single-member one."""
    if start is None:
        return False
    stream.seek(start)
    inflater = None
    while data := stream.read(_CHUNK):
        while data:
            if inflater is None or inflater.eof:
                inflater = zlib.decompressobj(_GZIP_WBITS)
            inflater.decompress(data, _CHUNK)  # bounded output: only the end state matters
            data = inflater.unconsumed_tail or inflater.unused_data
    return inflater is not None and not inflater.eof


def _one(record: WarcRecord, wanted: Callable[[str], bool]) -> Capture | Skipped | Problem | None:
    kind = record.record_type
    if kind != _RESPONSE and kind != _REVISIT:
        if kind == _NO_TYPE:
            # FastWARC ends a header line at CRLF only: a bare LF merges two lines.
            return Problem("", "corrupt: a record without a WARC-Type (bare LF line ends?)")
        return None
    url = _target_uri(record)
    if not _SCHEME.match(url):
        return Problem("", "corrupt: a response record without a target URI")
    if not wanted(url):
        return None
    if kind == _REVISIT:
        return Skipped(url, "revisit record (no payload)")
    if not url.startswith(_HTTP_SCHEMES) or not record.content_length:
        return None  # a response to dns: or whois:, or an empty one: no HTTP exchange (as warcio)
    # As warcio, the URL's scheme says HTTP whatever the WARC Content-Type; quirks: bare LFs.
    record.is_http = True
    record.parse_http(quirks_mode=True, max_header_len=_MAX_HTTP_HEADERS)
    http = [(_text(name), _text(value)) for name, value in record.http_headers.items_bytes()]
    status = record.http_headers.status_code or 0
    content_type = (_header(http, "content-type") or "").split(";")[0].strip().lower()
    if status != 200:
        return Skipped(url, f"HTTP {status}")
    if content_type not in PAGE_TYPES:
        return Skipped(url, f"not an HTML page ({content_type})")
    return _capture(record, url, http, content_type)


def _capture(record: WarcRecord, url: str, http: Headers, content_type: str) -> Capture | Skipped:
    content = _payload(record, http).read(MAX_PAGE_BYTES + 1)
    if len(content) > MAX_PAGE_BYTES:
        return Skipped(url, f"page larger than {MAX_PAGE_BYTES // 2**20} MB")
    charset = _CHARSET.search(_header(http, "content-type") or "")
    return Capture(
        url, content, iso_date(_warc_header(record, WarcHeader.WARC_DATE)) or "", 200, http,
        _warc_header(record, WarcHeader.WARC_IP_ADDRESS), None, content_type or "text/html",
        charset.group(1) if charset else None,
    )  # fmt: skip


def _payload(record: WarcRecord, http: Headers) -> BufferedReader | WarcRecordPayloadReader:
    """The HTTP payload de-chunked and decompressed exactly as warcio's content_stream() does
    (its readers, with their fallbacks for a server that lied about the encoding)."""
    encoding = (_header(http, "content-encoding") or "").lower()
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    if _header(http, "transfer-encoding") == "chunked":
        return ChunkedDataReader(record.reader, decomp_type=encoding)
    return BufferedReader(record.reader, decomp_type=encoding) if encoding else record.reader


def _target_uri(record: WarcRecord) -> str:
    """WARC-Target-URI as warcio reads it: <…> unwrapped (wget 1.19 wrote them), spaces
    escaped."""
    uri = (_warc_header(record, WarcHeader.WARC_TARGET_URI) or "").strip()
    if uri.startswith("<") and uri.endswith(">"):
        uri = uri[1:-1]
    return uri.replace(" ", "%20")


def _warc_header(record: WarcRecord, name: WarcHeader) -> str | None:
    value = record.headers.get_bytes(name)
    return None if value is None else _text(value)


def _header(headers: Headers, name: str) -> str | None:
    """The first header of that (lower-case) name, as warcio's get_header."""
    return next((value for key, value in headers if key.lower() == name), None)


def _text(raw: bytes) -> str:
    """Header bytes decoded as warcio does: UTF-8, else Latin-1 (which never fails)."""
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw.decode("latin-1")
