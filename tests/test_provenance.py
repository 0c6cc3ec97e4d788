"""Provenance of every capture: HTTP status, response headers, server IP and fetch time."""

from __future__ import annotations

from conftest import TITLE, page
from test_fetch import archive_urls, only

import scraper
from scraper.store.raw_pages import RawPage
from scraper.store.schema import RAW_PAGE_PROVENANCE, SCHEMA_VERSION


def test_a_fetched_page_keeps_status_headers_ip_and_time(httpserver, db):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/a.html").respond_with_data(
        page(), content_type="text/html", headers={"X-Served-By": "edge-7"}
    )
    archive, summary = archive_urls(db, [httpserver.url_for("/a.html")])
    (raw,) = archive.raw_pages(only(summary).article_id)
    assert raw.status == 200 and raw.server_ip == "127.0.0.1"
    assert ("X-Served-By", "edge-7") in raw.headers
    assert raw.fetched_at.startswith("20") and "T" in raw.fetched_at


def test_a_saved_page_has_no_http_provenance(tmp_path, db):
    saved = tmp_path / "a.html"
    saved.write_text(page(), "utf-8")
    archive, summary = archive_urls(db, [str(saved)])
    assert only(summary).title == TITLE
    (raw,) = archive.raw_pages(only(summary).article_id)
    assert (raw.status, raw.headers, raw.server_ip) == (None, None, None)


def test_an_archive_from_before_provenance_is_migrated_and_keeps_its_pages(db):
    with scraper.Archive(db) as archive:
        saved = archive.save(
            scraper.Article(url="http://a.cn/1", title=TITLE, body="正文。"),
            [RawPage("http://a.cn/1", b"<p>old</p>", "text/html", fetched_at="2020-01-01")],
        )
        for name, _ in RAW_PAGE_PROVENANCE:
            archive.db.execute(f"ALTER TABLE raw_pages DROP COLUMN {name}")
        archive.set_meta("schema_version", "3")
        archive.commit()
    with scraper.Archive(db) as archive:
        assert archive.meta("schema_version") == SCHEMA_VERSION
        assert {n for n, _ in RAW_PAGE_PROVENANCE} <= set(archive.db["raw_pages"].columns_dict)
        (raw,) = archive.raw_pages(saved.article_id)
        assert raw.content == b"<p>old</p>" and raw.fetched_at == "2020-01-01"
        assert raw.status is None


def test_a_backup_with_raw_pages_carries_provenance_through_import(tmp_path, run_cli, db):
    with scraper.Archive(db) as archive:
        archive.save(
            scraper.Article(url="http://a.cn/1", title=TITLE, body="正文。"),
            [RawPage("http://a.cn/1", b"<p>x</p>", "text/html", status=200,
                     headers=[("Server", "nginx"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
                     server_ip="198.51.100.7")],
        )  # fmt: skip
    backup, copy = tmp_path / "b.jsonl", tmp_path / "copy.db"
    assert (
        run_cli("export", "--format", "jsonl", "--with-raw", "--out", backup, "--db", db).code == 0
    )
    assert run_cli("import", backup, "--db", copy).code == 0
    with scraper.Archive(copy) as archive:
        (raw,) = archive.raw_pages(archive.get("http://a.cn/1")["id"])
    assert raw.server_ip == "198.51.100.7" and raw.status == 200
    assert raw.headers == [("Server", "nginx"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
