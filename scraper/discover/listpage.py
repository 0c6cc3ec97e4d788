"""Section and list pages (滚动新闻, 要闻, an e-paper's page): which links lead to articles.

Every link of the same site is scored on general signals, never on a site's name:
- its URL's shape: a date (/2025/03/01/, t20250301_, 202503/01) or a long numeric id in the
  file name reads as an article; index.html, list_2.html, a bare folder as an index;
- its anchor text: a headline is a sentence (8+ characters); 首页, 国内, 更多, 下一页 are not;
- where it sits: inside a menu, breadcrumb, tag cloud, pager, footer or copyright block it is
  furniture (a hint naming such a block is ignored when it holds most of the page's links:
  then it is the layout, not a menu);
- how it repeats: article links of one list share one URL pattern, and sit in a block of
  like items (<li>, <dl>, <article>, <div class="item">) whose links read as headlines, where
  even a short headline (今日油价) is taken.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.discover.model import Found
from scraper.extract.pagination import next_page_url
from scraper.fetch.urls import BadURL, canonical_url, registered_domain

THRESHOLD = 2.0  # a link scoring this much is an article
_NOT_A_HEADLINE = -4.0  # 更多, 下一页, a page number: never a headline, even in a list block
_DATE_PATH = re.compile(
    r"(?<!\d)(?:(?:19|20)\d{2}[-/_]?(?:0[1-9]|1[0-2])[-/_]?(?:0[1-9]|[12]\d|3[01])"
    r"|(?:19|20)\d{2}[-/](?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01]))(?!\d)"
)
_LONG_ID = re.compile(r"\d{6,}")
_SHORT_ID = re.compile(r"(?<![a-z])\d{4,5}(?!\d)", re.I)
_INDEX_NAMES = re.compile(r"^(?:index|default|list|node|more|home|main|column|col|channel)"
                          r"(?:[_-]?\d{1,3})?(?:\.\w+)?$", re.I)  # fmt: skip
_ARTICLE_EXT = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$", re.I)
# Files that are never an article page (the archive would skip them anyway).
_NOT_PAGES = re.compile(r"\.(?:pdf|jpe?g|png|gif|webp|mp[34]|flv|docx?|xlsx?|pptx?|zip|rar|apk|exe)$",
                        re.I)  # fmt: skip
# Folders that hold hub pages, not articles: 专题 (zt, zhuanti, special), tags, authors, topics.
_HUB_FOLDERS = frozenset({"zt", "zhuanti", "special", "specials", "topic", "topics", "tag", "tags",
                          "author", "authors", "column", "columns", "search"})  # fmt: skip
_SLUG = re.compile(r"^[a-z]+(?:-[a-z0-9]+){2,}(?:\.\w+)?$", re.I)  # an English headline slug
_BLOCK_ITEMS = 3  # like items that make a list block
_HEADLINE = 6  # characters a block's links average, for it to be a list of headlines
_FURNITURE_TAGS = frozenset({"nav", "footer", "header"})
_FURNITURE_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "menus", "submenu", "footer", "foot", "ft",
    "copyright", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "position", "location",
    "tag", "tags", "tagcloud", "keyword", "keywords", "pager", "pagination", "paging", "fenye",
    "friend", "friendlink", "links", "flink", "topbar", "toolbar", "login", "share", "lang",
})  # fmt: skip
_FURNITURE_PREFIXES = ("nav", "menu", "footer", "breadcrumb", "crumb", "tagcloud", "copyright",
                       "friendlink", "pagination", "pager")  # fmt: skip
_NOT_HEADLINES = re.compile(r"^(?:更多|more|详细|详情|全文|阅读全文|查看|进入|返回|首页|尾页|"
                            r"上一页|下一页|上页|下页|next|prev|previous|\d{1,3}|[<>»«›‹]+)",
                            re.I)  # fmt: skip
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class _Link:
    node: LexborNode
    url: str
    text: str


def article_links(html: str, url: str) -> list[Found]:
    """The article links of a list page, in page order, canonical and de-duplicated."""
    tree = LexborHTMLParser(html)
    links = _site_links(tree, url)
    furniture = _furniture_blocks(tree, len(links))
    patterns = Counter(_pattern(link.url) for link in links)
    blocks = _ListBlocks()
    found, seen = [], set()
    for link in links:
        if link.url in seen:
            continue
        in_block = blocks.holds(link.node)
        if _score(link, furniture, patterns[_pattern(link.url)], in_block) >= THRESHOLD:
            seen.add(link.url)
            found.append(Found(link.url))
    return found


def next_list_page(html: str, url: str) -> str | None:
    """The list's own next page (index_2.html, ?page=2, 下一页), as an article's pager is read."""
    return next_page_url(LexborHTMLParser(html), url)


def _site_links(tree: LexborHTMLParser, url: str) -> list[_Link]:
    """Links of the page's own site (subdomains included), not the page itself."""
    base = _base(tree, url)
    here = _canonical(url)
    site = registered_domain(urlsplit(here or url).hostname or "")
    links = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        target = _canonical(urljoin(base, href))
        if not target or target == here:
            continue
        if registered_domain(urlsplit(target).hostname or "") != site:
            continue
        links.append(_Link(node, target, " ".join(node.text(separator=" ").split())))
    return links


