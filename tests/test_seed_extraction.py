"""The seed article, from its text capture and from its HTML page, gives exactly one article."""

from __future__ import annotations

import pytest
from conftest import SEED_HTML, SEED_TXT

import scraper

TITLE = "工业互联网已迈入高质量发展、规模化推广新阶段"
BOILERPLATE = [
    "点击右上角", "微信好友", "朋友圈", "请使用浏览器分享功能进行分享", "正在阅读", "首页>",
    "科技频道", "阅读剩余全文", "相关阅读", "您此时的心情", "光明云投", "新闻表情排行",
    "开心", "难过", "点赞", "飘过", "视觉焦点", "我国电动汽车充电设施数量突破2000万",
    "贵州六盘水", "独家策划", "推荐阅读", "加载更多", "结核病", "责编", "作者", "邓聪",
    "肖春芳", "来源", "2025-09-23",
]  # fmt: skip


def capture_paragraphs() -> list[str]:
    """Ground truth straight from the capture: its indented prose lines, credit removed."""
    lines = SEED_TXT.read_text(encoding="utf-8").splitlines()
    prose = [line.strip() for line in lines if line.startswith("  ") and len(line) > 60]
    prose[-1] = prose[-1].removesuffix("(作者:邓聪)").rstrip()
    return prose


@pytest.fixture(params=["txt", "html"], scope="module")
def seed_article(request) -> scraper.Article:
    path = SEED_TXT if request.param == "txt" else SEED_HTML
    return scraper.extract(path.read_bytes())


def test_seed_fields(seed_article):
    assert seed_article.title == TITLE
    assert seed_article.source == "人民邮电报"
    assert seed_article.published_at == "2025-09-23T14:39:00+08:00"
    assert seed_article.author == "邓聪"
    assert seed_article.editor == "肖春芳"


def test_seed_body_is_exactly_the_nine_paragraphs(seed_article):
    expected = capture_paragraphs()
    assert len(expected) == 9
    assert seed_article.paragraphs == expected
    assert seed_article.body == "\n\n".join(expected)
    assert seed_article.body.endswith("在更广范围、更深程度、更高水平上释放工业互联网乘数效应。")


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_seed_body_has_no_boilerplate(seed_article, phrase):
    assert phrase not in seed_article.body


def test_html_and_text_agree():
    from_text = scraper.extract(SEED_TXT.read_text(encoding="utf-8"))
    from_html = scraper.extract(SEED_HTML.read_text(encoding="utf-8"))
    for field in ("title", "source", "author", "editor", "published_at", "body"):
        assert getattr(from_text, field) == getattr(from_html, field), field
    assert from_html.extractor == "rule:gmw.cn"
    assert from_text.extractor == "text"


def test_html_uses_the_gmw_rule_by_url_and_by_fingerprint():
    html = SEED_HTML.read_bytes()
    by_url = scraper.extract(html, url="https://tech.gmw.cn/2025-09/23/content_1.htm")
    assert by_url.site == "gmw.cn" and by_url.extractor == "rule:gmw.cn"
    assert by_url.url == "https://tech.gmw.cn/2025-09/23/content_1.htm"
    assert scraper.extract(html).site == "gmw.cn"


def test_missing_fields_are_none_never_empty():
    article = scraper.extract("<html><body><p>只有一句话，没有标题也没有来源。</p></body></html>")
    assert article.title is None and article.source is None and article.editor is None
    assert article.url is None and article.site is None
    assert all(value != "" for value in article.to_dict().values())


def test_to_dict_has_the_documented_fields(seed_article):
    data = seed_article.to_dict()
    for key in ("url", "site", "title", "source", "author", "editor", "published_at", "body"):
        assert key in data
