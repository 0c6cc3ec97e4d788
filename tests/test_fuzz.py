"""Fuzzing: random and mutated input through the extractor, the query language and the decoder.

Each target may fail only in its documented way: `scraper.extract.page` never raises (a page that is
not an article comes back with no body), the query language raises only `QueryError`, and the
decoder always returns text. CI runs a few hundred examples per target; a long local run:
`FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scraper
from scraper.article import Article
from scraper.fetch.decode import decode_page
from scraper.search.engine import count, search
from scraper.search.query import QueryError, build_match

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_aab09b9d773d6dc3.html"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TAGS = ["div", "p", "span", "font", "table", "tr", "td", "ul", "li", "a", "b", "h1", "section",
        "article", "script", "style", "br", "img", "iframe", "form", "center"]  # fmt: skip
CHARSETS = ["utf-8", "gbk", "gb2312", "gb18030", "big5", "big5-hkscs", "latin-1", "utf-16",
            "x-bogus", "", "utf-8; q=1", "shift_jis"]  # fmt: skip
PROSE = st.text(
    alphabet=st.sampled_from("中国新闻记者报道发展经济社會臺灣，。！？：、“”（）0123 \n\t<>&;/"),
    max_size=80,
)


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    """Random, often broken HTML: unclosed and stray tags, huge attributes, comments, entities."""
    pieces = []
    for _ in range(draw(st.integers(0, 60))):
        tag = draw(st.sampled_from(TAGS))
        kind = draw(st.integers(0, 7))
        if kind == 0:
            pieces.append(f"</{tag}>")
        elif kind == 1:
            size = draw(st.sampled_from([1, 100, 20_000]))
            pieces.append(f"<{tag} class=\"{'x' * size}\" id='{draw(PROSE)}'>")
        elif kind == 2:
            pieces.append(
                draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "&#x", "&amp", "<", "</"]))
            )
        else:
            pieces.append(f"<{tag}>{draw(PROSE)}")
    return "<html><head><title>" + draw(PROSE) + "</title></head><body>" + "".join(pieces)


@st.composite
def deep_nesting(draw: st.DrawFn) -> str:
    """Thousands of nested (or never closed) elements around a real paragraph."""
    tag = draw(st.sampled_from(["div", "font", "span", "td", "blockquote", "li", "section"]))
    depth = draw(st.integers(200, 3000))
    closed = draw(st.booleans())
    body = "<p>" + "智慧公交线路今日正式开通运营，覆盖新区十二个社区。" * 5 + "</p>"
    return f"<html><body><h1>标题</h1>{f'<{tag}>' * depth}{body}{f'</{tag}>' * depth * closed}"


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    """The seed page with slices deleted, duplicated, overwritten by random bytes or cut off."""
    page = bytearray(SEED.read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, len(page)))
        end = min(len(page), start + draw(st.integers(0, 4000)))
        action = draw(st.integers(0, 3))
        if action == 0:
            del page[start:end]
        elif action == 1:
            page[start:start] = page[start:end]
        elif action == 2:
            page[start:end] = draw(st.binary(max_size=200))
        else:
            del page[start:]
    return bytes(page)


@st.composite
def mixed_encodings(draw: st.DrawFn) -> bytes:
    """One page whose pieces are encoded differently, with a charset declaration that may lie."""
    declared = draw(st.sampled_from(CHARSETS))
    parts = [f'<html><head><meta charset="{declared}"></head><body>'.encode()]
    for _ in range(draw(st.integers(1, 6))):
        codec = draw(st.sampled_from(["utf-8", "gbk", "big5", "utf-16-le"]))
        text = draw(PROSE)
        parts.append(f"<p>{text}</p>".encode(codec, errors="replace"))
    return b"".join(parts)


PAGES = st.one_of(
    tag_soup(),
    deep_nesting(),
    mutated_seed(),
    mixed_encodings(),
    st.binary(max_size=5000),
    st.text(max_size=2000),
)


def assert_is_article(article: Article) -> None:
    assert isinstance(article, Article)
    for value in (article.title, article.body, article.source, article.author, article.editor):
        assert value is None or (isinstance(value, str) and value)  # None, never ""


@FUZZ
@given(page=PAGES, url=st.sampled_from([None, "https://www.gmw.cn/a/1.html", "not a url"]))
def test_extract_never_raises(page: bytes | str, url: str | None) -> None:
    assert_is_article(scraper.extract(page, url=url))


@FUZZ
@given(raw=st.one_of(st.binary(max_size=4000), mixed_encodings(), mutated_seed()),
       charset=st.sampled_from([None, *CHARSETS]))  # fmt: skip
def test_decoder_always_returns_text(raw: bytes, charset: str | None) -> None:
    decoded = decode_page(raw, charset)
    assert isinstance(decoded.text, str)
    assert "\x00" not in decoded.text or b"\x00" in raw  # NULs come only from the bytes


QUERY_PIECES = st.sampled_from(
    [
        '"',
        "-",
        "OR",
        "AND",
        "NOT",
        "(",
        ")",
        "*",
        ":",
        "site:",
        "-site:",
        "source:",
        "title:",
        "since:",
        "until:2025-13",
        "NEAR",
        "^",
        "{",
        "}",
        "工业",
        "互联网",
        "人工智能",
        " ",
        "\\",
        "'",
        "\x00",
        "\u3000",
        "～",
        "、",
    ]  # fmt: skip
)
QUERIES = st.one_of(st.text(max_size=60), st.lists(QUERY_PIECES, max_size=12).map("".join))


@FUZZ
@given(query=QUERIES)
def test_query_language_raises_only_query_error(query: str) -> None:
    try:
        expression = build_match(query)
    except QueryError as error:
        assert str(error)  # a message for the user
    else:
        assert isinstance(expression, str)  # empty for a query of filters alone


@pytest.fixture(scope="module")
def seeded_archive(tmp_path_factory):
    archive = scraper.Archive(tmp_path_factory.mktemp("fuzz") / "archive.db")
    archive.save(scraper.extract(SEED.read_bytes(), url="https://www.gmw.cn/a/1.html"))
    yield archive
    archive.close()


@FUZZ
@given(query=QUERIES)
def test_search_on_an_archive_raises_only_query_error(seeded_archive, query: str) -> None:
    try:
        hits = search(seeded_archive, query, limit=5)
        total = count(seeded_archive, query)
    except QueryError:
        return
    assert len(hits) == min(5, total)  # the page and the count agree
