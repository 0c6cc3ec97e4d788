"""The other URLs of an archived article: the URLs that redirected to it, and its later pages.

An article is keyed by the final URL of its first page after redirects (`articles.url`). The URL
that was asked for (/old, 301 → /new) and the URLs of pages 2, 3, … are kept in `url_aliases`
with the page they name, so a later run skips them, a later page in a list is not archived as
an article of its own, and `scraper show URL` finds the article by any of them.
"""

from __future__ import annotations

import sqlite3

from scraper.fetch.urls import BadURL, canonical_url

ALREADY_ARCHIVED = "already archived"
PAGE_OF_ARCHIVED = "page of an archived article"

# The URL -> page number map of an article, as JSON (NULL without aliases), for its record.
ALIASES_COLUMN = (
    "(SELECT json_group_object(url, page_no) FROM url_aliases"
    " WHERE article_id = articles.id HAVING count(*) > 0) AS aliases"
)


def _spellings(url: str) -> list[str]:
    """`url` as given and in its canonical spelling (the one runs store), without repeats."""
    try:
        canonical = canonical_url(url)
    except BadURL:
        return [url]
    return [url] if canonical == url else [url, canonical]


def lookup(conn: sqlite3.Connection, url: str) -> tuple[int, int] | None:
    """(article id, page number) of the article stored at `url` or known by it, in the URL's
    spelling as given or its canonical one."""
    return next(filter(None, (_lookup_exact(conn, s) for s in _spellings(url))), None)


def _lookup_exact(conn: sqlite3.Connection, url: str) -> tuple[int, int] | None:
    found = conn.execute(
        "SELECT id, 1, 0 FROM articles WHERE url = ?"
        " UNION ALL SELECT article_id, page_no, 1 FROM url_aliases WHERE url = ?"
        " ORDER BY 3 LIMIT 1",
        (url, url),
    ).fetchone()
    return (found[0], found[1]) if found else None


def archived_as(conn: sqlite3.Connection, url: str) -> str | None:
    """Why a run need not fetch `url` (canonical): an archived article, or a later page of one."""
    found = _lookup_exact(conn, url)
    if found is None:
        return None
    return PAGE_OF_ARCHIVED if found[1] > 1 else ALREADY_ARCHIVED


def archived_url(conn: sqlite3.Connection, urls: list[str]) -> str | None:
    """The key of the article that the first of `urls` (canonical) already names, if any: a
    refreshed article keeps its row even when it was archived under the URL it now redirects
    from."""
    for url in urls:
        found = _lookup_exact(conn, url)
        if found:
            return conn.execute("SELECT url FROM articles WHERE id = ?", (found[0],)).fetchone()[0]
    return None


def add(conn: sqlite3.Connection, article_id: int, aliases: dict[str, int]) -> None:
    """Record `aliases` (URL -> the page it names) for the article. A URL already known keeps
    its article; a URL that failed before and now led to an article is no failure any more."""
    rows = [(url, article_id, page, url) for url, page in aliases.items()]
    conn.executemany(_INSERT, rows)
    conn.executemany("DELETE FROM failures WHERE url = ?", [(url,) for url in aliases])


def backfill(conn: sqlite3.Connection) -> None:
    """For an archive made before aliases: every stored page's URL that is not its article's
    key (a redirect's target, pages 2, 3, …) becomes an alias of it."""
    rows = conn.execute(
        "SELECT r.url, r.article_id, r.page_no FROM raw_pages r JOIN articles a"
        " ON a.id = r.article_id WHERE r.url != a.url ORDER BY r.article_id, r.page_no"
    ).fetchall()
    for url, article_id, page_no in rows:
        alias = _canonical_http(url)
        if alias:
            conn.execute(_INSERT, (alias, article_id, page_no, alias))


_INSERT = (  # never an alias that is some article's own key
    "INSERT OR IGNORE INTO url_aliases (url, article_id, page_no)"
    " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM articles WHERE url = ?)"
)


def _canonical_http(url: str) -> str | None:
    """The canonical spelling of an http(s) URL; None for a saved page's file:// URL."""
    try:
        return canonical_url(url)
    except BadURL:
        return None
