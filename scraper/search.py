"""Full-text search: a small query language turned into a safe FTS5 MATCH, ranked by bm25.

Query language: words are ANDed; "…" is a phrase; OR between two terms; -word excludes. Every
term is segmented like the articles and sent to FTS5 only as quoted string literals, so user
input can never be read as FTS5 syntax (NEAR(, *, column filters, stray quotes).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from scraper.segment import normalize, query_tokens

if TYPE_CHECKING:
    from scraper.store import Archive

TITLE_WEIGHT, BODY_WEIGHT, SUBWORD_WEIGHT = 10.0, 1.0, 0.5
_ELLIPSIS = "…"
SNIPPET_CHARS = 100
_TERM = re.compile(r'(-?)(?:["“”「」](?P<phrase>[^"“”「」]*)["“”「」]?|(?P<word>[^\s"“”「」]+))')


class QueryError(ValueError):
    """The query cannot be searched (nothing searchable in it, a bad filter): one-line message."""


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

    def marked(self, open_mark: str = "【", close_mark: str = "】") -> str:
        """The snippet with each highlighted span wrapped in the given marks."""
        out, last = [], 0
        for start, end in self.highlights:
            out += [self.snippet[last:start], open_mark, self.snippet[start:end], close_mark]
            last = end
        return "".join(out) + self.snippet[last:]


@dataclass
class ParsedQuery:
    match: str  # the FTS5 MATCH expression
    phrases: list[str] = field(default_factory=list)  # quoted phrases, verified as substrings
    filters: dict[str, str] = field(default_factory=dict)  # site: source: since: until:
    terms: list[str] = field(default_factory=list)  # what snippets highlight (folded, lower-case)


FILTER_KEYS = ("site", "source", "since", "until")


def build_match(query: str) -> str:
    """Translate the query language into an FTS5 MATCH expression, or raise QueryError."""
    return parse_query(query).match


def parse_query(query: str) -> ParsedQuery:
    """Words are ANDed, OR joins two terms, -term excludes, "…" is an exact phrase, and
    site:/source:/since:/until: filter. Raises QueryError when nothing is left to search."""
    groups: list[list[str]] = [[]]  # OR-groups, ANDed together
    excluded: list[str] = []
    parsed = ParsedQuery("")
    or_next = False
    for match in _TERM.finditer(query):
        negate, phrase, word = match.group(1), match.group("phrase"), match.group("word")
        if word == "OR":
            or_next = bool(groups[-1])
            continue
        if word and _take_filter(word, parsed.filters):
            continue
        literal = _literal(
            phrase if phrase is not None else word, exact=phrase is not None and not negate
        )
        if literal is None:
            continue
        if phrase is not None and not negate:
            parsed.phrases.append(_phrase_text(phrase))
            parsed.terms.append(_phrase_text(phrase))
        elif not negate:
            parsed.terms += [t.lower() for t in query_tokens(word)]
        if negate:
            excluded.append(_literal(phrase if phrase is not None else word))
        elif or_next:
            groups[-1].append(literal)
        else:
            groups.append([literal])
        or_next = False
    parsed.match = _expression([g for g in groups if g], excluded)
    return parsed


def _phrase_text(phrase: str) -> str:
    """The phrase as it is looked for: normalised, lower-case, no spaces between Chinese
    characters ("高质量 发展" is 高质量发展 in an article)."""
    folded = normalize(phrase.strip()).lower()
    return re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", folded)


def _take_filter(word: str, filters: dict[str, str]) -> bool:
    key, colon, value = word.partition(":")
    if colon and key.lower() in FILTER_KEYS and value:
        filters[key.lower()] = value
        return True
    return False


def _expression(required: list[list[str]], excluded: list[str]) -> str:
    if not required:
        if excluded:
            raise QueryError("a query needs at least one word to look for, not only -exclusions")
        raise QueryError("nothing to search for: the query has no words or numbers")
    expression = " AND ".join(f"({' OR '.join(g)})" if len(g) > 1 else g[0] for g in required)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _literal(text: str, exact: bool = False) -> str | None:
    """A term as an FTS5 phrase string of its segmented tokens; None if nothing is searchable.

    An exact phrase only asks FTS5 for its words in any order and column (its segmentation in
    an article may differ); the phrase itself is then checked as a substring."""
    words = query_tokens(text)
    if not words:
        return None
    if exact and len(words) > 1:
        return "(" + " AND ".join(_quote(w) for w in words) + ")"
    return _quote(" ".join(words))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def date_bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Validate YYYY[-MM[-DD]] filters; both ends are inclusive at their own precision."""
    for value in (since, until):
        if value is not None and not _valid_partial_date(value):
            raise QueryError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return since, until


