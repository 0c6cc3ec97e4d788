"""Labelled metadata in all the spellings portals use."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scraper
from scraper.extract.fields import (
    clean_long_text,
    clean_names,
    clean_source,
    clean_text,
    editor_line,
    parse_datetime,
    split_value_and_date,
    take_trailing_credit,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-09-23 14:39", "2025-09-23T14:39:00+08:00"),
        ("2025-09-23 14:39:05", "2025-09-23T14:39:05+08:00"),
        ("2025年9月23日 14:39", "2025-09-23T14:39:00+08:00"),
        ("2025年09月23日14时39分", "2025-09-23T14:39:00+08:00"),
        ("2025/9/3", "2025-09-03"),
        ("发布时间：2025.09.23", "2025-09-23"),
        ("2024-05-09T14:27:02Z", "2024-05-09T22:27:02+08:00"),
        ("2024-05-09T22:27:02+08:00", "2024-05-09T22:27:02+08:00"),
        ("2025-13-45", None),
        ("no date here", None),
        ("", None),
    ],
)
def test_parse_datetime(text, expected):
    assert parse_datetime(text) == expected


def test_source_glued_to_date():
    assert split_value_and_date("人民邮电报2025-09-23 14:39") == (
        "人民邮电报",
        "2025-09-23T14:39:00+08:00",
    )
    assert clean_source("人民邮电报2025-09-23 14:39") == "人民邮电报"
    assert clean_source(" 【新华网】 ") == "新华网"


@pytest.mark.parametrize(
    "paragraph, author, editor",
    [
        ("正文结束。 (作者:邓聪)", "邓聪", None),
        ("正文结束。（作者：邓聪）", "邓聪", None),
        ("正文结束。（记者 王美莹）", "王美莹", None),
        ("正文结束。（责任编辑：赵磊）", None, "赵磊"),
        ("正文结束。", None, None),
    ],
)
def test_trailing_credit(paragraph, author, editor):
    rest, found_author, found_editor = take_trailing_credit(paragraph)
    assert rest == "正文结束。"
    assert (found_author, found_editor) == (author, editor)


@pytest.mark.parametrize(
    "line",
    [
        "[ 责编:肖春芳 ]",
        "[ 责编：肖春芳 ]",
        "[责任编辑：肖春芳]",
        "【责任编辑：肖春芳】",
        "责任编辑:肖春芳",
    ],
)
def test_editor_line_spellings(line):
    assert editor_line(line) == "肖春芳"


def test_editor_line_rejects_prose():
    assert editor_line("记者从编辑部了解到，新的栏目将在下月上线。") is None


def test_names_are_joined_by_dunhao():
    assert clean_names("李明 王芳") == "李明、王芳"
    assert clean_names("王乐文 方 敏") == "王乐文、方敏"
    assert clean_names("刘艺,杨吉") == "刘艺、杨吉"
    assert clean_names("  ") is None


FULL_WIDTH_CAPTURE = """首页 > 新闻 > 正文
某市发布新规 推进老旧小区改造
来源：某市日报　2024年05月13日 08:30
　　第一段内容，介绍新规的主要内容和实施时间。
　　第二段内容，说明改造范围与资金来源。（作者：张三、李四）
【责任编辑：王五】
相关新闻
其他文章标题
"""


def test_text_capture_with_full_width_labels():
    article = scraper.extract(FULL_WIDTH_CAPTURE)
    assert article.title == "某市发布新规 推进老旧小区改造"
    assert article.source == "某市日报"
    assert article.published_at == "2024-05-13T08:30:00+08:00"
    assert article.author == "张三、李四"
    assert article.editor == "王五"
    assert article.paragraphs == [
        "第一段内容，介绍新规的主要内容和实施时间。",
        "第二段内容，说明改造范围与资金来源。",
    ]


@pytest.mark.parametrize(
    "paragraph", ["图为新建成的站台。（编辑部供图）", "他说（作者系退休教师）"]
)
def test_trailing_parenthesis_that_is_not_a_credit_stays(paragraph):
    assert take_trailing_credit(paragraph) == (paragraph, None, None)


def test_glued_reporter_credit():
    assert take_trailing_credit("正文。（记者刘艺、杨吉）") == ("正文。", "刘艺、杨吉", None)


def test_text_capture_takes_the_dateline_credit():
    capture = (
        "首页 > 国内\n暴雨过后城区道路全部恢复通行\n2024-07-02 09:15\n"
        "新华社南昌7月1日电（记者 胡晓明 周洁）记者1日从江西省交通运输厅获悉，城区道路已全部恢复通行。\n"
        "据介绍，此次强降雨过程中，全市共出动抢险人员3000余人次，清理淤泥2万余立方米。\n"
    )
    article = scraper.extract(capture.encode("utf-8"))
    assert (article.author, article.source) == ("胡晓明、周洁", "新华社")


def test_names_are_checked_to_be_persons():
    assert clean_names("陈智、整合") == "陈智"
    assert clean_names("医技药剂党支部") is None
    assert clean_names("张小三（实习）、李四") == "张小三、李四"
    assert clean_names("棒棒不是糖") == "棒棒不是糖"  # a labelled pen name


# Every space and zero-width character clean_text knows, some it does not (U+2005, U+2028), and
# letters: long runs and single spaces both.
_MESSY = st.text(
    alphabet=st.sampled_from(" \t\n\r\f\v\u00a0\u3000\u2002\u2003\u2009\u202f\u2005\u2028"
                             "\u200b\u200c\u200d\u2060\ufeff\u00ad中文ab，"),
    max_size=300,
)  # fmt: skip


def _reference_clean(text: str) -> str:
    """What clean_text promises, written the obvious way."""
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    return re.sub("[ \t\n\u00a0\u3000\u2002\u2003\u2009\u202f\r\f\v]+", " ", text).strip()


@given(_MESSY)
def test_long_text_cleaning_is_the_same_cleaning(text: str) -> None:
    """Long texts are cleaned by str.replace passes instead of the regex (for speed): the result
    must be the same, character for character, short or long."""
    for sample in (text, text * 40):
        assert clean_text(sample) == clean_long_text(sample) == _reference_clean(sample)
