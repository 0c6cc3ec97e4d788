"""The query language, turned into a safe FTS5 MATCH expression: words ANDed, OR, -exclusions
(NOT), "exact phrases", title: terms and site:/source:/since:/until:/status: filters (-site:,
-source:, -status:).

A word is segmented like the articles and looked up in the word columns; a phrase (and a title:
term, in the title's column only) is looked up as a phrase of single characters in the
character columns, so it is found wherever it occurs
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

TITLE_CHARACTERS = "{title_chars}"  # title: terms, as characters like a phrase

_TERM = re.compile(
    r"(-?)(?:(?i:(?P<field>title)):)?"
    r'(?:["“”「」](?P<phrase>[^"“”「」]*)["“”「」]?|(?P<word>[^\s"“”「」]+))'
)


class QueryError(ValueError):
    """The query cannot be searched (nothing searchable in it, a bad filter): a one-line
    message, and the same in Chinese (`chinese`) for the web app's pages."""

    def __init__(self, message: str, chinese: str) -> None:
        super().__init__(message)
        self.chinese = chinese


@dataclass
class ParsedQuery:
    match: str  # the FTS5 MATCH expression; "" when only filters (and exclusions) are given
    phrases: list[str] = field(default_factory=list)  # phrases with punctuation: verified
    filters: dict[str, str] = field(default_factory=dict)  # site: source: since: until:
    terms: list[str] = field(default_factory=list)  # what snippets highlight (folded, lower-case)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)  # -site: -source:
    excluded_match: str = ""  # the -terms of a query without words, as a MATCH expression
    title_phrases: list[str] = field(default_factory=list)  # title: texts with punctuation


FILTER_KEYS = ("site", "source", "since", "until", "status")
NEGATABLE_FILTERS = ("site", "source", "status")
# status: what re-checking found (scraper/store/versions.py); edited: more than one version
STATUS_FILTERS = {
    "live": "{a}.id NOT IN (SELECT article_id FROM article_watch WHERE status != 'live')",
    "suspected": "{a}.id IN (SELECT article_id FROM article_watch WHERE status = 'suspected')",
    "deleted": "{a}.id IN (SELECT article_id FROM article_watch WHERE status = 'deleted')",
    "edited": "{a}.id IN (SELECT article_id FROM article_versions)",
}
OPERATORS = {"AND": "and", "NOT": "not", "OR": "or"}  # upper case only, as in FTS5


def build_match(query: str) -> str:
    """Translate the query language into an FTS5 MATCH expression, or raise QueryError."""
    return parse_query(query).match


def parse_query(query: str, filtered: bool = False) -> ParsedQuery:
    """Words are ANDed (AND may be written), OR joins two terms, -term or NOT term excludes,
    "…" is an exact phrase, title:… looks in titles only, and site:/source:/since:/until:
    filter (-site:/-source: exclude). A query of filters alone (or `filtered`: the caller
    filters) matches every article they keep; with nothing at all, QueryError."""
    groups: list[list[str]] = [[]]  # OR-groups, ANDed together
    excluded: list[str] = []
    parsed = ParsedQuery("")
    to_verify: dict[str, tuple[str, bool]] = {}  # literal -> (phrase, in title only)
    or_next = negate_next = False
    for match in _TERM.finditer(query):
        negate = bool(match.group(1)) or negate_next
        title, phrase, word = match.group("field"), match.group("phrase"), match.group("word")
        operator = OPERATORS.get(word or "") if not (title or match.group(1)) else None
        if operator:
            or_next = operator == "or" and bool(groups[-1])
            negate_next = operator == "not"
            continue
        negate_next = False
        if word and not title and _take_filter(word, negate, parsed):
            continue
        literal, text, exact = _literal(title, phrase, word)
        if literal is None:
            continue
        if negate:
            excluded.append(literal)
        else:
            parsed.terms += [text] if exact else [t.lower() for t in query_tokens(word)]
            if exact and not all(c.isalnum() for c in text):
                to_verify[literal] = (text, bool(title))  # FTS5 skips punctuation: check it
            if or_next:
                groups[-1].append(literal)
            else:
                groups.append([literal])
        or_next = False
    required = [g for g in groups if g]
    if required:
        parsed.match = _expression(required, excluded)
    elif filtered or parsed.filters or parsed.excluded_filters:
        parsed.excluded_match = " OR ".join(excluded)
    else:
        _nothing_to_search(excluded)
    verified = [to_verify[g[0]] for g in required if len(g) == 1 and g[0] in to_verify]
    parsed.phrases = [text for text, in_title in verified if not in_title]
    parsed.title_phrases = [text for text, in_title in verified if in_title]
    return parsed


