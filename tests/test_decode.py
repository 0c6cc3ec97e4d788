"""Tests for scraper.fetch.decode: bytes are generated here; the shared corpus is read in place."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.fetch.decode import Decoded, decode_page, decode_text_or_bytes, sniff_declared_charset

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SIMPLIFIED = "新华社北京电 推动建设开放型世界经济，维护全人类共同利益。"
TRADITIONAL = "義大利公開賽 茲韋列夫封王"
# UTF-8 bytes of these happen to be valid gb18030 too: a strict gb18030 trial "succeeds"
# with mojibake (新华社北京电 -> 鏂板崕绀惧寳浜數), so a declared gb2312 must not win.
UTF8_VALID_AS_GB = ["新华社北京电", "推动建设开放型世界经济"]
# Short GBK texts that charset-normalizer alone misreads (cp949, big5, utf-16-be, ...).
SHORT_GBK = ["宇航员在", "维护全人", "近期一些", "美国宇航局约翰逊", "如果美国"]


def page(body: str, charset: str | None = None) -> str:
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if charset
        else ""
    )
    return f"<html><head>{meta}<title>{body[:6]}</title></head><body><p>{body}</p></body></html>"


def test_gbk_bytes_with_correct_meta() -> None:
    html = page(SIMPLIFIED, "gb2312")
    assert decode_page(html.encode("gbk")) == Decoded(html, "gb18030", False)


def test_gbk_extension_chars_decode_under_gb2312_label() -> None:
    # 镕 is GBK-only: a literal gb2312 decoder would fail on it.
    html = page("朱镕基 " + SIMPLIFIED, "gb2312")
    assert decode_page(html.encode("gbk")) == Decoded(html, "gb18030", False)


@pytest.mark.parametrize("text", [SIMPLIFIED, *SHORT_GBK])
def test_gbk_bytes_without_declaration(text: str) -> None:
    assert decode_page(text.encode("gbk")) == Decoded(text, "gb18030", False)
    html = page(text)
    assert decode_page(html.encode("gbk")) == Decoded(html, "gb18030", False)


@pytest.mark.parametrize("text", [SIMPLIFIED, *UTF8_VALID_AS_GB])
def test_utf8_bytes_lying_with_gb2312_meta(text: str) -> None:
    html = page(text, "gb2312")
    assert decode_page(html.encode("utf-8")) == Decoded(html, "utf-8", False)


@pytest.mark.parametrize("text", [SIMPLIFIED, *UTF8_VALID_AS_GB])
def test_utf8_bytes_lying_with_gb2312_http_charset(text: str) -> None:
    assert decode_page(text.encode("utf-8"), "gb2312") == Decoded(text, "utf-8", False)


def test_http_charset_beats_meta_when_it_verifies() -> None:
    html = page(SIMPLIFIED, "utf-8")
    assert decode_page(html.encode("gbk"), "gbk") == Decoded(html, "gb18030", False)


def test_wrong_http_charset_falls_through_to_meta() -> None:
    html = page(SIMPLIFIED, "gbk")
    assert decode_page(html.encode("gbk"), "utf-8") == Decoded(html, "gb18030", False)


@pytest.mark.parametrize("label", ["gb2312", "GBK", "gb_2312-80", "x-gbk", "cp936", "GB18030"])
def test_gb_aliases_read_as_gb18030(label: str) -> None:
    assert decode_page(SIMPLIFIED.encode("gbk"), label).encoding == "gb18030"


@pytest.mark.parametrize("label", ["big5", "Big5-HKSCS", "cp950"])
def test_big5_aliases_read_as_big5hkscs(label: str) -> None:
    assert decode_page(TRADITIONAL.encode("big5"), label) == Decoded(
        TRADITIONAL, "big5hkscs", False
    )


def test_big5_bytes_with_meta() -> None:
    html = page(TRADITIONAL, "big5")
    assert decode_page(html.encode("big5")) == Decoded(html, "big5hkscs", False)


def test_big5_bytes_without_declaration() -> None:
    # Big5 bytes are also valid gb18030 (as mojibake); lead-byte statistics must pick Big5.
    html = page(TRADITIONAL)
    assert decode_page(html.encode("big5")) == Decoded(html, "big5hkscs", False)


def test_utf8_bom_is_stripped() -> None:
    html = page(SIMPLIFIED, "gb2312")
    assert decode_page(codecs.BOM_UTF8 + html.encode("utf-8")) == Decoded(html, "utf-8", False)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_bom(codec: str) -> None:
    raw = ("\ufeff" + page(SIMPLIFIED)).encode(codec)
    assert decode_page(raw, "gbk") == Decoded(page(SIMPLIFIED), codec, False)


def test_garbage_charset_names_are_ignored() -> None:
    html = page(SIMPLIFIED, "x-no-such-charset")
    assert decode_page(html.encode("gbk"), "bogus\x00") == Decoded(html, "gb18030", False)
    assert decode_page(html.encode("utf-8"), "base64") == Decoded(html, "utf-8", False)
    for label in ("zip", "rot13", "idna", "unicode_escape"):  # Python codecs, not charsets
        assert decode_page(html.encode("gbk"), label) == Decoded(html, "gb18030", False)


def test_latin1_http_header_lying_about_utf8() -> None:
    assert decode_page(SIMPLIFIED.encode("utf-8"), "iso-8859-1") == Decoded(
        SIMPLIFIED, "utf-8", False
    )


def test_latin1_http_header_on_gbk_and_big5_bytes() -> None:
    assert decode_page(SIMPLIFIED.encode("gbk"), "latin-1").encoding == "gb18030"
    assert decode_page(TRADITIONAL.encode("big5"), "windows-1252").text == TRADITIONAL


def test_true_latin1_page_keeps_its_declaration() -> None:
    text = "Grüße aus München, déjà vu"
    assert decode_page(text.encode("latin-1"), "ISO-8859-1") == Decoded(text, "iso8859-1", False)


@pytest.mark.parametrize("raw", [b"<p>\xff\x00\x81</p>", b"\x00\xff" * 50, bytes(range(256))])
def test_undecodable_bytes_are_lossy(raw: bytes) -> None:
    result = decode_page(raw)
    assert result.lossy
    assert "\ufffd" in result.text


def test_truncated_utf8_page_stays_utf8() -> None:
    # A download cut mid-character: charset sniffers turn the rest into single-byte mojibake.
    raw = page(SIMPLIFIED * 10, "utf-8").encode("utf-8")
    result = decode_page(raw[:-40] + "中".encode()[:2])
    assert (result.encoding, result.lossy) == ("utf-8", True)
    assert SIMPLIFIED in result.text


def test_gbk_page_with_a_stray_byte_stays_gb18030() -> None:
    raw = (SIMPLIFIED * 5).encode("gbk") + b"\xff" + (SIMPLIFIED * 5).encode("gbk")
    result = decode_page(raw, "gb2312")
    assert (result.encoding, result.lossy) == ("gb18030", True)
    assert result.text.count(SIMPLIFIED) == 10


def test_empty_bytes() -> None:
    assert decode_page(b"") == Decoded("", "utf-8", False)
    assert decode_page(b"", "gbk").text == ""


def test_decode_text_or_bytes() -> None:
    assert decode_text_or_bytes(SIMPLIFIED) == Decoded(SIMPLIFIED, "unicode", False)
    assert decode_text_or_bytes(SIMPLIFIED.encode("gbk")).text == SIMPLIFIED


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="GB2312">', "gb2312"),
        (b"<meta charset=utf-8>", "utf-8"),
        (b'<meta content="text/html; charset=gbk" http-equiv="Content-Type">', "gbk"),
        (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html;charset=big5'>", "big5"),
        (b'<?xml version="1.0" encoding="GB2312"?><html>', "gb2312"),
        (b'<script charset="utf-8" src="x.js"></script><title>t</title>', None),
        (b'<text title="t" encoding="gb2312">', None),
        (b"<html><head><title>none</title>", None),
    ],
)
def test_sniff_declared_charset(head: bytes, expected: str | None) -> None:
    assert sniff_declared_charset(head) == expected


def test_sniff_skips_script_charset_and_reads_past_big_style_blocks() -> None:
    head = b'<script charset="utf-8"></script><style>' + b"p{}" * 3000 + b"</style>"
    assert sniff_declared_charset(head + b'<meta charset="gbk">') == "gbk"
    assert sniff_declared_charset(b" " * 20000 + b'<meta charset="gbk">') is None


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=2000), charset=st.none() | st.text(max_size=30))
def test_decode_page_never_raises(raw: bytes, charset: str | None) -> None:
    result = decode_page(raw, charset)
    assert isinstance(result.text, str) and result.encoding
    assert not result.text.startswith("\ufeff")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200), charset=st.sampled_from([None, "gb2312", "latin-1"]))
def test_any_utf8_text_round_trips(text: str, charset: str | None) -> None:
    assert decode_page(text.encode("utf-8"), charset).text == text.removeprefix("\ufeff")


def corpus_rows() -> list[dict]:
    if not CORPUS.exists():
        return []
    return [json.loads(line) for line in (CORPUS / "manifest.jsonl").read_text().splitlines()]


def expected_family(encoding_note: str) -> str:
    """The manifest says "declared X; bytes decode as Y": Y is what counts."""
    actual = encoding_note.split(";", 1)[1].lower()
    if "gb18030" in actual or "gbk" in actual:
        return "gb18030"
    assert "utf-8" in actual, encoding_note
    return "utf-8"


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
@pytest.mark.parametrize("row", corpus_rows(), ids=lambda row: row["file"])
def test_corpus_page_decodes_to_its_real_codec(row: dict) -> None:
    result = decode_page((CORPUS / row["file"]).read_bytes())
    assert (result.encoding, result.lossy) == (expected_family(row["encoding"]), False)
    assert row["title"] in result.text
