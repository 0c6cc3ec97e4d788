"""The query language's operators: negated filters, AND/NOT, title:, and filters without words;
search, count, search_and_count and matching_ids agree on every query."""

from __future__ import annotations

import pytest

import scraper
from scraper.search.engine import QueryError, count, matching_ids, search, search_and_count


def article(url: str, title: str, body: str, date: str, site: str, source: str | None):
    return scraper.Article(url=url, site=site, title=title, body=body, published_at=date,
                           source=source)  # fmt: skip


@pytest.fixture
def archive(db):
    with scraper.Archive(db) as opened:
        opened.save(article("https://www.gmw.cn/1", "中国工业互联网发展", "中国的工业互联网加速发展。",
                            "2025-01-01", "www.gmw.cn", "光明日报"))  # fmt: skip
        opened.save(article("https://people.com.cn/2", "中国农业新闻", "中国农业丰收，发展提到了。",
                            "2025-03-01", "people.com.cn", "人民日报"))  # fmt: skip
        opened.save(article("https://news.cn/3", "科技前沿", "中国科技创新步伐加快，提到中国。",
                            "2024-06-01", "news.cn", None))  # fmt: skip
        yield opened


def urls(archive, query: str, **options) -> set[str]:
    """The matching URLs, after checking that every entry point agrees on them."""
    found = {h.url for h in search(archive, query, limit=100, **options)}
    hits, total = search_and_count(archive, query, limit=100, **options)
    ids = list(matching_ids(archive, query, **options))
    assert {h.url for h in hits} == found
    assert total == len(found) == len(ids) == count(archive, query, **options)
    assert {archive.get(i)["url"] for i in ids} == found
    return found


def test_negated_site_excludes_it(archive):
    assert urls(archive, "site:gmw.cn 中国") == {"https://www.gmw.cn/1"}
    assert urls(archive, "-site:gmw.cn 中国") == {"https://people.com.cn/2", "https://news.cn/3"}


def test_negated_source_excludes_it_and_keeps_articles_without_one(archive):
    assert urls(archive, "中国 -source:人民") == {"https://www.gmw.cn/1", "https://news.cn/3"}


def test_negated_dates_are_a_clear_error(archive):
    with pytest.raises(QueryError, match="until:"):
        search(archive, "中国 -since:2025")


def test_and_is_the_default_and_not_excludes(archive):
    both = {"https://www.gmw.cn/1", "https://people.com.cn/2"}
    assert urls(archive, "中国 AND 发展") == urls(archive, "中国 发展") == both
    assert urls(archive, "中国 NOT 发展") == {"https://news.cn/3"}
    assert urls(archive, "中国 NOT 农业 NOT 科技") == {"https://www.gmw.cn/1"}


def test_title_searches_titles_only(archive):
    assert urls(archive, "title:中国") == {"https://www.gmw.cn/1", "https://people.com.cn/2"}
    assert urls(archive, "title:联网") == {"https://www.gmw.cn/1"}  # inside a longer word
    assert urls(archive, "中国 -title:农业") == {"https://www.gmw.cn/1", "https://news.cn/3"}
    assert urls(archive, 'title:"互联网，发展"') == set()  # punctuation is checked in the title


def test_filters_without_words_list_the_articles_newest_first(archive):
    hits = search(archive, "-site:gmw.cn")
    assert [h.url for h in hits] == ["https://people.com.cn/2", "https://news.cn/3"]
    assert urls(archive, "since:2025") == {"https://www.gmw.cn/1", "https://people.com.cn/2"}
    assert urls(archive, "", source="日报") == {"https://www.gmw.cn/1", "https://people.com.cn/2"}
    assert urls(archive, "since:2025 -农业") == {"https://www.gmw.cn/1"}


def test_nothing_at_all_is_still_an_error(archive):
    for query in ("", "-中国", "NOT 中国", "AND"):
        with pytest.raises(QueryError):
            search(archive, query)


def test_cli_lists_filtered_articles_without_words(archive, db, run_cli):
    result = run_cli("search", "--site", "news.cn", "--db", db)
    assert result.code == 0
    assert "科技前沿" in result.out and "中国农业新闻" not in result.out
    negated = run_cli("search", "-site:gmw.cn", "中国", "--db", db)
    assert "工业互联网" not in negated.out and "中国农业新闻" in negated.out
