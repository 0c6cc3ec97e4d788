"""Multi-page articles: find the link to the next page of the same article, refuse anything else.

Chinese portals split long articles as c_123.htm → c_123_2.htm, index.html → index_2.html,
c1004-123.html → c1004-123-2.html or ?page=2. A link labelled 下一页 may still lead to another
article (a mislabelled 下一篇, a comment pager, a recommendation), and following it would glue a
foreign story onto this one, so every candidate must name page current+1 of this very URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import SplitResult, parse_qsl, urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_PAGES = 20  # the caller stops following next links after this many pages

NEXT_WORDS = frozenset(("下一页", "下页", "后页", "下一頁", "下頁", "next", "nextpage"))
_ARROWS = frozenset(">»›〉")  # a lone arrow in a pager means "next"
# Decorations around a pager word: 【下一页】, 下一页>>, next », [2].
_DECORATION = re.compile(r"[\s>»›〉→\[\]【】()（）]+")
_PAGER_HINTS = ("page", "pagination", "paging", "fenye")  # "page" also covers pager, pages
_PAGER_SELECTOR = ", ".join(f'[class*="{h}" i], [id*="{h}" i]' for h in _PAGER_HINTS)
_CURRENT_HINTS = frozenset(("on", "cur", "curr", "current", "active", "selected", "now"))
_PAGE_KEYS = frozenset(("page", "p", "pn", "pg", "pageno", "pagenum", "page_no", "curpage"))
# A page suffix is short: c_1125597921.htm is an article id, c_1125597921_2.htm is page 2.
_SUFFIX = re.compile(r"(?P<base>.+)(?P<sep>[_-])(?P<n>\d{1,2})")
_NUMBER = re.compile(r"\d{1,3}")
_PAGER_MAX_TEXT = 400  # a pager is short; a long "page-wrap" is the whole layout, not a pager


def page_number(url: str) -> int:
    """The page number the URL names (c_1_2.htm, index_2.html, -2.html, ?page=2); 1 when none."""
    return _explicit_page(urlsplit(url)) or 1


def next_page_url(tree: LexborHTMLParser, url: str, selector: str | None = None) -> str | None:
    """Absolute URL of the next page of this article, or None on its last (or only) page.

    A site rule's `selector` is tried first; then 下一页-style links, then a numbered pager, in
    the pager area before the rest of the page. Every candidate must pass the same-article guard.
    """
    areas = _pager_areas(tree)
    current = _explicit_page(urlsplit(url)) or _marked_current(areas) or 1
    base = _base_url(tree, url)
    for link in _candidate_links(tree, url, areas, selector, current):
        target = _resolve(base, link.attributes.get("href"))
        if target and _is_next(url, target, current):
            return target
    return None


# --- where to look -------------------------------------------------------------------------


def _candidate_links(
    tree: LexborHTMLParser, url: str, areas: list[LexborNode], selector: str | None, current: int
) -> Iterator[LexborNode]:
    if selector:
        for node in tree.css(selector):
            yield from _links_in(node)
    root = tree.body or tree.root
    stem = _article_stem(url)
    for scope in (areas, [root] if root is not None else []):
        # Only links whose href could name a page of this article are read at all: portal pages
        # carry hundreds of links and reading each one's text is the slow part.
        links = [a for area in scope for a in _plausible_links(area, stem)]
        yield from (a for a in links if _says_next(_link_text(a)))
        yield from (a for a in links if _link_number(a) == current + 1)


def _article_stem(url: str) -> str:
    """'c_123' for .../c_123_2.htm: what the href of any page of this article contains."""
    name = urlsplit(url).path.rpartition("/")[2]
    stem = _split_ext(name)[0]
    suffix = _SUFFIX.fullmatch(stem)
    return suffix["base"] if suffix else stem


def _plausible_links(node: LexborNode, stem: str) -> list[LexborNode]:
    """Links whose href holds the stem or a query parameter, chosen by the CSS engine: a
    portal's hundreds of other links never become Python objects."""
    if not stem:
        return _links_in(node)  # every href holds the empty stem
    if node.tag == "a":
        href = node.attributes.get("href") or ""
        return [node] if stem in href or "=" in href else []
    found = node.css(f'a[href*="{_css_string(stem)}"], a[href*="="]')
    return list({a.mem_id: a for a in found}.values())  # a link matching both comes twice


def _css_string(text: str) -> str:
    """Text for a double-quoted CSS string: backslashes and quotes escaped, no line breaks."""
    return re.sub(r'[\\"\n\r\f]', lambda m: f"\\{ord(m.group()):x} ", text)


def _links_in(node: LexborNode) -> list[LexborNode]:
    if node.tag == "a":
        return [node] if node.attributes.get("href") else []
    return node.css("a[href]")


