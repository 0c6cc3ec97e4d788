"""Feeds: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom, parsed by feedparser from bytes we fetched.

feedparser is only ever given bytes: given a string it may treat it as a URL or a file name and
fetch it itself, bypassing our politeness. It reads the XML declaration's charset (GBK feeds).
"""

from __future__ import annotations

import time
from urllib.parse import urljoin

import feedparser
from selectolax.lexbor import LexborHTMLParser

from scraper.discover.model import Found
from scraper.fetch.urls import BadURL, canonical_url

FEED_LINK_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                             "application/xml", "text/xml"})  # fmt: skip


def parse_feed(content: bytes, url: str, content_type: str = "") -> list[Found]:
    """The feed's entries, in feed order: link and date (published, else updated)."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers)
    found = []
    for entry in parsed.entries:
        link = _entry_link(entry, url)
        if link:
            found.append(Found(link, _entry_date(entry)))
    return found


def is_feed(content: bytes) -> bool:
    """feedparser recognised a feed version (rss20, rss10, atom10, …) in these bytes."""
    return bool(feedparser.parse(content).version)


def feed_links(html: str, url: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml" href=…>."""
    tree = LexborHTMLParser(html)
    links = []
    for node in tree.css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower().strip()
        if "alternate" in rel and kind in FEED_LINK_TYPES:
            links.append(urljoin(url, node.attributes["href"] or ""))
    return links


def _entry_link(entry: dict, base: str) -> str | None:
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links", [])
                   if link.get("rel", "alternate") == "alternate"]  # fmt: skip
    candidates.append(entry.get("id") if str(entry.get("id", "")).startswith("http") else None)
    for href in candidates:
        if href:
            try:
                return canonical_url(urljoin(base, href.strip()))
            except BadURL:
                continue
    return None


def _entry_date(entry: dict) -> str | None:
    """The entry's date as YYYY-MM-DD (UTC, as feedparser normalises it); None when missing or
    unreadable: a broken date must not drop the entry."""
    # dict.get: feedparser's own get() maps a missing key to another one, with a warning
    moment = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    return time.strftime("%Y-%m-%d", moment) if moment else None
