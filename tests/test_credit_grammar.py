"""The credit grammar on a table of credit lines as portals print them (fixtures/credit_lines.tsv:
mainland, Taiwan, Hong Kong, Singapore and wire forms, written for this test)."""

from __future__ import annotations

from pathlib import Path

import pytest

import scraper
from scraper.extract.credits import Credit, credit_line, lead_credit, trailing_credit
from scraper.extract.names import persons, source_name

TABLE = Path(__file__).parent.parent / "fixtures" / "credit_lines.tsv"


def _rows() -> list[tuple[str, str, str | None, str | None, str | None]]:
    lines = [line for line in TABLE.read_text("utf-8").splitlines() if not line.startswith("#")]
    rows = [tuple(line.split("\t")) for line in lines[1:] if line.strip()]
    return [(k, text, *(None if v == "-" else v for v in rest)) for k, text, *rest in rows]


def _read(kind: str, text: str) -> Credit:
    if kind == "line":
        return credit_line(text)
    if kind == "lead":
        return lead_credit(text)
    if kind == "trail":
        return trailing_credit(text)[1]
    if kind == "names":
        return Credit(author=persons(text))
    return Credit(source=source_name(text))


def test_the_table_is_large_and_covers_every_position():
    kinds = [row[0] for row in _rows()]
    assert len(kinds) >= 150
    assert {"line", "lead", "trail", "names", "source"} == set(kinds)


@pytest.mark.parametrize(("kind", "text", "author", "source", "editor"), _rows())
def test_credit_line(kind, text, author, source, editor):
    credit = _read(kind, text)
    assert (credit.author, credit.source, credit.editor) == (author, source, editor)


def test_a_trailing_credit_leaves_the_paragraph():
    rest, credit = trailing_credit("市民排起长队。（编译/林启东）")
    assert (rest, credit.author) == ("市民排起长队。", "林启东")
    assert trailing_credit("市民排起长队。（钟才文）") == ("市民排起长队。（钟才文）", Credit())


@pytest.mark.parametrize(
    ("fixture", "source", "author", "editor"),
    [
        ("taiwan_byline.html", None, "林曉雯", "陳怡如"),  # 〔記者X／台北報導〕, （編輯：X）
        ("wire_repost.html", "新华社", "刘晓海、杨梅", "王小波"),  # a wire dateline, 最新更新
        ("gov_notice.html", "市卫健委", "王小明", None),  # 作者：办公室 is a unit; 文/图：宣传科 X
        ("hk_report.html", None, "陳志明", "李嘉欣"),  # 撰文：X, 責任編輯：X
    ],
)
def test_pages_take_their_credits(fixture, source, author, editor):
    raw = (TABLE.parent / "credits" / fixture).read_bytes()
    article = scraper.extract(raw)
    assert (article.source, article.author, article.editor) == (source, author, editor)
