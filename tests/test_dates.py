"""Dates as pages show them: formats, zones, split nodes, and the shown time over <meta>."""

from __future__ import annotations

import pytest

import scraper
from scraper.extract.date_lines import shown_date
from scraper.extract.dates import parse_other_date
from scraper.extract.fields import parse_datetime

FORMATS = [
    ("2024.05.11", "2024-05-11"),
    ("2024.05.11 08:30", "2024-05-11T08:30:00+08:00"),
    ("发表时间： 06/02/2022 - 13:48", "2022-02-06T13:48:00+08:00"),
    ("25/12/2023", "2023-12-25"),
    ("12/25/2023", "2023-12-25"),  # 25 cannot be a month
    ("31/02/2022", None),
    ("May 11, 2024", "2024-05-11"),
    ("Published 11 May 2024 08:30 GMT", "2024-05-11T08:30:00+00:00"),
    ("Feb. 6, 2022 at 3:05 PM", "2022-02-06T15:05:00+08:00"),
    ("September 23rd, 2019", "2019-09-23"),
    ("24年5月11日", "2024-05-11"),
    ("24-05-11 08:30", "2024-05-11T08:30:00+08:00"),
    ("2012年12月10日, 格林尼治标准时间10:41", "2012-12-10T10:41:00+00:00"),
    ("2012-12-10 10:41 GMT", "2012-12-10T10:41:00+00:00"),
    ("北京时间2024年5月11日 08:30", "2024-05-11T08:30:00+08:00"),
    ("2018-07-31T08:19:35Z", "2018-07-31T16:19:35+08:00"),  # a zoned <meta> time, in Beijing time
    ("2022-02-06T12:48:06+00:00", "2022-02-06T20:48:06+08:00"),
    ("2024-05-11 | 08:30", "2024-05-11T08:30:00+08:00"),
    ("阅读 1,234 次", None),
    ("第12/3期", None),
]


@pytest.mark.parametrize(("text", "expected"), FORMATS)
def test_date_formats(text, expected):
    assert parse_datetime(text) == expected


def test_a_page_in_us_english_reads_month_first():
    assert parse_other_date("06/02/2022", day_first=False) == "2022-06-02"


def test_the_date_line_under_a_photo_caption_is_found():
    page = ["首页 > 即時 > 生活", "凶宅下月拍賣 開價四百萬", "房子位在萬大路一帶。（圖翻攝自地圖）",
            "2018-07-31 08:19", "〔即時新聞／綜合報導〕十年前的命案現場，下月將以每坪三十八萬元拍賣。"]  # fmt: skip
    assert shown_date(page, 1, []) == "2018-07-31T08:19:00+08:00"


def test_a_date_and_its_time_in_two_nodes_are_read_together():
    assert shown_date(["标题", "2024-05-11", "08:30", "正文"], 0, []) == "2024-05-11T08:30:00+08:00"


def test_a_sentence_that_mentions_a_date_is_not_a_date_line():
    assert shown_date(["标题", "2024年5月11日上午，市政府召开新闻发布会。"], 0, []) is None


def test_a_labelled_date_under_the_body_counts_when_none_is_above():
    after = ["发布日期：2019-09-23 14:34:05 所属分类：头条", "2019年11月03日"]
    assert shown_date(["标题", "正文很长，没有日期。"], 0, after) == "2019-09-23T14:34:05+08:00"


def _page(shown: str, meta: str) -> str:
    return (
        f'<html><head><meta charset="utf-8"><meta property="article:published_time" content="{meta}">'
        "<title>马克龙周一访问莫斯科</title></head><body><h1>马克龙周一访问莫斯科</h1>"
        f"<div class='dates'>发表时间： <time>{shown}</time></div><div class='text'>"
        + "<p>法国星期天报说，马克龙星期一在莫斯科与俄罗斯总统会面，星期二前往基辅。</p>" * 3
        + "</div></body></html>"
    )


def test_the_time_the_page_shows_wins_over_a_meta_time_in_another_zone():
    article = scraper.extract(_page("06/02/2022 - 13:48", "2022-02-06T12:48:06+00:00"))
    assert article.published_at.startswith("2022-02-06T13:48")


def test_meta_settles_the_day_month_order():
    article = scraper.extract(_page("02/06/2022 - 13:48", "2022-02-06T12:48:06+00:00"))
    assert article.published_at.startswith("2022-02-06T13:48")


def test_a_bare_shown_day_takes_the_meta_minute_only_on_the_same_day():
    assert scraper.extract(_page("2022-02-06", "2022-02-06T04:48:06+00:00")).published_at == (
        "2022-02-06T12:48:06+08:00"
    )
    assert scraper.extract(_page("2022-02-05", "2022-02-06T04:48:06+00:00")).published_at == (
        "2022-02-05"
    )
