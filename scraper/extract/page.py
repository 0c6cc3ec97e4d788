"""Turn a saved page (HTML or a text capture, bytes or str) into an Article."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from scraper.article import PARAGRAPH_SEPARATOR, Article
from scraper.fetch.decode import decode_text_or_bytes

EXTRACTOR_VERSION = "2"  # bump when extraction output changes, so `reextract` has a reason to run

_HTML_START = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|article|script|link)\b", re.I
)


def looks_like_html(text: str) -> bool:
    """HTML has a recognisable tag near the top; a text capture does not."""
    return bool(_HTML_START.search(text[:4096]))


def extract(
    content: bytes | str, url: str | None = None, fetched_at: datetime | str | None = None
) -> Article:
    """Extract the article from a page. Bytes are decoded (BOM, charset, detection) first.

    `fetched_at` resolves relative times (刚刚, 3小时前, 昨天 08:30, 月日 without a year).
    """
    return extract_page(content, url, fetched_at)[0]


def extract_page(
    content: bytes | str, url: str | None = None, fetched_at: datetime | str | None = None
) -> tuple[Article, str | None]:
    """The article on this page and the URL of the article's next page, if it has one."""
    # Imported on first use: `import scraper` (and so `scraper search`) does not load the HTML
    # parser and the extraction rules it never needs.
    from scraper.extract.html import extract_html_page
    from scraper.extract.text_capture import extract_text_capture

    text = decode_text_or_bytes(content).text
    now = datetime.fromisoformat(fetched_at) if isinstance(fetched_at, str) else fetched_at
    if looks_like_html(text):
        article, next_url = extract_html_page(text, url, now)
    else:
        article, next_url = extract_text_capture(text, url, now), None
    # The URL says where the page is; a rule's `detect` only says which template it resembles.
    article.site = site_from_url(url) or article.site
    return article, next_url


def merge_pages(pages: list[Article]) -> Article:
    """One article from its pages in order: page 1's metadata, every page's paragraphs."""
    first = pages[0]
    for later in pages[1:]:
        first.fill_from(later, skip="body")
    bodies = [page.body for page in pages if page.body]
    first.body = PARAGRAPH_SEPARATOR.join(bodies) or None
    return first


def site_from_url(url: str | None) -> str | None:
    """The registered domain a page came from: 'https://news.sina.com.cn/x' -> 'sina.com.cn'
    (None for a file:// URL or none)."""
    from scraper.fetch.urls import registered_domain  # on first use: w3lib takes 70 ms to load

    host = urlsplit(url).hostname if url else None
    return registered_domain(host) if host else None
