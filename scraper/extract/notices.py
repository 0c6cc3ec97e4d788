"""What a page says instead of an article: a deletion notice, or an anti-bot / rate-limit page.

The phrases are data (`data/notices.toml`, both scripts). A notice counts only on a page with
no real article: no body, a very short one, or one that is little more than the notice. A
live article quoting 页面不存在 is still the article.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

SHORT_BODY = 80  # characters: a body this short is no article whatever the page says
_INDEX_PAGE = re.compile(r"(index|default|home|main)\.\w+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _markers() -> dict[str, tuple[str, ...]]:
    text = (Path(__file__).parent / "data" / "notices.toml").read_text("utf-8")
    return {kind: tuple(phrases) for kind, phrases in tomllib.loads(text).items()}


def page_notice(html: str, body: str | None) -> str | None:
    """ "blocked" for an anti-bot page, "deleted" for a deletion notice, else None. A page with
    both is blocked: an anti-bot page never counts as a sighting of a deletion."""
    text = visible_text(html)
    for kind in ("blocked", "deleted"):
        if any(phrase in text and _no_article(body, phrase) for phrase in _markers()[kind]):
            return kind
    return None


def _no_article(body: str | None, phrase: str) -> bool:
    if not body or len(body) < SHORT_BODY:
        return True
    return phrase in body and len(body) <= 4 * len(phrase) + 40  # the body is the notice


def visible_text(html: str) -> str:
    """The page's text without scripts and styles (a live page's scripts may hold notices)."""
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript"):
        node.decompose()
    return tree.text(separator=" ") if tree.body or tree.head else html


def is_front_or_section(url: str) -> bool:
    """Whether a URL names a site's home or a section page rather than an article: the root,
    a folder, an index page, or a path without a single digit (article URLs carry dates or
    ids)."""
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    return (
        path in ("", "/")
        or path.endswith("/")
        or bool(_INDEX_PAGE.fullmatch(last))
        or not (any(c.isdigit() for c in path))
    )
