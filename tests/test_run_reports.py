"""What a run and its reports say when the machine or the input pushes back: long Retry-After,
huge local files, a full disk, a corrupt archive; and `show`, `stats`, `failures`."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import SEED_HTML, SEED_TXT, page

import scraper
from scraper.fetch.engine import FetchSettings
from scraper.pipeline.run import ArchiveOptions, run_archive
from scraper.store.archive import Archive


@pytest.fixture
def site(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


def test_long_retry_after_fails_the_url_at_once(site, db):
    site.expect_request("/busy.html").respond_with_data(
        "come back tomorrow", status=503, headers={"Retry-After": "86400"}
    )
    started = time.monotonic()
    with scraper.Archive(db) as archive:
        options = ArchiveOptions(fetch=FetchSettings(delay=0, retries=3))
        summary = run_archive(archive, [site.url_for("/busy.html")], options)
        (failure,) = archive.failures()
    assert time.monotonic() - started < 5
    (outcome,) = summary.outcomes
    assert outcome.status == "failed" and outcome.error == "HTTP 503, retry after 24 h"
    assert failure["attempts"] == 1


def test_local_file_over_max_size_is_refused(run_cli, db, tmp_path):
    big = tmp_path / "big.html"
    big.write_text(page(body="很长的正文。" * 200_000), encoding="utf-8")  # ~4 MB
    result = run_cli("archive", big, SEED_TXT, "--max-size", "1", "--db", db, "--json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["counts"] == {"added": 1, "failed": 1}
    assert report["failures"][0]["error"] == "page larger than 1 MB"


def test_show_url_is_canonicalised_like_archive(run_cli, db, site):
    site.expect_request("/news/a.html").respond_with_data(page(), content_type="text/html")
    url = site.url_for("/news/a.html")
    assert run_cli("archive", url + "?utm_source=wx#top", "--db", db, "--delay", "0").code == 0
    shown = run_cli("show", url.replace("localhost", "LOCALHOST") + "?utm_source=wx", "--db", db)
    assert shown.code == 0, shown.err
    assert "江城新区首条智慧公交线路开通" in shown.out


DISK_FULL = sqlite3.OperationalError("database or disk is full")


@pytest.fixture
def pages(tmp_path) -> list[Path]:
    files = []
    for n in range(5):
        path = tmp_path / f"page{n}.html"
        path.write_text(page(f"第{n}号新闻标题"), encoding="utf-8")
        files.append(path)
    return files


@pytest.fixture
def disk_fills_after_two_saves(monkeypatch):
    real, calls = Archive._write, []

    def write(self, *args, **kwargs):
        calls.append(1)
        if len(calls) > 2:
            raise DISK_FULL
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Archive, "_write", write)


def article_count(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_full_disk_stops_with_one_line_and_keeps_what_was_saved(
    disk_fills_after_two_saves, pages, run_cli, db
):
    result = run_cli("archive", *pages, "--db", db)
    assert result.code == 1
    assert result.err.strip().splitlines()[-1] == (
        "scraper: error: disk full: 2 articles saved; free space and rerun"
    )
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert article_count(db) == 2


def test_full_disk_with_json_prints_the_summary(disk_fills_after_two_saves, pages, run_cli, db):
    result = run_cli("archive", *pages, "--db", db, "--json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["disk_full"] is True and report["counts"]["added"] == 2
    assert "disk full: 2 articles saved" in result.err


def test_full_disk_leaves_no_empty_database(monkeypatch, run_cli, db):
    def full(self):
        raise DISK_FULL

    monkeypatch.setattr(Archive, "_create_schema", full)
    result = run_cli("archive", SEED_TXT, "--db", db)
    assert result.code == 1 and "disk full" in result.err
    assert not db.exists() and not Path(f"{db}-wal").exists()


def test_damage_found_after_opening_is_one_line_with_a_recovery_hint(run_cli, db):
    assert run_cli("archive", SEED_TXT, SEED_HTML, "--db", db).code == 0
    size = db.stat().st_size
    with open(db, "r+b") as file:  # keep the header and schema page, ruin the rest
        file.seek(4096)
        file.write(b"\xa5" * (size - 4096))
    for command in (("stats",), ("search", "工业互联网"), ("show", "1")):
        result = run_cli(*command, "--db", db)
        assert result.code == 1, command
        assert len(result.err.strip().splitlines()) == 1
        assert f"sqlite3 {db} .recover" in result.err and "internal error" not in result.err


def test_ctrl_c_summary_counts_what_the_database_holds(pages, db, monkeypatch):
    """Ctrl-C while an article is being saved: the save completes and is committed, so the
    summary must count it even though its outcome was never reported."""
    real, calls = Archive._write, []

    def write(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)  # the run is cancelled while this save is still going on
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Archive, "_write", write)
    with Archive(db) as archive:
        summary = run_archive(archive, [str(p) for p in pages], ArchiveOptions(workers=1))
    assert summary.interrupted
    assert summary.counts["added"] == article_count(db) == 3


def test_stats_and_failures_show_what_failed(run_cli, db, site):
    site.expect_request("/gone.html").respond_with_data("gone", status=404)
    gone = site.url_for("/gone.html")
    assert run_cli("archive", gone, SEED_TXT, "--db", db, "--delay", "0").code == 1
    stats = run_cli("stats", "--db", db)
    assert stats.code == 0 and "1 articles" in stats.out and "1 failures" in stats.out
    assert json.loads(run_cli("stats", "--db", db, "--json").out)["failures_by_stage"] == [
        ["http", 1]
    ]
    listed = run_cli("failures", "--db", db, "--json")
    assert listed.code == 0
    (failure,) = [json.loads(line) for line in listed.out.splitlines()]
    assert failure["url"] == gone and failure["stage"] == "http" and failure["error"] == "HTTP 404"
    text = run_cli("failures", "--db", db)
    assert gone in text.out and "HTTP 404" in text.out


def test_failures_without_an_archive_is_one_line(run_cli, db):
    result = run_cli("failures", "--db", db)
    assert result.code == 2 and "no archive" in result.err
    assert run_cli("archive", SEED_TXT, "--db", db).code == 0
    empty = run_cli("failures", "--db", db)
    assert empty.code == 0 and empty.err.strip() == "no failures"


def test_stats_size_includes_the_write_ahead_log(db):
    with Archive(db) as archive:
        archive.save(scraper.extract(SEED_TXT.read_bytes(), url="https://a.example.cn/1"))
        wal = Path(f"{db}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        size = archive.stats()["size_bytes"]
        assert size == db.stat().st_size + wal.stat().st_size
