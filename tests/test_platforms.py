"""Self-media platforms: the publishing account is the 来源 (data/platforms.toml)."""

from __future__ import annotations

from scraper.extract.blocks import parse
from scraper.extract.platforms import Post, platform_post, platforms

_BAIJIAHAO = """<html><body><div class="author-txt"><p class="author-name">枫叶生活圈</p>
<span class="date">发布时间：10-08 12:00</span></div><a href="https://baijiahao.baidu.com/">百家号</a>
<div class="article"><p>今天的天气很好，市民纷纷走出家门。</p></div></body></html>"""

_WECHAT = """<html><body><div id="js_content" class="rich_media_content"><p>正文。</p></div>
<a id="js_name"> 山城小记 </a><span id="js_author_name">周小舟</span><script>var u = "https://mp.weixin.qq.com/s?x=1";</script>
</body></html>"""


def test_the_account_is_read_on_a_platform_page():
    assert platform_post(parse(_BAIJIAHAO), _BAIJIAHAO) == Post("枫叶生活圈")
    assert platform_post(parse(_WECHAT), _WECHAT) == Post("山城小记", "周小舟")


def test_an_author_box_off_any_platform_is_no_account():
    html = _BAIJIAHAO.replace("baijiahao.baidu.com", "example.com").replace("百家号", "首页")
    assert platform_post(parse(html), html) == Post()


def test_every_platform_names_markers_and_selectors():
    names = {p["name"] for p in platforms()}
    assert {"百家号", "头条号", "网易号", "快传号", "微信公众号"} <= names
    assert all(p["markers"] and p["account"] for p in platforms())
