"""Discover the article URLs of sources, through the project's polite Fetcher.

A source's kind is given (--kind) or read from what it serves: a gzip or XML sitemap, a feed,
robots.txt, or an HTML page (a list page; with --kind feed, the feeds it announces; with
--kind sitemap, its site's sitemaps). A URL with {YYYY}/{MM}/{DD} is an edition template.
Every source is tried on its own: one that fails gives its error and the others carry on.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

from scraper.clock import now_iso
from scraper.discover import editions, feeds, listpage, sitemaps
from scraper.discover.model import DiscoverError, Found, SourceResult, on_or_after
from scraper.fetch.decode import decode_page
from scraper.fetch.engine import (
    FEED_TYPES,
    FetchedPage,
    Fetcher,
    FetchError,
    FetchSettings,
    Request,
)
from scraper.fetch.urls import BadURL, canonical_url

MAX_SITEMAP_DEPTH = 3  # index -> index -> urlset is as deep as real sites go
MAX_SITEMAPS = 200  # sitemaps read per source
_ROOT_TAG = re.compile(rb"<([A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)")
_SITEMAP_ROOTS = frozenset({b"urlset", b"sitemapindex"})
_FEED_ROOTS = frozenset({b"rss", b"feed", b"RDF", b"channel"})


@dataclass(frozen=True)
class DiscoverOptions:
    kind: str | None = None  # feed | sitemap | page | edition; None: read from the content
    since: date | None = None  # dated entries older than this are left out; editions start here
    until: date | None = None  # editions end here (default: today)
    pages: int = 1  # list pages read per list: 1 is the page itself, N follows its pager


@dataclass(frozen=True)
class Job:
    """One source to read, how, and (for a kept source) the validators of its last answer."""

    source: str
    options: DiscoverOptions = DiscoverOptions()
    request: Request | None = None


async def discover_jobs(fetcher: Fetcher, jobs: list[Job]) -> list[SourceResult]:
    """Every job's result, in the order given; sources are read concurrently (the Fetcher
    keeps each host's politeness)."""
    runs = [_Discovery(fetcher, job.options).run(job.source, job.request) for job in jobs]
    return list(await asyncio.gather(*runs))


def article_urls(results: list[SourceResult]) -> list[str]:
    """The URLs of all results, in order, each once."""
    return list(dict.fromkeys(found.url for result in results for found in result.found))