def _pager_areas(tree: LexborHTMLParser) -> list[LexborNode]:
    """Short elements whose class or id names a pager (page, pager, pagination, fenye, ...)."""
    root = tree.body or tree.root
    if root is None:
        return []
    hinted = root.css(_PAGER_SELECTOR)
    return [node for node in hinted if len(node.text(deep=True).strip()) <= _PAGER_MAX_TEXT]


def _marked_current(areas: list[LexborNode]) -> int | None:
    """The pager's own idea of the current page: a current-classed number, else an unlinked one.

    Only a number next to a linked neighbour counts, so a hit counter or a "共3页" total in a
    "page-info" box is not mistaken for the current page.
    """
    linked = {_link_number(a) for area in areas for a in area.css("a[href]")}
    numbers = [(node, _node_number(node)) for area in areas for node in area.css("*")]
    numbered = [(node, n) for node, n in numbers if n and {n - 1, n + 1} & linked]
    for node, number in numbered:
        if set((node.attributes.get("class") or "").lower().split()) & _CURRENT_HINTS:
            return number
    for node, number in numbered:
        # An unlinked number that is also a link elsewhere is a total, not the current page.
        if not _is_link(node) and node.css_first("a[href]") is None and number not in linked:
            return number
    return None


# --- what a link says ----------------------------------------------------------------------


def _link_text(link: LexborNode) -> str:
    text = link.text(deep=True)
    if not text.strip():  # image buttons carry their label in title/alt
        image = link.css_first("img[alt]")
        text = link.attributes.get("title") or (image.attributes.get("alt") if image else "")
    return text or ""


def _says_next(text: str) -> bool:
    compact = re.sub(r"\s+", "", text)
    if compact in _ARROWS:
        return True
    return _DECORATION.sub("", compact).lower() in NEXT_WORDS


def _node_number(node: LexborNode) -> int | None:
    text = _DECORATION.sub("", node.text(deep=True))
    return int(text) if _NUMBER.fullmatch(text) else None


def _link_number(link: LexborNode) -> int | None:
    return _node_number(link) if _is_link(link) else None


def _is_link(node: LexborNode) -> bool:
    return node.tag == "a" and bool(node.attributes.get("href"))


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    base = tree.css_first("base[href]")
    href = (base.attributes.get("href") or "").strip() if base is not None else ""
    return urljoin(url, href) if href else url


def _resolve(base: str, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:")):
        return None
    target = urldefrag(urljoin(base, href))[0]
    return target if urlsplit(target).scheme in ("http", "https") else None


# --- the same-article guard ----------------------------------------------------------------


def _is_next(url: str, target: str, current: int) -> bool:
    """Is `target` page current+1 of the article at `url` (same host, directory and stem)?"""
    here, there = urlsplit(url), urlsplit(target)
    if here.netloc.lower() != there.netloc.lower():
        return False
    return _next_by_query(here, there, current) or _next_by_path(here, there, current)


def _next_by_query(here: SplitResult, there: SplitResult, current: int) -> bool:
    """view.php?id=7 → view.php?id=7&page=2: same path, same other parameters."""
    if there.path != here.path or _path_page(here) is not None:
        return False
    wanted, found = _page_param(here.query), _page_param(there.query)
    if found is None or found[1] != current + 1 or (wanted and wanted[0] != found[0]):
        return False
    return _other_params(here.query, wanted) == _other_params(there.query, found)


def _next_by_path(here: SplitResult, there: SplitResult, current: int) -> bool:
    """c_123.htm → c_123_2.htm, c_123_2.htm → c_123_3.htm: same directory, stem and extension."""
    if _page_param(here.query) is not None:
        return False
    here_dir, _, here_name = here.path.rpartition("/")
    there_dir, _, there_name = there.path.rpartition("/")
    if there_dir != here_dir or not there_name:
        return False
    stem, ext = _split_ext(here_name or "index")  # a directory URL serves index.*
    there_stem, there_ext = _split_ext(there_name)
    if here_name and there_ext != ext:
        return False
    suffix = _SUFFIX.fullmatch(stem)
    base, seps = (suffix["base"], suffix["sep"]) if suffix else (stem, "_-")
    return any(there_stem == f"{base}{sep}{current + 1}" for sep in seps)


def _explicit_page(parts: SplitResult) -> int | None:
    param = _page_param(parts.query)
    return param[1] if param else _path_page(parts)


def _path_page(parts: SplitResult) -> int | None:
    suffix = _SUFFIX.fullmatch(_split_ext(parts.path.rpartition("/")[2])[0])
    return int(suffix["n"]) if suffix else None


def _page_param(query: str) -> tuple[str, int] | None:
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.lower() in _PAGE_KEYS and value.isascii() and value.isdigit():
            return key, int(value)
    return None


def _other_params(query: str, page: tuple[str, int] | None) -> list[tuple[str, str]]:
    key = page[0] if page else None
    return sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != key)


def _split_ext(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    return (stem, dot + ext) if dot and stem else (name, "")
