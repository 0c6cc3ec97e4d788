"""Pages from portals without a site rule go through the generic path."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

import scraper

PAGE = FIXTURES / "generic_portal.html"
LEAKS = ["相关新闻", "地铁3号线", "网友评论", "终于开通了", "热点推荐", "版权所有", "分享到",
         "当前位置", "字号", "下载客户端", "责任编辑", "赵磊"]  # fmt: skip


@pytest.fixture(scope="module")
def article() -> scraper.Article:
    return scraper.extract(PAGE.read_bytes(), url="https://www.jcdaily.example/city/c_102.html")


def test_generic_fields(article):
    assert article.extractor == "generic"
    assert article.site == "jcdaily.example"
    assert article.title == "江城新区首条智慧公交线路开通 覆盖12个社区"
    assert article.source == "江城晚报"
    assert article.author == "李明、王芳"
    assert article.editor == "赵磊"
    assert article.published_at == "2024-05-13T09:26:00+08:00"


def test_generic_body(article):
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("5月13日上午，江城新区首条智慧公交线路")
    assert article.paragraphs[-1].endswith("提升公共交通出行的便捷度和吸引力。")
    for leak in LEAKS:
        assert leak not in article.body


@pytest.mark.parametrize(
    "codec, label", [("gb18030", "gbk"), ("gb18030", "gb2312"), ("big5", "big5")]
)
def test_legacy_encodings(codec, label):
    html = PAGE.read_text(encoding="utf-8").replace('charset="utf-8"', f'charset="{label}"')
    if codec == "big5":
        html = html.replace("江城新区首条智慧公交线路开通", "江城新區首條智慧公交線路開通")
    raw = html.encode(codec, errors="ignore")
    article = scraper.extract(raw)
    assert article.source == "江城晚报" or codec == "big5"
    assert "智慧公交" in article.body


def test_utf8_page_lying_about_gb2312():
    html = PAGE.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gb2312"')
    article = scraper.extract(html.encode("utf-8"))
    assert article.title == "江城新区首条智慧公交线路开通 覆盖12个社区"


@pytest.mark.parametrize(
    "content",
    [b"", "", b"\x00\xff\xfe garbage", "<html>", "<html><body></body></html>", "<<<>>>", b"<p>"],
)
def test_degenerate_pages_do_not_crash(content):
    article = scraper.extract(content)
    assert article.body is None or isinstance(article.body, str)


_BYLINE_PAGE = """<html><head><title>城东老街完成改造</title></head><body>
<h1>城东老街完成改造</h1><div class="info">2024-06-02 10:15</div>
<div class="content"><p>沿街二十多栋老房子修旧如旧</p><p>{byline}</p>
<p>经过一年多的施工，城东老街改造工程日前全部完工，沿街二十多栋老房子修旧如旧，重新开门迎客。</p>
<p>街道负责人介绍，改造保留了原有的石板路和骑楼，同时更新了地下管网，解决了雨季积水的老问题。</p>
</div></body></html>"""


@pytest.mark.parametrize(
    "byline, source, author",
    [
        ("江城日报记者 刘洋 通讯员 陈静", "江城日报", "刘洋、陈静"),
        ("新华社记者 周楠", "新华社", "周楠"),
        ("本报记者 刘洋", None, "刘洋"),  # 本报 names no outlet
    ],
)
def test_a_body_byline_names_its_outlet_as_the_source(byline, source, author):
    """With no 来源 printed anywhere, the outlet a reporter line opens with is the 来源, also
    where the line sits under the article's summary line."""
    html = _BYLINE_PAGE.format(byline=byline)
    article = scraper.extract(html)
    assert (article.source, article.author) == (source, author)
    assert byline not in article.body
