"""Polite, robust HTTP fetching with httpx (async).

Politeness: a per-host limit on parallel requests and a minimum delay between request starts to
one host (robots.txt Crawl-delay raises it), robots.txt obeyed, an honest User-Agent.
Robustness: connect/read/total timeouts; retries with exponential backoff and jitter on
connection errors, timeouts, 429 and 5xx, honouring Retry-After; redirects followed by hand so
loops are named; bodies streamed under a size cap and decompressed under a second cap, so a
gzip bomb costs nothing; non-HTML bodies are refused before they are read.
"""

from __future__ import annotations

import asyncio
import math
import random
import ssl
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from scraper.clock import now_iso
from scraper.fetch.robots import RobotsCache
from scraper.version import __version__

USER_AGENT = f"scraper/{__version__} (Chinese news archiver; python-httpx)"
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})
# Feeds and sitemaps (discovery) come as XML, and a sitemap.xml.gz as a gzip file.
FEED_TYPES = PAGE_TYPES | frozenset(
    {
        "application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
        "application/rdf+xml", "application/gzip", "application/x-gzip",
        "application/octet-stream",
    }
)  # fmt: skip
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


@dataclass(frozen=True)
class FetchSettings:
    concurrency: int = 8
    per_host: int = 2
    delay: float = 1.0  # seconds between request starts to one host
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # one attempt, redirects included
    retries: int = 3
    backoff: float = 1.0  # first retry waits about this long, doubling each time
    max_retry_after: float = 600.0  # seconds; a longer Retry-After fails the URL at once
    max_bytes: int = 10 * 1024 * 1024  # on the wire
    max_decoded_bytes: int = 10 * 1024 * 1024  # after gzip/deflate
    max_redirects: int = 10
    user_agent: str = USER_AGENT
    obey_robots: bool = True


class FetchError(Exception):
    """A page that could not be fetched; `stage` says where, the message is one line."""

    def __init__(
        self, message: str, stage: str = "fetch", attempts: int = 1, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.stage = stage
        self.attempts = attempts
        self.status = status  # the HTTP status that ended it, if any (a re-check reads 404/410)


class NotAPage(FetchError):
    """The URL serves something other than HTML/text (a PDF, an image): skipped, not failed."""

    def __init__(self, content_type: str) -> None:
        super().__init__(f"not an HTML page ({content_type})", stage="content-type")


class _Retryable(Exception):
    def __init__(
        self, message: str, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


@dataclass
class FetchedPage:
    url: str  # after redirects
    content: bytes
    content_type: str
    charset: str | None
    fetched_at: str
    etag: str | None = None  # validators, for a later conditional request
    last_modified: str | None = None
    not_modified: bool = False  # a 304 answer to a conditional request: no content
    # Provenance, so a capture can be proven and written out as WARC records later.
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)  # as received, in order
    server_ip: str | None = None
    request_headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Request:
    """What to ask for beyond the URL: the content types accepted, and validators (ETag,
    Last-Modified) that turn the GET into a conditional one."""

    accept: frozenset[str] = PAGE_TYPES
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        conditional = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in conditional.items() if value}


PLAIN = Request()


class _HostGate:
    """At most `per_host` requests in flight to one host, starts at least `delay` apart."""

    def __init__(self, per_host: int) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait_turn(self, delay: float) -> None:
        async with self.lock:
            wait = self.next_start - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_start = time.monotonic() + delay


