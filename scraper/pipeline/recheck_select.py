"""Which archived articles a re-check run takes: given ids/URLs, every article (--all), those
due on the schedule (--due), narrowed by --since/--until (published) and --site. Only
articles archived from http(s) URLs: a saved page has no server to ask.

Resuming: a run records when it began (in the archive's meta table, per selection); until it
finishes, the same selection skips the articles already checked since then, so a re-run
after Ctrl-C or kill -9 does only what is left."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from scraper.pipeline.watch_rules import FIRST_CHECK_AFTER, iso
from scraper.search.query import filter_sql
from scraper.store.archive import Archive

RESUME_KEY = "recheck_resume"


class SelectionError(ValueError):
    """A selection naming no article, or an unknown one: a one-line message."""


@dataclass(frozen=True)
class Selection:
    keys: tuple[str, ...] = ()  # ids or URLs
    all: bool = False
    due: bool = False
    since: str | None = None
    until: str | None = None
    site: str | None = None

    def check(self) -> None:
        if not (self.keys or self.all or self.due):
            raise SelectionError("give article ids or URLs, --all or --due")
        if self.all and self.due:
            raise SelectionError("--all and --due exclude each other")


def select_articles(archive: Archive, selection: Selection, now: datetime) -> list[tuple[int, str]]:
    """(id, url) of the articles to check, in id order."""
    selection.check()
    where, params = filter_sql(selection.since, selection.until, selection.site, alias="a")
    where += " AND (a.url LIKE 'http://%' OR a.url LIKE 'https://%')"  # saved files: no server
    if selection.keys:
        ids = [_article_id(archive, key) for key in selection.keys]
        where += " AND a.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(ids))
    if selection.due:
        where += " AND (w.next_check_at <= ? OR (w.article_id IS NULL AND a.archived_at <= ?))"
        params += [iso(now), iso(now - FIRST_CHECK_AFTER)]
    resumed = _resume_point(archive, selection, now)
    if resumed:  # skip what the interrupted run of this selection already checked
        where += " AND (w.last_checked_at IS NULL OR w.last_checked_at < ?)"
        params.append(resumed)
    rows = archive.db.execute(
        "SELECT a.id, a.url FROM articles a LEFT JOIN article_watch w ON w.article_id = a.id"
        f" WHERE {where} ORDER BY a.id",
        params,
    ).fetchall()
    return [(article_id, url) for article_id, url in rows]


def finish_selection(archive: Archive, selection: Selection) -> None:
    """The run went through: the next run of this selection starts afresh."""
    with archive.db.conn:
        archive.db.execute("DELETE FROM meta WHERE key = ?", [_resume_key(selection)])


def _resume_point(archive: Archive, selection: Selection, now: datetime) -> str | None:
    """When the unfinished run of this selection began; None for a new run (whose start is
    recorded for its own resumption)."""
    key = _resume_key(selection)
    started = archive.meta(key)
    if started is None:
        with archive.db.conn:
            archive.set_meta(key, iso(now))
    return started


def _resume_key(selection: Selection) -> str:
    return RESUME_KEY + ":" + json.dumps(asdict(selection), ensure_ascii=False, sort_keys=True)


def _article_id(archive: Archive, key: str) -> int:
    record = archive.get(key)
    if record is None:
        raise SelectionError(f"no article {key!r} in the archive")
    return record["id"]
