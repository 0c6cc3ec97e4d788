"""Generic metadata from an HTML page: title, publication time, 来源, 作者, 责编.

Used on its own for portals without a rule, and to fill any field a site rule did not find.
"""

from __future__ import annotations

import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import text_blocks
from scraper.extract.fields import (
    clean_text,
    parse_datetime,
)
from scraper.extract.headline import is_site_name, lone_headline

# Where headlines sit: <h1>/<h2>, or any element a template names "title" (span.Title, #artTitle).
_HEADLINE_SELECTOR = 'h1, h2, [class*="title" i], [id*="title" i]'
# A site name after the headline in <title>: "_光明网", "-新华网", " | 观察者网", "--雅虎新闻".
# Not a separator: '——' (a Chinese subtitle dash) and a hyphen inside a word ('Mate-60', '5G-A',
# 'Wi-Fi'); a hyphen before an acronym is one ('GPU-EDN 电子技术设计').
_SITE_SUFFIX = re.compile(
    r"\s*(?:_+|[|｜]+|(?<!—)[–—](?!—)|(?<![A-Za-z0-9])-+|-+(?![A-Za-z0-9])|-+(?=[A-Z]{2}))\s*"
    r"(?P<site>[^_|｜–—\-]{1,16})$"
)
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
    return _content(tree.css_first(selector))


def _content(node: LexborNode | None) -> str | None:
    """A <meta>'s content, cleaned; None for no node or an empty content."""
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
    """The headline: a heading that <title> or og:title confirms, else og:title or <title>
    without the site's name."""
    page_title = clean_text(tree.css_first("title").text()) if tree.css_first("title") else ""
    og_title = meta_content(tree, 'meta[property="og:title"]') or ""
    title_key = _comparable(page_title)
    known = title_key + "\n" + _comparable(og_title)
    headings = [clean_text(h.text()) for h in tree.css(_HEADLINE_SELECTOR)]
    headings = [h for h in headings if len(h) <= 120]
    confirmed = {h: c for h in headings if len(c := _comparable(h)) >= 4 and c in known}
    if confirmed:
        best = max(confirmed, key=len)
        # A template echoing the whole <title> ("…-新华网") still carries the site's name.
        return strip_site_suffix(best) if confirmed[best] == title_key else best
    if not og_title and is_site_name(strip_site_suffix(page_title) or ""):
        page_title = lone_headline(tree, _HEADLINE_SELECTOR, longer_than=title_key) or page_title
    return (
        strip_site_suffix(og_title)
        or strip_site_suffix(page_title)
        or (next((h for h in headings if h), None))
    )


def _comparable(text: str) -> str:
    """Headlines compared without punctuation or spacing: '——' in <h1> is '-' in <title>."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


def strip_site_suffix(page_title: str) -> str | None:
    """'维护全人类共同利益需联手抵制保护主义_光明网' -> '维护全人类共同利益需联手抵制保护主义';
    'X-新华网河北频道-新华网' -> 'X'. Only short trailing segments go: a hyphen inside the
    headline ('5G-A 商用') stays."""
    title = page_title.strip()
    while True:
        match = _SITE_SUFFIX.search(title)
        if not match or len(title[: match.start()]) < 6:
            return title or None
        title = title[: match.start()].rstrip()


def find_published(tree: LexborHTMLParser, visible: str | None, url: str | None) -> str | None:
    """The time the page shows its reader first, then metadata, then the URL. Metadata settles
    what the shown date leaves open: its day-month order, and the minute of a bare day."""
    machine = _meta_date(tree) or _json_ld_date(tree)
    if not visible or not machine:
        return visible or machine or _url_date(url)
    visible = _day_month_as_in(visible, machine)
    if "T" in visible or "T" not in machine:
        return visible
    return machine if machine[:10] == visible[:10] else visible


def _day_month_as_in(visible: str, machine: str) -> str:
    """'06/02/2022' read as 2 June when the metadata says 6 February: swap day and month."""
    year, month, day = visible[:4], visible[5:7], visible[8:10]
    swapped = f"{year}-{day}-{month}"
    if month != day and int(day) <= 12 and machine[:10] == swapped:
        return swapped + visible[10:]
    return visible


def _meta_date(tree: LexborHTMLParser) -> str | None:
    """The first of _DATE_META, in its order, whose content is a date. One query finds the few
    date <meta>s a page has; each selector is then matched against those alone."""
    found = tree.css(", ".join(_DATE_META))
    for selector in _DATE_META:
        value = parse_datetime(_content(next((n for n in found if n.css_matches(selector)), None)))
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
