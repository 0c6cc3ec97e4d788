"""Next-page detection for multi-page articles, and the guard against following another article."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from selectolax.lexbor import LexborHTMLParser

from scraper.extract.pagination import MAX_PAGES, next_page_url, page_number

PAGES = FIXTURES / "pages"
XINHUA = "http://www.news.cn/politics/2024-05/13/c_1125597921"
PORTAL = "https://news.jcdaily.example/2024/0513/8841"
JCDAILY = "https://www.jcdaily.example/city/2024/05"
YANCHENG = "https://www.ycnews.example/system/2024/05/13"


def next_of(fixture: str, url: str, selector: str | None = None) -> str | None:
    tree = LexborHTMLParser((PAGES / fixture).read_text("utf-8"))
    return next_page_url(tree, url, selector)


def inline(pager: str, url: str) -> str | None:
    """A minimal article page around `pager` markup."""
    html = f"<html><body><h1>标题</h1><p>正文内容。</p>{pager}</body></html>"
    return next_page_url(LexborHTMLParser(html), url)


# --- following real-looking pagers ---------------------------------------------------------


@pytest.mark.parametrize(
    "fixture, url, expected",
    [
        ("xinhua_c_1125597921.htm", f"{XINHUA}.htm", f"{XINHUA}_2.htm"),
        ("xinhua_c_1125597921_2.htm", f"{XINHUA}_2.htm", f"{XINHUA}_3.htm"),
        ("xinhua_c_1125597921_3.htm", f"{XINHUA}_3.htm", None),  # last page
    ],
)
def test_xinhua_next_link(fixture, url, expected):
    assert next_of(fixture, url) == expected


def test_xinhua_chain_stops_on_last_page():
    files = {
        f"{XINHUA}.htm": "xinhua_c_1125597921.htm",
        f"{XINHUA}_2.htm": "xinhua_c_1125597921_2.htm",
        f"{XINHUA}_3.htm": "xinhua_c_1125597921_3.htm",
    }
    visited, url = [], f"{XINHUA}.htm"
    while url and len(visited) < MAX_PAGES:
        visited.append(url)
        url = next_of(files[url], url)
    assert visited == list(files)


@pytest.mark.parametrize(
    "fixture, url, expected",
    [
        ("portal_index.html", f"{PORTAL}/index.html", f"{PORTAL}/index_2.html"),
        ("portal_index_2.html", f"{PORTAL}/index_2.html", f"{PORTAL}/index_3.html"),
    ],
)
def test_index_chain(fixture, url, expected):
    assert next_of(fixture, url) == expected


def test_people_dash_suffix_outside_any_pager_class():
    url = "http://politics.people.com.cn/n1/2024/0513/c1004-40232587.html"
    expected = "http://politics.people.com.cn/n1/2024/0513/c1004-40232587-2.html"
    assert next_of("people_c1004_40232587.html", url) == expected


def test_numbered_pager_without_next_word():
    url = f"{YANCHENG}/content_25340717.htm"
    expected = f"{YANCHENG}/content_25340717_2.htm"
    assert next_of("numbered_content_25340717.htm", url) == expected


def test_query_page_parameter():
    url = "https://www.hnnews.example/news/show.php?itemid=8812"
    expected = "https://www.hnnews.example/news/show.php?itemid=8812&page=2"
    assert next_of("query_show_php.html", url) == expected


def test_traditional_next_word():
    url = "https://www.twdaily.example/finance/20240513/2739104.html"
    expected = "https://www.twdaily.example/finance/20240513/2739104_2.html"
    assert next_of("traditional_2739104.html", url) == expected


SHOW = "https://www.hnnews.example/news/show.php?itemid=8812"


def test_current_page_from_the_pager_when_the_url_names_none():
    pager = (
        '<ul class="pagination"><li><a href="show.php?itemid=8812&amp;page=1">1</a></li>'
        '<li class="active"><span>2</span></li>'
        '<li><a href="show.php?itemid=8812&amp;page=3">3</a></li></ul>'
    )
    assert inline(pager, SHOW) == f"{SHOW}&page=3"


def test_hit_counter_is_not_the_current_page():
    pager = (
        '<div class="page-info">浏览：<span>326</span>次</div>'
        '<div class="pages"><span>1</span> <a href="show.php?itemid=8812&amp;page=2">2</a></div>'
    )
    assert inline(pager, SHOW) == f"{SHOW}&page=2"


# --- traps ---------------------------------------------------------------------------------


def test_next_article_and_previous_page_are_not_followed():
    assert next_of("trap_next_article.htm", f"{JCDAILY}/c_1130125400_2.htm") is None


def test_next_links_to_other_articles_are_rejected():
    assert next_of("trap_foreign_links.htm", f"{JCDAILY}/c_1130125400.htm") is None


@pytest.mark.parametrize(
    "href",
    [
        "c_1130125871_2.htm",  # another article's page 2
        "../06/c_1130125400_2.htm",  # another directory
        "https://m.jcdaily.example/city/2024/05/c_1130125400_2.htm",  # another host
        "c_1130125400_3.htm",  # jumps a page
        "c_1130125400_2.html",  # another extension
        "c_1130125400.htm",  # itself
        "javascript:void(0)",
        "#",
    ],
)
def test_guard_rejects(href):
    pager = f'<div class="pages"><a href="{href}">下一页</a></div>'
    assert inline(pager, f"{JCDAILY}/c_1130125400.htm") is None


def test_self_link_on_last_page():
    url = f"{YANCHENG}/content_25340717_3.htm"
    assert next_of("self_link_content_25340717_3.htm", url) is None


def test_next_link_back_to_earlier_page():
    pager = '<div class="page"><a href="content_25340717_2.htm">下一页</a></div>'
    assert inline(pager, f"{YANCHENG}/content_25340717_3.htm") is None


def test_no_pager():
    assert next_of("no_pager.html", f"{JCDAILY}/c_1130126001.htm") is None


@pytest.mark.parametrize(
    "pager",
    [
        '<div class="page-turn"><a href="c_1130125400_2.htm">下一篇</a></div>',
        '<div class="page-turn"><a href="c_1130125400_2.htm">上一页</a></div>',
        '<div class="page-turn"><a href="c_1130125400_2.htm">阅读全文</a></div>',
    ],
)
def test_other_words_are_not_next(pager):
    assert inline(pager, f"{JCDAILY}/c_1130125400.htm") is None


@pytest.mark.parametrize(
    "label", ["下一页>>", "【下一页】", "下页", "后页", "下頁", "Next »", "NEXT", "&gt;", "»", "› "]
)
def test_next_words_and_arrows(label):
    pager = f'<div class="pagination"><a href="c_1130125400_2.htm">{label}</a></div>'
    assert inline(pager, f"{JCDAILY}/c_1130125400.htm") == f"{JCDAILY}/c_1130125400_2.htm"


# --- site rules ----------------------------------------------------------------------------

SELECTOR_URL = "https://news.cgnews.example/2024-05/13/content_37321234.htm"


def test_site_selector_wins_over_generic_detection():
    rule = "#displaypagenum a.ptfontpagenext"
    expected = "https://news.cgnews.example/2024-05/13/content_37321234_2.htm"
    assert next_of("selector_content_37321234.htm", SELECTOR_URL, rule) == expected


def test_generic_detection_without_the_rule():
    expected = "https://news.cgnews.example/2024-05/13/content_37321234.htm?page=2"
    assert next_of("selector_content_37321234.htm", SELECTOR_URL) == expected


def test_selector_may_name_the_pager_container():
    expected = "https://news.cgnews.example/2024-05/13/content_37321234_2.htm"
    assert next_of("selector_content_37321234.htm", SELECTOR_URL, "#displaypagenum") == expected


def test_selector_still_guarded():
    # A rule that matches 下一篇 must not pull in another article; generic detection takes over.
    html = (
        '<div class="g-next"><a href="c_9.htm">下一篇</a></div>'
        '<div class="pages"><a href="c_1130125400_2.htm">下一页</a></div>'
    )
    tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
    url = f"{JCDAILY}/c_1130125400.htm"
    assert next_page_url(tree, url, ".g-next a") == f"{JCDAILY}/c_1130125400_2.htm"


# --- page numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, number",
    [
        ("http://www.news.cn/politics/2024-05/13/c_1125597921.htm", 1),
        ("http://www.news.cn/politics/2024-05/13/c_1125597921_2.htm", 2),
        ("https://news.jcdaily.example/2024/0513/8841/index.html", 1),
        ("https://news.jcdaily.example/2024/0513/8841/index_2.html", 2),
        ("http://politics.people.com.cn/n1/2024/0513/c1004-40232587.html", 1),
        ("http://politics.people.com.cn/n1/2024/0513/c1004-40232587-3.html", 3),
        ("https://www.hnnews.example/news/show.php?itemid=8812&page=2", 2),
        ("https://www.hnnews.example/news/list.php?pn=4", 4),
        ("https://www.hnnews.example/news/list.php?cat=2&p=3", 3),
        ("https://www.ycnews.example/system/2024/05/13/", 1),
    ],
)
def test_page_number(url, number):
    assert page_number(url) == number


def test_max_pages():
    assert MAX_PAGES == 20