class _Discovery:
    """One source's walk: the fetches it needs, and the sitemaps already read."""

    def __init__(self, fetcher: Fetcher, options: DiscoverOptions) -> None:
        self.fetcher = fetcher
        self.options = options
        self.sitemaps_read = 0
        self.result = SourceResult("")
        self.home = ""  # the source's own canonical URL

    async def run(self, source: str, request: Request | None) -> SourceResult:
        self.result = SourceResult(source.strip(), self.options.kind)
        try:
            found = await self._source(self.result.source, request)
        except (FetchError, DiscoverError, BadURL) as error:
            self.result.error = str(error)
            return self.result
        except Exception as error:  # a page no parser expected fails its source, not the run
            self.result.error = f"unexpected {type(error).__name__}: {error}"
            return self.result
        since = self.options.since
        unique: dict[str, Found] = {}
        for entry in found:
            if on_or_after(entry, since):
                unique.setdefault(entry.url, entry)  # the first mention keeps its place
        self.result.found = list(unique.values())
        return self.result

    async def _source(self, source: str, request: Request | None) -> list[Found]:
        kind = self.options.kind
        if kind == "edition" or (kind is None and editions.is_template(source)):
            self.result.kind = "edition"
            return await self._editions(source)
        url = self.home = canonical_url(source)
        if kind == "sitemap" and urlsplit(url).path == "/":
            return await self._site_sitemaps(url)
        page = await self._fetch(url, request)
        self.result.etag, self.result.last_modified = page.etag, page.last_modified
        if page.not_modified:
            self.result.not_modified = True
            return []
        content = _body(page)
        self.result.kind = kind = kind or _sniff(content, page.url)
        if kind == "sitemap":
            return await self._sitemap_source(page.url, content)
        if kind == "feed":
            return await self._feed_source(page, content)
        return await self._list_pages(page.url, _html(page, content))

    async def _fetch(self, url: str, request: Request | None = None) -> FetchedPage:
        """The page; an error on a page other than the source itself names that page."""
        try:
            return await self.fetcher.fetch(url, request or Request(FEED_TYPES))
        except FetchError as error:
            if url == self.home:
                raise
            raise FetchError(f"{url}: {error}", error.stage, error.attempts) from None

    # -- feeds ---------------------------------------------------------------------------------

    async def _feed_source(self, page: FetchedPage, content: bytes) -> list[Found]:
        if feeds.is_feed(content):
            return feeds.parse_feed(content, page.url, page.content_type)
        links = feeds.feed_links(_html(page, content), page.url)
        if not links:
            raise DiscoverError(f"no feed at {page.url} (and the page announces none)")
        found: list[Found] = []
        for link in links:
            feed = await self._fetch(link)
            found += feeds.parse_feed(_body(feed), feed.url, feed.content_type)
        return found

    # -- sitemaps ------------------------------------------------------------------------------

    async def _sitemap_source(self, url: str, content: bytes) -> list[Found]:
        if _root(content) in _SITEMAP_ROOTS:
            return await self._sitemap_tree(content, 0)
        if urlsplit(url).path.endswith("robots.txt"):
            return await self._sitemaps(
                sitemaps.robots_sitemaps(content.decode("utf-8", "replace"))
            )
        return await self._site_sitemaps(url)

    async def _site_sitemaps(self, url: str) -> list[Found]:
        """A site's sitemaps: those its robots.txt names, else /sitemap.xml."""
        try:
            robots = await self._fetch(urljoin(url, "/robots.txt"))
            named = sitemaps.robots_sitemaps(_body(robots).decode("utf-8", "replace"))
        except FetchError:
            named = []
        return await self._sitemaps(named or [urljoin(url, "/sitemap.xml")])

    async def _sitemaps(self, urls: list[str]) -> list[Found]:
        found: list[Found] = []
        for url in urls:
            page = await self._fetch(url)
            found += await self._sitemap_tree(_body(page), 0)
        return found

    async def _sitemap_tree(self, content: bytes, depth: int) -> list[Found]:
        """A urlset's URLs, or the URLs of an index's children, skipping children whose lastmod
        is before --since and those that fail (noted as problems: the others still count)."""
        self.sitemaps_read += 1
        sitemap = sitemaps.parse_sitemap(content)
        found = list(sitemap.urls)
        for child in sitemap.children:
            if not on_or_after(child, self.options.since):
                continue
            if depth >= MAX_SITEMAP_DEPTH or self.sitemaps_read >= MAX_SITEMAPS:
                break
            try:
                page = await self._fetch(child.url)
                found += await self._sitemap_tree(_body(page), depth + 1)
            except FetchError as error:  # it names the page
                self.result.problems.append(str(error))
            except DiscoverError as error:
                self.result.problems.append(f"{child.url}: {error}")
        return found

    # -- list pages and editions ---------------------------------------------------------------

    async def _list_pages(self, url: str, html: str) -> list[Found]:
        """The page's article links, then those of its next pages (up to --pages in all)."""
        found = listpage.article_links(html, url)
        for _ in range(self.options.pages - 1):
            following = listpage.next_list_page(html, url)
            if not following:
                break
            page = await self._fetch(following, Request())
            url, html = page.url, _html(page, page.content)
            found += listpage.article_links(html, url)
        return found

    async def _editions(self, template: str) -> list[Found]:
        """Every day's edition page read as a list page; a missing day (404) is a problem noted,
        not a failure, unless no day could be read at all."""
        today = date.fromisoformat(now_iso()[:10])
        first = self.options.since or today
        urls = editions.edition_urls(template, first, self.options.until or max(first, today))
        found: list[Found] = []
        for url in urls:
            try:
                page = await self._fetch(canonical_url(url), Request())
            except FetchError as error:  # it names the page
                self.result.problems.append(str(error))
                continue
            found += await self._list_pages(page.url, _html(page, page.content))
        if len(self.result.problems) == len(urls):
            raise DiscoverError(f"no edition could be read ({self.result.problems[0]})")
        return found


def _body(page: FetchedPage) -> bytes:
    """The page's bytes, gunzipped when it is a .xml.gz (gzip data served as a file)."""
    content = page.content
    return sitemaps.gunzip(content) if content[:2] == sitemaps.GZIP_MAGIC else content


def _html(page: FetchedPage, content: bytes) -> str:
    return decode_page(content, page.charset).text


def _root(content: bytes) -> bytes | None:
    """The first element's local name, skipping the XML declaration, comments and doctype."""
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<![^>]*>", b"", content[:4096], flags=re.S)
    match = _ROOT_TAG.search(head)
    return match.group(2) if match else None


def _sniff(content: bytes, url: str) -> str:
    root = _root(content)
    if root in _SITEMAP_ROOTS or urlsplit(url).path.endswith("robots.txt"):
        return "sitemap"
    return "feed" if root in _FEED_ROOTS else "page"


def discover(
    sources: list[str], options: DiscoverOptions, settings: FetchSettings
) -> list[SourceResult]:
    """The sources read alike, with a Fetcher of its own (for callers outside an event loop)."""
    jobs = [Job(source, options) for source in sources]

    async def main() -> list[SourceResult]:
        async with Fetcher(settings) as fetcher:
            return await discover_jobs(fetcher, jobs)

    return asyncio.run(main())
