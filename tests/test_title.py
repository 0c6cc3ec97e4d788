"""Headlines: the site's name goes, the headline's own dashes and hyphens stay."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

import scraper
from scraper.extract.headline import is_site_name
from scraper.extract.meta import strip_site_suffix

STRIPPED = [
    ("维护全人类共同利益需联手抵制保护主义_光明网", "维护全人类共同利益需联手抵制保护主义"),
    ("江城新区首条公交线路开通-新华网河北频道-新华网", "江城新区首条公交线路开通"),
    ("央行宣布下调存款准备金率--雅虎新闻", "央行宣布下调存款准备金率"),
    ("某芯片性能提升十倍 功耗下降一半-EDN 电子技术设计", "某芯片性能提升十倍 功耗下降一半"),
    ("凝聚强大智慧和力量——热烈祝贺市政协会议开幕_某某市人民政府网",
     "凝聚强大智慧和力量——热烈祝贺市政协会议开幕"),
    ("华为发布Mate-60系列新品手机", "华为发布Mate-60系列新品手机"),
    ("小米发布Wi-Fi 7路由器", "小米发布Wi-Fi 7路由器"),
    ("新冠COVID-19疫苗研发进展", "新冠COVID-19疫苗研发进展"),
    ("5G-A 商用启动 首批覆盖十城", "5G-A 商用启动 首批覆盖十城"),
]  # fmt: skip


@pytest.mark.parametrize(("page_title", "headline"), STRIPPED)
def test_site_suffix(page_title, headline):
    assert strip_site_suffix(page_title) == headline


@pytest.mark.parametrize(
    ("page_title", "expected"),
    [("北医新闻网_(新闻)", True), ("科普中国-辟谣文章", True), ("某某市人民政府门户网站", True),
     ("习近平主持召开深入推进区域一体化发展座谈会", False), ("江城新区首条智慧公交线路开通", False)],
)  # fmt: skip
def test_site_name(page_title, expected):
    assert is_site_name(page_title) is expected


def test_a_title_naming_only_the_site_gives_way_to_the_lone_headline():
    article = scraper.extract((FIXTURES / "body" / "site_name_title.html").read_bytes())
    assert article.title == "喝隔夜水真的会致癌吗？"


def test_a_short_headline_in_title_beats_a_column_label():
    html = (
        "<html><head><title>春运首日客流平稳</title></head><body>"
        "<div class='column-title'>国内新闻</div><div class='text'>"
        "<p>今天是春运首日，全市各大车站客流总体平稳有序，未出现大面积滞留。</p></div></body></html>"
    )
    assert scraper.extract(html).title == "春运首日客流平稳"
