"""Reading WARC files (FastWARC): the same captures warcio gave, and every damage reported."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from pathlib import Path

import brotli
import fsspec
import pytest
from conftest import page
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.warc import reader
from scraper.warc.capture import Capture
from scraper.warc.reader import Problem, read_captures

BODY = page(title="江城新区首条智慧公交线路开通").encode()


def record(url: str, payload: bytes, headers: list[tuple[str, str]], status: str = "200 OK",
           gzipped: bool = True, warc_headers: dict | None = None) -> bytes:  # fmt: skip
    """One response record as warcio writes it (its own gzip member when `gzipped`)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=io.BytesIO(payload), length=len(payload), http_headers=http,
        warc_headers_dict={"WARC-Date": "2023-04-05T06:07:08Z", **(warc_headers or {})},
    ))  # fmt: skip
    return buffer.getvalue()


def html(url: str, gzipped: bool = True, **kwargs) -> bytes:
    return record(url, BODY, [("Content-Type", "text/html; charset=utf-8")], gzipped=gzipped,
                  **kwargs)  # fmt: skip


def items(path: Path | str) -> list:
    return list(read_captures(str(path)))


def chunked(data: bytes, size: int = 700) -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


ENCODED = {  # as servers sent them, and crawlers (wget, Heritrix, Browsertrix) stored them
    "chunked": ([("Transfer-Encoding", "chunked")], chunked(BODY)),
    "gzip": ([("Content-Encoding", "gzip")], gzip.compress(BODY)),
    "deflate": ([("Content-Encoding", "deflate")], zlib.compress(BODY)),
    "raw-deflate": ([("Content-Encoding", "deflate")], zlib.compress(BODY)[2:-4]),
    "br": ([("Content-Encoding", "br")], brotli.compress(BODY)),
    "chunked-gzip": (
        [("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")],
        chunked(gzip.compress(BODY)),
    ),
    # Servers that lie, and encodings warcio leaves alone: the same bytes as warcio, always.
    "says-gzip-is-plain": ([("Content-Encoding", "gzip")], BODY),
    "says-chunked-is-plain": ([("Transfer-Encoding", "chunked")], BODY),
    "x-gzip": ([("Content-Encoding", "x-gzip")], gzip.compress(BODY)),
    "Chunked": ([("Transfer-Encoding", "Chunked")], chunked(BODY)),
}


def test_encoded_payloads_are_decoded_as_warcio_decodes_them(tmp_path):
    path = tmp_path / "encoded.warc.gz"
    path.write_bytes(b"".join(
        record(f"http://a.cn/{name}", payload, [("Content-Type", "text/html"), *headers])
        for name, (headers, payload) in ENCODED.items()
    ))  # fmt: skip
    with open(path, "rb") as stream:
        expected = {r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
                    for r in ArchiveIterator(stream)}  # fmt: skip
    found = {item.url: item.content for item in items(path)}
    assert found == expected
    for name in ("chunked", "gzip", "deflate", "raw-deflate", "br", "chunked-gzip"):
        assert found[f"http://a.cn/{name}"] == BODY


def raw(url: bytes, http: bytes, warc: bytes = b"Content-Type: application/http\r\n") -> bytes:
    """A response record written by hand: what warcio's writer would not write."""
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\n"
            b"WARC-Date: 2023-04-05T06:07:08Z\r\n%sContent-Length: %d\r\n\r\n%s\r\n\r\n"
            % (url, warc, len(http), http))  # fmt: skip


def test_capture_fields_come_from_the_warc_and_http_headers(tmp_path):
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GBK\r\nX-Name: \xe6\x96\xb0\r\n"
            b"X-Raw: \xd0\xc2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n" + BODY)  # fmt: skip
    path = tmp_path / "fields.warc"
    warc = b"WARC-IP-Address: 203.0.113.9\r\nContent-Type: application/http\r\n"
    path.write_bytes(raw(b"http://a.cn/1.html", http, warc))
    (capture,) = items(path)
    headers = [("Content-Type", "text/html; charset=GBK"), ("X-Name", "新"), ("X-Raw", "ÐÂ"),
               ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]  # UTF-8, else Latin-1  # fmt: skip
    assert capture == Capture("http://a.cn/1.html", BODY, "2023-04-05T06:07:08+00:00", 200,
                              headers, "203.0.113.9", None, "text/html", "GBK")  # fmt: skip
    with open(path, "rb") as stream:
        assert [r.http_headers.headers for r in ArchiveIterator(stream)] == [headers]  # as warcio


def test_uris_and_records_as_other_writers_have_them(tmp_path):
    ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + BODY
    dns = raw(b"dns:a.cn", b"20230405060708\na.cn. 300 IN A 203.0.113.9\n",
              b"Content-Type: text/dns\r\n")  # fmt: skip
    path = tmp_path / "quirks.warc"
    path.write_bytes(
        raw(b"<http://a.cn/1.html>", ok)  # wget 1.19
        + raw(b"http://a.cn/2 3.html", ok)
        + raw(b"http://a.cn/4.html", ok, warc=b"")  # no WARC Content-Type: HTTP by its scheme
        + raw(b"http://a.cn/5.html", ok.replace(b"\r\n", b"\n"))  # bare LFs from the server
        + dns
    )  # fmt: skip
    found = items(path)
    assert [i.url for i in found] == ["http://a.cn/1.html", "http://a.cn/2%203.html",
                                      "http://a.cn/4.html", "http://a.cn/5.html"]  # fmt: skip
    assert all(i.content == BODY for i in found)
    whole = tmp_path / "one-gzip-member.warc.gz"  # `gzip crawl.warc`: not per record, still read
    whole.write_bytes(gzip.compress(path.read_bytes()))
    assert items(whole) == found


