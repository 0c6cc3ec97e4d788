"""scraper.export.formats: exact output per format, safe file names, streaming, jsonl round trip."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.export.formats import (
    CSV_FIELDS,
    FIELDS,
    ExportError,
    read_jsonl,
    render_md,
    render_txt,
    safe_filename,
    write_export,
)

TITLE = "工业互联网已迈入高质量发展、规模化推广新阶段"
URL = "https://www.cnii.com.cn/rmydb/202509/t20250923_687411.html"
P1 = "工业互联网是新一代信息技术与制造业深度融合的产物。"
P2 = "截至目前，我国工业互联网已覆盖全部41个工业大类。"
SEED = {
    "url": URL,
    "site": "cnii.com.cn",
    "title": TITLE,
    "source": "人民邮电报",
    "author": "邓聪",
    "editor": "肖春芳",
    "published_at": "2025-09-23T14:39:00+08:00",
    "body": f"{P1}\n\n{P2}",
    "extractor": "generic",
    "canonical_url": None,
    "extractor_version": "1",
    "content_hash": "abc123",
    "archived_at": "2025-09-24T08:00:00+00:00",
    "updated_at": None,
}
META = f"来源：人民邮电报 · 作者：邓聪 · 责编：肖春芳 · 2025-09-23 14:39 · {URL}"
SEED_TXT = f"{TITLE}\n{META}\n\n{P1}\n\n{P2}\n"
SEED_MD = f"# {TITLE}\n\n{META.replace(URL, f'<{URL}>')}\n\n{P1}\n\n{P2}\n"
SPARSE = {"title": "只有标题", "body": "只有正文。", "source": None, "author": "", "url": None}
HOSTILE_TITLES = [
    "../../etc/passwd",
    "/abs",
    "CON",
    "con",
    "a\x00b",
    "???",
    "..",
    ".",
    "  ",
    "名" * 300,
    "名字<>|",
    "\u200b\u202e隐藏",
    None,
]
DEVICE = re.compile(r"(CON|PRN|AUX|NUL|COM\d|LPT\d)", re.IGNORECASE)


def export_text(records, fmt: str) -> str:
    stream = io.StringIO()
    write_export(records, fmt, None, stream)
    return stream.getvalue()


def assert_valid_name(name: str, ext: str) -> None:
    assert name.endswith("." + ext)
    assert len(name.encode("utf-8")) <= 200
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f\x7f\u200b\u202e]', name)
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert not DEVICE.fullmatch(name.split(".")[0])
    assert name == unicodedata.normalize("NFC", name)
    assert "  " not in name


# --- rendering -------------------------------------------------------------------------------


def test_render_txt_seed_exact():
    assert render_txt(SEED) == SEED_TXT


def test_render_md_seed_exact():
    assert render_md(SEED) == SEED_MD


def test_jsonl_seed_exact():
    line = export_text([SEED], "jsonl")
    assert line == json.dumps(SEED, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert line.startswith('{"url":"https://www.cnii.com.cn/') and TITLE in line


def test_csv_seed_exact(tmp_path):
    out = tmp_path / "seed.csv"
    assert write_export([SEED], "csv", out, io.StringIO()) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ",".join(CSV_FIELDS).encode() + b"\r\n")
    row = raw.decode("utf-8-sig").split("\r\n")[1]
    assert row.startswith(f"{URL},cnii.com.cn,{TITLE},人民邮电报,邓聪,肖春芳,2025-09-23T14:39")
    assert f'"{P1}\n\n{P2}"' in raw.decode("utf-8-sig")  # body newlines kept inside quotes


@pytest.mark.parametrize("render", [render_txt, render_md])
def test_missing_fields_leave_no_trace(render):
    text = render(SPARSE)
    assert "None" not in text and "：" not in text and "·" not in text and "<>" not in text
    assert "只有标题" in text and text.endswith("只有正文。\n")
    assert render({}) == ""


def test_txt_metadata_only_parts_that_exist():
    record = {"title": "题", "editor": "王五", "published_at": "2025-01-02T03:04:05+08:00"}
    assert render_txt(record) == "题\n责编：王五 · 2025-01-02 03:04:05\n"


@pytest.mark.parametrize(
    ("published_at", "shown"),
    [
        ("2025-09-23T14:39:00+08:00", "2025-09-23 14:39"),
        ("2025-09-23T14:39:07+08:00", "2025-09-23 14:39:07"),
        ("2025-09-23T00:00:00Z", "2025-09-23 00:00"),
        ("2025-09-23", "2025-09-23"),
        ("昨天", "昨天"),
    ],
)
def test_txt_date_display(published_at, shown):
    assert render_txt({"title": "t", "published_at": published_at}) == f"t\n{shown}\n"


def test_md_escapes_leading_markdown_only():
    body = "# 标题\n\n> 引用\n\n- 列表\n\n+ 加\n\n* 星\n\n1. 第一\n\n2025年9月，正文*不变*。"
    text = render_md({"body": body})
    expected = "\\# 标题\n\n\\> 引用\n\n\\- 列表\n\n\\+ 加\n\n\\* 星\n\n1\\. 第一\n\n2025年9月，正文*不变*。\n"
    assert text == expected


def test_single_file_separators(tmp_path):
    two = [SEED, {"title": "第二篇", "body": "正文"}]
    txt = export_text(two, "txt")
    assert txt == SEED_TXT + "\n" + "=" * 40 + "\n\n" + "第二篇\n\n正文\n"
    md = export_text(two, "md")
    assert md == SEED_MD + "\n---\n\n" + "# 第二篇\n\n正文\n"
    out = tmp_path / "all.md"
    assert write_export(iter(two), "md", str(out), io.StringIO()) == 2
    assert out.read_text(encoding="utf-8") == md


# --- jsonl and csv round trips -----------------------------------------------------------------


def tricky_records() -> list[dict]:
    return [
        SEED,
        {"title": '引号"与\\反斜杠', "body": "行一\n行二\u2028分隔\r\n", "zeta": 1, "alpha": [1]},
        {"url": "https://x.cn/1", "title": '=HYPERLINK("http://evil")', "author": "-邓聪"},
        {"title": "@SUM(A1)", "body": "\t缩进", "source": "+86", "editor": "\r回车"},
    ]


def test_jsonl_round_trip_byte_identical(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert write_export(tricky_records(), "jsonl", first, io.StringIO()) == 4
    back = list(read_jsonl(first))
    expected = [{k: r.get(k) for k in FIELDS} | r for r in tricky_records()]
    assert back == expected
    assert list(back[1])[-2:] == ["alpha", "zeta"]  # extra keys after FIELDS, sorted
    write_export(read_jsonl(first), "jsonl", second, io.StringIO())
    assert second.read_bytes() == first.read_bytes()
    assert first.read_bytes().count(b"\n") == 4


def test_csv_reads_back_with_formula_protection(tmp_path):
    out = tmp_path / "x.csv"
    write_export(tricky_records(), "csv", out, io.StringIO())
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(CSV_FIELDS)
    for record, row in zip(tricky_records(), rows[1:], strict=True):
        for key, cell in zip(CSV_FIELDS, row, strict=True):
            value = record.get(key)
            value = "" if value is None else str(value)
            protected = value[:1] in ("=", "+", "-", "@", "\t", "\r")
            assert cell == ("'" + value if protected else value), key
    assert rows[3][2] == '\'=HYPERLINK("http://evil")' and rows[4][3] == "'+86"


def test_jsonl_and_csv_into_directory(tmp_path):
    existing = tmp_path / "dir"
    existing.mkdir()
    assert write_export([SEED], "jsonl", existing, io.StringIO()) == 1
    assert (existing / "articles.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert write_export([SEED], "csv", f"{tmp_path}/new/", io.StringIO()) == 1
    assert (tmp_path / "new" / "articles.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# --- per-article files -------------------------------------------------------------------------


def test_per_article_hostile_titles_stay_inside(tmp_path):
    target = tmp_path / "out"
    records = [{"title": t, "body": "正文"} for t in HOSTILE_TITLES]
    assert write_export(records, "txt", f"{target}/", io.StringIO()) == len(records)
    files = list(target.iterdir())
    assert len(files) == len(records)  # nothing overwritten, nothing written elsewhere
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    for path in files:
        assert path.resolve().is_relative_to(target.resolve())
        assert_valid_name(path.name, "txt")
        assert path.read_text(encoding="utf-8").endswith("正文\n")


def test_per_article_duplicates_distinct_and_seed_name(tmp_path):
    records = [SEED, SEED, {**SEED, "title": TITLE.upper()}, {"title": "Abc"}, {"title": "ABC"}]
    assert write_export(records, "md", tmp_path, io.StringIO()) == 5
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        f"2025-09-23_{TITLE} (2).md",
        f"2025-09-23_{TITLE} (3).md",
        f"2025-09-23_{TITLE}.md",
        "undated_ABC (2).md",
        "undated_Abc.md",
    ]
    assert (tmp_path / f"2025-09-23_{TITLE}.md").read_text(encoding="utf-8") == SEED_MD


def test_safe_filename_examples():
    taken: set[str] = set()
    assert safe_filename(TITLE, SEED["published_at"], "txt", taken) == f"2025-09-23_{TITLE}.txt"
    assert f"2025-09-23_{TITLE}.txt" in taken
    assert safe_filename(TITLE, "2025-09-23", "txt", taken) == f"2025-09-23_{TITLE} (2).txt"
    assert safe_filename(" a \t b\n c ", None, "md", taken) == "undated_a b c.md"
    long = safe_filename("名" * 300, None, "txt", taken)
    assert len(long.encode()) <= 200 and long.endswith("名.txt")
    assert len(long.encode()) > 195  # cut on a character boundary, not far short
    assert safe_filename("e\u0301", None, "txt", taken) == "undated_\u00e9.txt"  # NFC
    assert safe_filename("..", None, "txt", set()) == "undated_untitled.txt"
    assert safe_filename("...隐藏 .", "昨天", "txt", set()) == "undated_隐藏.txt"


@given(title=st.one_of(st.none(), st.text()), published=st.one_of(st.none(), st.text()))
def test_safe_filename_property(title, published):
    taken: set[str] = set()
    for _ in range(2):  # the second call exercises the " (2)" path
        name = safe_filename(title, published, "txt", taken)
        assert "/" not in name and "\\" not in name and "\x00" not in name
        assert name not in (".", "..") and not name.startswith(".")
        assert len(name.encode("utf-8")) <= 200
        assert name.endswith(".txt")
    assert len(taken) >= 2


# --- streaming and errors ----------------------------------------------------------------------


def test_generator_is_streamed_not_materialised(tmp_path):
    stream = io.StringIO()
    written_before: dict[int, int] = {}

    def records():
        for i in range(10_000):
            written_before[i] = stream.tell()  # how much output exists when item i is pulled
            yield {"title": f"第{i}篇", "body": "正文"}

    assert write_export(records(), "jsonl", None, stream) == 10_000
    assert 0 == written_before[0] < written_before[1] < written_before[9_999]
    assert stream.getvalue().count("\n") == 10_000


def test_bad_jsonl_line_names_file_and_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"title": "一"}\n\n{"title": 二}\n', encoding="utf-8")
    with pytest.raises(ExportError, match=r"in\.jsonl:3: not a JSON object"):
        list(read_jsonl(path))
    path.write_text('{"title": "一"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(ExportError, match=r":2: not a JSON object"):
        list(read_jsonl(path))
    with pytest.raises(ExportError, match="cannot read"):
        list(read_jsonl(tmp_path / "missing.jsonl"))


def test_write_errors_are_one_line_export_errors(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("keep", encoding="utf-8")
    with pytest.raises(ExportError) as info:
        write_export([SEED], "txt", f"{a_file}/", io.StringIO())
    assert "\n" not in str(info.value) and a_file.read_text(encoding="utf-8") == "keep"
    with pytest.raises(ExportError, match="cannot write"):
        write_export([SEED], "jsonl", tmp_path / "no" / "such" / "x.jsonl", io.StringIO())
    with pytest.raises(ExportError, match="unknown format"):
        write_export([SEED], "pdf", None, io.StringIO())


def test_failed_export_leaves_no_partial_file(tmp_path):
    out = tmp_path / "x.jsonl"
    out.write_text("old\n", encoding="utf-8")

    def records():
        yield SEED
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_export(records(), "jsonl", out, io.StringIO())
    assert out.read_text(encoding="utf-8") == "old\n"  # previous export untouched
    assert [p.name for p in tmp_path.iterdir()] == ["x.jsonl"]  # temp file cleaned up
