"""When <title> carries only the site's name ('北医新闻网_(新闻)', '科普中国-辟谣文章'), the
headline is the page's one heading-like element that is not part of a list."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.boilerplate import is_drop_line, is_stop_line
from scraper.extract.fields import clean_text

# A site or section name, not a headline: short, or ending in a portal word ('…网', '…频道').
_SITE_WORDS = re.compile(r"(网|網|站|频道|頻道|首页|首頁|文章|平台|中心|门户|門戶)$")
_MAX_SITE_NAME = 10


def is_site_name(page_title: str) -> bool:
    """'北医新闻网_(新闻)' and '科普中国-辟谣文章' name a site; a headline says something."""
    key = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", page_title))
    return bool(key) and (len(key) <= _MAX_SITE_NAME or bool(_SITE_WORDS.search(key)))


def lone_headline(tree: LexborHTMLParser, selector: str, longer_than: str) -> str | None:
    """The first heading whose tag and class no other element shares (repeated ones are list
    items: related headlines), that is not a link, a trailer heading or boilerplate, and says
    more than the site's name (a short real headline in <title> beats a column label)."""
    nodes = tree.css(selector)
    shapes = Counter(_shape(n) for n in nodes)
    for node in nodes:
        text = clean_text(node.text())
        if shapes[_shape(node)] == 1 and _headline_like(node, text):
            return text if len(text) > len(longer_than) else None
    return None


def _headline_like(node: LexborNode, text: str) -> bool:
    return (
        4 <= len(text) <= 80
        and not _is_link(node, text)
        and not is_stop_line(text)
        and not is_drop_line(text)
    )


def _shape(node: LexborNode) -> tuple[str, str]:
    return node.tag, node.attributes.get("class") or ""


def _is_link(node: LexborNode, text: str) -> bool:
    """A heading that is a link, or inside one, points at another page."""
    inside = node.parent is not None and node.parent.tag == "a"
    link = node.css_first("a")
    return inside or (link is not None and clean_text(link.text()) == text)
