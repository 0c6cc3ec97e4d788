"""The generic body finder picks the article's own prose, never a neighbour's (invented pages)."""

from __future__ import annotations

from conftest import FIXTURES

import scraper

BODY = FIXTURES / "body"


def extract(name: str) -> scraper.Article:
    return scraper.extract((BODY / name).read_bytes())


def test_a_page_wrapped_in_one_form_keeps_its_body():
    article = extract("aspnet_form.html")
    assert "歷時兩年的老街區改造工程今（4）日正式完工" in article.body
    assert article.paragraphs[-1].endswith("心裡很踏實。")
    assert "閒置" not in article.body


def test_paragraphs_inside_a_custom_element_are_the_body():
    article = extract("custom_element.html")
    assert article.paragraphs[0].startswith("记者近日从县文化和旅游局了解到")
    assert len(article.paragraphs) == 3
    assert "出版" not in article.body


def test_the_body_ends_at_its_editor_line():
    article = extract("quoted_next_story.html")
    assert article.paragraphs[-1].endswith("还能和老邻居聊聊天。")
    assert "台风" not in article.body


def test_a_short_article_beats_the_teaser_feed_under_it():
    article = extract("teaser_feed.html")
    assert article.paragraphs == [
        "最新調查顯示，本港企業信心五月保持穩定，但受訪企業反映，租金與人手成本上升正在蠶食利潤。"
    ]


def test_a_thousand_nested_divs_do_not_recurse():
    html = (
        "<html><body>"
        + "<div>" * 1000
        + "<p>很深很深的一段正文，里面有逗号，也有句号。</p>"
        + "</div>" * 1000
    )
    article = scraper.extract(html + "</body></html>")
    assert article.body is None or "很深" in article.body


def test_a_body_of_one_div_per_paragraph_is_whole():
    article = extract("div_paragraphs.html")
    assert article.paragraphs[0].startswith("春回大地，万象更新。")
    assert article.paragraphs[-1] == "预祝大会圆满成功！"
    assert len(article.paragraphs) == 4


def test_paragraphs_after_a_cms_include_tag_are_the_body():
    article = extract("cms_include.html")
    assert article.paragraphs[0].startswith("“使用四周后")
    assert article.paragraphs[-1].endswith("作出最终认定。")


def test_a_page_without_an_article_has_no_body_not_its_footer():
    assert extract("footer_only.html").body is None


def test_a_lead_set_apart_from_the_body_by_an_ad_is_kept():
    article = extract("lead_apart.html")
    assert article.paragraphs[0].startswith("各位好，欢迎收听报纸摘要。")
    assert article.paragraphs[-1].startswith("多年来，两国一直充当调停方")
    assert "广告" not in article.body
    assert article.published_at == "2022-02-06T13:48:00+08:00"


def test_a_short_article_beats_look_alike_teaser_cards_in_its_wrapper():
    article = extract("teaser_cards.html")
    assert article.paragraphs == [
        "桃園市平鎮區一家輪胎行今天清晨發生大火，七人從火場中疏散，消防局出動十餘輛消防車灌救。"
    ]
    assert article.published_at == "2016-03-19T10:48:00+08:00"


def test_a_short_article_beats_denser_comments_in_a_comment_box():
    article = extract("comments_denser.html")
    assert article.paragraphs == [
        "记者从市交通运输局获悉，市区将于下周一起新增三条公交线路，覆盖城东新区和高铁站。"
    ]


def test_a_page_wrapper_named_like_chrome_still_holds_the_article():
    html = (
        '<html><body><div class="site-footer-fixed page"><h1>老街区改造完工</h1>'
        "<div class='text'><p>历时两年的老街区改造工程今日正式完工，首批三十户居民领取新居钥匙。</p>"
        "<p>区政府表示，改造工程保留了街区原有的骑楼与红砖立面，同时更新了排水设施。</p></div>"
        "</div></body></html>"
    )
    assert scraper.extract(html).paragraphs[0].startswith("历时两年的老街区改造工程")


def test_an_info_line_under_a_summary_leaves_the_body_for_the_fields():
    """Portals set a summary or a caption above the date-and-outlet line inside the body
    container; the line is read as the info line, not kept as a paragraph."""
    article = extract("info_under_caption.html")
    assert article.source == "南島日報"
    assert article.published_at == "2024-07-23T09:42:00+08:00"
    assert article.paragraphs[0] == "南部山區今明兩天嚴防豪雨。"
    assert not any("09:42" in p for p in article.paragraphs)
    assert article.author == "林志明"  # the lone name right under the info line
    assert "林志明" not in article.body


def test_widget_glyphs_font_buttons_and_ad_lines_are_not_paragraphs():
    article = extract("info_under_caption.html")
    leftovers = {"+", "留言", "A-A+", "×"}
    assert not leftovers & set(article.paragraphs)
    assert "廣告" not in article.body
    assert len(article.paragraphs) == 4
