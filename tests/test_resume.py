"""Interrupted runs (Ctrl-C, kill -9) keep what was done and resume without refetching it."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest
from conftest import page
from werkzeug import Response

PAGES = 30


@pytest.fixture
def slow_site(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)

    def article(request):
        time.sleep(0.15)
        number = request.path.rsplit("/", 1)[-1].split(".")[0]
        return Response(page(f"第{number}号新闻标题"), content_type="text/html")

    for n in range(PAGES):
        httpserver.expect_request(f"/news/{n}.html").respond_with_handler(article)
    return httpserver


def start_archive(list_file, db) -> subprocess.Popen:
    command = [sys.executable, "-m", "scraper", "archive", "-i", str(list_file), "--db", str(db),
               "--delay", "0", "--concurrency", "2", "--workers", "1", "--json"]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_articles(db, at_least: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(db) as conn:
                count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            if count >= at_least:
                return count
        except sqlite3.OperationalError:
            pass  # not created yet
        time.sleep(0.05)
    raise AssertionError("the archiver made no progress")


def fetches(server) -> Counter:
    return Counter(r.path for r, _ in server.log if r.path.startswith("/news/"))


def healthy(db) -> bool:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def url_list(slow_site, tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("\n".join(slow_site.url_for(f"/news/{n}.html") for n in range(PAGES)))
    return path


def test_ctrl_c_prints_summary_exits_130_and_resumes(url_list, slow_site, db):
    run = start_archive(url_list, db)
    wait_for_articles(db, 3)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=30)
    assert run.returncode == 130, err
    summary = json.loads(out)
    assert summary["interrupted"] is True
    done_first = summary["counts"].get("added", 0)
    assert 3 <= done_first < PAGES
    assert "Traceback" not in err
    assert healthy(db)
    first_fetches = fetches(slow_site)

    resumed = start_archive(url_list, db)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    counts = json.loads(out)["counts"]
    assert counts["already_archived"] == done_first and counts["added"] == PAGES - done_first
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == PAGES
        done_urls = {u for (u,) in conn.execute("SELECT url FROM articles")}
    assert len(done_urls) == PAGES
    refetched = fetches(slow_site) - first_fetches
    assert sum(refetched.values()) <= PAGES - done_first + 2  # only unfinished (and dropped) ones


def test_kill_9_leaves_a_healthy_database(url_list, db):
    run = start_archive(url_list, db)
    wait_for_articles(db, 2)
    run.kill()
    run.communicate(timeout=10)
    assert healthy(db)
    resumed = start_archive(url_list, db)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == PAGES
