"""The query language, turned into a safe FTS5 MATCH expression: words ANDed, OR, -exclusions,
"exact phrases" and site:/source:/since:/until: filters.

A word is segmented like the articles and looked up in the word columns; a phrase is looked up
as a phrase of single characters in the character columns, so it is found wherever it occurs
as a substring, even inside a longer word or across jieba's word boundaries. Terms reach FTS5
only as quoted string literals, so user input is never read as FTS5 syntax (NEAR(, *, stray
quotes, column filters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from scraper.store.index import CHARACTERS, WORDS, spaced
from scraper.store.segment import normalize, query_tokens, searchable

_TERM = re.compile(r'(-?)(?:["“”「」](?P<phrase>[^"“”「」]*)["“”「」]?|(?P<word>[^\s"“”「」]+))')


class QueryError(ValueError):
    """The query cannot be searched (nothing searchable in it, a bad filter): one-line message."""


@dataclass
class ParsedQuery:
    match: str  # the FTS5 MATCH expression
    phrases: list[str] = field(default_factory=list)  # phrases with punctuation: verified
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
    to_verify: dict[str, str] = {}  # phrase literal -> the phrase, when FTS5 cannot be exact
    or_next = False
    for match in _TERM.finditer(query):
        negate, phrase, word = match.group(1), match.group("phrase"), match.group("word")
        if word == "OR":
            or_next = bool(groups[-1])
            continue
        if word and _take_filter(word, parsed.filters):
            continue
        is_phrase = phrase is not None
        text = _phrase_text(phrase) if is_phrase else word
        literal = _phrase_literal(text) if is_phrase else _word_literal(text)
        if literal is None:
            continue
        if negate:
            excluded.append(literal)
        else:
            parsed.terms += [text] if is_phrase else [t.lower() for t in query_tokens(word)]
            if is_phrase and not all(c.isalnum() for c in text):
                to_verify[literal] = text  # FTS5 skips punctuation: check the substring
            if or_next:
                groups[-1].append(literal)
            else:
                groups.append([literal])
        or_next = False
    parsed.match = _expression([g for g in groups if g], excluded)
    parsed.phrases = [to_verify[g[0]] for g in groups if len(g) == 1 and g[0] in to_verify]
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


def _word_literal(text: str) -> str | None:
    """A word as an FTS5 phrase of its segmented tokens in the word columns; None if nothing
    in it is searchable."""
    words = query_tokens(text)
    return f"{WORDS} : {_quote(' '.join(words))}" if words else None


def _phrase_literal(text: str) -> str | None:
    """An exact phrase as a phrase of single characters in the character columns."""
    if not searchable(text):
        return None
    return f"{CHARACTERS} : {_quote(spaced(text))}"


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
