"""Kept sources and `scraper watch` against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import page
from werkzeug import Request, Response

import scraper
from scraper.store.schema import SCHEMA_VERSION
from scraper.store.sources import list_sources

ETAG = '"feed-v1"'


class Feed:
    """An RSS feed whose entries can grow, answering 304 to a matching If-None-Match."""

    def __init__(self, server, paths: list[str]) -> None:
        self.server = server
        self.paths = paths

    def __call__(self, request: Request) -> Response:
        etag = f'"feed-{len(self.paths)}"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        items = "".join(f"<item><title>{p}</title><link>{self.server.url_for(p)}</link></item>"
                        for p in self.paths)  # fmt: skip
        body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
        return Response(body, content_type="application/rss+xml", headers={"ETag": etag})


@pytest.fixture
def site(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    for n in range(1, 5):
        httpserver.expect_request(f"/a/2025/{n}.html").respond_with_data(
            page(f"第{n}篇文章的标题"), content_type="text/html")  # fmt: skip
    return httpserver


def requests_to(server, path: str) -> list:
    return [request for request, _ in server.log if request.path == path]


def make_due(db) -> None:
    """As if the interval had passed since the last poll."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sources SET last_polled_at = '2000-01-01T00:00:00+00:00'")


def test_watch_once_twice_archives_only_what_is_new_and_an_unchanged_feed_costs_one_304(
    site, run_cli, db
):
    feed = Feed(site, ["/a/2025/1.html", "/a/2025/2.html"])
    site.expect_request("/rss.xml").respond_with_handler(feed)
    assert run_cli("sources", "add", site.url_for("/rss.xml"), "--db", db).code == 0
    first = run_cli("watch", "--once", "--delay", "0", "--db", db)
    assert first.code == 0 and "2 found, 2 new" in first.err
    assert len(requests_to(site, "/robots.txt")) == 1  # discovery and archiving share a Fetcher
    feed.paths.append("/a/2025/3.html")
    make_due(db)
    second = run_cli("watch", "--once", "--delay", "0", "--db", db)
    assert second.code == 0 and "3 found, 1 new" in second.err
    assert [len(requests_to(site, f"/a/2025/{n}.html")) for n in (1, 2, 3)] == [1, 1, 1]
    make_due(db)
    before = len(requests_to(site, "/rss.xml"))
    third = run_cli("watch", "--once", "--delay", "0", "--db", db)
    assert third.code == 0 and "1 unchanged" in third.err and "0 found, 0 new" in third.err
    (conditional,) = requests_to(site, "/rss.xml")[before:]
    assert conditional.headers["If-None-Match"] == '"feed-3"'
    with scraper.Archive(db) as archive:
        assert archive.count() == 3
        (source,) = list_sources(archive)
        assert (source.polls, source.last_found, source.total_new) == (3, 0, 3)


def test_a_source_not_due_is_not_polled(site, run_cli, db):
    site.expect_request("/rss.xml").respond_with_handler(Feed(site, ["/a/2025/1.html"]))
    run_cli("sources", "add", site.url_for("/rss.xml"), "--every", "1h", "--db", db)
    run_cli("watch", "--once", "--delay", "0", "--db", db)
    again = run_cli("watch", "--once", "--delay", "0", "--db", db)
    assert again.code == 0 and "polled 0 sources" in again.err
    assert len(requests_to(site, "/rss.xml")) == 1


def test_a_failing_source_is_recorded_and_the_others_still_archive(site, run_cli, db):
    site.expect_request("/down.xml").respond_with_data("oops", status=404)
    site.expect_request("/rss.xml").respond_with_handler(Feed(site, ["/a/2025/4.html"]))
    run_cli("sources", "add", site.url_for("/down.xml"), "--kind", "feed", "--db", db)
    run_cli("sources", "add", site.url_for("/rss.xml"), "--name", "江城", "--db", db)
    result = run_cli("watch", "--once", "--delay", "0", "--db", db)
    assert result.code == 1 and "1 failed" in result.err and "1 new" in result.err
    with scraper.Archive(db) as archive:
        down, good = list_sources(archive)
        assert down.last_error == "HTTP 404" and good.last_error is None
        assert good.name == "江城" and archive.count() == 1
    listed = run_cli("sources", "list", "--json", "--db", db)
    assert '"last_error": "HTTP 404"' in listed.out


