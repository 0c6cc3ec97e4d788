"""Sub-word recall, exact phrases, inline filters, date sort, counts and reindexing."""

from __future__ import annotations

import pytest

import scraper
from scraper.pipeline.maintenance import reindex
from scraper.search.engine import SORTS, QueryError, count, search_and_count
from scraper.search.query import build_match


def article(url: str, title: str, body: str, date: str, site: str = "a.example") -> scraper.Article:
    return scraper.Article(url=url, site=site, title=title, body=body, published_at=date,
                           source="某日报")  # fmt: skip


@pytest.fixture
def archive(db):
    with scraper.Archive(db) as opened:
        opened.save(
            article(
                "https://a.example/1",
                "工业互联网新进展",
                "中华人民共和国的工业互联网平台加速落地。",
                "2024-05-01T08:00:00+08:00",
            )
        )
        opened.save(
            article(
                "https://b.example/2",
                "人工智能与发展",
                "人工智能在多个行业落地，发展很快。",
                "2025-01-02T08:00:00+08:00",
                site="b.example",
            )
        )
        opened.save(article("https://a.example/3", "发展报告",
                            "报告称，多个行业的发展离不开人工。智能制造也在推进。",
                            "2023-03-03T08:00:00+08:00"))  # fmt: skip
        yield opened


@pytest.mark.parametrize("query, url", [("联网", "https://a.example/1"), ("人民", "https://a.example/1"),
                                        ("智能", "https://b.example/2")])  # fmt: skip
def test_two_character_queries_hit_inside_compounds(archive, query, url):
    assert url in [h.url for h in archive.search(query)]


def test_exact_phrase_is_a_substring_not_just_its_words(archive):
    assert {h.url for h in archive.search("人工 智能")} >= {"https://b.example/2"}
    exact = [h.url for h in archive.search('"人工智能"')]
    assert exact == ["https://b.example/2"]  # /3 has 人工 and 智能, but not together


def test_inline_filters_and_flags(archive):
    assert count(archive, "发展 site:b.example") == 1
    assert count(archive, "发展 since:2024") == 1
    assert count(archive, "发展 until:2023") == 1
    assert count(archive, "发展", site="a.example") == 1
    with pytest.raises(QueryError):
        count(archive, "发展 since:yesterday")


def test_sort_by_date_is_newest_first(archive):
    hits = archive.search("发展", sort="date")
    assert [h.published_at[:4] for h in hits] == ["2025", "2023"]
    with pytest.raises(QueryError):
        archive.search("发展", sort="random")


def test_reindex_with_a_user_dictionary(archive, tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("平台加速落地 3 n\n", encoding="utf-8")
    assert archive.stale_index() is None
    assert reindex(archive, words) == 3
    assert archive.user_words() == ["平台加速落地"]
    assert count(archive, "平台加速落地") == 1
    assert archive.stale_index() is None


def test_stale_index_is_reported(archive):
    archive.set_meta("index_signature", "jieba 0.1; dictionary 0")
    assert "scraper reindex" in archive.stale_index()
    reindex(archive)
    assert archive.stale_index() is None


def test_cli_count_and_sort(archive, run_cli):
    path = archive.path
    assert run_cli("search", "发展", "--count", "--db", path).out.strip() == "2"
    out = run_cli("search", "发展", "--sort", "date", "--db", path).out
    assert out.index("人工智能与发展") < out.index("发展报告")


def test_traditional_and_simplified_find_each_other(archive):
    archive.save(article("https://tw.example/4", "颱風外圍環流影響 北部山區防豪雨",
                         "氣象單位預估今明兩天北部山區有局部大雨。", "2024-07-22T14:35:00+08:00"))  # fmt: skip
    assert [h.url for h in archive.search("台风")] == ["https://tw.example/4"]
    assert [h.url for h in archive.search("颱風")] == ["https://tw.example/4"]
    assert "https://b.example/2" in [h.url for h in archive.search("人工智慧 OR 人工智能")]
    (hit,) = archive.search("气象")
    assert "氣象" in hit.snippet  # the snippet shows the article's own script
    assert [h.url for h in archive.search('"北部山区"')] == ["https://tw.example/4"]


@pytest.mark.parametrize(
    "query, urls",
    [
        ("发展 人工智能", {"https://b.example/2"}),  # AND
        (
            "中华人民共和国 OR 智能",
            {"https://a.example/1", "https://b.example/2", "https://a.example/3"},
        ),
        ("发展 -报告", {"https://b.example/2"}),  # 发展报告 (/3) excluded
        ('发展 -"离不开"', {"https://b.example/2"}),  # an excluded phrase
        ('"平台加速" site:a.example', {"https://a.example/1"}),
        ("人工 source:某日报 until:2024", {"https://a.example/3"}),
    ],
)
def test_each_query_form_on_an_archive(archive, query, urls):
    assert {h.url for h in archive.search(query)} == urls
    assert count(archive, query) == len(urls)
    for sort in SORTS:
        hits, total = search_and_count(archive, query, sort=sort, limit=1, offset=1)
        assert total == len(urls) and len(hits) == min(1, len(urls) - 1)


@pytest.mark.parametrize("few, share", [(1, 1000), (1, 1)])  # ask FTS5 per article; keep matches
def test_date_order_is_the_same_whether_matches_are_sorted_or_the_index_walked(
    archive, monkeypatch, few, share
):
    import scraper.search.engine as search_module

    sorted_matches = [h.url for h in archive.search("发展", sort="date")]
    monkeypatch.setattr(search_module, "FEW_MATCHES", few)  # every query counts as "many"
    monkeypatch.setattr(search_module, "DENSE_SHARE", share)
    walked = [h.url for h in archive.search("发展", sort="date")]
    assert walked == sorted_matches and len(walked) == 2
    sql, args = search_module._by_date(archive, build_match("发展"), "1", [])
    plan = " ".join(str(row) for row in archive.db.execute(f"EXPLAIN QUERY PLAN {sql}", args))
    assert "articles_published_at" in plan and "TEMP B-TREE" not in plan  # no sort: a walk