class Fetcher:
    """`async with Fetcher(settings) as f: page = await f.fetch(url)`."""

    MAX_OPEN_CLIENTS = 64  # hosts whose keep-alive connections stay open at once

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._gates: dict[str, _HostGate] = {}
        self._clients: OrderedDict[str, httpx.AsyncClient] = OrderedDict()
        self._tls = ssl.create_default_context()  # shared: each context costs about 1 MB
        self._slots = asyncio.Semaphore(self.settings.concurrency)  # requests in flight, in all
        self._robots = RobotsCache(self._get_text, self.settings.user_agent)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        while self._clients:
            await self._clients.popitem()[1].aclose()

    async def _client(self, url: str) -> httpx.AsyncClient:
        """One small client per host: httpx scans its whole pool on every request, so many
        small pools are much cheaper than one big one, and keep-alive still works per host."""
        host = _host(url)
        client = self._clients.get(host)
        if client is not None:
            self._clients.move_to_end(host)
            return client
        if len(self._clients) >= self.MAX_OPEN_CLIENTS:
            await self._clients.popitem(last=False)[1].aclose()
        s = self.settings
        client = httpx.AsyncClient(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            limits=httpx.Limits(
                max_connections=s.per_host + 1, max_keepalive_connections=s.per_host + 1
            ),
            follow_redirects=False,
            verify=self._tls,
        )
        self._clients[host] = client
        return client

    async def fetch(self, url: str, request: Request = PLAIN) -> FetchedPage:
        """The page at `url`, retried as configured; raises FetchError (or NotAPage)."""
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return await asyncio.wait_for(
                    self._follow(url, request), self.settings.total_timeout
                )
            except FetchError as error:
                error.attempts = attempt
                raise
            except (_Retryable, httpx.TransportError, asyncio.TimeoutError) as error:
                message = _describe(error)
                retry_after = getattr(error, "retry_after", None)
                if retry_after is not None and retry_after > self.settings.max_retry_after:
                    # Waiting would hold one of the run's slots for that long: fail it now,
                    # --retry-failed takes it up later.
                    message += f", retry after {_duration(retry_after)}"
                    raise FetchError(message, stage="http", attempts=attempt) from None
                if attempt == attempts:
                    status = getattr(error, "status", None)
                    raise FetchError(message, attempts=attempt, status=status) from None
                await asyncio.sleep(self._backoff(attempt, retry_after))
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        base = self.settings.backoff * 2 ** (attempt - 1)
        return base * (0.5 + random.random())  # jitter: retries from many tasks do not align

    async def _follow(self, url: str, request: Request) -> FetchedPage:
        visited = [url]
        current = url
        for _ in range(self.settings.max_redirects + 1):
            page_or_next = await self._request(current, request)
            if isinstance(page_or_next, FetchedPage):
                return page_or_next
            current = page_or_next
            if current in visited:
                raise FetchError(f"redirect loop at {current}")
            visited.append(current)
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    async def _request(self, url: str, request: Request) -> FetchedPage | str:
        """One GET under the host's politeness gate: the page, or the redirect target."""
        delay = self.settings.delay
        if self.settings.obey_robots:
            verdict = await self._robots.check(url)
            if not verdict.allowed:
                raise FetchError(verdict.reason or "disallowed by robots.txt", stage="robots")
            delay = max(delay, verdict.crawl_delay or 0.0)
        gate = self._gates.setdefault(_host(url), _HostGate(self.settings.per_host))
        async with gate.slots, self._slots:  # the host's slot first: waiting on a busy host
            await gate.wait_turn(delay)  # must not hold one of the run's global slots
            return await self._get(url, request)

    async def _get(self, url: str, request: Request) -> FetchedPage | str:
        client = await self._client(url)
        try:
            get = client.build_request("GET", url, headers=request.headers())
            response = await client.send(get, stream=True)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise FetchError(f"bad URL: {error}", stage="url") from None
        try:
            return await self._handle(url, response, request.accept)
        finally:
            await response.aclose()

    async def _handle(
        self, url: str, response: httpx.Response, accept: frozenset[str]
    ) -> FetchedPage | str:
        status = response.status_code
        validators = _validators(response)
        if status == 304:
            return FetchedPage(url, b"", "", None, now_iso(), *validators, not_modified=True)
        if status in (301, 302, 303, 307, 308) and response.headers.get("location"):
            return urljoin(url, response.headers["location"])
        if status in RETRY_STATUSES:
            raise _Retryable(f"HTTP {status}", _retry_after(response), status)
        if status >= 400:
            raise FetchError(f"HTTP {status}", stage="http", status=status)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in accept:
            raise NotAPage(content_type)
        fetched_at = now_iso()
        content = await self._read_body(response)
        return FetchedPage(
            url, content, content_type or "text/html", response.charset_encoding, fetched_at,
            *validators, status=status, headers=_as_sent(response.headers),
            server_ip=_server_ip(response), request_headers=_as_sent(response.request.headers),
        )  # fmt: skip

    async def _read_body(self, response: httpx.Response) -> bytes:
        s = self.settings
        too_big = FetchError(f"page larger than {s.max_bytes // 2**20} MB", stage="size")
        if int(response.headers.get("content-length") or 0) > s.max_bytes:
            raise too_big
        decoder = _Decompressor(response.headers.get("content-encoding", ""), s.max_decoded_bytes)
        received = 0
        parts: list[bytes] = []
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > s.max_bytes:
                raise too_big
            parts.append(decoder.feed(chunk))
        parts.append(decoder.finish())
        return b"".join(parts)

    async def _get_text(self, url: str) -> tuple[int, str]:
        """robots.txt: fetched with the same client, timeouts and caps, but no robots check."""
        client = await self._client(url)
        request = client.build_request("GET", url)
        response = await client.send(request, stream=True, follow_redirects=True)
        try:
            body = await self._read_body(response) if response.status_code < 400 else b""
        finally:
            await response.aclose()
        return response.status_code, body.decode("utf-8", "replace")


