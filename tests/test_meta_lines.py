"""Credits read from the lines around an article (any portal)."""

from __future__ import annotations

import pytest

from scraper.extract.meta_lines import (
    closing_credits,
    dateline_author,
    guess_source,
    read_info,
    read_trailer,
    reporter_line,
    signature_author,
)


@pytest.mark.parametrize(
    "line, names",
    [
        ("本报记者 王乐文 方 敏", "王乐文、方敏"),
        ("半月谈记者 史卫燕", "史卫燕"),
        ("新华社记者邹多为、唐诗凝、丁乐", "邹多为、唐诗凝、丁乐"),
        ("记者林悅／南市報導", "林悅"),
        ("作者 王之言 高孜然", "王之言、高孜然"),
        ("记者从上海昆剧团获悉，沈斌同志因病逝世。", None),
        ("新华社记者 李小贺 摄", None),  # a photo caption
    ],
)
def test_reporter_lines(line, names):
    assert reporter_line(line) == names


def test_datelines_and_signatures():
    assert dateline_author("新华社乌鲁木齐5月9日电（记者邹伟）中共中央政治局常委…") == "邹伟"
    assert signature_author("实现“多赢”“共赢”。（钟才文）") == "钟才文"
    assert signature_author("双方签署了合作协议。（新华社）") is None
    assert signature_author("图为活动现场。（图）") is None


def test_info_line_with_labels_in_any_order():
    credits = read_info(["2024-05-13 12:03:10  作者：曹磊  来源:东方网  选稿：曾炟"])
    assert (credits.source, credits.author, credits.editor) == ("东方网", "曹磊", "曾炟")
    assert credits.published_at == "2024-05-13T12:03:10+08:00"


def test_a_source_that_names_no_source_is_ignored():
    assert read_info(["2005-04-05 06:40更新 来源：转载文章"]).source is None


def test_job_title_before_the_name_is_dropped():
    assert read_info(["文丨政能亮特约评论员 韩涵"]).author == "韩涵"


def test_trailer_takes_labelled_dates_only():
    assert read_trailer(["2019-09-07 17:51:44 网友评论"]).published_at is None
    assert read_trailer(["发布日期：2019-03-06  责任编辑：龙慧"]).published_at == "2019-03-06"


def test_unlabelled_outlets():
    assert (
        guess_source(["2024年05月10日 00:26  每日经济新闻"], title_follows=True) == "每日经济新闻"
    )
    assert guess_source(["法新社", "2024年5月20日週一 下午2:05"], title_follows=True) == "法新社"
    assert guess_source(["出版時間：2024/07/22 14:35"], title_follows=True) is None


def test_a_heading_is_not_a_credit():
    assert reporter_line("作者最新文章") is None
    assert reporter_line("作者 王之言") == "王之言"


def test_roles_without_colons_inside_an_info_line():
    credits = read_info(["来源：新京报 记者 张三 编辑 李四"])
    assert (credits.source, credits.author, credits.editor) == ("新京报", "张三", "李四")
    assert read_info(["2024-05-13 10:05 澎湃新闻 记者 王晓"]).author == "王晓"
    assert read_info(["记者从上海获悉 有关部门"]).author is None


def test_outlet_before_a_credit_on_the_date_line():
    assert guess_source(["2024-05-13 10:05 澎湃新闻 记者 王晓"], title_follows=True) == "澎湃新闻"


def test_signatures_of_several_names_and_a_writer_after_the_outlet():
    assert signature_author("过一个祥和的新春佳节。（常书明 马丹 ）") == "常书明、马丹"
    assert signature_author("过一个祥和的新春佳节。（常书明 宣传部）") is None
    assert signature_author("（袁小源）") == "袁小源"  # the closing line of its own
    assert read_info(["2023-06-15 08:10 来源：中国新闻网 王明"]).author == "王明"
    assert read_info(["2023-06-15 08:10 来源：中国新闻网 分享"]).author is None
    assert read_info(["2024-06-18 08:05 来源: 潇湘晨报 湖南"]).author is None  # an IP location


def test_a_middle_dot_inside_a_source_is_part_of_it():
    assert read_info(["2019-08-13 14:07来源：顶端新闻·河南商报"]).source == "顶端新闻·河南商报"
    assert read_info(["来源：人民网 · 2024-05-13"]).source == "人民网"


def test_a_closing_credit_above_the_share_prompts_left_in_the_body():
    paragraphs = [
        "研究团队表示，这项成果将在明年投入应用，并计划与更多高校合作推进。（编译/林启东）",
        "精彩视频推荐",
        "转播到微博",
        "正在加载...",
    ]
    assert closing_credits(paragraphs).author == "林启东"
    assert closing_credits(paragraphs[1:]).author is None
