"""Generic metadata from an HTML page: title, publication time, 来源, 作者, 责编.

Used on its own for portals without a rule, and to fill any field a site rule did not find.
"""

from __future__ import annotations

import json
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.fields import (
    clean_text,
    parse_datetime,
)
from scraper.html_blocks import text_blocks

_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜–—]|\s-\s|-{2,})\s*")
_DATE_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="PubDate"]',
    'meta[name="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="publish_time"]',
    'meta[name="publishtime"]',
    'meta[name="weibo: article:create_at"]',
    'meta[property="og:release_date"]',
    'meta[name="dc.date"]',
    'meta[name="date"]',
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[-/]?(\d{2})[-/]?(\d{2})(?:/|_|\b)|/t((?:19|20)\d{6})_")


def meta_content(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    value = node.attributes.get("content") if node is not None else None
    return clean_text(value) if value else None


def node_value(node: LexborNode | None) -> str | None:
    """A selector hit's value: a <meta>'s content, a <time>'s datetime, else its text."""
    if node is None:
        return None
    if node.tag == "meta":
        return node.attributes.get("content")
    if node.tag == "time" and node.attributes.get("datetime"):
        return node.attributes.get("datetime")
    return clean_text(" ".join(text_blocks(node)))


def find_title(tree: LexborHTMLParser) -> str | None:
    """The headline: an <h1> that the <title> confirms, else og:title, else <title> minus its site."""
    page_title = clean_text(tree.css_first("title").text()) if tree.css_first("title") else ""
    headings = [clean_text(h.text()) for h in tree.css("h1")]
    confirmed = [h for h in headings if len(h) >= 4 and h in page_title]
    if confirmed:
        return max(confirmed, key=len)
    og_title = meta_content(tree, 'meta[property="og:title"]')
    if og_title:
        return og_title
    return strip_site_suffix(page_title) or (headings[0] if headings else None)


def strip_site_suffix(page_title: str) -> str | None:
    """'维护全人类共同利益需联手抵制保护主义_光明网' -> '维护全人类共同利益需联手抵制保护主义'."""
    if not page_title:
        return None
    parts = [p for p in _TITLE_SEPARATORS.split(page_title) if p]
    return max(parts, key=len) if parts else None


def find_published(tree: LexborHTMLParser, visible: str | None, url: str | None) -> str | None:
    """The time shown under the headline first (it carries the minute), then metadata, then URL."""
    machine = _meta_date(tree) or _json_ld_date(tree)
    if visible and (not machine or "T" in visible or "T" not in machine):
        return visible
    return machine or visible or _url_date(url)


def _meta_date(tree: LexborHTMLParser) -> str | None:
    for selector in _DATE_META:
        value = parse_datetime(meta_content(tree, selector))
        if value:
            return value
    return None


def _json_ld_date(tree: LexborHTMLParser) -> str | None:
    for script in tree.css('script[type="application/ld+json"]'):
        match = re.search(r'"datePublished"\s*:\s*"([^"]+)"', script.text())
        if match and parse_datetime(match.group(1)):
            return parse_datetime(match.group(1))
    return None


def _url_date(url: str | None) -> str | None:
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    digits = match.group(4) or "".join(match.group(1, 2, 3))
    return parse_datetime(f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}")


def parse_json_ld(tree: LexborHTMLParser) -> list[dict]:
    """All JSON-LD objects on the page; malformed blocks are skipped."""
    found: list[dict] = []
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text())
        except ValueError:
            continue
        found.extend(d for d in (data if isinstance(data, list) else [data]) if isinstance(d, dict))
    return found