def _literal(
    title: str | None, phrase: str | None, word: str | None
) -> tuple[str | None, str, bool]:
    """A term's FTS5 literal, the text it looks for and whether it is exact (a phrase or a
    title: term, looked up as characters so it is found as a substring)."""
    if title:
        text = _phrase_text(phrase if phrase is not None else word or "")
        return _phrase_literal(text, TITLE_CHARACTERS), text, True
    if phrase is not None:
        text = _phrase_text(phrase)
        return _phrase_literal(text, CHARACTERS), text, True
    return _word_literal(word or ""), word or "", False


def _phrase_text(phrase: str) -> str:
    """The phrase as it is looked for: normalised, lower-case, no spaces between Chinese
    characters ("高质量 发展" is 高质量发展 in an article)."""
    folded = normalize(phrase.strip()).lower()
    return re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", folded)


def _take_filter(word: str, negate: bool, parsed: ParsedQuery) -> bool:
    key, colon, value = word.partition(":")
    key = key.lower()
    if not (colon and key in FILTER_KEYS and value):
        return False
    if not negate:
        parsed.filters[key] = value
    elif key in NEGATABLE_FILTERS:
        parsed.excluded_filters.setdefault(key, []).append(value)
    else:
        other = "until" if key == "since" else "since"
        raise QueryError(
            f"-{key}: cannot be negated; use {other}: instead", f"-{key}: 不能取反，请改用 {other}:"
        )
    return True


def _expression(required: list[list[str]], excluded: list[str]) -> str:
    expression = " AND ".join(f"({' OR '.join(g)})" if len(g) > 1 else g[0] for g in required)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _nothing_to_search(excluded: list[str]) -> None:
    if excluded:
        raise QueryError(
            "a query needs at least one word or filter (site:, source:, since:, until:),"
            " not only -exclusions",
            "查询至少要有一个词语或筛选条件（site:、source:、since:、until:），不能只有排除项",
        )
    raise QueryError(
        "nothing to search for: the query has no words, numbers or filters",
        "没有可搜索的内容：查询里没有词语、数字或筛选条件",
    )


def _word_literal(text: str) -> str | None:
    """A word as an FTS5 phrase of its segmented tokens in the word columns; None if nothing
    in it is searchable."""
    words = query_tokens(text)
    return f"{WORDS} : {_quote(' '.join(words))}" if words else None


def _phrase_literal(text: str, columns: str) -> str | None:
    """An exact phrase as a phrase of single characters in the character columns."""
    if not searchable(text):
        return None
    return f"{columns} : {_quote(spaced(text))}"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def date_bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Validate YYYY[-MM[-DD]] filters; both ends are inclusive at their own precision."""
    for value in (since, until):
        if value is not None and not _valid_partial_date(value):
            raise QueryError(
                f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)",
                f"不是日期：{value!r}（请用 YYYY、YYYY-MM 或 YYYY-MM-DD）",
            )
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
    *,
    excluded: dict[str, list[str]] | None = None,
    status: str | None = None,
) -> tuple[str, list[object]]:
    """WHERE clauses shared by search and export; `excluded` holds -site: and -source: values
    (an article without a 来源 is kept by -source:)."""
    since, until = date_bounds(since, until)
    clauses, params = [], []
    if since:
        clauses.append(f"{alias}.published_at >= ?")
        params.append(since)
    if until:
        clauses.append(f"substr({alias}.published_at, 1, ?) <= ?")
        params += [len(until), until]
    tests = {"site": _site_test, "source": _source_test, "status": _status_test}
    for key, value in (("site", site), ("source", source), ("status", status)):
        if value:
            clause, args = tests[key](alias, value)
            clauses.append(clause)
            params += args
    for key, values in (excluded or {}).items():
        for value in values:
            clause, args = tests[key](alias, value)
            clauses.append(f"NOT coalesce({clause}, 0)")
            params += args
    return " AND ".join(clauses) or "1", params


def _site_test(alias: str, site: str) -> tuple[str, list[object]]:
    """The site or one of its subdomains."""
    escaped = site.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"({alias}.site = ? OR {alias}.site LIKE ? ESCAPE '\\')", [site, "%." + escaped]


def _status_test(alias: str, status: str) -> tuple[str, list[object]]:
    template = STATUS_FILTERS.get(status.lower())
    if template is None:
        choices = "|".join(STATUS_FILTERS)
        raise QueryError(f"unknown status {status!r} (use {choices})",
                         f"未知状态 {status!r}（可用 {choices}）")  # fmt: skip
    return template.format(a=alias), []


def _source_test(alias: str, source: str) -> tuple[str, list[object]]:
    return f"instr({alias}.source, ?) > 0", [source]
