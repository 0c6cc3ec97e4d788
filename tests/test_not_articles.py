"""Nothing but an article is stored: binary data is "not an article", a body without prose
(a footer, an idle-timeout notice, a paywall line) is "no article body found"."""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata

import pytest
from conftest import CORPUS, SEED_HTML, page

import scraper
from scraper.extract.page import extract
from scraper.fetch.engine import FetchSettings
from scraper.pipeline.checks import MIN_PROSE_CHARS, prose_chars
from scraper.pipeline.run import ArchiveOptions, run_archive

JUNK_BODIES = {
    "footer": "版权所有 © 2024 江城日报社 京ICP备12345678号",
    "idle": "※ 本網頁已閒置超過3分鐘，請點擊右上關閉鈕，即可關閉。",
    "paywall": "订阅后阅读全文",
    "empty": "",
}
BINARIES = {
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n" * 20,
    "random": os.urandom(4096),
    "png": b"\x89PNG\r\n\x1a\n" + os.urandom(512),
    "empty": b"",
}


def junk_page(body: str) -> str:
    return (f"<html><head><title>江城新闻_江城日报</title></head><body><h1>江城新闻</h1>"
            f'<div class="content"><p>{body}</p></div></body></html>')  # fmt: skip


@pytest.fixture
def site(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


@pytest.mark.parametrize("kind", sorted(JUNK_BODIES))
def test_junk_body_is_a_failure_not_added(site, db, kind):
    site.expect_request("/junk.html").respond_with_data(
        junk_page(JUNK_BODIES[kind]), content_type="text/html"
    )
    url = site.url_for("/junk.html")
    with scraper.Archive(db) as archive:
        summary = run_archive(archive, [url], ArchiveOptions(fetch=FetchSettings(delay=0)))
        assert archive.count() == 0
        (failure,) = archive.failures()
    (outcome,) = summary.outcomes
    assert outcome.status == "no_body" and outcome.error == "no article body found"
    assert failure["stage"] == "extract" and failure["error"] == "no article body found"
    assert summary.failed == [outcome]


def test_no_body_has_its_own_count_in_the_summary(run_cli, db, tmp_path):
    junk = tmp_path / "junk.html"
    junk.write_text(junk_page(JUNK_BODIES["footer"]), encoding="utf-8")
    result = run_cli("archive", SEED_HTML, junk, "--db", db, "--json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["counts"] == {"added": 1, "no_body": 1}
    assert report["failures"][0]["status"] == "no_body"
    table = run_cli("archive", junk, "--db", db)
    assert "no body" in table.err and "no article body found" in table.err


def test_pdf_served_as_html_is_not_an_article(site, db):
    site.expect_request("/paper.html").respond_with_data(BINARIES["pdf"], content_type="text/html")
    url = site.url_for("/paper.html")
    with scraper.Archive(db) as archive:
        summary = run_archive(archive, [url], ArchiveOptions(fetch=FetchSettings(delay=0)))
        assert archive.count() == 0
        assert archive.failures()[0]["stage"] == "content-type"
    (outcome,) = summary.outcomes
    assert outcome.status == "not_an_article" and outcome.error == "not an article (a PDF)"


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_files_are_not_articles_in_parse_and_archive(run_cli, db, tmp_path, kind):
    path = tmp_path / f"{kind}.html"
    path.write_bytes(BINARIES[kind])
    parsed = run_cli("parse", path)
    assert parsed.code == 1 and parsed.out == ""
    assert len(parsed.err.strip().splitlines()) == 1 and "not an article" in parsed.err
    archived = run_cli("archive", path, "--db", db, "--json")
    assert archived.code == 1
    assert json.loads(archived.out)["counts"] == {"not_an_article": 1}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_dev_null_is_not_an_article(run_cli, db):
    assert run_cli("parse", os.devnull).code == 1
    result = run_cli("archive", os.devnull, "--db", db, "--json")
    assert result.code == 1 and "not an article (an empty file)" in result.out


def test_parse_of_a_junk_page_says_no_body(run_cli, tmp_path):
    path = tmp_path / "idle.html"
    path.write_text(junk_page(JUNK_BODIES["idle"]), encoding="utf-8")
    result = run_cli("parse", path)
    assert result.code == 1 and "no article body found" in result.err and result.out == ""


def test_utf16_page_is_text_not_binary(run_cli, tmp_path):
    path = tmp_path / "utf16.html"
    path.write_bytes(page().encode("utf-16"))
    result = run_cli("parse", path)
    assert result.code == 0 and "江城新区首条智慧公交线路开通" in result.out


def test_no_real_article_of_the_corpus_is_refused():
    """Every corpus page whose article extraction finds (its labelled sentences are in the
    body) passes the rule; only pages where extraction returned junk fall below it."""
    manifest = CORPUS / "manifest.jsonl"
    if not manifest.exists():
        pytest.skip("shared corpus not available")
    found = 0
    for line in manifest.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        body = extract((CORPUS / entry["file"]).read_bytes()).body or ""
        flat = unicodedata.normalize("NFKC", "".join(body.split()))
        wanted = [unicodedata.normalize("NFKC", "".join(s.split())) for s in entry["must_have"]]
        if wanted and all(sentence in flat for sentence in wanted):
            found += 1
            assert prose_chars(body) >= MIN_PROSE_CHARS, entry["file"]
    assert found >= 60  # the check covers most of the corpus
