"""DOM helpers: strip non-content nodes, cut an element into text blocks, find the body by density.

The generic body finder scores each container by the Chinese prose directly under it (text length,
punctuation) and punishes link-heavy text, in the spirit of readability and GNE, then keeps the
best container's blocks in document order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.body_choice import context_factor, is_never_body
from scraper.extract.fields import clean_text

# Never content: dropped before anything is measured.
JUNK_TAGS = (
    "script", "style", "noscript", "iframe", "svg", "template", "select", "button",
    "input", "textarea", "object", "embed", "canvas", "video", "audio", "map",
)  # fmt: skip
# Elements whose text starts a new block.
BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "h1", "h2",
    "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "blockquote", "pre", "figure", "figcaption", "hr", "center",
    "address",
))  # fmt: skip
_BR = frozenset(["br"])
_PUNCT = re.compile(r"[，。！？；：、“”,.!?;:]")


def parse(html: str) -> LexborHTMLParser:
    tree = LexborHTMLParser(html)
    tree.strip_tags(list(JUNK_TAGS))
    # ASP.NET and many CMSs wrap the whole page in one <form>: keep what it holds.
    tree.unwrap_tags(["form"])
    return tree


def text_blocks(node: LexborNode) -> list[str]:
    """The node's text cut at block elements and <br>, each block cleaned, empty ones dropped."""
    blocks: list[str] = []
    buffer: list[str] = []
    block_ids, (br_id,) = _tag_ids(BLOCK_TAGS), _tag_ids(_BR)
    # An explicit stack, not recursion: a page of a thousand nested <div>s must not overflow.
    # Each entry is a child iterator and whether leaving it ends a block.
    stack: list[tuple[Iterator[LexborNode], bool]] = [(node.iter(include_text=True), False)]
    while stack:
        children, is_block = stack[-1]
        for child in children:  # resumed where it stopped when a child's walk returns here
            if child.is_text_node:
                buffer.append(child.text_content or "")
                continue
            tag_id = child.tag_id
            if tag_id == br_id or tag_id in block_ids:
                if buffer:
                    _end_block(buffer, blocks)
                if tag_id != br_id:
                    stack.append((child.iter(include_text=True), True))
                    break
            elif child.is_element_node:  # not a comment
                stack.append((child.iter(include_text=True), False))
                break
        else:
            stack.pop()
            if is_block and buffer:
                _end_block(buffer, blocks)
    if buffer:
        _end_block(buffer, blocks)
    return blocks


@lru_cache(maxsize=4)
def _tag_ids(tags: frozenset[str]) -> frozenset[int]:
    """Lexbor's ids of these tags (fixed for the tags HTML defines): the walks compare ids,
    because they touch every node and a tag's name is a new string each time."""
    probe = LexborHTMLParser("")
    return frozenset(probe.create_node(tag).tag_id for tag in tags)


def _end_block(buffer: list[str], blocks: list[str]) -> None:
    """The buffered text becomes a block unless it is blank (most are: the whitespace between
    tags), which is told apart without the cost of cleaning it."""
    text = "".join(buffer)
    buffer.clear()
    if not text.isspace() and (text := clean_text(text)):
        blocks.append(text)


def link_density(node: LexborNode) -> float:
    text_length = len(clean_text(node.text()))
    if not text_length:
        return 1.0
    linked = sum(len(clean_text(a.text())) for a in node.css("a"))
    return min(1.0, linked / text_length)


def _own_prose_score(node: LexborNode) -> float:
    """Score of the prose directly inside `node` (its own text and its inline/<p> children)."""
    score = 0.0
    prose_ids = _tag_ids(_PROSE_TAGS)
    for child in node.iter(include_text=True, skip_empty=True):  # blanks are no prose
        if child.is_text_node:
            raw = child.text_content or ""
        elif child.tag_id in prose_ids:
            raw = child.text()
        else:
            continue
        if len(raw) < _MIN_PROSE:  # cleaning only shortens: too short already
            continue
        text = clean_text(raw)
        if len(text) >= _MIN_PROSE:
            score += 1 + len(_PUNCT.findall(text)) + min(len(text) / 50, 6)
    return score


