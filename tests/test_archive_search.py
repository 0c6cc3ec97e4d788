"""Archive → search: upserts, FTS kept in sync, highlighted snippets, hostile queries."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import SEED_HTML, SEED_TXT, body_column
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scraper
from scraper.pipeline.run import run_archive
from scraper.search.engine import QueryError, make_snippet
from scraper.search.query import build_match
from scraper.store.segment import ZWSP, normalize

URL = "https://tech.gmw.cn/2025-09/23/content_1.htm"


@pytest.fixture
def archive(db):
    with scraper.Archive(db) as opened:
        yield opened


@pytest.fixture
def seeded(archive):
    summary = run_archive(archive, [str(SEED_TXT), str(SEED_HTML)])
    assert sorted(o.status for o in summary.outcomes) == ["added", "added"]
    return archive


def seed_article(**changes) -> scraper.Article:
    article = scraper.extract(SEED_HTML.read_bytes(), url=URL)
    for key, value in changes.items():
        setattr(article, key, value)
    return article


def test_index_column_maps_back_to_the_text():
    text = "工业互联网，ＡＢＣ１２３ 5G-A！"
    column = body_column(text)
    assert ZWSP in column
    assert column.replace(ZWSP, "") == normalize(text)
    assert len(normalize(text)) == len(text)


def test_search_finds_both_seed_pages_with_highlights(seeded):
    hits = seeded.search("工业互联网")
    assert len(hits) == 2
    assert {h.title for h in hits} == {"工业互联网已迈入高质量发展、规模化推广新阶段"}
    for hit in hits:
        assert hit.highlights
        for start, end in hit.highlights:
            assert hit.snippet[start:end] == "工业互联网"  # the phrase is one highlight
        assert hit.snippet.replace("…", "") in seeded.get(hit.id)["body"]


def test_snippet_is_original_text_not_normalised(archive):
    body = "第一段，说明ＡＩ芯片的进展。\n\n第二段：人工智能（ＡＩ）带来新机遇！"
    archive.save(seed_article(body=body))
    (hit,) = archive.search("人工智能")
    assert "（ＡＩ）" in hit.snippet and "，" in hit.snippet
    assert hit.marked().count("【人工智能】") == 1


def test_make_snippet_windows_and_marks_in_the_original_script():
    original = "甲乙丙丁，工業互聯網發展迅速，戊己庚辛。" * 3
    snippet, spans = make_snippet(original, ["互联网"], width=12)
    assert snippet.startswith("…") or snippet.startswith("甲")
    assert [snippet[s:e] for s, e in spans] == ["互聯網"]
    assert snippet.replace("…", "") in original


def test_title_weighs_more_than_body(archive):
    archive.save(
        seed_article(
            url="https://a.example/1", title="普通标题", body="人工智能" + "，其他内容" * 5
        )
    )
    archive.save(
        seed_article(url="https://a.example/2", title="人工智能的新进展", body="其他内容" * 5)
    )
    hits = archive.search("人工智能")
    assert [h.url for h in hits] == ["https://a.example/2", "https://a.example/1"]


def test_same_url_updates_never_duplicates(archive):
    assert archive.save(seed_article()).status == "added"
    assert archive.save(seed_article()).status == "unchanged"
    assert archive.save(seed_article(body="全新的正文内容，提到量子计算。")).status == "updated"
    assert archive.count() == 1
    assert archive.search("量子计算")
    with pytest.raises(QueryError):
        archive.search("")
    assert not archive.search("乘数效应")  # the old body left the index with the update


def test_unchanged_article_writes_nothing(archive):
    archive.save(seed_article())
    before = archive.db.execute("SELECT updated_at, rowid FROM articles").fetchall()
    changes = archive.db.conn.total_changes
    assert archive.save(seed_article()).status == "unchanged"
    assert archive.db.conn.total_changes == changes
    assert archive.db.execute("SELECT updated_at, rowid FROM articles").fetchall() == before


def test_filters(seeded):
    seeded.save(seed_article(url="https://news.example.com/x", site="news.example.com",
                             source="某日报", published_at="2024-01-02T08:00:00+08:00"))  # fmt: skip
    assert len(seeded.search("工业互联网", since="2025-09-23")) == 2
    assert len(seeded.search("工业互联网", until="2024")) == 1
    assert len(seeded.search("工业互联网", until="2025-09-22")) == 1
    assert len(seeded.search("工业互联网", site="example.com")) == 1
    assert len(seeded.search("工业互联网", site="gmw.cn")) == 1
    assert len(seeded.search("工业互联网", source="人民邮电")) == 2
    assert len(seeded.search("工业互联网", limit=1)) == 1
    with pytest.raises(QueryError):
        seeded.search("工业互联网", since="2025-02-30")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("工业互联网", 'W "工业互联网"'),  # a shipped news term: one word
        ("互联网发展", 'W "互联网 发展"'),
        ('"高质量 发展"', 'C "高 质 量 发 展"'),  # exact: a phrase of characters
        ('"AI，芯片"', 'C "a i \ue000 芯 片"'),  # punctuation: a placeholder token
        ("工业 OR 农业", '(W "工业" OR W "农业")'),
        ("工业 -报告", '(W "工业") NOT (W "报告")'),
        ('NEAR("a" b) *', 'W "NEAR" AND C "a" AND W "b"'),
    ],
)
def test_build_match(query, expected):
    columns = {"W ": "{title body subwords} : ", "C ": "{title_chars body_chars} : "}
    for short, filter_ in columns.items():
        expected = expected.replace(short, filter_)
    assert build_match(query) == expected


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "😀", "，。！", "-x", "-工业", "OR"])
def test_queries_with_nothing_to_search_say_so(query):
    with pytest.raises(QueryError):
        build_match(query)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(list("工业互联网\"*()-+:^ ORANDNEAR C5G😀，。'\\{}[]_%")),
        max_size=30,
    )
)
def test_hostile_queries_never_raise_anything_but_query_error(seeded, query):
    try:
        hits = seeded.search(query)
    except QueryError:
        return
    assert isinstance(hits, list)


def test_archive_opens_and_searches_with_plain_sqlite(seeded):
    path = seeded.path
    seeded.close()
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT a.title FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH '工业 互联网' ORDER BY bm25(articles_fts, 10.0, 1.0, 0.5, 10.0, 1.0)"
    ).fetchall()
    assert len(rows) == 2
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_raw_pages_are_kept_compressed(seeded):
    (article_id,) = seeded.db.execute("SELECT id FROM articles WHERE url LIKE '%.html'").fetchone()
    (page,) = seeded.raw_pages(article_id)
    assert page.content == SEED_HTML.read_bytes()
    assert page.encoding == "utf-8"
    stored = seeded.db.execute("SELECT length(content), size FROM raw_pages").fetchall()
    assert all(compressed < size for compressed, size in stored)


def test_corrupt_database_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "archive.db"
    junk = b"this is not a database at all" * 100
    path.write_bytes(junk)
    with pytest.raises(scraper.store.archive.ArchiveError, match="not a valid archive"):
        scraper.Archive(path)
    assert path.read_bytes() == junk


def test_snippet_of_a_title_only_match_is_the_opening_unmarked():
    body = "正文第一段没有提到那个词。" * 20
    snippet, spans = make_snippet(body, ["量子"], width=12, title="量子计算新突破")
    assert snippet == body[:12] + "…" and spans == []
    traditional = make_snippet("臺灣颱風過境。", ["台风"], title="颱風消息")
    assert traditional[1] == [(2, 4)]  # the title holds it only in another script: still found
