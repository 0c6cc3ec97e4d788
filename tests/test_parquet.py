"""Parquet export for pandas/DuckDB/Polars, and Parquet (with raw pages) back in."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
from test_warc import articles, make_warc


def test_parquet_has_typed_columns_body_and_paragraphs(tmp_path, run_cli, db):
    assert run_cli("archive", make_warc(tmp_path / "c.warc.gz"), "--db", db).code == 0
    out = tmp_path / "articles.parquet"
    result = run_cli("export", "--format", "parquet", "--out", out, "--db", db)
    assert result.code == 0 and "exported 3 articles" in result.err
    table = pq.read_table(out)
    assert table.num_rows == 3
    assert table.schema.field("id").type == pa.int64()
    assert table.schema.field("archived_at").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("paragraphs").type == pa.list_(pa.string())
    row = next(r for r in table.to_pylist() if r["url"].endswith("gbk.html"))
    assert row["title"] == "江城新区首条智慧公交线路开通" and row["source"] == "江城晚报"
    assert row["paragraphs"] == row["body"].split("\n\n") and len(row["paragraphs"]) == 3
    assert row["chars"] == len(row["body"])


def test_parquet_with_raw_pages_imports_into_a_new_archive(tmp_path, run_cli, db):
    assert run_cli("archive", make_warc(tmp_path / "c.warc.gz"), "--db", db).code == 0
    out, copy = tmp_path / "full.parquet", tmp_path / "copy.db"
    assert (
        run_cli("export", "--format", "parquet", "--with-raw", "--out", out, "--db", db).code == 0
    )
    assert run_cli("import", out, "--db", copy).code == 0
    assert articles(copy) == articles(db)
    assert run_cli("reextract", "--db", copy).code == 0  # the raw pages came along


def test_import_of_a_file_that_is_not_parquet_is_one_line(tmp_path, run_cli, db):
    fake = tmp_path / "fake.parquet"
    fake.write_text("not parquet")
    result = run_cli("import", fake, "--db", db)
    assert result.code == 2 and "cannot read" in result.err and "Traceback" not in result.err
