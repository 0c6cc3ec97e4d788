"""Archiving from URLs against a real HTTP server on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import gzip
import time

import pytest
from conftest import TITLE, page
from werkzeug import Response

import scraper
from scraper.fetch.engine import FetchSettings
from scraper.pipeline.run import ArchiveOptions, run_archive


@pytest.fixture
def site(httpserver):
    """The test server, with a permissive (missing) robots.txt."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


def settings(**changes) -> FetchSettings:
    base = dict(delay=0, backoff=0.01, retries=2, total_timeout=5.0, read_timeout=5.0)
    return FetchSettings(**{**base, **changes})


def archive_urls(db, urls, **changes) -> tuple[scraper.Archive, object]:
    archive = scraper.Archive(db)
    summary = run_archive(archive, urls, ArchiveOptions(fetch=settings(**changes)))
    return archive, summary


def only(summary):
    (outcome,) = summary.outcomes
    return outcome


def test_plain_page_is_archived_with_its_raw_bytes(site, db):
    site.expect_request("/a.html").respond_with_data(page(), content_type="text/html")
    archive, summary = archive_urls(db, [site.url_for("/a.html")])
    outcome = only(summary)
    assert outcome.status == "added" and outcome.title == TITLE
    record = archive.get(outcome.article_id)
    assert record["source"] == "江城晚报" and record["url"] == site.url_for("/a.html")
    (raw,) = archive.raw_pages(outcome.article_id)
    assert raw.content == page().encode() and raw.encoding == "utf-8"


def test_gbk_page(site, db):
    site.expect_request("/gbk.html").respond_with_data(
        page(charset="gbk").encode("gbk"), content_type="text/html"
    )
    archive, summary = archive_urls(db, [site.url_for("/gbk.html")])
    outcome = only(summary)
    assert outcome.title == TITLE
    assert archive.raw_pages(outcome.article_id)[0].encoding == "gb18030"


def test_page_lying_about_its_charset(site, db):
    site.expect_request("/lie.html").respond_with_data(
        page(charset="gb2312").encode("utf-8"), content_type="text/html; charset=gbk"
    )
    archive, summary = archive_urls(db, [site.url_for("/lie.html")])
    assert only(summary).title == TITLE
    assert archive.raw_pages(only(summary).article_id)[0].encoding == "utf-8"


def test_redirect_chain_is_followed(site, db):
    for hop, target in (("/r1", "/r2"), ("/r2", "/final.html")):
        site.expect_request(hop).respond_with_data("", status=302, headers={"Location": target})
    site.expect_request("/final.html").respond_with_data(page(), content_type="text/html")
    archive, summary = archive_urls(db, [site.url_for("/r1")])
    outcome = only(summary)
    assert outcome.status == "added"
    assert archive.raw_pages(outcome.article_id)[0].url == site.url_for("/final.html")


def test_redirect_loop_is_named(site, db):
    site.expect_request("/l1").respond_with_data("", status=301, headers={"Location": "/l2"})
    site.expect_request("/l2").respond_with_data("", status=301, headers={"Location": "/l1"})
    archive, summary = archive_urls(db, [site.url_for("/l1")])
    assert only(summary).status == "failed" and "redirect loop" in only(summary).error
    assert archive.failures()[0]["stage"] == "fetch"


def test_404_fails_once_without_retries(site, db):
    site.expect_request("/gone.html").respond_with_data("not here", status=404)
    archive, summary = archive_urls(db, [site.url_for("/gone.html")])
    assert only(summary).error == "HTTP 404"
    (failure,) = archive.failures()
    assert failure["attempts"] == 1 and failure["stage"] == "http"
    assert len([r for r, _ in site.log if r.path == "/gone.html"]) == 1


def test_500_then_200_is_retried(site, db):
    site.expect_oneshot_request("/flaky.html").respond_with_data("oops", status=500)
    site.expect_request("/flaky.html").respond_with_data(page(), content_type="text/html")
    _, summary = archive_urls(db, [site.url_for("/flaky.html")])
    assert only(summary).status == "added"


def test_429_honours_retry_after(site, db):
    site.expect_oneshot_request("/busy.html").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    site.expect_request("/busy.html").respond_with_data(page(), content_type="text/html")
    started = time.monotonic()
    _, summary = archive_urls(db, [site.url_for("/busy.html")])
    assert only(summary).status == "added"
    assert time.monotonic() - started >= 0.9  # it waited as told, not the 0.01 s backoff


def test_persistent_500_fails_after_retries(site, db):
    site.expect_request("/down.html").respond_with_data("down", status=503)
    archive, summary = archive_urls(db, [site.url_for("/down.html")], retries=2)
    assert only(summary).error == "HTTP 503"
    assert archive.failures()[0]["attempts"] == 3


def test_slow_response_times_out(site, db):
    def slow(_request):
        time.sleep(1.5)
        return Response(page(), content_type="text/html")

    site.expect_request("/slow.html").respond_with_handler(slow)
    _, summary = archive_urls(db, [site.url_for("/slow.html")], total_timeout=0.3, retries=0)
    assert only(summary).status == "failed" and only(summary).error == "timed out"


def test_robots_disallow_is_obeyed_unless_ignored(httpserver, db):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/")
    httpserver.expect_request("/private/a.html").respond_with_data(page(), content_type="text/html")
    url = httpserver.url_for("/private/a.html")
    _, summary = archive_urls(db, [url])
    assert only(summary).error == "disallowed by robots.txt"
    assert not [r for r, _ in httpserver.log if r.path == "/private/a.html"]
    _, summary = archive_urls(db, [url], obey_robots=False)
    assert only(summary).status == "added"


