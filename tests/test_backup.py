"""The jsonl backup: export -> import -> export is byte-identical (ids and raw pages too), a
bad line is reported and skipped, CSV on stdout matches the file, --limit and --sort."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS

from scraper import Archive, Article


@pytest.fixture
def seeded_db(db, run_cli):
    assert run_cli("archive", SEEDS, "--db", db).code == 0
    return db


def export(run_cli, db, path, *options) -> bytes:
    result = run_cli("export", "--format", "jsonl", "--out", path, "--db", db, *options)
    assert result.code == 0, result.err
    return path.read_bytes()


def test_round_trip_keeps_ids_that_differ_from_the_export_order(db, run_cli, tmp_path):
    with Archive(db) as archive:  # archived newest first: ids run against the export's order
        for n, year in enumerate(("2025", "2024", "2023")):
            archive.save(Article(url=f"https://a.example/{n}", title=f"标题{n}",
                                 body="正文。", published_at=f"{year}-01-01"))  # fmt: skip
    first = export(run_cli, db, tmp_path / "first.jsonl")
    assert [json.loads(line)["id"] for line in first.splitlines()] == [3, 2, 1]
    assert run_cli("import", tmp_path / "first.jsonl", "--db", tmp_path / "copy.db").code == 0
    assert export(run_cli, tmp_path / "copy.db", tmp_path / "second.jsonl") == first


def test_with_raw_restores_the_raw_pages_so_reextract_works(seeded_db, run_cli, tmp_path):
    first = export(run_cli, seeded_db, tmp_path / "first.jsonl", "--with-raw")
    assert all(json.loads(line)["raw_pages"] for line in first.splitlines())
    copy = tmp_path / "copy.db"
    assert run_cli("import", tmp_path / "first.jsonl", "--db", copy).code == 0
    assert export(run_cli, copy, tmp_path / "second.jsonl", "--with-raw") == first
    assert json.loads(run_cli("stats", "--json", "--db", copy).out)["raw_pages"] == 2
    reextracted = run_cli("reextract", "--db", copy)
    assert reextracted.code == 0 and "no raw page" not in reextracted.err


BAD_LINES = [
    "{not json",
    '{"url": "https://a.example/5", "title": 5}',
    '{"url": ["https://a.example/6"]}',
    '{"url": "https://a.example/7", "id": "seven"}',
    '{"url": "https://a.example/8", "raw_pages": [{"url": "u", "zstd_base64": "!!"}]}',
    '{"url": "https://a.example/9", "body": {"p": 1}}',
]


def test_a_bad_line_is_reported_with_its_number_and_skipped(db, run_cli, tmp_path):
    good = [json.dumps({"url": f"https://a.example/{n}", "title": "好", "body": "正文。"})
            for n in (1, 2)]  # fmt: skip
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([good[0], *BAD_LINES, good[1]]) + "\n", encoding="utf-8")
    result = run_cli("import", path, "--db", db)
    assert result.code == 1
    assert "Traceback" not in result.err and "AttributeError" not in result.err
    for lineno in range(2, 2 + len(BAD_LINES)):
        assert f"in.jsonl:{lineno}:" in result.err
    assert "title must be text" in result.err and "id must be a positive" in result.err
    with Archive(db) as archive:
        assert {r["url"] for r in archive.records()} == {
            "https://a.example/1",
            "https://a.example/2",
        }


def test_csv_on_stdout_is_the_file_bom_and_all(seeded_db, run_cli, tmp_path):
    path = tmp_path / "out.csv"
    assert run_cli("export", "--format", "csv", "--out", path, "--db", seeded_db).code == 0
    for out in (("--out", "-"), ()):
        shown = run_cli("export", "--format", "csv", *out, "--db", seeded_db)
        assert shown.out.startswith("\ufeff")
        assert shown.out.encode("utf-8") == path.read_bytes()


def test_limit_and_sort(db, run_cli, tmp_path):
    with Archive(db) as archive:
        for year in ("2023", "2025", "2024"):
            archive.save(Article(url=f"https://a.example/{year}", title=f"发展{year}",
                                 body="发展。" * (int(year) - 2022), published_at=year))  # fmt: skip

    def years(*options: str) -> list[str]:
        result = run_cli("export", "--format", "jsonl", "--db", db, *options)
        assert result.code == 0, result.err
        return [json.loads(line)["published_at"] for line in result.out.splitlines()]

    assert years() == ["2023", "2024", "2025"]
    assert years("--sort", "newest", "--limit", "2") == ["2025", "2024"]
    assert years("--query", "发展", "--limit", "1") == ["2023"]
    assert years("--query", "发展", "--sort", "newest") == ["2025", "2024", "2023"]
    assert len(years("--query", "发展", "--sort", "relevance")) == 3
    refused = run_cli("export", "--sort", "relevance", "--db", db)
    assert refused.code == 2 and "query" in refused.err


def test_import_records_skips_what_cannot_be_restored(db):
    from scraper.pipeline.maintenance import import_records

    records = [{"url": "https://a.example/1", "title": 5}, {"title": "无网址"},
               {"url": "https://a.example/2", "title": "好", "body": "正文。"}]  # fmt: skip
    with Archive(db) as archive:
        counts = import_records(archive, records, workers=1)
        assert counts == {"added": 1, "skipped (bad record)": 2}
        assert archive.count() == 1