_MIN_PROSE = 10  # characters: shorter text is a label, not prose


def best_body_node(tree: LexborHTMLParser) -> LexborNode | None:
    """The container holding most of the prose, with link-heavy navigation punished."""
    scores: dict[int, tuple[float, LexborNode]] = {}
    owns: dict[int, float] = {}
    for node in _candidates(tree):
        own = _own_prose_score(node)
        if own <= 0:
            continue
        owns[node.mem_id] = own
        _add(scores, node, own)
        if node.parent is not None:
            _add(scores, node.parent, own / 3)
    if not scores:
        return None
    ranked = sorted(scores.values(), key=lambda item: item[0], reverse=True)[:_SHORTLIST]
    best = _most_weighted(ranked)
    return None if is_never_body(best) else _paragraph_parent(best, owns)


def _most_weighted(ranked: list[tuple[float, LexborNode]]) -> LexborNode:
    """The candidate with the highest weighted score. Weights are at most 1, so once a raw score
    cannot beat the best weighted one, no later candidate can: stop weighing there."""
    best, best_value = ranked[0][1], -1.0
    for score, node in ranked:
        if score <= best_value:
            break
        value = score * (1 - link_density(node))
        if value > best_value and (value := value * context_factor(node)) > best_value:
            best, best_value = node, value
    return best


def _paragraph_parent(node: LexborNode, owns: dict[int, float]) -> LexborNode:
    """A body written as one <div> per paragraph: the best div is one paragraph, and its
    look-alike siblings (same tag and class) holding prose too make their parent the body."""
    parent = node.parent
    if parent is None or node.tag == "body" or not _is_paragraph(node):
        return node
    shape = _shape(node)
    siblings = (
        c for c in parent.iter() if c is not node and _shape(c) == shape and _is_paragraph(c)
    )
    others = sum(owns.get(c.mem_id, 0.0) for c in siblings)
    return parent if others >= owns.get(node.mem_id, 0.0) / 2 else node


# Only the strongest candidates are weighed in full: the link and context checks cost a walk each.
_SHORTLIST = 12


def _shape(node: LexborNode) -> tuple[str, str | None]:
    return node.tag, node.attributes.get("class")


def _is_paragraph(node: LexborNode) -> bool:
    """Text and inline markup only (<br> aside): a paragraph, whatever its tag."""
    return not any(c.tag in BLOCK_TAGS for c in node.iter())


def _candidates(tree: LexborHTMLParser) -> Iterable[LexborNode]:
    root = tree.body or tree.root
    if root is None:
        return []
    return [root, *root.css(_candidate_selector(tree.raw_html))]


def _candidate_selector(html: bytes) -> str:
    """The container tags, and the page's custom elements (<founder-content>) and CMS include
    tags (<sohu_cms_include:frag>), which are a CMS's containers too: an HTML tag name is
    letters and digits only, theirs join them with -, _ or :. One CSS query finds them all, in
    document order."""
    custom = {name.decode("utf-8", "replace").lower() for name in _CUSTOM_TAG.findall(html)}
    return ", ".join([*_CANDIDATE_TAGS, *map(_css_name, sorted(custom))])


_PROSE_TAGS = frozenset(("p", "span", "font", "strong", "b", "section"))  # and text itself
_CANDIDATE_TAGS = ("div", "section", "article", "main", "td")
# A start tag whose name joins letters and digits with -, _ or : (<founder-content>, <o:p>),
# ending where a tag name ends: script text ('i<n.length;i++') gives no names, and each name
# found costs a selector tested against every element.
_CUSTOM_TAG = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*(?:[-_:][a-zA-Z0-9]+)+)(?=[\s/>])")


def _css_name(tag: str) -> str:
    """A tag name as a CSS type selector: every character but letters, digits, - and _ escaped."""
    return re.sub(r"[^a-zA-Z0-9_-]", lambda m: "\\" + m.group(), tag)


def _add(scores: dict[int, tuple[float, LexborNode]], node: LexborNode, value: float) -> None:
    key = node.mem_id
    previous = scores.get(key, (0.0, node))[0]
    scores[key] = (previous + value, node)