class _Decompressor:
    """gzip/deflate decoding with a hard cap on output, checked as the bytes arrive."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"unsupported Content-Encoding {encoding!r}", stage="encoding")
        self.limit = limit
        self.size = 0
        # wbits 47 reads both gzip and zlib headers; raw deflate is handled on first failure.
        self.inflater = zlib.decompressobj(47) if encoding not in ("", "identity") else None
        self.raw_deflate = encoding == "deflate"

    def feed(self, chunk: bytes) -> bytes:
        if self.inflater is None:
            return self._count(chunk)
        try:
            out = self.inflater.decompress(chunk, self.limit - self.size + 1)
        except zlib.error:
            if not (self.raw_deflate and self.size == 0):
                raise FetchError("corrupt compressed body", stage="encoding") from None
            self.inflater, self.raw_deflate = zlib.decompressobj(-zlib.MAX_WBITS), False
            out = self.inflater.decompress(chunk, self.limit - self.size + 1)
        if self.inflater.unconsumed_tail:  # more output pending than the cap allows
            raise self._too_big()
        return self._count(out)

    def finish(self) -> bytes:
        return self._count(self.inflater.flush()) if self.inflater else b""

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise self._too_big()
        return data

    def _too_big(self) -> FetchError:
        return FetchError(f"page larger than {self.limit // 2**20} MB once decompressed", "size")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _validators(response: httpx.Response) -> tuple[str | None, str | None]:
    """ETag and Last-Modified, for the next check's conditional request."""
    return response.headers.get("etag"), response.headers.get("last-modified")


def _as_sent(headers: httpx.Headers) -> list[tuple[str, str]]:
    """Headers with their original spelling (httpx's items are lower-cased)."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers.raw]


def _server_ip(response: httpx.Response) -> str | None:
    """The peer's address, read from the connection while the response is still open."""
    stream = response.extensions.get("network_stream")
    address = stream.get_extra_info("server_addr") if stream is not None else None
    return str(address[0]) if address else None


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _duration(seconds: float) -> str:
    """'45 s', '12 min', '3 h' (rounded up: a server's wait is a minimum)."""
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds >= 2 * size:
            return f"{math.ceil(seconds / size)} {unit}"
    return f"{math.ceil(seconds)} s"


def _describe(error: BaseException) -> str:
    if isinstance(error, (asyncio.TimeoutError, httpx.TimeoutException)):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect ({error})" if str(error) else "cannot connect"
    return str(error) or type(error).__name__
