"""One input's pages outside the run's loop: a saved page read from disk within the size a
fetched one may have, and the URLs an article fetched over several pages is known by."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from scraper.fetch.engine import FetchedPage, FetchError
from scraper.fetch.urls import BadURL, canonical_url
from scraper.pipeline.workers import PageResult
from scraper.store.raw_pages import RawPage


def urls_of_article(item: str, raws: list[RawPage]) -> dict[str, int]:
    """URL -> page number for every URL of the article, page 1's final URL first (its key)."""
    known_by = {canonical_or_same(raw.url): number for number, raw in enumerate(raws, 1)}
    known_by.setdefault(item, 1)
    return known_by


def canonical_or_same(url: str) -> str:
    try:
        return canonical_url(url)
    except BadURL:
        return url


def read_local_page(item: str, url: str | None, max_bytes: int) -> FetchedPage:
    """A saved page, refused above the size a fetched one may have (a 30 MB page would take
    gigabytes to parse)."""
    path = Path(item)
    try:
        if path.stat().st_size > max_bytes:
            raise FetchError(f"page larger than {max_bytes / 2**20:g} MB", stage="size")
        content = path.read_bytes()
    except OSError as error:
        reason = "no such file, and not an http(s) URL" if not path.exists() else error.strerror
        raise FetchError(str(reason), stage="read") from None
    kind = "text/plain" if path.suffix.lower() == ".txt" else "text/html"
    return FetchedPage(url or path.resolve().as_uri(), content, kind, None, _mtime_iso(path))


def _mtime_iso(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")


def raw_page_of(page: FetchedPage, result: PageResult) -> RawPage:
    """What is stored of a fetched page: its bytes and, for a URL, the capture's provenance."""
    fetched = bool(page.headers)  # a saved page from disk has no HTTP exchange
    return RawPage(
        page.url, page.content, page.content_type, result.encoding, page.fetched_at,
        result.packed, page.status if fetched else None, page.headers if fetched else None,
        page.server_ip,
    )  # fmt: skip
