"""One article, one row, the right site: redirects, later pages and foreign hosts in a URL list.

Against a real HTTP server on 127.0.0.1 (pytest-httpserver), like tests/test_fetch.py.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, TITLE, page
from test_fetch import archive_urls, only, paginated, settings

import scraper
from scraper.fetch.urls import registered_domain
from scraper.pipeline.run import ArchiveOptions, run_archive
from scraper.store.aliases import PAGE_OF_ARCHIVED, archived_as
from scraper.store.raw_pages import RawPage
from scraper.store.schema import SCHEMA_VERSION

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
        ("www.gov.cn", "gov.cn"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
        ("ent.ltn.com.tw", "ltn.com.tw"),
        ("news.mingpao.com", "mingpao.com"),
        ("someone.github.io", "someone.github.io"),  # a private suffix: each user is a site
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


# --- item: a redirect and its target are one article ------------------------------------------


def requests_to(server, *paths: str) -> int:
    return sum(1 for request, _ in server.log if request.path in paths)


@pytest.fixture
def moved(site):
    """/old answers 301 → /new, the article."""
    site.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    site.expect_request("/new").respond_with_data(page(), content_type="text/html")
    return site


def test_a_redirect_and_its_target_are_one_article_keyed_by_the_target(moved, db):
    old, new = moved.url_for("/old"), moved.url_for("/new")
    archive, summary = archive_urls(db, [old, new])
    assert archive.count() == 1
    assert sorted(o.status for o in summary.outcomes) == ["added", "unchanged"]
    record = archive.get(new)
    assert record["url"] == new and record["aliases"] == {old: 1}
    assert archive.get(old)["id"] == record["id"]


def test_a_rerun_fetches_neither_the_redirect_nor_its_target(moved, db):
    old, new = moved.url_for("/old"), moved.url_for("/new")
    archive_urls(db, [old])
    before = requests_to(moved, "/old", "/new")
    archive, again = archive_urls(db, [new, old + "?utm_source=wx"])
    assert requests_to(moved, "/old", "/new") == before
    assert [(o.status, o.error) for o in again.outcomes] == [
        ("already_archived", "already archived")
    ] * 2
    assert archive.count() == 1


def test_show_finds_the_article_by_either_url(moved, db, run_cli):
    archive_urls(db, [moved.url_for("/old")])
    for url in (moved.url_for("/old"), moved.url_for("/new") + "?utm_source=wx"):
        shown = run_cli("show", url, "--db", db)
        assert shown.code == 0 and TITLE in shown.out


def test_refresh_keeps_the_row_of_an_article_archived_under_the_old_url(moved, db):
    old, new = moved.url_for("/old"), moved.url_for("/new")
    with scraper.Archive(db) as archive:  # as archived before the key was the final URL
        archive.save(scraper.Article(url=old, title="旧标题", body="旧的正文。"))
    archive = scraper.Archive(db)
    summary = run_archive(archive, [old], ArchiveOptions(fetch=settings(), refresh=True))
    assert only(summary).status == "updated"
    assert archive.count() == 1 and archive.get(new)["title"] == TITLE


def test_aliases_survive_export_and_import(moved, db, tmp_path, run_cli):
    old, new = moved.url_for("/old"), moved.url_for("/new")
    archive_urls(db, [old])
    first, copy, second = tmp_path / "a.jsonl", tmp_path / "copy.db", tmp_path / "b.jsonl"
    assert run_cli("export", "--format", "jsonl", "--out", first, "--db", db).code == 0
    assert json.loads(first.read_text("utf-8"))["aliases"] == {old: 1}
    assert run_cli("import", first, "--db", copy).code == 0
    assert run_cli("export", "--format", "jsonl", "--out", second, "--db", copy).code == 0
    assert second.read_bytes() == first.read_bytes()
    assert scraper.Archive(copy).get(old)["url"] == new


def test_an_archive_made_before_aliases_learns_them_from_its_raw_pages(tmp_path):
    db = tmp_path / "v2.db"
    asked, final, page_2 = "http://a.cn/old", "http://a.cn/c_1.htm", "http://a.cn/c_1_2.htm"
    with scraper.Archive(db) as archive:  # keyed by the URL asked for, as runs used to
        raws = [RawPage(final, b"<p>1</p>"), RawPage(page_2, b"<p>2</p>")]
        archive.save(scraper.Article(url=asked, title="标题", body="正文。"), raws)
        archive.save(scraper.Article(url="file:///saved.html", title="存档", body="正文。"),
                     [RawPage("file:///saved.html", b"<p>x</p>")])  # fmt: skip
        archive.db.execute("DROP TABLE url_aliases")
        archive.set_meta("schema_version", "2")
        archive.commit()
    with scraper.Archive(db) as archive:
        assert archive.meta("schema_version") == SCHEMA_VERSION
        rows = archive.db.execute("SELECT url, page_no FROM url_aliases ORDER BY url").fetchall()
        assert rows == [(final, 1), (page_2, 2)]
        assert archive.get(page_2)["url"] == asked
        assert archived_as(archive.db.conn, page_2) == PAGE_OF_ARCHIVED


# --- item: later pages in the list are pages of their article, not articles -------------------

PAGES = ["c_100.htm", "c_100_2.htm", "c_100_3.htm"]


@pytest.fixture
def three_pages(site):
    for number, name in enumerate(PAGES, start=1):
        site.expect_request(f"/news/{name}").respond_with_data(
            paginated(number, len(PAGES)), content_type="text/html"
        )
    return site


@pytest.mark.parametrize(
    "order", [[0, 1, 2], [1, 2, 0], [2, 0, 1]], ids=["first-page-first", "first-page-last", "mixed"]
)
def test_later_pages_in_the_list_are_pages_of_one_article(three_pages, db, order):
    urls = [three_pages.url_for(f"/news/{PAGES[i]}") for i in order]
    archive, summary = archive_urls(db, urls)
    assert archive.count() == 1
    by_input = {o.input: (o.status, o.error) for o in summary.outcomes}
    assert by_input[urls[order.index(0)]] == ("added", None)
    skipped = [by_input[u] for u in urls if u != urls[order.index(0)]]
    assert skipped == [("already_archived", PAGE_OF_ARCHIVED)] * 2
    record = archive.get(urls[order.index(0)])
    assert archive.raw_page_count(record["id"]) == 3
    assert record["aliases"] == {three_pages.url_for(f"/news/{PAGES[i]}"): i + 1 for i in (1, 2)}


def test_later_pages_of_an_article_archived_before_are_not_fetched(three_pages, db):
    archive_urls(db, [three_pages.url_for("/news/c_100.htm")])
    before = len(three_pages.log)
    _, again = archive_urls(db, [three_pages.url_for(f"/news/{PAGES[2]}")])
    assert len(three_pages.log) == before
    assert [(o.status, o.error) for o in again.outcomes] == [("already_archived", PAGE_OF_ARCHIVED)]


def test_a_later_page_without_its_first_is_archived(three_pages, db):
    archive, summary = archive_urls(db, [three_pages.url_for("/news/c_100_2.htm")])
    assert only(summary).status == "added" and archive.count() == 1
