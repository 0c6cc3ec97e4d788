"""Reposts of one story are clustered on insert; search can collapse them."""

from __future__ import annotations

import pytest
from conftest import SEED_TXT, body_column

import scraper
from scraper.store.dupes import clusters, distance, simhash

SEED = scraper.extract(SEED_TXT.read_bytes())


def repost(url: str, source: str, **changes) -> scraper.Article:
    body = SEED.body
    for old, new in changes.get("edits", []):
        body = body.replace(old, new)
    return scraper.Article(url=url, site=url.split("/")[2], title=SEED.title, source=source,
                           body=body, published_at=SEED.published_at)  # fmt: skip


def test_simhash_is_close_for_edits_and_far_for_other_texts():
    original = simhash(body_column(SEED.body))
    edited = simhash(body_column(SEED.body.replace("近日", "日前").replace("报告显示", "报告称")))
    other = simhash(body_column("全市今年新增公园绿地一百二十公顷，建成口袋公园四十个，" * 8))
    assert distance(original, edited) <= 3
    assert distance(original, other) > 10
    assert simhash(body_column("太短了")) is None


@pytest.fixture
def archive(db):
    with scraper.Archive(db) as opened:
        opened.save(repost("https://www.gmw.cn/a", "人民邮电报"))
        opened.save(repost("https://news.sina.com.cn/b", "光明网", edits=[("近日", "日前")]))
        opened.save(repost("https://www.163.com/c", "人民邮电报", edits=[("报告显示", "报告称")]))
        opened.save(scraper.Article(url="https://x.example/d", site="x.example", title="公园绿地",
                                    body="全市今年新增公园绿地一百二十公顷，工业互联网赋能园林管理。" * 6))  # fmt: skip
        yield opened


def test_reposts_share_a_cluster_with_each_copys_source(archive):
    (cluster,) = clusters(archive.db.conn)
    assert [c.site for c in cluster] == ["www.gmw.cn", "news.sina.com.cn", "www.163.com"]
    assert {c.source for c in cluster} == {"人民邮电报", "光明网"}


def test_collapse_keeps_one_hit_per_story(archive):
    assert len(archive.search("工业互联网")) == 4
    collapsed = archive.search("工业互联网", collapse=True)
    assert len(collapsed) == 2
    assert {h.site for h in collapsed} & {"x.example"}


def test_cli_dupes(archive, run_cli):
    result = run_cli("dupes", "--db", archive.path)
    assert result.code == 0 and "3 copies" in result.out and "光明网" in result.out
