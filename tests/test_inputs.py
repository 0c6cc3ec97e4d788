"""What a run is given: lists hold URLs only (files need --allow-files), in UTF-8 with or
without a BOM, or UTF-16; --url names exactly one saved page."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import SEED_HTML, SEED_TXT, SEEDS, page


@pytest.fixture
def site(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/a.html").respond_with_data(page(), content_type="text/html")
    return httpserver


def articles(db) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [url for (url,) in conn.execute("SELECT url FROM articles")]


def test_a_local_path_in_a_list_is_refused(run_cli, db, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text(page("不该存档的本地文件"), encoding="utf-8")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{secret}\n{SEED_HTML}\n{SEEDS}\n", encoding="utf-8")
    result = run_cli("archive", "-i", listing, "--db", db, "--json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["counts"] == {"failed": 3}
    assert {f["input"] for f in report["failures"]} == {str(secret), str(SEED_HTML), str(SEEDS)}
    assert "lists hold URLs" in report["failures"][0]["error"]
    assert articles(db) == []


def test_a_local_path_on_stdin_is_refused(run_cli, db):
    result = run_cli("archive", "-", "--db", db, "--json", stdin="/etc/passwd\n")
    assert result.code == 1 and json.loads(result.out)["counts"] == {"failed": 1}
    assert articles(db) == []


def test_allow_files_lets_a_list_name_files(run_cli, db, tmp_path):
    listing = tmp_path / "files.txt"
    listing.write_text(f"{SEED_TXT}\n", encoding="utf-8")
    result = run_cli("archive", "-i", listing, "--allow-files", "--db", db, "--json")
    assert result.code == 0 and json.loads(result.out)["counts"] == {"added": 1}


def test_files_on_the_command_line_need_no_flag(run_cli, db):
    assert run_cli("archive", SEED_TXT, "--db", db).code == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_list_with_bom_or_in_utf16_is_read(run_cli, db, tmp_path, site, encoding):
    url = site.url_for("/a.html")
    listing = tmp_path / "urls.txt"
    listing.write_bytes(f"# 今天的\n{url}\n".encode(encoding))
    result = run_cli("archive", "-i", listing, "--db", db, "--delay", "0", "--json")
    assert result.code == 0, result.out + result.err
    assert json.loads(result.out)["counts"] == {"added": 1}
    assert articles(db) == [url]


def test_bom_on_stdin_is_ignored(run_cli, db, site):
    url = site.url_for("/a.html")
    result = run_cli("archive", "-", "--db", db, "--delay", "0", "--json", stdin=f"\ufeff{url}\n")
    assert result.code == 0 and articles(db) == [url]


def test_list_that_is_not_text_is_one_line_exit_2(run_cli, db, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_bytes(b"https://a.example.cn/1\n\xff\xfe\xfd broken \x81\n")
    result = run_cli("archive", "-i", listing, "--db", db)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "not UTF-8 or UTF-16 text" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    "args, message",
    [
        (("{seeds}", "--url", "https://www.gmw.cn/a.html"), "exactly one file"),
        (("{html}", "{txt}", "--url", "https://www.gmw.cn/a.html"), "exactly one file"),
        (("{html}", "--url", "not a url"), "not an http(s) URL"),
        (("{html}", "--url", "ftp://example.cn/a"), "not an http(s) URL"),
    ],
)
def test_bad_url_option_is_refused(run_cli, db, args, message):
    args = [a.format(seeds=SEEDS, html=SEED_HTML, txt=SEED_TXT) for a in args]
    result = run_cli("archive", *args, "--db", db)
    assert result.code == 2 and message in result.err
    assert not db.exists() or articles(db) == []


def test_url_option_names_the_saved_page(run_cli, db):
    result = run_cli("archive", SEED_HTML, "--url", "https://WWW.gmw.cn/a.html#top", "--db", db)
    assert result.code == 0
    assert articles(db) == ["https://www.gmw.cn/a.html"]
