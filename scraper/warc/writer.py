"""Writing WARC/1.1: each capture as a request and a response record, gzip per record.

warcio's `capture_http` only sees the `requests`/`http.client` stack, not httpx, so the records
are made here from what the fetcher kept: the payload it decoded, the headers as received, the
server's address. The payload is stored decoded, so the headers that described the wire form
(Content-Encoding, Transfer-Encoding, Content-Length) are renamed X-Archive-Orig-* and a true
Content-Length is set, as pywb does when it writes what it fetched.
"""

from __future__ import annotations

import io
import os
import uuid
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.clock import now_iso
from scraper.version import __version__
from scraper.warc.capture import Capture, warc_date

ROTATE_BYTES = 1_000_000_000  # ~1 GB per file, the size crawlers and replay tools expect
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}


def response_headers(capture: Capture) -> StatusAndHeaders:
    """The response's status line and headers, describing the payload as stored."""
    headers = [
        (f"X-Archive-Orig-{name}" if name.lower() in _WIRE_HEADERS else name, value)
        for name, value in capture.headers
    ] or [("Content-Type", _content_type(capture))]
    headers.append(("Content-Length", str(len(capture.content))))
    status = f"{capture.status} {_REASONS.get(capture.status, 'Status')}"
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def _content_type(capture: Capture) -> str:
    charset = f"; charset={capture.charset}" if capture.charset else ""
    return f"{capture.content_type}{charset}"


def request_headers(capture: Capture) -> StatusAndHeaders:
    parts = urlsplit(capture.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = list(capture.request_headers or [])
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)


def write_capture(writer: WARCWriter, capture: Capture) -> None:
    """The response record, and the request record (when the request is known) naming it in
    WARC-Concurrent-To; warcio adds WARC-Payload-Digest and WARC-Block-Digest."""
    date = warc_date(capture.fetched_at)
    warc_headers = {"WARC-Date": date}
    if capture.server_ip:
        warc_headers["WARC-IP-Address"] = capture.server_ip
    response = writer.create_warc_record(
        capture.url, "response", payload=io.BytesIO(capture.content),
        length=len(capture.content), http_headers=response_headers(capture),
        warc_headers_dict=warc_headers,
    )  # fmt: skip
    writer.write_record(response)
    if capture.request_headers is None:
        return
    concurrent = {"WARC-Date": date,
                  "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")}  # fmt: skip
    request = writer.create_warc_record(
        capture.url, "request", payload=io.BytesIO(b""), length=0,
        http_headers=request_headers(capture), warc_headers_dict=concurrent,
    )  # fmt: skip
    writer.write_record(request)


def new_writer(stream: BinaryIO, filename: str) -> WARCWriter:
    """A gzip-per-record WARC/1.1 writer, its file opened by a warcinfo record."""
    writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")
    info = {"software": f"scraper/{__version__}", "format": "WARC File Format 1.1"}
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return writer


class RotatingWarcs:
    """WARC files in a folder, a new one begun once the current one passes `rotate_bytes`."""

    def __init__(self, directory: str | Path, rotate_bytes: int = ROTATE_BYTES) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.rotate_bytes = rotate_bytes
        self.prefix = f"scraper-{now_iso()[:19].replace(':', '').replace('-', '')}"
        self.prefix += f"-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.serial = 0
        self.stream: BinaryIO | None = None
        self.writer: WARCWriter | None = None

    def write(self, capture: Capture) -> None:
        if self.stream is None or self.stream.tell() >= self.rotate_bytes:
            self._next_file()
        write_capture(self.writer, capture)
        self.stream.flush()  # a killed run leaves whole records behind

    def _next_file(self) -> None:
        self.close()
        name = f"{self.prefix}-{self.serial:05d}.warc.gz"
        self.serial += 1
        self.stream = open(self.directory / name, "wb")  # noqa: SIM115 (kept open across writes)
        self.writer = new_writer(self.stream, name)

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None

    def __enter__(self) -> RotatingWarcs:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
