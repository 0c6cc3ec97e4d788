"""What a run and its reports say when the machine or the input pushes back: long Retry-After,
huge local files, a full disk, a corrupt archive; and `show`, `stats`, `failures`."""

from __future__ import annotations

import json
import time

import pytest
from conftest import SEED_TXT, page

import scraper
from scraper.fetch.engine import FetchSettings
from scraper.pipeline.run import ArchiveOptions, run_archive


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
