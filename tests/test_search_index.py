"""The contentless index: exact phrases against a substring scan, clean updates, migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scraper
import scraper.pipeline.maintenance
from scraper.search.engine import count, search_and_count
from scraper.store.schema import SCHEMA_VERSION
from scraper.store.segment import normalize

FIXTURES = Path(__file__).parent.parent / "fixtures"
BODIES = (
    "工业互联网平台加速落地，中华人民共和国成立七十多年来，制造业转型升级。",
    "人工智能在多个行业落地；报告称，发展离不开人工。智能制造也在推进。",
    "新质生产力是推动高质量发展的内在要求和重要着力点。",
    "全國人民代表大會在北京召開，會議討論了經濟發展。",  # Traditional script
    "5G基站超过300万个，AI芯片与iPhone 15出货量上升。",
)


def build(db: Path) -> scraper.Archive:
    archive = scraper.Archive(db)
    for number, body in enumerate(BODIES):
        archive.save(scraper.Article(url=f"https://a.example/{number}", title=f"第{number}篇",
                                     body=body))  # fmt: skip
    return archive


def substring_scan(phrase: str) -> set[str]:
    """What a quoted phrase must find: every article whose normalised text contains it (the
    query language trims the spaces around a phrase)."""
    wanted = normalize(phrase.strip()).lower()
    return {
        f"https://a.example/{n}"
        for n, body in enumerate(BODIES)
        if wanted in normalize(f"第{n}篇").lower() or wanted in normalize(body).lower()
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_quoted_phrases_find_exactly_what_a_substring_scan_finds(db, data):
    """Any slice of an article, cut anywhere (inside a word, across words and punctuation)."""
    body = data.draw(st.sampled_from(BODIES))
    start = data.draw(st.integers(0, len(body) - 2))
    phrase = body[start : data.draw(st.integers(start + 1, min(len(body), start + 8)))]
    if not any(c.isalnum() for c in phrase) or '"' in phrase:
        return
    with build(db) as archive:
        found = {h.url for h in archive.search(f'"{phrase}"', limit=100)}
        assert found == substring_scan(phrase)
        assert count(archive, f'"{phrase}"') == len(found)
        page, total = search_and_count(archive, f'"{phrase}"', limit=100)
        assert {h.url for h in page} == found and total == len(found)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def test_a_phrase_inside_a_longer_word_and_across_words(db):
    with build(db) as archive:
        assert [h.url for h in archive.search('"业互联"')] == ["https://a.example/0"]
        assert [h.url for h in archive.search('"质生产"')] == ["https://a.example/2"]
        assert not archive.search('"人工智能制造"')  # 人工。智能制造 is not the phrase
        assert [h.url for h in archive.search('"人工。智能"')] == ["https://a.example/1"]
        assert [h.url for h in archive.search('"全国人民"')] == ["https://a.example/3"]  # 繁


def test_updates_and_reindex_leave_a_consistent_index(db):
    with build(db) as archive:
        archive.save(
            scraper.Article(url="https://a.example/0", title="改了", body="量子计算突破。")
        )
        assert not archive.search('"互联网"') and not archive.search("工业")
        assert [h.url for h in archive.search("量子计算")] == ["https://a.example/0"]
        scraper.pipeline.maintenance.reindex(archive, workers=1)
        assert [h.url for h in archive.search('"子计"')] == ["https://a.example/0"]
        archive.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")


def test_a_schema_1_archive_is_migrated_on_open(tmp_path):
    legacy = tmp_path / "v1.db"
    with sqlite3.connect(legacy) as conn:
        conn.executescript((FIXTURES / "archive_v1.sql").read_text("utf-8"))
    titles = {r[0] for r in sqlite3.connect(legacy).execute("SELECT title FROM articles")}
    with scraper.Archive(legacy) as archive:
        assert archive.meta("schema_version") == SCHEMA_VERSION
        assert {r["title"] for r in archive.records()} == titles  # nothing lost
        assert "body_tokens" not in archive.db["articles"].columns_dict
        assert archive.search("工业互联网") and archive.search('"业互联"')
        seed = archive.db.execute("SELECT url FROM articles ORDER BY id").fetchone()[0]
        archive.save(scraper.Article(url=seed, title="改了", body="量子计算突破。"))
        assert not archive.search('"业互联"')  # the old entry left the index cleanly
        archive.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")


def test_opening_a_current_archive_writes_nothing(db):
    build(db).close()
    with scraper.Archive(db, create=False) as archive:
        assert archive.db.conn.total_changes == 0  # a reader never waits for a writer's lock
        assert archive.search("工业")


def test_a_failed_save_among_deferred_ones_undoes_only_itself(db, monkeypatch):
    import sqlite3 as sqlite

    from scraper.store import index as search_index

    archive = scraper.Archive(db)
    archive.defer_commits(True)
    archive.save(
        scraper.Article(url="https://a.example/ok", title="量子计算", body="量子计算突破。")
    )
    real_add = search_index.add

    def failing_add(conn, article_id, entry):
        real_add(conn, article_id, entry)
        raise sqlite.OperationalError("disk I/O error")

    monkeypatch.setattr(search_index, "add", failing_add)
    with pytest.raises(scraper.store.archive.ArchiveError):
        archive.save(scraper.Article(url="https://a.example/bad", title="失败", body="失败了。"))
    monkeypatch.setattr(search_index, "add", real_add)
    archive.defer_commits(False)
    archive.close()
    with scraper.Archive(db, create=False) as reopened:
        assert [r["url"] for r in reopened.records()] == ["https://a.example/ok"]
        assert [h.url for h in reopened.search("量子计算")] == ["https://a.example/ok"]
        assert not reopened.search("失败")  # its index entry went with it
        reopened.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
