"""The publication time a page shows its reader, read from the page's text blocks: the date
line under the headline (a photo caption may come first), or a labelled one under the body."""

from __future__ import annotations

import re

from scraper.extract.fields import DATE_LABELS, parse_datetime

_WINDOW = 12  # blocks under the headline where its info line sits
_MAX_DATE_LINE = 60  # longer blocks are prose that happens to mention a date
_SENTENCE = re.compile(r"[，。！？；]")
_TIME_ONLY = re.compile(r"^\d{1,2}[:：]\d{2}(?:[:：]\d{2})?$")


def shown_date(page: list[str], headline: int | None, after_body: list[str]) -> str | None:
    """The first dated short line under the headline, preferring one with a time; else a line
    labelled 发布日期/时间 just after the body."""
    under = page[headline + 1 : headline + 1 + _WINDOW] if headline is not None else []
    found = _dates(under)
    found += _dates([line for line in after_body if line.startswith(DATE_LABELS)])
    timed = [d for d in found if "T" in d]
    return (timed or found or [None])[0]


def _dates(lines: list[str]) -> list[str]:
    """Dates of the short lines; a date and its time in two blocks ('2024-05-11', '08:30') are
    read together."""
    found = []
    for index, line in enumerate(lines):
        if len(line) > _MAX_DATE_LINE or _SENTENCE.search(line):
            continue  # prose that mentions a date ('2024年5月11日上午，市政府召开…')
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _TIME_ONLY.match(following):
            line = f"{line} {following}"
        if value := parse_datetime(line):
            found.append(value)
    return found
