"""WARC in and out: reading crawls made elsewhere, writing our captures for replay tools."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from conftest import page
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import scraper

WARC_DATE = "2023-04-05T06:07:08Z"
ARTICLE_FIELDS = ("url", "title", "source", "published_at", "body")


def response(writer: WARCWriter, url: str, body: bytes, content_type: str, status: int = 200):
    headers = StatusAndHeaders(f"{status} X", [("Content-Type", content_type),
                                                ("X-Cache", "HIT")], protocol="HTTP/1.1")  # fmt: skip
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers,
        warc_headers_dict={"WARC-Date": WARC_DATE, "WARC-IP-Address": "203.0.113.9"},
    )  # fmt: skip


def revisit(writer: WARCWriter, url: str):
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    return writer.create_revisit_record(url, "sha1:AAAA", url, WARC_DATE, http_headers=headers)


def make_warc(path: Path, truncate_last: bool = False) -> Path:
    """A crawl as other tools write it: GBK, a lying charset, a PDF, a revisit, a 404 and, on
    request, a last record whose gzip member is cut."""
    buffer = io.BytesIO()
    w = WARCWriter(buffer, gzip=True)
    gbk = page(title="江城新区首条智慧公交线路开通", charset="gbk").encode("gbk")
    # The header says utf-8, the bytes are GB18030: the page's own meta and bytes must win.
    lying = page(title="老城区改造工程全面启动", charset="gbk").encode("gb18030")
    records = [
        response(w, "http://news.example.cn/a/gbk.html", gbk, "text/html; charset=gbk"),
        response(w, "http://news.example.cn/a/lying.html", lying, "text/html; charset=utf-8"),
        response(w, "http://news.example.cn/a/report.pdf", b"%PDF-1.4 ...", "application/pdf"),
        revisit(w, "http://news.example.cn/a/gbk.html"),
        response(w, "http://news.example.cn/a/gone.html", b"<h1>404</h1>", "text/html", 404),
        response(w, "http://other.example.com/b.html", page(title="别的网站的新闻报道").encode(),
                 "text/html"),
    ]  # fmt: skip
    for record in records:
        w.write_record(record)
    data = buffer.getvalue()
    if truncate_last:
        tail = io.BytesIO()
        WARCWriter(tail, gzip=True).write_record(
            response(w, "http://news.example.cn/a/cut.html", page().encode(), "text/html")
        )
        data += tail.getvalue()[:-40]
    path.write_bytes(data)
    return path


def articles(db: Path) -> dict[str, dict]:
    with scraper.Archive(db) as archive:
        return {r["url"]: {f: r[f] for f in ARTICLE_FIELDS} for r in archive.records()}


def test_a_crawl_is_archived_html_only_with_its_capture_time_and_headers(tmp_path, run_cli):
    warc = make_warc(tmp_path / "crawl.warc.gz", truncate_last=True)
    db = tmp_path / "new.db"
    result = run_cli("archive", warc, "--db", db)
    assert result.code == 1 and "truncated" in result.err  # reported, not a crash
    found = articles(db)
    assert set(found) == {"http://news.example.cn/a/gbk.html",
                          "http://news.example.cn/a/lying.html", "http://other.example.com/b.html"}  # fmt: skip
    assert found["http://news.example.cn/a/gbk.html"]["title"] == "江城新区首条智慧公交线路开通"
    assert found["http://news.example.cn/a/lying.html"]["title"] == "老城区改造工程全面启动"
    with scraper.Archive(db) as archive:
        (raw,) = archive.raw_pages(archive.get("http://news.example.cn/a/gbk.html")["id"])
    assert raw.fetched_at == "2023-04-05T06:07:08+00:00" and raw.server_ip == "203.0.113.9"
    assert ("X-Cache", "HIT") in raw.headers and raw.status == 200


def test_site_and_url_pattern_filter_records(tmp_path, run_cli):
    warc = make_warc(tmp_path / "crawl.warc.gz")
    db = tmp_path / "new.db"
    assert run_cli("archive", tmp_path, "--site", "example.cn", "--db", db).code == 0
    assert set(articles(db)) == {"http://news.example.cn/a/gbk.html",
                                 "http://news.example.cn/a/lying.html"}  # fmt: skip
    other = tmp_path / "other.db"
    assert run_cli("archive", warc, "--url-pattern", r"/b\.html$", "--db", other).code == 0
    assert set(articles(other)) == {"http://other.example.com/b.html"}
    bad = run_cli("archive", warc, "--url-pattern", "(", "--db", other)
    assert bad.code == 2 and "--url-pattern" in bad.err and "Traceback" not in bad.err
    no_warc = run_cli("archive", "http://a.cn/1.html", "--site", "a.cn", "--db", other)
    assert no_warc.code == 2 and "filter WARC inputs" in no_warc.err


def test_a_missing_or_corrupt_warc_is_one_line_not_a_traceback(tmp_path, run_cli):
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is not a WARC file at all\n" * 10)
    result = run_cli("archive", junk, tmp_path / "missing.warc.gz", "--db", tmp_path / "x.db")
    assert (
        result.code == 1 and "junk.warc.gz  corrupt" in result.err and "cannot read" in result.err
    )
    assert "Traceback" not in result.err


def warcio(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "warcio.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_archive_writes_valid_warc_request_and_response_records(httpserver, tmp_path, run_cli):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/n/1.html").respond_with_data(page(), content_type="text/html")
    warcs, db = tmp_path / "warcs", tmp_path / "a.db"
    url = httpserver.url_for("/n/1.html")
    assert run_cli("archive", url, "--warc", warcs, "--delay", "0", "--db", db).code == 0
    (written,) = list(warcs.glob("*.warc.gz"))
    assert warcio("check", "-v", str(written)).returncode == 0
    with open(written, "rb") as stream:
        records = {r.rec_type: r.rec_headers for r in ArchiveIterator(stream)}
    assert set(records) == {"warcinfo", "request", "response"}
    answer = records["response"]
    assert answer.get_header("WARC-IP-Address") == "127.0.0.1"
    assert answer.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert answer.get_header("WARC-Target-URI") == url
    assert records["request"].get_header("WARC-Concurrent-To") == answer.get_header(
        "WARC-Record-ID"
    )
    index = warcio("index", "-f", "warc-type,warc-target-uri", str(written)).stdout
    assert index.count(url) == 2
    assert run_cli("archive", written, "--db", tmp_path / "again.db").code == 0
    assert articles(tmp_path / "again.db") == articles(db)


def test_round_trip_archive_export_warc_archive_gives_the_same_articles(tmp_path, run_cli):
    crawl = make_warc(tmp_path / "crawl.warc.gz")
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    assert run_cli("archive", crawl, "--db", first).code == 0
    out = tmp_path / "export.warc.gz"
    assert run_cli("export", "--format", "warc", "--out", out, "--db", first).code == 0
    assert warcio("check", str(out)).returncode == 0
    assert run_cli("archive", out, "--db", second).code == 0
    assert articles(second) == articles(first) and len(articles(first)) == 3
    with scraper.Archive(first) as a, scraper.Archive(second) as b:
        url = "http://news.example.cn/a/gbk.html"
        (before,), (after,) = a.raw_pages(a.get(url)["id"]), b.raw_pages(b.get(url)["id"])
    assert after.content == before.content and after.fetched_at == before.fetched_at
    assert after.server_ip == "203.0.113.9"


def test_export_warc_needs_a_file(tmp_path, run_cli, db):
    make_warc(tmp_path / "crawl.warc.gz")
    assert run_cli("archive", tmp_path / "crawl.warc.gz", "--db", db).code == 0
    result = run_cli("export", "--format", "warc", "--db", db)
    assert result.code == 2 and "--out FILE" in result.err


def test_warc_files_rotate_by_size_and_each_one_is_valid(tmp_path):
    from scraper.warc.capture import Capture
    from scraper.warc.writer import RotatingWarcs

    with RotatingWarcs(tmp_path, rotate_bytes=2000) as warcs:
        for n in range(6):
            body = page(title=f"第{n}篇新闻标题在这里").encode() + bytes(range(256)) * 8
            warcs.write(Capture(f"http://a.cn/{n}.html", body, "2024-01-01T00:00:00+00:00",
                                headers=[("Content-Type", "text/html")], request_headers=[]))  # fmt: skip
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 3
    for file in files:
        assert warcio("check", str(file)).returncode == 0
    urls = []
    for file in files:
        with open(file, "rb") as stream:
            urls += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream)
                     if r.rec_type == "response"]  # fmt: skip
    assert urls == [f"http://a.cn/{n}.html" for n in range(6)]