def test_robots_txt_is_fetched_once_per_host(site, db):
    for n in range(4):
        site.expect_request(f"/n{n}.html").respond_with_data(
            page(f"标题{n}号新闻"), content_type="text/html"
        )
    archive_urls(db, [site.url_for(f"/n{n}.html") for n in range(4)])
    assert len([r for r, _ in site.log if r.path == "/robots.txt"]) == 1


def test_gzip_bomb_is_refused(site, db):
    bomb = gzip.compress(b"\0" * (30 * 2**20))
    site.expect_request("/bomb.html").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    _, summary = archive_urls(db, [site.url_for("/bomb.html")])
    assert only(summary).status == "failed" and "decompressed" in only(summary).error


def test_gzip_page_is_decoded(site, db):
    site.expect_request("/gz.html").respond_with_data(
        gzip.compress(page().encode()), content_type="text/html",
        headers={"Content-Encoding": "gzip"},
    )  # fmt: skip
    _, summary = archive_urls(db, [site.url_for("/gz.html")])
    assert only(summary).title == TITLE


def test_oversized_body_is_refused(site, db):
    site.expect_request("/big.html").respond_with_data(b"x" * (3 * 2**20), content_type="text/html")
    _, summary = archive_urls(db, [site.url_for("/big.html")], max_bytes=2**20)
    assert only(summary).status == "failed" and "larger than 1 MB" in only(summary).error


def test_pdf_is_not_an_article_with_its_content_type(site, db):
    site.expect_request("/report.pdf").respond_with_data(
        b"%PDF-1.4", content_type="application/pdf"
    )
    archive, summary = archive_urls(db, [site.url_for("/report.pdf")])
    assert only(summary).status == "not_an_article" and "application/pdf" in only(summary).error
    assert archive.failures()[0]["stage"] == "content-type"
    assert summary.failed == summary.outcomes  # not archived: the run exits 1
    assert list(archive.failed_urls()) == []  # --retry-failed does not retry a PDF


def test_tracking_parameters_and_duplicates_fetch_once(site, db):
    site.expect_request("/dup.html").respond_with_data(page(), content_type="text/html")
    urls = [site.url_for("/dup.html") + q for q in ("?utm_source=wx", "?spm=1.2", "#top", "")]
    archive, summary = archive_urls(db, urls)
    assert [o.status for o in summary.outcomes] == ["added"]
    assert archive.count() == 1
    assert len([r for r, _ in site.log if r.path == "/dup.html"]) == 1


def test_archived_urls_are_skipped_unless_refresh(site, db):
    site.expect_request("/s.html").respond_with_data(page(), content_type="text/html")
    url = site.url_for("/s.html")
    archive_urls(db, [url])
    _, again = archive_urls(db, [url])
    assert only(again).status == "already_archived"
    archive = scraper.Archive(db)
    refreshed = run_archive(archive, [url], ArchiveOptions(fetch=settings(), refresh=True))
    assert only(refreshed).status == "unchanged"


def test_canonical_link_is_recorded(site, db):
    extra = '<link rel="canonical" href="/canonical/a.html">'
    site.expect_request("/c.html").respond_with_data(page(extra=extra), content_type="text/html")
    archive, summary = archive_urls(db, [site.url_for("/c.html")])
    assert archive.get(only(summary).article_id)["canonical_url"] == site.url_for(
        "/canonical/a.html"
    )


def paginated(number: int, last: int) -> str:
    pager = (
        f'<div class="page"><a href="c_100_{number + 1}.htm">下一页</a></div>'
        if number < last
        else ""
    )
    body = f"<p>这是第{number}页的正文内容，讲述了城市更新的进展情况。</p>" * 2
    return (
        f"<html><head><title>城市更新提速_江城日报</title></head><body><h1>城市更新提速</h1>"
        f'<div class="info">来源：江城晚报 2024-05-13 09:26</div>'
        f'<div class="content">{body}</div>{pager}</body></html>'
    )


@pytest.mark.parametrize("last", [2, 3])
def test_multi_page_article_is_one_article(site, db, last):
    names = ["c_100.htm"] + [f"c_100_{n}.htm" for n in range(2, last + 1)]
    for number, name in enumerate(names, start=1):
        site.expect_request(f"/news/{name}").respond_with_data(
            paginated(number, last), content_type="text/html"
        )
    archive, summary = archive_urls(db, [site.url_for("/news/c_100.htm")])
    outcome = only(summary)
    assert outcome.pages == last
    body = archive.get(outcome.article_id)["body"]
    positions = [body.index(f"这是第{n}页") for n in range(1, last + 1)]
    assert positions == sorted(positions)
    assert [p.url for p in archive.raw_pages(outcome.article_id)] == [
        site.url_for(f"/news/{n}") for n in names
    ]


def test_retry_failed_then_success_clears_the_row(site, db):
    site.expect_request("/later.html").respond_with_data("down", status=503)
    archive, _ = archive_urls(db, [site.url_for("/later.html")], retries=0)
    assert list(archive.failed_urls()) == [site.url_for("/later.html")]
    site.clear()
    site.expect_request("/robots.txt").respond_with_data("", status=404)
    site.expect_request("/later.html").respond_with_data(page(), content_type="text/html")
    retried = run_archive(archive, [], ArchiveOptions(fetch=settings(), retry_failed=True))
    assert only(retried).status == "added"
    assert archive.failures() == []


def test_bad_urls_fail_with_a_reason(db):
    archive, summary = archive_urls(db, ["http://", "ftp://example.com/a", "http://bad host/"])
    assert [o.status for o in summary.outcomes] == ["failed"] * 3
    assert all(o.error for o in summary.outcomes)
    assert len(archive.failures()) == 3
