"""One bad page never stops a run: whatever extraction raises on it becomes its failure."""

from __future__ import annotations

import asyncio
import importlib
import json
import multiprocessing
import sqlite3
from concurrent.futures import ProcessPoolExecutor

import pytest
from conftest import page

import scraper
from scraper.fetch.engine import FetchSettings
from scraper.pipeline import workers
from scraper.pipeline.run import ArchiveOptions, run_archive
from scraper.store.archive import Archive
from scraper.web.jobs import Jobs

DEEP = "<div>" * 1000 + "深层嵌套" + "</div>" * 1000


@pytest.fixture
def site(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    for name, html in (("a", page("第一条新闻")), ("deep", DEEP), ("c", page("第三条新闻"))):
        httpserver.expect_request(f"/{name}.html").respond_with_data(html, content_type="text/html")
    return httpserver


@pytest.fixture
def urls(site) -> list[str]:
    return [site.url_for(f"/{name}.html") for name in ("a", "deep", "c")]


@pytest.fixture
def extraction_raises(monkeypatch):
    """Extraction raises RecursionError on the deep page, whatever the extractor does today."""
    real = workers.extract_page

    def extract_page(text, *args, **kwargs):
        if "深层嵌套" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(workers, "extract_page", extract_page)


def failure_rows(db) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url, stage, error FROM failures").fetchall()


def assert_deep_page_failed_alone(db, urls) -> None:
    ((url, stage, error),) = failure_rows(db)
    assert url == urls[1] and stage == "extract"
    assert error == "extraction failed: RecursionError: maximum recursion depth exceeded"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_cli_run_carries_on_past_a_page_that_breaks_extraction(
    extraction_raises, urls, run_cli, db, tmp_path
):
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls))
    result = run_cli("archive", "-i", listing, "--db", db, "--delay", "0", "--json")
    assert result.code == 1, result.err
    report = json.loads(result.out)
    assert report["counts"] == {"added": 2, "failed": 1}
    assert report["failures"][0]["input"] == urls[1]
    assert_deep_page_failed_alone(db, urls)


def test_worker_pool_run_carries_on(extraction_raises, urls, db, monkeypatch):
    # A fork-started pool inherits the patched extractor; the exception crosses the process
    # boundary exactly as a real one would.
    fork = multiprocessing.get_context("fork")
    monkeypatch.setattr(workers, "process_pool",
                        lambda count, words: ProcessPoolExecutor(count, mp_context=fork))  # fmt: skip
    options = ArchiveOptions(fetch=FetchSettings(delay=0), workers=2)
    with scraper.Archive(db) as archive:
        summary = run_archive(archive, urls, options)
    assert summary.counts == {"added": 2, "failed": 1}
    assert_deep_page_failed_alone(db, urls)


def test_broken_pool_fails_the_page_and_a_new_pool_takes_the_rest(monkeypatch):
    def crash(*args):
        raise workers.BrokenProcessPool("a worker died")

    pool = workers.Workers(2, total=3)
    try:
        first = pool.pool
        monkeypatch.setattr(first, "submit", crash)
        with pytest.raises(workers.ExtractFailed, match="BrokenProcessPool"):
            asyncio.run(pool.process(b"<p>x</p>", None, None, None))
        assert pool.pool is not first
    finally:
        pool.__exit__(None, None, None)


def test_web_job_carries_on(extraction_raises, urls, db):
    jobs = Jobs(db, ArchiveOptions(fetch=FetchSettings(delay=0)))
    job = jobs.start(urls)
    jobs.wait(timeout=60)
    assert job.done and job.error is None
    assert job.counts == {"added": 2, "failed": 1}
    assert_deep_page_failed_alone(db, urls)


def test_web_job_on_a_full_disk_says_so(urls, db, monkeypatch):
    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Archive, "_write", full)
    jobs = Jobs(db, ArchiveOptions(fetch=FetchSettings(delay=0)))
    job = jobs.start(urls[:1])
    jobs.wait(timeout=60)
    assert job.done and job.error.startswith("disk full")


def test_parse_of_a_page_that_breaks_extraction_is_one_line(run_cli, tmp_path, monkeypatch):
    def extract(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(importlib.import_module("scraper.extract.page"), "extract", extract)
    path = tmp_path / "deep.html"
    path.write_text(DEEP, encoding="utf-8")
    result = run_cli("parse", path)
    assert result.code == 1 and result.out == ""
    assert result.err.strip() == (
        f"scraper: error: {path}: extraction failed: RecursionError: maximum recursion depth"
        " exceeded"
    )
