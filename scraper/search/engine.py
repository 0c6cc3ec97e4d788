"""Full-text search: ranked (bm25) or newest-first hits with snippets of the original text.

The query language is query.py; the index, scraper/store/index.py.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scraper.search.query import ParsedQuery, QueryError, filter_sql, parse_query
from scraper.store.index import CHARACTERS, FTS, RANK
from scraper.store.segment import normalize

if TYPE_CHECKING:
    from scraper.store.archive import Archive

__all__ = ["QueryError", "Hit", "search", "search_and_count", "count", "matching_ids",
           "make_snippet", "filter_sql", "SORTS"]  # fmt: skip

_ELLIPSIS = "…"
SNIPPET_CHARS = 100


@dataclass
class Hit:
    id: int
    url: str
    title: str | None
    source: str | None
    site: str | None
    published_at: str | None
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans in `snippet`
    score: float = 0.0
    cluster: int | None = None  # near-duplicates (reposts) share it
    copies: list[int] = field(default_factory=list)  # collapsed: the other copies' ids

    def marked(self, open_mark: str = "【", close_mark: str = "】") -> str:
        """The snippet with each highlighted span wrapped in the given marks."""
        out, last = [], 0
        for start, end in self.highlights:
            out += [self.snippet[last:start], open_mark, self.snippet[start:end], close_mark]
            last = end
        return "".join(out) + self.snippet[last:]


SORTS = ("relevance", "date")


def search(
    archive: Archive,
    query: str,
    *,
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    source: str | None = None,
    status: str | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    collapse: bool = False,
) -> list[Hit]:
    """Hits with a highlighted snippet of the original text, ranked by bm25 (title 10x body,
    hidden sub-words 0.5x) or newest first; sorting by date computes no ranking at all.
    `collapse` keeps one hit per cluster of reposts (the best-ranked copy)."""
    parsed, where, params = _query_sql(query, since, until, site, source, status)
    wanted = limit * COLLAPSE_OVERFETCH if collapse else limit
    hits = _page(archive, parsed, where, params, _valid(sort), offset, wanted)
    return _one_per_cluster(hits)[:limit] if collapse else hits


def search_and_count(
    archive: Archive, query: str, *, limit: int = 20, offset: int = 0,
    sort: str = "relevance", **filters: str | None,
) -> tuple[list[Hit], int]:  # fmt: skip
    """A page of hits and the number of matches in all, as a results page shows them. A quoted
    phrase is the costliest thing to match (it walks the character index), so its matches are
    read once, counted and paged; other queries count in the index, then rank a page."""
    parsed, where, params = _query_sql(query, **filters)
    if CHARACTERS not in parsed.match:
        hits = _page(archive, parsed, where, params, _valid(sort), offset, limit)
        return hits, _count(archive, parsed, where, params)
    cursor = archive.db.execute(*_ranked_query(archive, parsed, where, params, _valid(sort)))
    rows = list(_holding_phrases(archive, cursor, parsed))
    return _with_snippets(archive, parsed.terms, rows[offset : offset + limit]), len(rows)


def _page(
    archive: Archive, parsed: ParsedQuery, where: str, params: list[object], sort: str,
    offset: int, wanted: int,
) -> list[Hit]:  # fmt: skip
    """Rank first, then cut snippets for the page of hits only."""
    sql, args = _ranked_query(archive, parsed, where, params, sort)
    if _needs_check(parsed):  # check the phrases on the ranked candidates until the page is full
        checked = _holding_phrases(archive, archive.db.execute(sql, args), parsed)
        ranked = list(itertools.islice(checked, offset, offset + wanted))
    else:  # LIMIT lets SQLite keep only the top rows instead of sorting every match
        ranked = archive.db.execute(f"{sql} LIMIT ? OFFSET ?", [*args, wanted, offset]).fetchall()
    return _with_snippets(archive, parsed.terms, ranked)


def _valid(sort: str) -> str:
    if sort not in SORTS:
        choices = ", ".join(SORTS)
        raise QueryError(
            f"unknown sort {sort!r}; choose one of {choices}",
            f"未知的排序方式 {sort!r}，可选：{choices}",
        )
    return sort


def _ranked_query(
    archive: Archive, parsed: ParsedQuery, where: str, params: list[object], sort: str
) -> tuple[str, list[object]]:
    """SQL and arguments for the matching article ids (with their score), best first. Without
    filters, relevance reads the index alone; by date, no bm25 is computed. A query of filters
    alone lists the articles they keep, newest first."""
    if not parsed.match:
        order = "ORDER BY a.published_at DESC, a.id DESC"
        return f"SELECT a.id, 0.0 FROM articles a WHERE {where} {order}", params
    if sort == "date":
        return _by_date(archive, parsed.match, where, params)
    if where == "1":
        return f"SELECT rowid, {RANK} FROM {FTS} WHERE {FTS} MATCH ? ORDER BY 2", [parsed.match]
    return (
        f"SELECT a.id, {RANK} FROM {FTS} JOIN articles a ON a.id = {FTS}.rowid"
        f" WHERE {FTS} MATCH ? AND {where} ORDER BY 2"
    ), [parsed.match, *params]


FEW_MATCHES = 5000  # fewer matches than this are sorted; more are found by walking the dates
DENSE_SHARE = 10  # matching 1 in this many articles or more: ask FTS5 article by article


def _by_date(
    archive: Archive, match: str, where: str, params: list[object]
) -> tuple[str, list[object]]:
    """Newest first, without ranking, in the cheapest of three ways:
    - few matches (< 5,000): look them up and sort them;
    - more: walk the published_at index newest first, keeping the matches, until the page is
      full (sorting 90,000 matches costs ~100 ms at 100,000 articles);
    - very many (1 article in 10): the same walk asking FTS5 about each article in turn, which
      spares collecting the matches at all (a frequent word: ~2 ms)."""
    order = "ORDER BY a.published_at DESC, a.id DESC"
    size = archive.db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    dense = max(FEW_MATCHES, size // DENSE_SHARE)
    found = archive.db.execute(
        f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH ? LIMIT ?", [match, dense]
    ).fetchall()
    if len(found) == dense:
        return (
            f"SELECT a.id, 0.0 FROM articles a INDEXED BY articles_published_at WHERE {where}"
            f" AND EXISTS (SELECT 1 FROM {FTS} WHERE {FTS} MATCH ? AND rowid = a.id) {order}"
        ), [*params, match]
    walk = "INDEXED BY articles_published_at" if len(found) >= FEW_MATCHES else ""
    ids = json.dumps([article_id for (article_id,) in found])
    return (
        f"SELECT a.id, 0.0 FROM articles a {walk}"
        f" WHERE a.id IN (SELECT value FROM json_each(?)) AND {where} {order}"
    ), [ids, *params]


PHRASE_CHECK_BATCH = 100


def _needs_check(parsed: ParsedQuery) -> bool:
    """Whether phrases with punctuation (which FTS5 skips) must be checked in the text."""
    return bool(parsed.phrases or parsed.title_phrases)


def _holding_phrases(
    archive: Archive, cursor: sqlite3.Cursor, parsed: ParsedQuery
) -> Iterator[tuple[int, float]]:
    """The cursor's (id, score) rows whose article holds every phrase (all rows when no phrase
    needs checking), read and checked a batch at a time, as far as the caller reads."""
    while batch := cursor.fetchmany(PHRASE_CHECK_BATCH):
        if _needs_check(parsed):
            good = _containing(archive, [article_id for article_id, _ in batch], parsed)
            batch = [row for row in batch if row[0] in good]
        yield from batch


def _containing(archive: Archive, ids: list[int], parsed: ParsedQuery) -> set[int]:
    """The ids whose normalised title or body holds every phrase as a substring (and whose
    title holds every title: phrase)."""
    rows = archive.db.execute(
        "SELECT id, title, body FROM articles WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    )
    good = set()
    for article_id, title, body in rows:
        title_text = normalize(title or "").lower()
        texts = [title_text, normalize(body or "").lower()]
        if all(any(phrase in text for text in texts) for phrase in parsed.phrases) and all(
            phrase in title_text for phrase in parsed.title_phrases
        ):
            good.add(article_id)
    return good


def _with_snippets(
    archive: Archive, terms: list[str], ranked: list[tuple[int, float]]
) -> list[Hit]:
    """The page of hits with snippets cut from the original text around the first match."""
    if not ranked:
        return []
    ids = [article_id for article_id, _ in ranked]
    rows = archive.db.execute(
        "SELECT id, url, title, source, site, published_at, body, cluster FROM articles"
        " WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    hits = []
    for article_id, score in ranked:
        if article_id in by_id:
            _, url, title, source, site, published_at, body, cluster = by_id[article_id]
            snippet, spans = make_snippet(body or "", terms, title=title)
            hits.append(Hit(article_id, url, title, source, site, published_at, snippet, spans,
                            score, cluster))  # fmt: skip
    return hits


COLLAPSE_OVERFETCH = 5  # rows read per hit wanted when reposts are collapsed


def _one_per_cluster(hits: list[Hit]) -> list[Hit]:
    """The best hit of each cluster, holding the ids of the other copies found with it."""
    kept: dict[int, Hit] = {}
    for hit in hits:
        key = hit.cluster if hit.cluster is not None else -hit.id
        if key in kept:
            kept[key].copies.append(hit.id)
        else:
            kept[key] = hit
    return list(kept.values())


def matching_ids(
    archive: Archive, query: str, sort: str = "date", **filters: str | None
) -> Iterator[int]:
    """Every matching article id, best first (or newest first), streamed: for exports of any
    size. The query runs now, so a bad one raises here rather than halfway through an export;
    the ids are read, and quoted phrases checked, a batch at a time as they are consumed."""
    parsed, where, params = _query_sql(query, **filters)
    cursor = archive.db.execute(*_ranked_query(archive, parsed, where, params, sort))
    return (article_id for article_id, _ in _holding_phrases(archive, cursor, parsed))


def count(archive: Archive, query: str, **filters: str | None) -> int:
    """How many articles match (the same filters as search)."""
    return _count(archive, *_query_sql(query, **filters))


def _count(archive: Archive, parsed: ParsedQuery, where: str, params: list[object]) -> int:
    if _needs_check(parsed):
        cursor = archive.db.execute(*_ranked_query(archive, parsed, where, params, "date"))
        return sum(1 for _ in _holding_phrases(archive, cursor, parsed))
    if not parsed.match:
        return archive.db.execute(
            f"SELECT count(*) FROM articles a WHERE {where}", params
        ).fetchone()[0]
    join = f" JOIN articles a ON a.id = {FTS}.rowid" if where != "1" else ""
    sql = f"SELECT count(*) FROM {FTS}{join} WHERE {FTS} MATCH ? AND {where}"
    return archive.db.execute(sql, [parsed.match, *params]).fetchone()[0]


def _query_sql(
    query: str,
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    source: str | None = None,
    status: str | None = None,
) -> tuple[ParsedQuery, str, list[object]]:
    """The parsed query and the filters' WHERE clause and parameters: options win over filters
    written in the query. A query without words excludes its -terms here."""
    parsed = parse_query(query, filtered=any((since, until, site, source, status)))
    inline = parsed.filters
    where, params = filter_sql(
        since or inline.get("since"), until or inline.get("until"),
        site or inline.get("site"), source or inline.get("source"), alias="a",
        excluded=parsed.excluded_filters, status=status or inline.get("status"),
    )  # fmt: skip
    if parsed.excluded_match:
        where += f" AND a.id NOT IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH ?)"
        params.append(parsed.excluded_match)
    return parsed, where, params


def make_snippet(
    original: str, terms: list[str], width: int = SNIPPET_CHARS, title: str | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """A window of the original text around the first match, with every match in it marked.

    Terms are normalised (NFKC, 繁→简, lower-case); they are looked for in the text as it is,
    and, if none is there, in its normalised form, which has the same offsets: either way the
    window shows the article's own script. Normalising costs more than the rest of a search
    page, so it is skipped when the match is plainly in the title instead."""
    spans = _spans(original.lower(), terms)
    if not spans and not (title and _spans(title.lower(), terms)):
        spans = _spans(normalize(original).lower(), terms)
    begin = max(0, spans[0][0] - width // 4) if spans else 0
    end = min(len(original), begin + width)
    lead = _ELLIPSIS if begin > 0 else ""
    trail = _ELLIPSIS if end < len(original) else ""
    shift = len(lead) - begin
    shown = [(s + shift, e + shift) for s, e in spans if s >= begin and e <= end]
    return lead + original[begin:end] + trail, shown


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in filter(None, terms):
        at = text.find(term)
        while at >= 0:
            spans.append((at, at + len(term)))
            at = text.find(term, at + len(term))
    return _merged(sorted(spans))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
