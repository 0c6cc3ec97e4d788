"""Headlines: the site's name goes, the headline's own dashes and hyphens stay."""

from __future__ import annotations

import pytest

from scraper.html_meta import strip_site_suffix

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