def _score(link: _Link, furniture: set[int], siblings: int, in_block: bool) -> float:
    text = _text_score(link.text)
    if in_block and text != _NOT_A_HEADLINE:
        text = max(text, 0.0)  # among headlines, a short one (今日油价) is no evidence against
    score = _url_score(link.url) + text
    if _in_furniture(link.node, furniture):
        score -= 4
    if siblings >= 3:
        score += 0.5
    if in_block:
        score += 1.5
    return score


def _url_score(url: str) -> float:
    parts = urlsplit(url)
    path = parts.path
    folders, _, name = path.rpartition("/")
    if _NOT_PAGES.search(name):
        return -10.0
    hub = any(folder.lower() in _HUB_FOLDERS for folder in folders.split("/"))
    if hub or path.endswith("/") or _INDEX_NAMES.match(name):
        return -3.0
    where = path + "?" + parts.query
    if _DATE_PATH.search(where):
        return 3.0
    if _LONG_ID.search(name) or _LONG_ID.search(parts.query):
        return 2.0
    if _SHORT_ID.search(name) or _SHORT_ID.search(parts.query):
        return 1.0
    score = 0.5 if _ARTICLE_EXT.search(name) else 0.0
    return score + 1.0 if _SLUG.match(name) else score


def _text_score(text: str) -> float:
    if not text:
        return 0.0  # a thumbnail: its headline link carries the decision
    if _NOT_HEADLINES.match(text) and len(text) <= 6:
        return _NOT_A_HEADLINE
    size = _text_size(text)
    if size >= 8:
        return 1.5
    if size >= 5:
        return 0.5
    return -1.0


class _ListBlocks:
    """Is a link one of a block of like items whose links read as headlines?"""

    def __init__(self) -> None:
        self.known: dict[tuple[int, str], bool] = {}

    def holds(self, link: LexborNode) -> bool:
        node = link
        for _ in range(4):  # <a> in <h3> in <article> in the list: items sit close to links
            parent = node.parent
            if parent is None:
                return False
            items = [child for child in _children(parent) if child.tag == node.tag]
            if len(items) >= _BLOCK_ITEMS:
                key = (parent.mem_id, node.tag)
                if key not in self.known:
                    self.known[key] = _headline_items(items)
                return self.known[key]
            node = parent
        return False


def _children(node: LexborNode) -> list[LexborNode]:
    children, child = [], node.child
    while child is not None:
        if child.tag != "-text":
            children.append(child)
        child = child.next
    return children


def _headline_items(items: list[LexborNode]) -> bool:
    """Most items hold a link, and their links' texts average a headline's length."""
    texts = []
    for item in items:
        link = item if item.tag == "a" else item.css_first("a[href]")
        if link is not None:
            texts.append(_text_size(" ".join(link.text(separator=" ").split())))
    linked = [t for t in texts if t]
    if len(linked) * 2 < len(items) or len(linked) < _BLOCK_ITEMS:
        return False
    return sum(linked) / len(linked) >= _HEADLINE


def _text_size(text: str) -> int:
    """Characters of Chinese plus words of Latin letters or digits: a headline's length."""
    return len(_CJK.findall(text)) + len(re.findall(r"[A-Za-z]+|\d+", text))


def _furniture_blocks(tree: LexborHTMLParser, total_links: int) -> set[int]:
    """Menus, footers, tag clouds, pagers: elements named so by tag, class or id that hold
    fewer than half of the page's links (a "page" wrapper around everything is no pager)."""
    blocks = set()
    for node in tree.css("nav, footer, header, [class], [id]"):
        if node.tag not in _FURNITURE_TAGS and not _furniture_name(node):
            continue
        if len(node.css("a[href]")) * 2 < max(total_links, 2):
            blocks.add(node.mem_id)
    return blocks


def _furniture_name(node: LexborNode) -> bool:
    name = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower()
    words = [w for w in _WORD_SPLIT.split(name) if w]
    return any(w in _FURNITURE_WORDS or w.startswith(_FURNITURE_PREFIXES) for w in words)


def _in_furniture(node: LexborNode, furniture: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in furniture:
            return True
        parent = parent.parent
    return False


def _pattern(url: str) -> str:
    """The URL with its digits blurred: the articles of one list share it."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "#", f"{parts.hostname}{parts.path}")


def _base(tree: LexborHTMLParser, url: str) -> str:
    base = tree.css_first("base[href]")
    return urljoin(url, base.attributes.get("href") or "") if base else url


def _canonical(url: str) -> str | None:
    try:
        return canonical_url(url)
    except BadURL:
        return None
