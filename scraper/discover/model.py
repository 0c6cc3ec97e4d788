"""What discovery gives: article URLs with the date a feed or sitemap put on them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

KINDS = ("feed", "sitemap", "page", "edition")
_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class DiscoverError(Exception):
    """A source that cannot be used (bad URL, bad template, nothing recognisable): one line."""


@dataclass(frozen=True)
class Found:
    url: str  # canonical
    date: str | None = None  # YYYY-MM-DD…: feed entry date, news publication date or lastmod


@dataclass
class SourceResult:
    """One source's answer: its article URLs, or the error that stopped it."""

    source: str
    kind: str | None = None
    found: list[Found] = field(default_factory=list)
    error: str | None = None
    etag: str | None = None  # the source's validators, for the next conditional poll
    last_modified: str | None = None
    not_modified: bool = False  # a 304: nothing new since the last poll
    problems: list[str] = field(default_factory=list)  # a missing edition day, a bad sub-sitemap


def parse_day(text: str, *, end: bool = False) -> date:
    """YYYY[-MM[-DD]] as a day: the first day of the period, or its last with `end`."""
    match = _DAY.match(text.strip())
    if not match:
        raise DiscoverError(f"not a date (YYYY[-MM[-DD]]): {text!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            return date(year, month, day)
        if month:
            return _month_end(year, month) if end else date(year, month, 1)
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError as error:
        raise DiscoverError(f"not a date: {text!r} ({error})") from None


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def on_or_after(found: Found, since: date | None) -> bool:
    """Kept by --since: dated on or after it, or undated (an undated entry may well be new)."""
    if since is None or not found.date:
        return True
    return found.date[:10] >= since.isoformat()
