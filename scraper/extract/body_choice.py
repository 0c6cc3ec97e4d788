"""Signals that tell the article's own container from its neighbours on a portal page.

The density score (html_blocks) finds where prose is; these signals say whose prose it is:
a container named or nested like a comment box, a feed, a pop-up or a footer, or one item of a
list of teasers, is another block's prose, whatever its density.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from selectolax.lexbor import LexborNode

from scraper.extract.boilerplate import chrome_names, never_body_names

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
    is there has no article, and returns none rather than the footer. A container holding the
    headline (<h1>) is a page wrapper, whatever its name."""
    pattern = _never_body_pattern()
    return any(
        (n.tag == "footer" or pattern.search(_names(n))) and n.css_first("h1") is None
        for n in _ancestry(node)
    )


def context_factor(node: LexborNode) -> float:
    """1.0 for a container nothing speaks against; less under chrome names or in a teaser list."""
    factor = 1.0
    if _under_chrome(node):
        factor *= _CHROME_FACTOR
    if _in_item_list(node) or _holds_items(node):
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
    far up, say nothing about one block). A container that holds the headline (<h1>) wraps the
    article whatever its name ('article-feed' on an endless-scroll page)."""
    pattern = _chrome_pattern()
    return any(
        pattern.search(_names(n)) and n.css_first("h1") is None
        for n in _ancestry(node)[:_CHROME_DEPTH]
    )


_CHROME_DEPTH = 6


def _in_item_list(node: LexborNode) -> bool:
    """One item of a feed or a teaser list, not an article body: inside an <li> with sibling
    items, or close inside one of several look-alike classed blocks that each link elsewhere."""
    for depth, ancestor in enumerate(_ancestry(node)):
        parent = ancestor.parent
        if parent is None:
            return False
        if ancestor.tag == "li" and _count(parent, lambda c: c.tag == "li") >= _LIST_MIN:
            return True
        if depth < _CHROME_DEPTH and _is_linked_item(ancestor, parent):
            return True
    return False


_LIST_MIN = 3


def _shape(node: LexborNode) -> tuple[str, str]:
    return node.tag, node.attributes.get("class") or ""


def _is_linked_item(block: LexborNode, parent: LexborNode) -> bool:
    """One of at least three classed look-alike siblings, every one holding a link."""
    shape = _shape(block)
    if not shape[1]:
        return False
    look_alikes = [c for c in parent.iter() if _shape(c) == shape]
    linked = all(c.css_first("a[href]") is not None for c in look_alikes)
    return len(look_alikes) >= _LIST_MIN and linked


def _holds_items(node: LexborNode) -> bool:
    """A container made mostly of look-alike linked items is the list itself."""
    shapes = Counter(_shape(c) for c in node.iter() if c.attributes.get("class"))
    if not shapes:
        return False
    shape, count = shapes.most_common(1)[0]
    first = next(c for c in node.iter() if _shape(c) == shape)
    mostly = count * 2 >= _count(node, lambda c: True)
    return count >= _LIST_MIN and mostly and _is_linked_item(first, node)


def _count(parent: LexborNode, test: Callable[[LexborNode], bool]) -> int:
    return sum(1 for c in parent.iter() if test(c))
