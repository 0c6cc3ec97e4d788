"""What app.py's pages show, without any routing: request parameters, a page of results
(search, or the latest articles when there is no query), neighbours in a result list, snippets
as safe HTML, overview counts and export streams."""

from __future__ import annotations

import calendar
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup, escape

from scraper.export.formats import CSV_BOM, export_chunks
from scraper.search.engine import (
    SNIPPET_CHARS,
    SORTS,
    Hit,
    filter_sql,
    matching_ids,
    search,
    search_and_count,
)
from scraper.store.archive import Archive

PAGE_SIZE = 20
MAX_LIMIT = 100
MAX_OFFSET = 10_000_000
MAX_TEXT = 500  # characters in a query or filter: more is a pasted article, not a search
_DIGITS = re.compile(r"[0-9]{1,18}")  # ASCII only: int() also takes "٣" and "1_0"


class BadParameter(ValueError):
    """A request parameter that is not what the page expects: a 400 with this message, in
    Chinese like every page."""


@dataclass(frozen=True)
class SearchParams:
    """The search state every results link carries: query, filters, sort and page."""

    q: str = ""
    since: str | None = None
    until: str | None = None
    site: str | None = None
    source: str | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = PAGE_SIZE

    @property
    def filters(self) -> dict[str, str | None]:
        return {"since": self.since, "until": self.until, "site": self.site, "source": self.source}

    def query_string(self, **changes: object) -> str:
        """URL parameters for this state with `changes`, leaving out defaults."""
        values = {**asdict(self), **changes}
        defaults = asdict(SearchParams())
        kept = {k: v for k, v in values.items() if v not in (None, "") and v != defaults.get(k)}
        return urlencode(kept)


def parse_int(value: str | None, name: str, default: int, maximum: int) -> int:
    if value is None or value == "":
        return default
    if not _DIGITS.fullmatch(value) or int(value) > maximum:
        raise BadParameter(f"{name} 应为 0 到 {maximum} 之间的整数，而不是 {value!r}")
    return int(value)


def parse_id(value: str) -> int:
    if not _DIGITS.fullmatch(value):
        raise BadParameter(f"不是文章编号：{value!r}")
    return int(value)


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name, "").strip()
    if len(value) > MAX_TEXT:
        raise BadParameter(f"{name} 超过了 {MAX_TEXT} 个字符")
    return value or None


def search_params(params: Mapping[str, str]) -> SearchParams:
    """Validated search state from a query string; dates are checked by the search itself."""
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadParameter(f"未知的排序方式 {sort!r}，可选：{', '.join(SORTS)}")
    limit = parse_int(params.get("limit"), "limit", PAGE_SIZE, MAX_LIMIT)
    if limit == 0:
        raise BadParameter("limit 至少为 1")
    return SearchParams(
        q=_text(params, "q") or "",
        since=_text(params, "since"),
        until=_text(params, "until"),
        site=_text(params, "site"),
        source=_text(params, "source"),
        sort=sort,
        offset=parse_int(params.get("offset"), "offset", 0, MAX_OFFSET),
        limit=limit,
    )


def results(archive: Archive, params: SearchParams) -> tuple[list[Hit], int]:
    """The page of results `params` names and how many there are in all."""
    if params.q:
        return search_and_count(archive, params.q, **params.filters, sort=params.sort,
                                limit=params.limit, offset=params.offset)  # fmt: skip
    where, args = filter_sql(**params.filters)
    found = archive.db.execute(f"SELECT count(*) FROM articles WHERE {where}", args).fetchone()
    return _latest(archive, params), found[0]


def same_story(hits: list[Hit]) -> dict[int, int]:
    """For each hit whose story an earlier hit on the page already shows (another capture of
    the same article, or a repost), that earlier hit's id: the page says so beside it."""
    first: dict[int, int] = {}
    earlier = {}
    for hit in hits:
        if hit.cluster is not None:
            if hit.cluster in first:
                earlier[hit.id] = first[hit.cluster]
            else:
                first[hit.cluster] = hit.id
    return earlier


def page(archive: Archive, params: SearchParams) -> list[Hit]:
    """The page of results `params` names: search hits, or without a query the latest
    articles (newest first) matching the filters."""
    if params.q:
        return search(archive, params.q, **params.filters, sort=params.sort,
                      limit=params.limit, offset=params.offset)  # fmt: skip
    return _latest(archive, params)


def _latest(archive: Archive, params: SearchParams) -> list[Hit]:
    where, args = filter_sql(**params.filters)
    rows = archive.db.execute(
        "SELECT id, url, title, source, site, published_at, substr(coalesce(body, ''), 1, ?),"
        f" length(body) > ? FROM articles WHERE {where}"
        " ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?",
        [SNIPPET_CHARS, SNIPPET_CHARS, *args, params.limit, params.offset],
    )
    return [
        Hit(article_id, url, title, source, site, published_at, start + ("…" if more else ""))
        for article_id, url, title, source, site, published_at, start, more in rows
    ]


