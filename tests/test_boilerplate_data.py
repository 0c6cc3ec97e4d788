"""Boilerplate knowledge in scraper/data/boilerplate.toml: both scripts, and body prose untouched."""

from __future__ import annotations

import pytest

from scraper.extract.boilerplate import is_drop_line, is_stop_line

DROPPED = [
    "本文为某某网原创文章，未经允许不得转载，如需转载请联系本站。",
    "本作品为“某某科普”原创，转载时务请注明出处。",
    "未經授權，不得轉載",
    "Copyright © 2010-2024 example.cn All Rights Reserved",
    "某某游戏网 All rights reserved.",
    "京ICP备12345678号-1",
    "某公网安备 11010502000000号",
    "某某日报社出版|国内统一刊号：CN00—0000|邮发代号：00—0",
    "反侵权公告",
    "下载某某应用程序跟踪国际时事",
    "头条新闻就在您的每日新闻信里",
    "官方微信平台",
    "#大家健康# @某某健康",
    "※ 本網頁已閒置超過3分鐘，請點擊右上關閉鈕，即可關閉。",
    "您所瀏覽的新聞已過查詢時效。建議您加入會員",
    "▲▼消防人員到場搶救。（圖／翻攝畫面）",
    "市民在街頭排隊等候。（圖／記者王小明攝）",
    "★某某報關心您：再給自己一次機會",
    "划重点：",
    "友善列印",
    "更新时间",
    "分享至 Facebook LINE 複製連結",
    "追蹤某某新聞網 :",
    "点击上方蓝字关注我们",
    "張律师（法律顾问）0432-62000000",
    "《某某日报》（ 2024年02月13日 02版）",
]
STOPS = ["推薦閱讀", "延伸閱讀", "留言規則", "【相關新聞】", "王小明的最新文章", "APP精彩推荐",
         "相关资讯请关注:", "你可能還想看",
         "友情链接"]  # fmt: skip
PROSE = [
    "近年来，某县坚持从农牧民实际需求出发，因地制宜，全面推进厕所新建改建工作。",
    "警方呼籲民眾，遇到可疑來電應立即撥打165反詐騙專線查證，切勿轉帳。",
    "他说：“版权保护是创新的基础，未经授权的使用必须依法追究。”记者了解到，案件仍在审理。",
    "该公司董事长在发布会上介绍了新产品的研发过程和推荐价格。",
    "讲座结束后，读者纷纷留言，分享自己的阅读体会。",
    "追踪调查显示，该项目已于去年年底完工，目前运行良好。",
    "工地上机器轰鸣，工人们正在加紧施工。项目负责人介绍，主体结构预计月底封顶。（图/记者 王明）",
    "分享经济的发展，让闲置资源得到了更充分的利用。",
]


@pytest.mark.parametrize("line", DROPPED)
def test_boilerplate_lines_are_dropped(line):
    assert is_drop_line(line)


@pytest.mark.parametrize("line", STOPS)
def test_trailer_headings_stop_the_body(line):
    assert is_stop_line(line)


@pytest.mark.parametrize("line", PROSE)
def test_prose_is_neither(line):
    assert not is_drop_line(line)
    assert not is_stop_line(line)