def _valid_partial_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def filter_sql(
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    source: str | None = None,
    alias: str = "articles",
) -> tuple[str, list[object]]:
    """WHERE clauses shared by search and export."""
    since, until = date_bounds(since, until)
    clauses, params = [], []
    if since:
        clauses.append(f"{alias}.published_at >= ?")
        params.append(since)
    if until:
        clauses.append(f"substr({alias}.published_at, 1, ?) <= ?")
        params += [len(until), until]
    if site:
        clauses.append(f"({alias}.site = ? OR {alias}.site LIKE ? ESCAPE '\\')")
        params += [site, "%." + site.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")]
    if source:
        clauses.append(f"instr({alias}.source, ?) > 0")
        params.append(source)
    return " AND ".join(clauses) or "1", params


SORTS = ("relevance", "date")


def search(
    archive: Archive,
    query: str,
    *,
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    source: str | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    collapse: bool = False,
) -> list[Hit]:
    """Hits with a highlighted snippet of the original text, ranked by bm25 (title 10x body,
    hidden sub-words 0.5x) or newest first; sorting by date computes no ranking at all.
    `collapse` keeps one hit per cluster of reposts (the best-ranked copy)."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    parsed, where, params = _query_sql(query, since, until, site, source)
    score = f"bm25(articles_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, {SUBWORD_WEIGHT})"
    order = f"{score}, a.published_at DESC" if sort == "relevance" else "a.published_at DESC"
    wanted = limit * COLLAPSE_OVERFETCH if collapse else limit
    # Rank first, then make snippets for the page of hits only: snippet() reads and tokenizes
    # a whole body, which over thousands of matches would cost far more than the ranking.
    sql = f"""
        SELECT a.id, {score if sort == "relevance" else "0.0"}
        FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
        WHERE articles_fts MATCH ? AND {where}
        ORDER BY {order}
    """
    if parsed.phrases:  # check the phrase on the ranked candidates only until the page is full
        cursor = archive.db.execute(sql, [parsed.match, *params])
        ranked = _verified(archive, cursor, parsed.phrases, offset + wanted)[offset:]
    else:
        sql += " LIMIT ? OFFSET ?"
        ranked = archive.db.execute(sql, [parsed.match, *params, wanted, offset]).fetchall()
    hits = _with_snippets(archive, parsed.terms, ranked)
    return _one_per_cluster(hits)[:limit] if collapse else hits


PHRASE_CHECK_BATCH = 100


def _verified(archive: Archive, cursor, phrases: list[str], wanted: int) -> list[tuple[int, float]]:
    """Ranked candidates whose title or body contains every phrase, in rank order."""
    clause, params = _phrase_sql(phrases)
    kept: list[tuple[int, float]] = []
    while len(kept) < wanted and (batch := cursor.fetchmany(PHRASE_CHECK_BATCH)):
        ids = json.dumps([article_id for article_id, _ in batch])
        good = {
            row[0]
            for row in archive.db.execute(
                f"SELECT id FROM articles a WHERE id IN (SELECT value FROM json_each(?)) {clause}",
                [ids, *params],
            )
        }
        kept += [row for row in batch if row[0] in good]
    return kept[:wanted]


def _phrase_sql(phrases: list[str]) -> tuple[str, list[str]]:
    """Each exact phrase must occur in the normalised title or body (the index columns)."""
    clause = (
        " AND (instr(lower(replace(a.title_tokens, char(8203), '')), ?) > 0"
        " OR instr(lower(replace(a.body_tokens, char(8203), '')), ?) > 0)"
    )
    return clause * len(phrases), [p for phrase in phrases for p in (phrase, phrase)]


def _with_snippets(
    archive: Archive, terms: list[str], ranked: list[tuple[int, float]]
) -> list[Hit]:
    """The page of hits with snippets cut from the original text around the first match."""
    if not ranked:
        return []
    ids = [article_id for article_id, _ in ranked]
    rows = archive.db.execute(
        "SELECT id, url, title, source, site, published_at, body, cluster,"
        " replace(body_tokens, char(8203), '') FROM articles"
        " WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    hits = []
    for article_id, score in ranked:
        if article_id in by_id:
            _, url, title, source, site, published_at, body, cluster, folded = by_id[article_id]
            snippet, spans = make_snippet(body or "", folded or "", terms)
            hits.append(Hit(article_id, url, title, source, site, published_at, snippet, spans,
                            score, cluster))  # fmt: skip
    return hits


COLLAPSE_OVERFETCH = 5  # rows read per hit wanted when reposts are collapsed


def _one_per_cluster(hits: list[Hit]) -> list[Hit]:
    seen: set[int] = set()
    kept = []
    for hit in hits:
        key = hit.cluster if hit.cluster is not None else -hit.id
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def count(archive: Archive, query: str, **filters: str | None) -> int:
    """How many articles match (the same filters as search)."""
    parsed, where, params = _query_sql(query, **filters)
    clause, phrase_params = _phrase_sql(parsed.phrases)
    sql = (
        "SELECT count(*) FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        f"WHERE articles_fts MATCH ? AND {where}{clause}"
    )
    return archive.db.execute(sql, [parsed.match, *params, *phrase_params]).fetchone()[0]


def _query_sql(
    query: str,
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    source: str | None = None,
) -> tuple[ParsedQuery, str, list[object]]:
    """The parsed query and the filters' WHERE clause and parameters: options win over filters
    written in the query."""
    parsed = parse_query(query)
    inline = parsed.filters
    where, params = filter_sql(
        since or inline.get("since"), until or inline.get("until"),
        site or inline.get("site"), source or inline.get("source"), alias="a",
    )  # fmt: skip
    return parsed, where, params


def make_snippet(
    original: str, folded: str, terms: list[str], width: int = SNIPPET_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """A window of the original text around the first match, with every match in it marked.

    `folded` is the original normalised (NFKC, 繁→简) at the same offsets: terms are found there,
    in the article's own script in the window shown."""
    lowered = folded.lower()
    spans: list[tuple[int, int]] = []
    for term in filter(None, terms):
        at = lowered.find(term)
        while at >= 0:
            spans.append((at, at + len(term)))
            at = lowered.find(term, at + len(term))
    spans = _merged(sorted(spans))
    begin = max(0, spans[0][0] - width // 4) if spans else 0
    end = min(len(original), begin + width)
    lead = _ELLIPSIS if begin > 0 else ""
    trail = _ELLIPSIS if end < len(original) else ""
    shift = len(lead) - begin
    shown = [(s + shift, e + shift) for s, e in spans if s >= begin and e <= end]
    return lead + original[begin:end] + trail, shown


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
