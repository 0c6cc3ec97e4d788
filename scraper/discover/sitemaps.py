"""Sitemaps: <urlset> (with Google News <news:news>), <sitemapindex>, gzipped files, and the
Sitemap: lines of robots.txt.

Parsed with defusedxml (no DTDs, no entity expansion, never a fetch of its own): the sitemap
protocol is small enough that a parser library would add only its own HTTP client, which must
not bypass our politeness.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from scraper.discover.model import DiscoverError, Found
from scraper.fetch.urls import BadURL, canonical_url

MAX_UNCOMPRESSED = 50 * 2**20  # the sitemap protocol's own limit for one file
GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class Sitemap:
    urls: list[Found] = field(default_factory=list)
    children: list[Found] = field(default_factory=list)  # sitemaps an index points to


def gunzip(content: bytes, limit: int = MAX_UNCOMPRESSED) -> bytes:
    """A .xml.gz body, decompressed under a cap (a gzip bomb stops at `limit`)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise DiscoverError(f"corrupt gzip sitemap ({error})") from None
    if len(data) > limit:
        raise DiscoverError(f"sitemap larger than {limit // 2**20} MB once decompressed")
    return data


def parse_sitemap(content: bytes) -> Sitemap:
    """The URLs (with news date or lastmod) of a urlset, or the child sitemaps of an index."""
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise DiscoverError(f"not a readable sitemap ({error})") from None
    sitemap = Sitemap()
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoverError(f"not a sitemap (root element <{kind}>)")
    target = sitemap.urls if kind == "urlset" else sitemap.children
    for entry in root:
        found = _entry(entry)
        if found:
            target.append(found)
    return sitemap


def robots_sitemaps(text: str) -> list[str]:
    """The URLs of robots.txt's `Sitemap:` lines (any case), in order."""
    urls = []
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            urls.append(value.split("#")[0].strip())
    return urls


def _entry(entry: Element) -> Found | None:
    """One <url> or <sitemap>: its loc, dated by news:publication_date, else lastmod."""
    fields = {_local(child.tag): child for child in entry}
    loc = (fields.get("loc").text or "").strip() if "loc" in fields else ""
    try:
        url = canonical_url(loc)
    except BadURL:
        return None
    news_date = None
    if "news" in fields:
        news = {_local(child.tag): (child.text or "").strip() for child in fields["news"]}
        news_date = news.get("publication_date")
    lastmod = (fields["lastmod"].text or "").strip() if "lastmod" in fields else None
    return Found(url, news_date or lastmod or None)


def _local(tag: object) -> str:
    """'{http://www.sitemaps.org/schemas/sitemap/0.9}urlset' -> 'urlset'."""
    return str(tag).rpartition("}")[2]
