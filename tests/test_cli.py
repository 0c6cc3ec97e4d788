"""The `scraper` command as a user runs it: exit codes, one-line errors, the round trip."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import SEED_HTML, SEED_TXT, SEEDS


@pytest.fixture
def seeded_db(db, run_cli):
    result = run_cli("archive", SEEDS, "--db", db)
    assert result.code == 0, result.err
    return db


def test_archive_seeds_then_search(seeded_db, run_cli):
    result = run_cli("search", "工业互联网", "--db", seeded_db)
    assert result.code == 0
    # The seed's text capture and its HTML page are one story: one hit, labelled with its id,
    # saying where the other copy is.
    assert result.out.count("#1 工业互联网已迈入高质量发展、规模化推广新阶段\n") == 1
    assert "#2 工业互联网" not in result.out and "also archived as #2" in result.out
    assert "人民邮电报" in result.out and "2025-09-23" in result.out
    every_copy = run_cli("search", "工业互联网", "--no-collapse", "--db", seeded_db).out
    assert every_copy.count(" 工业互联网已迈入高质量发展、规模化推广新阶段\n") == 2
    assert "#1 " in every_copy and "#2 " in every_copy and "also archived" not in every_copy


def test_archive_again_is_unchanged(seeded_db, run_cli):
    result = run_cli("archive", SEEDS, "--db", seeded_db, "--json")
    assert result.code == 0
    assert json.loads(result.out)["counts"] == {"unchanged": 2}


def test_db_from_environment(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("SCRAPER_DB", str(tmp_path / "env.db"))
    assert run_cli("archive", SEED_TXT).code == 0
    assert (tmp_path / "env.db").exists()


def test_default_db_is_archive_db_in_working_directory(tmp_path, run_cli, monkeypatch):
    monkeypatch.delenv("SCRAPER_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert run_cli("archive", SEED_TXT).code == 0
    assert (tmp_path / "archive.db").exists()


def test_archive_from_list_and_stdin(db, run_cli, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text(f"# seeds\n{SEED_TXT}\n\n{SEED_HTML}  # the html one\n", encoding="utf-8")
    assert run_cli("archive", "-i", listing, "--allow-files", "--db", db).code == 0
    result = run_cli("archive", "-", "--allow-files", "--db", db, "--json", stdin=f"{SEED_TXT}\n")
    assert json.loads(result.out)["counts"] == {"unchanged": 1}


def test_failed_input_exits_1_and_keeps_the_rest(db, run_cli, tmp_path):
    result = run_cli("archive", SEED_TXT, tmp_path / "missing.html", "--db", db, "--json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["counts"] == {"added": 1, "failed": 1}
    assert "missing.html" in report["failures"][0]["input"]
    assert run_cli("stats", "--db", db, "--json").code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("archive",),
        ("search", "x", "--db", "{missing}"),
        ("search", "", "--db", "{db}"),
        ("search", "-x", "--db", "{db}"),
        ("search", "工业", "--since", "yesterday", "--db", "{db}"),
        ("export", "--format", "pdf", "--db", "{db}"),
        ("show", "999", "--db", "{db}"),
        ("no-such-command",),
        ("parse", "{missing}"),
    ],
)
def test_user_errors_are_one_line_exit_2(seeded_db, run_cli, tmp_path, args):
    args = [a.format(db=seeded_db, missing=tmp_path / "missing.db") for a in args]
    result = run_cli(*args)
    assert result.code == 2
    assert result.err.startswith("scraper: error: ")
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


def test_corrupt_database_is_one_line_and_untouched(tmp_path, run_cli):
    path = tmp_path / "bad.db"
    path.write_bytes(b"\x00garbage" * 512)
    result = run_cli("archive", SEED_TXT, "--db", path)
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and "not a valid archive" in result.err
    assert path.read_bytes() == b"\x00garbage" * 512


def test_parse_prints_the_article_and_stores_nothing(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("parse", SEED_HTML, "--json")
    assert result.code == 0
    article = json.loads(result.out)
    assert article["editor"] == "肖春芳" and article["site"] == "gmw.cn"
    assert not (tmp_path / "archive.db").exists()


def test_show_and_stats(seeded_db, run_cli):
    shown = run_cli("show", "1", "--db", seeded_db)
    assert shown.code == 0 and "来源：人民邮电报" in shown.out
    stats = json.loads(run_cli("stats", "--db", seeded_db, "--json").out)
    assert stats["articles"] == 2 and stats["raw_pages"] == 2


def test_export_import_export_is_identical(seeded_db, run_cli, tmp_path):
    first = tmp_path / "first.jsonl"
    assert run_cli("export", "--format", "jsonl", "--out", first, "--db", seeded_db).code == 0
    other = tmp_path / "other.db"
    assert run_cli("import", first, "--db", other).code == 0
    second = tmp_path / "second.jsonl"
    assert run_cli("export", "--format", "jsonl", "--out", second, "--db", other).code == 0
    assert first.read_bytes() == second.read_bytes()
    records = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2 and records[0]["editor"] == "肖春芳"
    assert "\\u" not in first.read_text(encoding="utf-8")
    assert (
        run_cli("search", "工业互联网", "--no-collapse", "--db", other).out.count("人民邮电报") == 2
    )


def test_export_txt_files_into_a_folder(seeded_db, run_cli, tmp_path):
    folder = tmp_path / "out"
    result = run_cli("export", "--format", "txt", "--out", f"{folder}/", "--db", seeded_db)
    assert result.code == 0
    files = sorted(folder.iterdir())
    assert len(files) == 2 and all(f.name.startswith("2025-09-23_工业互联网") for f in files)
    lines = files[0].read_text(encoding="utf-8").splitlines()
    assert lines[0] == "工业互联网已迈入高质量发展、规模化推广新阶段"
    assert lines[1].startswith("来源：人民邮电报 · 作者：邓聪 · 责编：肖春芳 · 2025-09-23 14:39")
    assert lines[2] == "" and lines[3].startswith("近日,在2025工业互联网创新发展大会上")


def test_export_with_query_and_filters(seeded_db, run_cli):
    csv_out = run_cli("export", "--format", "csv", "--query", "乘数效应", "--db", seeded_db)
    assert csv_out.code == 0 and csv_out.out.count("人民邮电报") == 2
    none = run_cli("export", "--format", "jsonl", "--site", "nowhere.cn", "--db", seeded_db)
    assert none.code == 0 and none.out == ""


def test_reextract_keeps_articles(seeded_db, run_cli):
    result = run_cli("reextract", "--db", seeded_db)
    assert result.code == 0 and "2 unchanged" in result.err
    conn = sqlite3.connect(seeded_db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_reextract_only_the_ids_given(seeded_db, run_cli):
    first = sqlite3.connect(seeded_db).execute("SELECT min(id) FROM articles").fetchone()[0]
    one = run_cli("reextract", str(first), "--db", seeded_db)
    assert one.code == 0 and "1 unchanged" in one.err
    missing = run_cli("reextract", "999999", "--db", seeded_db)
    assert missing.code == 0 and "nothing to do" in missing.err


def test_help_has_an_example_for_every_command(run_cli):
    for command in ("archive", "parse", "show", "stats", "search", "export", "import", "reextract"):
        result = run_cli(command, "--help")
        assert result.code == 0 and "Example" in result.out, command
