"""Fetch one page over HTTP(S) with httpx: honest User-Agent, timeouts, redirect and size caps."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from scraper import __version__
from scraper.store import now_iso

USER_AGENT = f"scraper/{__version__} (Chinese news archiver; +https://pypi.org/project/scraper/)"
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_REDIRECTS = 10
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


class FetchError(Exception):
    """A page could not be fetched; the message is one line for the run summary."""


@dataclass
class FetchedPage:
    url: str  # after redirects
    content: bytes
    content_type: str
    charset: str | None
    fetched_at: str


def fetch(url: str, client: httpx.Client | None = None) -> FetchedPage:
    """GET `url`, refusing non-HTML bodies and bodies over MAX_BYTES (decompressed)."""
    own_client = client is None
    client = client or new_client()
    try:
        return _get(client, url)
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise FetchError("timed out") from None
    except httpx.InvalidURL as error:
        raise FetchError(f"bad URL: {error}") from None
    except httpx.HTTPError as error:
        raise FetchError(f"{type(error).__name__}: {error}") from None
    finally:
        if own_client:
            client.close()


def new_client() -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=TIMEOUT,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
    )


def _get(client: httpx.Client, url: str) -> FetchedPage:
    with client.stream("GET", url) as response:
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in HTML_TYPES:
            raise FetchError(f"not an HTML page ({content_type})")
        body = bytearray()
        for chunk in response.iter_bytes():  # decompressed chunks: this also caps gzip bombs
            body += chunk
            if len(body) > MAX_BYTES:
                raise FetchError(f"page larger than {MAX_BYTES // (1024 * 1024)} MB")
        return FetchedPage(
            url=str(response.url),
            content=bytes(body),
            content_type=content_type or "text/html",
            charset=response.charset_encoding,
            fetched_at=now_iso(),
        )
