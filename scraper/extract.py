"""Turn a saved page (HTML or a text capture, bytes or str) into an Article."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scraper.article import Article
from scraper.decode import decode_text_or_bytes
from scraper.html_extract import extract_html
from scraper.text_capture import extract_text_capture

EXTRACTOR_VERSION = "1"  # bump when extraction output changes, so `reextract` has a reason to run

_HTML_START = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|article|script|link)\b", re.I
)


def looks_like_html(text: str) -> bool:
    """HTML has a recognisable tag near the top; a text capture does not."""
    return bool(_HTML_START.search(text[:4096]))


def extract(content: bytes | str, url: str | None = None) -> Article:
    """Extract the article from a page. Bytes are decoded (BOM, charset, detection) first."""
    text = decode_text_or_bytes(content).text
    article = extract_html(text, url) if looks_like_html(text) else extract_text_capture(text, url)
    article.site = article.site or site_from_url(url)
    return article


def site_from_url(url: str | None) -> str | None:
    """The host a page came from, without 'www.': 'https://www.gmw.cn/x' -> 'gmw.cn'."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    host = host.removeprefix("www.")
    return host or None
