"""Signals that tell the article's own container from its neighbours on a portal page.

The density score (html_blocks) finds where prose is; these signals say whose prose it is:
a container named or nested like a comment box, a feed, a pop-up or a footer, or one item of a
list of teasers, is another block's prose, whatever its density.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborNode

from scraper.boilerplate import chrome_names, never_body_names

# How much of its score a container keeps for each doubt about it.
_CHROME_FACTOR = 0.2
_LIST_ITEM_FACTOR = 0.3


@lru_cache(maxsize=1)
def _chrome_pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, chrome_names())), re.I)


@lru_cache(maxsize=1)
def _never_body_pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, never_body_names())), re.I)


def is_never_body(node: LexborNode) -> bool:
    """Inside a <footer> or a footer / copyright / pop-up container: a page whose densest prose
    is there has no article, and returns none rather than the footer."""
    pattern = _never_body_pattern()
    return any(n.tag == "footer" or pattern.search(_names(n)) for n in _ancestry(node))


def context_factor(node: LexborNode) -> float:
    """1.0 for a container nothing speaks against; less under chrome names or in a teaser list."""
    factor = 1.0
    if _under_chrome(node):
        factor *= _CHROME_FACTOR
    if _in_item_list(node):
        factor *= _LIST_ITEM_FACTOR
    return factor


def _names(node: LexborNode) -> str:
    attributes = node.attributes
    return f"{attributes.get('class') or ''} {attributes.get('id') or ''}"


def _ancestry(node: LexborNode) -> list[LexborNode]:
    """The node and its ancestors up to <body>, iteratively (pages nest thousands deep)."""
    chain: list[LexborNode] = []
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        chain.append(current)
        current = current.parent
    return chain


def _under_chrome(node: LexborNode) -> bool:
    """Named like chrome, or close inside such a container (a page-wide wrapper's layout names,
    far up, say nothing about one block)."""
    pattern = _chrome_pattern()
    return any(pattern.search(_names(n)) for n in _ancestry(node)[:_CHROME_DEPTH])


_CHROME_DEPTH = 6


def _in_item_list(node: LexborNode) -> bool:
    """Inside an <li> that has sibling items: a feed or a teaser list, not an article body."""
    for ancestor in _ancestry(node):
        if ancestor.tag == "li" and ancestor.parent is not None:
            items = [c for c in ancestor.parent.iter() if c.tag == "li"]
            if len(items) >= 3:
                return True
    return False