def test_skipped_responses_say_why(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_PAGE_BYTES", 100)
    path = tmp_path / "skips.warc.gz"
    gone = record("http://a.cn/gone.html", b"no", [("Content-Type", "text/html")], "404 No")
    pdf = record("http://a.cn/x.pdf", b"%PDF", [("Content-Type", "application/pdf")])
    path.write_bytes(html("http://a.cn/big.html") + gone + pdf)
    assert [(i.url, i.reason) for i in items(path)] == [
        ("http://a.cn/big.html", "page larger than 0 MB"), ("http://a.cn/gone.html", "HTTP 404"),
        ("http://a.cn/x.pdf", "not an HTML page (application/pdf)"),
    ]  # fmt: skip


def test_an_fsspec_url_reads_like_a_path(tmp_path):
    data = html("http://a.cn/1.html") + html("http://a.cn/2.html")
    with fsspec.open("memory://crawls/c.warc.gz", "wb") as stream:
        stream.write(data)
    (tmp_path / "c.warc.gz").write_bytes(data)
    assert items("memory://crawls/c.warc.gz") == items(tmp_path / "c.warc.gz")
    assert len(items(tmp_path / "c.warc.gz")) == 2


@pytest.mark.parametrize("gzipped", [True, False])
def test_a_file_cut_anywhere_keeps_what_came_before_and_says_so(tmp_path, gzipped):
    records = [html(f"http://a.cn/{n}.html", gzipped=gzipped) for n in range(3)]
    data = b"".join(records)
    whole = [i.url for i in items(_write(tmp_path, data))]
    ends = [sum(map(len, records[: n + 1])) for n in range(len(records))]
    for cut in range(0, len(data), 7):
        found = items(_write(tmp_path, data[:cut]))
        urls = [i.url for i in found if not isinstance(i, Problem)]
        assert urls == whole[: len(urls)], cut  # what was read before is kept, nothing made up
        # Only a cut between records (or in the CRLFs ending one, plain) may go unnoticed.
        silent = any(end - (0 if gzipped else 4) <= cut <= end for end in ends)
        assert silent or isinstance(found[-1], Problem), cut


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data)
    return path


def test_a_cut_record_is_reported_not_skipped_or_captured(tmp_path):
    data = html("http://a.cn/1.html", gzipped=False)
    cut_in_http_headers = data[: data.index(b"charset=utf-8")]
    problems = items(
        _write(tmp_path, html("http://a.cn/0.html", gzipped=False) + cut_in_http_headers)
    )
    assert [type(i) for i in problems] == [Capture, Problem]
    assert "the record of http://a.cn/1.html is cut short" in problems[-1].message
    in_gzip_trailer = items(_write(tmp_path, html("http://a.cn/0.html")[:-4]))
    assert [type(i) for i in in_gzip_trailer] == [Capture, Problem]
    assert "its last gzip member is cut" in in_gzip_trailer[-1].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a WARC file at all\n" * 10, "not a WARC file"),
        (b"<html><body>hi</body></html>", "not a WARC file"),
        (b"\x1f\x8b\x08\x00 not gzip at all", "not a WARC file"),
        (b"", "no WARC records"),
        (html("http://a.cn/1.html", gzipped=False).replace(b"\r\n", b"\n"), "WARC-Type"),
    ],
    ids=["text", "html", "gzip-junk", "empty", "bare-lf-warc"],
)
def test_what_is_not_a_warc_is_one_problem(tmp_path, content, message):
    (problem,) = items(_write(tmp_path, content))
    assert isinstance(problem, Problem) and message in problem.message


def test_damage_mid_file_ends_it_and_keeps_the_records_before(tmp_path):
    members = [html(f"http://a.cn/{n}.html") for n in range(3)]
    flipped = bytearray(members[1])
    flipped[len(flipped) // 2] ^= 0xFF  # a gzip data (or CRC) error
    found = items(_write(tmp_path, members[0] + bytes(flipped) + members[2]))
    assert [type(i) for i in found] == [Capture, Problem] and "corrupt" in found[1].message
    plain = [html(f"http://a.cn/{n}.html", gzipped=False) for n in range(3)]
    for delta in (-100, 1000):  # a wrong Content-Length, shorter or longer than the block
        declared = re.search(rb"Content-Length: (\d+)", plain[1])
        wrong = b"Content-Length: %d" % (int(declared[1]) + delta)
        damaged = plain[1].replace(declared[0], wrong, 1)
        found = items(_write(tmp_path, plain[0] + damaged + plain[2]))
        # As warcio, the record is read to its (wrong) length; what follows is no record.
        assert [type(i) for i in found] == [Capture, Capture, Problem]
        assert "corrupt" in found[-1].message
