"""Sources kept in the archive: the feeds, sitemaps, list pages and editions `scraper watch`
polls, each with its last poll, validators for a conditional request, last error and counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from scraper.clock import now_iso
from scraper.discover.model import KINDS
from scraper.fetch.urls import BadURL, canonical_url
from scraper.store.archive import Archive, ArchiveError

DEFAULT_EVERY = 30 * 60
_EVERY = re.compile(r"^(\d+)\s*([smhd]?)$", re.I)
_UNIT_SECONDS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}  # a bare number is minutes
_TEMPLATE = re.compile(r"\{(?:YYYY|YY|MM|DD|M|D)\}")


class SourceError(ArchiveError):
    """A source that cannot be added or found: one line, exit code 2."""

    exit_code = 2


@dataclass
class Source:
    id: int
    url: str
    kind: str | None
    name: str | None
    every_seconds: int
    added_at: str
    last_polled_at: str | None
    etag: str | None
    last_modified: str | None
    last_error: str | None
    polls: int
    last_found: int
    last_new: int
    total_new: int

    def due(self, now: datetime) -> bool:
        if not self.last_polled_at:
            return True
        polled = datetime.fromisoformat(self.last_polled_at)
        return now >= polled + timedelta(seconds=self.every_seconds)


def parse_every(text: str) -> int:
    """'30m', '2h', '1d', '90s' or a bare number of minutes, as seconds (at least a minute)."""
    match = _EVERY.match(text.strip())
    if not match:
        raise SourceError(f"not an interval (like 30m, 2h, 1d): {text!r}")
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if seconds < 60:
        raise SourceError(f"polling more often than once a minute is impolite: {text!r}")
    return seconds


def add_source(
    archive: Archive,
    url: str,
    kind: str | None = None,
    every_seconds: int = DEFAULT_EVERY,
    name: str | None = None,
) -> Source:
    """Keep a source (or update the kind, interval and name of one already kept)."""
    key = _source_key(url, kind)
    with archive.db.conn:
        archive.db.execute(
            "INSERT INTO sources (url, kind, name, every_seconds, added_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET kind = excluded.kind,"
            " name = coalesce(excluded.name, name), every_seconds = excluded.every_seconds",
            [key, kind, name, every_seconds, now_iso()],
        )
    return get_source(archive, key)


def get_source(archive: Archive, key: str | int) -> Source:
    """A source by id or URL; SourceError when there is none."""
    if str(key).isdigit():
        row = archive.db.execute("SELECT * FROM sources WHERE id = ?", [int(key)]).fetchone()
    else:
        row = archive.db.execute("SELECT * FROM sources WHERE url IN (?, ?)",
                                 [str(key), _lenient_key(str(key))]).fetchone()  # fmt: skip
    if row is None:
        raise SourceError(f"no source {key!r} (scraper sources list shows them)")
    return Source(*row)


def list_sources(archive: Archive) -> list[Source]:
    return [Source(*row) for row in archive.db.execute("SELECT * FROM sources ORDER BY id")]


def remove_source(archive: Archive, key: str | int) -> Source:
    """Forget a source; the articles found through it stay archived."""
    source = get_source(archive, key)
    with archive.db.conn:
        archive.db.execute("DELETE FROM sources WHERE id = ?", [source.id])
    return source


def due_sources(archive: Archive, now: datetime) -> list[Source]:
    return [source for source in list_sources(archive) if source.due(now)]


def record_poll(
    archive: Archive,
    source: Source,
    polled_at: str,
    validators: tuple[str | None, str | None],
    error: str | None,
    found: int,
    new: int,
) -> None:
    """What one poll gave. Validators the answer did not repeat (a 304 may omit them) are kept."""
    etag, last_modified = validators
    with archive.db.conn:
        archive.db.execute(
            "UPDATE sources SET last_polled_at = ?, etag = coalesce(?, etag),"
            " last_modified = coalesce(?, last_modified), last_error = ?, polls = polls + 1,"
            " last_found = ?, last_new = ?, total_new = total_new + ? WHERE id = ?",
            [polled_at, etag, last_modified, error, found, new, new, source.id],
        )


def _source_key(url: str, kind: str | None) -> str:
    if kind not in (None, *KINDS):
        raise SourceError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    if _TEMPLATE.search(url):
        if not url.strip().lower().startswith(("http://", "https://")):
            raise SourceError(f"not an http(s) URL: {url!r}")
        return url.strip()
    if kind == "edition":
        raise SourceError(f"an edition needs a URL template with {{YYYY}}/{{MM}}/{{DD}}: {url}")
    try:
        return canonical_url(url)
    except BadURL as error:
        raise SourceError(str(error)) from None


def _lenient_key(key: str) -> str:
    try:
        return canonical_url(key)
    except BadURL:
        return key