class ResultIds:
    """The ids recent result pages showed, by position: an article opened from the results finds
    its previous and next there instead of running the search again (a ranked search over a
    frequent word costs ~100 ms at 100,000 articles). Entries expire, so links made before the
    archive changed go stale for minutes at most."""

    def __init__(self, lists: int = 1024, seconds: float = 600.0) -> None:
        self.lists, self.seconds = lists, seconds
        self._ids: OrderedDict[SearchParams, tuple[float, dict[int, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, params: SearchParams, hits: list[Hit]) -> None:
        key, now = replace(params, offset=0), time.monotonic()
        with self._lock:
            born, ids = self._ids.pop(key, (now, {}))
            if now - born > self.seconds:
                born, ids = now, {}
            ids.update((params.offset + i, hit.id) for i, hit in enumerate(hits))
            self._ids[key] = (born, ids)
            while len(self._ids) > self.lists:
                self._ids.popitem(last=False)

    def around(self, params: SearchParams, position: int) -> list[int | None] | None:
        """The ids at position-1, position and position+1, if all of them are remembered."""
        with self._lock:
            born, ids = self._ids.get(replace(params, offset=0), (0.0, {}))
        if time.monotonic() - born > self.seconds:
            return None
        wanted = [p for p in (position - 1, position, position + 1) if p >= 0]
        if not all(p in ids for p in wanted):
            return None
        return [ids[position - 1] if position else None, ids[position], ids[position + 1]]


def neighbours(
    archive: Archive, params: SearchParams, position: int, article_id: int, known: ResultIds
) -> tuple[int | None, int | None]:
    """The ids before and after `article_id` at `position` in the results, from the ids the
    result pages showed or else by running the same search; (None, None) when the results
    have changed since the link was made."""
    window = known.around(params, position)
    if window is None:
        first = max(position - 1, 0)
        hits = page(archive, replace(params, offset=first, limit=3))
        known.remember(replace(params, offset=first), hits)
        padding = [None] * (1 - (position - first))  # nothing before the first result
        window = padding + [hit.id for hit in hits] + [None] * 3
    before, here, after = window[:3]
    if here != article_id:
        return None, None
    return before, after


def highlighted(snippet: str, spans: Iterable[tuple[int, int]]) -> Markup:
    """The snippet as HTML: every piece escaped on its own, the matches wrapped in <mark>."""
    text = snippet.replace("\n", " ")  # paragraph breaks; same length, so the spans still fit
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        start = max(start, last)  # defensive: spans are sorted and merged by the search
        if start >= end:
            continue
        pieces += [escape(text[last:start]), Markup("<mark>"), escape(text[start:end]),
                   Markup("</mark>")]  # fmt: skip
        last = end
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def link_url(url: str | None) -> str | None:
    """The URL if it is safe to link to (http/https only: no javascript:, data:, file:)."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


@dataclass(frozen=True)
class Pager:
    total: int
    offset: int
    limit: int

    @property
    def number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    @property
    def previous(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None

    @property
    def next(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None


def chart(rows: list[tuple[str, int]], key: str) -> dict:
    """Rows of (name, count, link to its articles) and the largest count, for CSS-free bars:
    the template draws each as a <progress> element (inline styles are blocked by the CSP)."""
    linked = [(name, n, _filter_link(key, name)) for name, n in rows]
    return {"rows": linked, "most": max((n for _, n in rows), default=1)}


def _filter_link(key: str, name: str) -> str | None:
    if name in ("(none)", UNDATED):
        return None
    if key == "month":  # full dates, which the search form's date inputs can show
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", name):
            return None  # a published_at the extractor did not normalise
        last = calendar.monthrange(int(name[:4]), int(name[5:]))[1]
        return "/?" + urlencode({"since": f"{name}-01", "until": f"{name}-{last:02d}"})
    return "/?" + urlencode({key: name})


UNDATED = "未注明"


def months(archive: Archive) -> list[tuple[str, int]]:
    """Articles per month of publication, oldest first; undated ones last."""
    rows = archive.db.execute(
        "SELECT substr(published_at, 1, 7), count(*) FROM articles"
        " WHERE published_at IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).fetchall()
    undated = archive.db.execute(
        "SELECT count(*) FROM articles WHERE published_at IS NULL"
    ).fetchone()[0]
    return [tuple(row) for row in rows] + ([(UNDATED, undated)] if undated else [])


def export_records(archive: Archive, params: SearchParams) -> Iterator[dict]:
    """Every record the search state matches (not one page), read lazily in batches.

    The query runs before this returns, so a bad query is raised here, not halfway through
    a download."""
    if not params.q:
        return archive.records(*filter_sql(**params.filters))
    return archive.records_by_id(
        matching_ids(archive, params.q, sort=params.sort, **params.filters)
    )


EXPORT_CHUNK = 64 * 1024  # characters per response chunk: one per article is too chatty


def export_stream(archive: Archive, records: Iterable[dict], fmt: str) -> Iterator[bytes]:
    """The export as UTF-8 chunks of about EXPORT_CHUNK characters; closes `archive` (the
    download's own connection) when done or when the client goes away."""
    try:
        if fmt == "csv":
            yield CSV_BOM.encode()  # spreadsheets read UTF-8 CSV as Chinese only with a BOM
        pending: list[str] = []
        size = 0
        for chunk in export_chunks(records, fmt):
            pending.append(chunk)
            size += len(chunk)
            if size >= EXPORT_CHUNK:
                yield "".join(pending).encode()
                pending, size = [], 0
        yield "".join(pending).encode()
    finally:
        archive.close()
