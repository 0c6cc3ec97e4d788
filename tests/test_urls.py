from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.fetch.urls import BadURL, canonical_url, host_of, same_site

YAHOO_ENCODED = (
    "https://hk.news.yahoo.com/"
    "%E7%BE%A9%E5%A4%A7%E5%88%A9%E5%85%AC%E9%96%8B%E8%B3%BD-"
    "%E8%8C%B2%E9%9F%8B%E5%88%97%E5%A4%AB%E5%B0%81%E7%8E%8B-060502643.html"
)
WEIXIN = (
    "http://mp.weixin.qq.com/s?__biz=MzAxMzgxNzUxOA==&mid=2650804290&idx=8"
    "&sn=d625de357b53f96d710aca4e6ec7f57c"
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://WWW.GMW.CN:443/a.htm?utm_source=wx&id=3#top",
            "https://www.gmw.cn/a.htm?id=3",
        ),
        ("  http://www.gmw.cn:80  ", "http://www.gmw.cn/"),
        ("http://www.gmw.cn:443/x", "http://www.gmw.cn:443/x"),
        ("https://www.gmw.cn:8443/x?", "https://www.gmw.cn:8443/x"),
        ("http://a.cn/x?b=2&a=1&c=3", "http://a.cn/x?b=2&a=1&c=3"),
        ("http://a.cn/x?UTM_Medium=1&Spm=a.b&FROM=timeline&id=9", "http://a.cn/x?id=9"),
        (
            "http://a.cn/x?sharer_shareid=1&fbclid=z&ref=hn&timestamp=17",
            "http://a.cn/x?timestamp=17",
        ),
        ("http://a.cn/x?utm_source=a&spm=b", "http://a.cn/x"),
        ("http://a.cn/%e4%b8%ad?q=%2f", "http://a.cn/%E4%B8%AD?q=%2F"),
        ("http://a.cn/中?q=文", "http://a.cn/%E4%B8%AD?q=%E6%96%87"),
        # sina's six params are only noise on sina hosts
        ("http://a.cn/x?r=9&mod=f&loc=4", "http://a.cn/x?r=9&mod=f&loc=4"),
        ("http://notsina.cn/x?r=9", "http://notsina.cn/x?r=9"),
        ("http://news.sina.cn/x?r=9&id=1", "http://news.sina.cn/x?id=1"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_sina_tracking_params_dropped() -> None:
    url = (
        "http://finance.sina.com.cn/money/forex/forexroll/2016-05-25/doc-ifxsktkp9337164.shtml"
        "?cre=financepagepc&mod=f&loc=4&r=9&doct=0&rfunc=100"
    )
    assert canonical_url(url) == (
        "http://finance.sina.com.cn/money/forex/forexroll/2016-05-25/doc-ifxsktkp9337164.shtml"
    )


def test_toutiao_log_from_dropped() -> None:
    url = (
        "https://www.toutiao.com/article/7367007067191640576/?log_from=194eba7dc9a22_1715309867993"
    )
    assert canonical_url(url) == "https://www.toutiao.com/article/7367007067191640576/"


def test_weixin_keeps_article_params_in_order() -> None:
    url = WEIXIN + "&chksm=abc&scene=21#wechat_redirect"
    assert canonical_url(url) == WEIXIN


def test_weixin_without_biz_uses_general_rules() -> None:
    url = "https://mp.weixin.qq.com/s?src=11&timestamp=1&scene=2"
    assert canonical_url(url) == "https://mp.weixin.qq.com/s?src=11&timestamp=1"


def test_non_ascii_path_is_percent_encoded() -> None:
    raw = "https://hk.news.yahoo.com/義大利公開賽-茲韋列夫封王-060502643.html"
    assert canonical_url(raw) == YAHOO_ENCODED
    assert canonical_url(YAHOO_ENCODED) == YAHOO_ENCODED
    assert canonical_url(YAHOO_ENCODED.lower()) == YAHOO_ENCODED  # %e7 -> %E7


def test_idn_host_becomes_punycode() -> None:
    assert (
        canonical_url("http://例子.测试/路径")
        == "http://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty URL"),
        ("   ", "empty URL"),
        ("ftp://x/y", "not an http(s) URL"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("www.gmw.cn/x", "not an http(s) URL"),
        ("//www.gmw.cn/x", "not an http(s) URL"),
        ("http://", "missing host"),
        ("https:///a", "missing host"),
        ("http:// spaces .com/", "whitespace in host"),
        ("http://host:99999/", "bad port"),
        ("http://host:8o/", "bad port"),
        ("http://a<b.cn/", "invalid host"),
        ("http://[/", "malformed URL"),
        ("http://[zz::1]/", "malformed URL"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(BadURL, match=re.escape(message)) as caught:
        canonical_url(url)
    assert "\n" not in str(caught.value)


def test_host_of() -> None:
    assert host_of("HTTP://News.Sina.COM.cn:8080/x") == "news.sina.com.cn"
    assert host_of("http://例子.测试/") == "xn--fsqu00a.xn--0zwm56d"


def test_same_site() -> None:
    assert same_site("http://www.gmw.cn/a", "https://GMW.CN:443/b")
    assert not same_site("http://www.gmw.cn/a", "http://news.gmw.cn/a")
    assert not same_site("http://gmw.cn/", "http://wwwgmw.cn/")


_HOSTS = ["www.gmw.cn", "WWW.Sina.com.cn", "news.sina.cn", "mp.weixin.qq.com", "例子.测试"]
_SEGMENTS = ["a", "中文", "%e4%b8%ad", "b c", "x.shtml", "", "%zz"]
_NAMES = [
    "id",
    "utm_source",
    "UTM_Medium",
    "spm",
    "__biz",
    "mid",
    "sn",
    "r",
    "mod",
    "q",
    "sharer_x",
]
_VALUES = ["1", "中", "a%2fb", "", "x+y", "MzA=="]


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "HTTP", "https", "HTTPS"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(st.sampled_from(_SEGMENTS), max_size=3)))
    params = draw(
        st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_VALUES)), max_size=5)
    )
    query = "&".join(f"{name}={value}" for name, value in params)
    fragment = draw(st.sampled_from(["", "#top", "#wechat_redirect", "#中"]))
    host = draw(st.sampled_from(_HOSTS))
    return f"{scheme}://{host}{port}/{path}" + (f"?{query}" if query else "") + fragment


@given(urls())
def test_canonical_url_is_idempotent_and_clean(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert "#" not in once
    assert "utm_" not in once.lower()
    assert once.startswith(("http://", "https://"))
