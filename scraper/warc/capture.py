"""One HTTP capture as WARC sees it: the exchange, its provenance and the page's bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from scraper.fetch.engine import FetchedPage


@dataclass
class Capture:
    url: str
    content: bytes  # the payload, without transfer or content encoding
    fetched_at: str  # ISO 8601, UTC
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)  # HTTP response headers
    server_ip: str | None = None
    request_headers: list[tuple[str, str]] | None = None  # None: no request record
    content_type: str = "text/html"
    charset: str | None = None


def capture_of(page: FetchedPage) -> Capture:
    """A fetched page as a capture (its bytes already decompressed by the fetcher)."""
    return Capture(
        page.url, page.content, page.fetched_at, page.status, page.headers, page.server_ip,
        page.request_headers, page.content_type, page.charset,
    )  # fmt: skip


def warc_date(iso: str) -> str:
    """An ISO 8601 time as WARC-Date wants it: UTC with a Z."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_date(warc_date_value: str | None) -> str | None:
    """WARC-Date as the archive stamps times (ISO 8601 with +00:00)."""
    if not warc_date_value:
        return None
    try:
        moment = datetime.fromisoformat(warc_date_value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")
