"""One article, one row, the right site: redirects, later pages and foreign hosts in a URL list.

Against a real HTTP server on 127.0.0.1 (pytest-httpserver), like tests/test_fetch.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES
from test_fetch import archive_urls, only

import scraper
from scraper.fetch.urls import registered_domain

PEOPLE_PAGE = FIXTURES / "sites" / "people_rm_txt.html"


@pytest.fixture
def site(httpserver):
    """The test server, with a permissive (missing) robots.txt."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


# --- item: the site is the URL's, a rule's `detect` only picks a template ------------------


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("www.gmw.cn", "gmw.cn"),
        ("news.sina.com.cn", "sina.com.cn"),
        ("www.jschina.com.cn", "jschina.com.cn"),
        ("wap.bjnews.bj.cn", "bjnews.bj.cn"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("money.163.com", "163.com"),
        ("gmw.cn", "gmw.cn"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_registered_domain(host, expected):
    assert registered_domain(host) == expected


def test_detect_picks_the_template_but_the_url_names_the_site():
    url = "https://www.jschina.com.cn/news/c_1.html"
    article = scraper.extract(PEOPLE_PAGE.read_bytes(), url=url)
    assert article.extractor == "rule:people.com.cn"  # the template people.com.cn's rule gave
    assert article.site == "jschina.com.cn"


def test_a_saved_page_without_url_takes_the_templates_site():
    assert scraper.extract(PEOPLE_PAGE.read_bytes()).site == "people.com.cn"


def test_archived_page_resembling_a_portal_keeps_its_own_host(site, db):
    site.expect_request("/a.html").respond_with_data(
        PEOPLE_PAGE.read_bytes(), content_type="text/html; charset=utf-8"
    )
    url = site.url_for("/a.html")
    archive, summary = archive_urls(db, [url])
    record = archive.get(only(summary).article_id)
    assert record["extractor"] == "rule:people.com.cn"
    assert record["site"] == urlsplit(url).hostname != "people.com.cn"
