"""Date-templated editions (数字报): http://paper.example/html/{YYYY}-{MM}/{DD}/node_1.htm.

Each day of the range gives one edition page, read as a list page; a day with no edition (a
404) is skipped like any failing page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from scraper.discover.model import DiscoverError

PLACEHOLDERS: dict[str, Callable[[date], str]] = {
    "{YYYY}": lambda day: f"{day.year:04d}",
    "{YY}": lambda day: f"{day.year % 100:02d}",
    "{MM}": lambda day: f"{day.month:02d}",
    "{DD}": lambda day: f"{day.day:02d}",
    "{M}": lambda day: str(day.month),  # no leading zero: /2025/3/1/
    "{D}": lambda day: str(day.day),
}
MAX_DAYS = 366  # one year of editions per run: a wider range is almost certainly a typo
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


def is_template(source: str) -> bool:
    return bool(_PLACEHOLDER.search(source))


def edition_urls(template: str, first: date, last: date) -> list[str]:
    """The template filled in for every day from `first` to `last`, in order."""
    if not is_template(template):
        raise DiscoverError(f"not an edition template (no {{YYYY}}/{{MM}}/{{DD}}): {template}")
    if last < first:
        raise DiscoverError(f"the date range ends ({last}) before it starts ({first})")
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise DiscoverError(f"{days} days of editions asked for; at most {MAX_DAYS} per run")
    return [_fill(template, first + timedelta(n)) for n in range(days)]


def _fill(template: str, day: date) -> str:
    return _PLACEHOLDER.sub(lambda match: PLACEHOLDERS[match.group()](day), template)
