"""`scraper batch` on a Dask LocalCluster gives the same articles as archiving directly."""

from __future__ import annotations

from test_warc import articles, make_warc


def test_batch_on_two_workers_matches_the_single_process_path(tmp_path, run_cli):
    crawls = tmp_path / "crawls"
    crawls.mkdir()
    make_warc(crawls / "one.warc.gz")
    make_warc(crawls / "cut.warc.gz", truncate_last=True)
    broken = crawls / "broken.warc.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00 not gzip at all")
    single, merged, shards = tmp_path / "single.db", tmp_path / "merged.db", tmp_path / "shards"
    run_cli("archive", crawls / "one.warc.gz", crawls / "cut.warc.gz", "--db", single)

    missing = crawls / "missing.warc.gz"
    inputs = [*sorted(crawls.iterdir()), missing]
    first = run_cli("batch", *inputs, "--out", shards, "--workers", "2")
    assert first.code == 1  # the damaged and missing files are reported, the others are done
    assert "broken.warc.gz" in first.err and "truncated" in first.err
    assert "no such file" in first.err
    assert len(list(shards.glob("*.parquet"))) == 3 and len(list(shards.glob("*.done"))) == 3
    again = run_cli("batch", *inputs, "--out", shards, "--workers", "2")
    assert "3 already done" in again.err  # finished files are not extracted again
    assert "1 failed" in again.err  # the missing file has no marker: tried again

    assert run_cli("import", shards, "--db", merged).code == 0
    assert articles(merged) == articles(single) and len(articles(single)) == 3
