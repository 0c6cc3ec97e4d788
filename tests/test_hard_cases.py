"""Hand-written pages for the hard cases of Chinese news extraction (generic path, no rules)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

import scraper

HARD = FIXTURES / "hard"
FETCHED = "2024-04-01T02:00:00+00:00"  # 10:00 in Beijing


def extract(name: str, **kwargs) -> scraper.Article:
    return scraper.extract((HARD / name).read_bytes(), **kwargs)


def test_wire_dateline_gives_the_authors_and_comments_stay_out():
    article = extract("wire_dateline.html")
    assert article.author == "张旭东、王凯"
    assert (article.source, article.editor) == ("新华社", "陈晓")
    assert article.published_at == "2024-05-13T10:05:32+08:00"
    assert len(article.paragraphs) == 3
    assert "网友评论" not in article.body and "价格能便宜" not in article.body


def test_relative_time_is_resolved_against_the_fetch_time():
    article = extract("relative_time.html", fetched_at=FETCHED)
    assert article.published_at == "2024-04-01T07:00:00+08:00"
    assert "猜你喜欢" not in article.body


def test_relative_time_without_a_fetch_time_is_unknown_not_invented():
    assert extract("relative_time.html").published_at is None


def test_month_and_day_without_a_year_take_the_fetch_year():
    assert extract("month_day.html", fetched_at=FETCHED).published_at == "2024-03-28T09:15:00+08:00"


def test_month_and_day_later_than_the_fetch_date_are_last_year():
    article = extract("month_day.html", fetched_at="2024-01-10T02:00:00+00:00")
    assert article.published_at == "2023-03-28T09:15:00+08:00"


def test_tiny_body_beats_a_denser_recommendation_feed():
    article = extract("tiny_body.html")
    assert article.paragraphs == [
        "市气象台今晨发布大风蓝色预警，预计今天白天阵风可达7至8级，请注意防范高空坠物。"
    ]
    assert article.source == "某某晚报"
    assert article.published_at == "2024-03-02T07:40:11+08:00"


def test_closing_credit_group_becomes_fields():
    article = extract("closing_credits.html")
    assert (article.source, article.author, article.editor) == ("某某日报", "王晓雨", None)
    assert article.body.endswith("也要贴近年轻消费者的需求。")
    assert "返回搜狐" not in article.body and "来源" not in article.body


def test_traditional_script_page_with_a_signature():
    article = extract("traditional_signature.html")
    assert article.title == "颱風外圍環流影響 北部山區防豪雨"
    assert article.published_at == "2024-07-22T14:35:00+08:00"
    assert article.author == "陳怡君"
    assert article.source is None  # 出版時間 is a label, not an outlet


@pytest.mark.parametrize("name", sorted(p.name for p in HARD.glob("*.html")))
def test_no_boilerplate_in_any_hard_case(name):
    body = extract(name, fetched_at=FETCHED).body
    for phrase in ("版权所有", "分享到", "登录", "免责声明", "首页", "责任编辑"):
        assert phrase not in body
