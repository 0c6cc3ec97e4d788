"""Articles over time: superseded versions (with the raw pages they came from), re-check events
and each article's watch state (live, suspected, deleted).

The `articles` row is always the latest version that was live, so search and export keep
working and a deleted article keeps its last text. A superseded version moves here whole: its
fields and its raw pages (moved, not copied, so an edit costs one new raw page).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

STATUSES = ("live", "suspected", "deleted")
VERSION_FIELDS = ("title", "source", "author", "editor", "published_at", "body", "extractor")

# Columns of an article record, for a SELECT … FROM articles (scraper/store/archive.py).
RECORD_COLUMNS_SQL = (
    "coalesce((SELECT status FROM article_watch w WHERE w.article_id = articles.id), 'live')"
    " AS status, 1 + (SELECT count(*) FROM article_versions v"
    " WHERE v.article_id = articles.id) AS versions,"
    " (SELECT deleted_at FROM article_watch w WHERE w.article_id = articles.id) AS deleted_at"
)


def keep_superseded(conn: sqlite3.Connection, article_id: int, move_pages: bool) -> None:
    """Before the article's row is overwritten by new content: keep the current version, and
    with `move_pages` its raw pages (the caller replaces them with the new version's)."""
    columns = ", ".join(VERSION_FIELDS)
    cursor = conn.execute(
        f"INSERT INTO article_versions (article_id, {columns}, content_hash, first_seen,"
        f" last_seen) SELECT a.id, {', '.join('a.' + c for c in VERSION_FIELDS)},"
        " a.content_hash, a.updated_at, coalesce(w.last_seen, a.updated_at)"
        " FROM articles a LEFT JOIN article_watch w ON w.article_id = a.id WHERE a.id = ?",
        [article_id],
    )
    if move_pages:
        conn.execute(
            "INSERT INTO version_pages SELECT ?, page_no, url, content_type, encoding,"
            " compression, size, sha256, content, fetched_at FROM raw_pages WHERE article_id = ?",
            [cursor.lastrowid, article_id],
        )
    conn.execute("UPDATE article_watch SET last_seen = NULL WHERE article_id = ?", [article_id])


@dataclass
class Watch:
    """An article's re-check state; a never-checked article is live with nothing else known."""

    article_id: int
    status: str = "live"
    deleted_at: str | None = None
    suspected_since: str | None = None
    suspect_checks: int = 0
    etag: str | None = None
    last_modified: str | None = None
    last_seen: str | None = None
    last_checked_at: str | None = None
    next_check_at: str | None = None


_WATCH_COLUMNS = tuple(Watch.__dataclass_fields__)


def watch(conn: sqlite3.Connection, article_id: int) -> Watch:
    row = conn.execute(
        f"SELECT {', '.join(_WATCH_COLUMNS)} FROM article_watch WHERE article_id = ?",
        [article_id],
    ).fetchone()
    return Watch(*row) if row else Watch(article_id)


def save_check(conn: sqlite3.Connection, state: Watch, outcome: str, detail: str | None) -> None:
    """Record one check: its event and the article's new watch state (one transaction is the
    caller's: a check is kept whole or not at all)."""
    values = [getattr(state, name) for name in _WATCH_COLUMNS]
    conn.execute(
        f"INSERT OR REPLACE INTO article_watch ({', '.join(_WATCH_COLUMNS)})"
        f" VALUES ({', '.join('?' * len(_WATCH_COLUMNS))})",
        values,
    )
    conn.execute(
        "INSERT INTO article_events (article_id, checked_at, outcome, detail) VALUES (?, ?, ?, ?)",
        [state.article_id, state.last_checked_at, outcome, detail],
    )


def history(conn: sqlite3.Connection, article_id: int) -> dict | None:
    """The article's versions (oldest first, the current one last) and its check events."""
    columns = ", ".join(VERSION_FIELDS)
    current = _dicts(
        conn,
        f"SELECT {columns}, content_hash, updated_at AS first_seen,"
        " coalesce((SELECT last_seen FROM article_watch WHERE article_id = id), updated_at)"
        " AS last_seen FROM articles WHERE id = ?",
        article_id,
    )
    if not current:
        return None
    older = _dicts(
        conn,
        f"SELECT id AS version_id, {columns}, content_hash, first_seen, last_seen"
        " FROM article_versions WHERE article_id = ? ORDER BY id",
        article_id,
    )
    versions = [*older, *current]
    for number, version in enumerate(versions, start=1):
        version["version"] = number
        version.pop("version_id", None)
    events = _dicts(
        conn,
        "SELECT checked_at, outcome, detail FROM article_events WHERE article_id = ? ORDER BY id",
        article_id,
    )
    state = watch(conn, article_id)
    return {"id": article_id, "status": state.status, "deleted_at": state.deleted_at,
            "versions": versions, "events": events}  # fmt: skip


def version_page_count(conn: sqlite3.Connection, article_id: int) -> int:
    return conn.execute(
        "SELECT count(*) FROM version_pages WHERE version_id IN"
        " (SELECT id FROM article_versions WHERE article_id = ?)",
        [article_id],
    ).fetchone()[0]


def _dicts(conn: sqlite3.Connection, sql: str, *params: object) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def badges(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict]:
    """status, deleted_at and edits (versions - 1) of the given articles that have any of
    them (a live article never edited has no badge)."""
    rows = conn.execute(
        "SELECT a.id, coalesce(w.status, 'live'), w.deleted_at,"
        " (SELECT count(*) FROM article_versions v WHERE v.article_id = a.id)"
        " FROM articles a LEFT JOIN article_watch w ON w.article_id = a.id"
        " WHERE a.id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    return {
        article_id: {"status": status, "deleted_at": deleted_at, "edits": edits}
        for article_id, status, deleted_at, edits in rows
        if status != "live" or edits
    }


def recent_changes(conn: sqlite3.Connection, outcome: str, limit: int = 20) -> list[dict]:
    """The latest articles whose check ended `outcome` (deleted, edited), newest first."""
    return _dicts(
        conn,
        "SELECT e.article_id AS id, a.title, a.url, max(e.checked_at) AS checked_at"
        " FROM article_events e JOIN articles a ON a.id = e.article_id WHERE e.outcome = ?"
        " AND (? != 'deleted' OR a.id IN"  # a restored article is no longer deleted
        " (SELECT article_id FROM article_watch WHERE status = 'deleted'))"
        " GROUP BY e.article_id ORDER BY checked_at DESC LIMIT ?",
        outcome,
        outcome,
        limit,
    )