def test_sources_add_list_remove_and_their_errors(run_cli, db):
    added = run_cli("sources", "add", "HTTP://News.Example.cn/rss.xml?utm_source=x", "--db", db)
    assert added.code == 0 and "#1 http://news.example.cn/rss.xml (every 30m)" in added.err
    edition = "http://paper.example.cn/{YYYY}-{MM}/{DD}/node_1.htm"
    assert run_cli("sources", "add", edition, "--kind", "edition", "--every", "1d",
                   "--db", db).code == 0  # fmt: skip
    listed = run_cli("sources", "list", "--db", db)
    assert "news.example.cn/rss.xml" in listed.out and "1d" in listed.out
    for args, message in [
        (("add", "http://x.cn/", "--every", "often"), "not an interval"),
        (("add", "http://x.cn/", "--every", "5s"), "more often than once a minute"),
        (("add", "ftp://x.cn/"), "not an http(s) URL"),
        (("add", "http://x.cn/", "--kind", "edition"), "needs a URL template"),
        (("remove", "99"), "no source '99'"),
    ]:
        bad = run_cli("sources", *args, "--db", db)
        assert bad.code == 2 and message in bad.err and "Traceback" not in bad.err
    assert run_cli("sources", "remove", "http://news.example.cn/rss.xml", "--db", db).code == 0
    with scraper.Archive(db) as archive:
        assert [s.url for s in list_sources(archive)] == [edition]


def test_an_archive_from_before_sources_gets_the_table_and_keeps_its_articles(tmp_path):
    db = tmp_path / "v3.db"
    with scraper.Archive(db) as archive:
        archive.save(scraper.Article(url="http://a.cn/1.html", title="旧文章", body="正文。"))
        archive.db.execute("DROP TABLE sources")
        archive.set_meta("schema_version", "3")
        archive.commit()
    with scraper.Archive(db) as archive:
        assert archive.meta("schema_version") == SCHEMA_VERSION
        assert "sources" in archive.db.table_names() and list_sources(archive) == []
        assert archive.get("http://a.cn/1.html")["title"] == "旧文章"


def test_the_foreground_loop_logs_a_line_per_cycle_and_ctrl_c_keeps_what_was_done(
    site, run_cli, db, monkeypatch
):
    import scraper.pipeline.watch

    def ctrl_c(seconds: float) -> None:
        raise KeyboardInterrupt

    site.expect_request("/rss.xml").respond_with_handler(Feed(site, ["/a/2025/1.html"]))
    run_cli("sources", "add", site.url_for("/rss.xml"), "--db", db)
    monkeypatch.setattr(scraper.pipeline.watch, "sleep", ctrl_c)
    result = run_cli("watch", "--delay", "0", "--db", db)
    assert result.code == 130 and result.err.count("polled 1 sources") == 1
    assert "interrupted" in result.err and "Traceback" not in result.err
    with scraper.Archive(db) as archive:
        assert archive.count() == 1 and list_sources(archive)[0].polls == 1


def test_watch_also_rechecks_the_articles_due_on_their_schedule(site, run_cli, db):
    site.expect_request("/rss.xml").respond_with_handler(Feed(site, ["/a/2025/1.html"]))
    run_cli("sources", "add", site.url_for("/rss.xml"), "--db", db)
    first = run_cli("watch", "--once", "--delay", "0", "--db", db)
    assert first.code == 0 and "0 re-checked" in first.err  # archived just now: not due yet
    with sqlite3.connect(db) as conn:  # as if the first re-check's hour had passed
        conn.execute("UPDATE articles SET archived_at = '2000-01-01T00:00:00+00:00'")
    second = run_cli("watch", "--once", "--delay", "0", "--db", db)
    assert second.code == 0 and "1 re-checked" in second.err
    assert len(requests_to(site, "/a/2025/1.html")) == 2
    history = run_cli("history", "1", "--json", "--db", db)
    (event,) = json.loads(history.out)["events"]
    assert event["outcome"] == "unchanged"
