"""Dates written the ways DATE_RE (year first) does not read: day or month first
('06/02/2022 - 13:48'), English month names ('May 11, 2024', '11 May 2024 08:30 GMT') and
two-digit years ('24年5月11日', '24-05-11 08:30'). Kept apart from fields.py so the common
year-first path stays one regex."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8))
UTC = timezone.utc

# A zone written next to a shown time: GMT/UTC, or the Chinese names of GMT and of UTC+8.
ZONE_WORDS = (
    r"格林尼治标准时间|格林威治標準時間|格林威治时间|GMT|UTC|北京时间|北京時間|台北時間|台湾时间|"
    r"香港時間|香港时间|新加坡时间|新加坡時間"
)
_UTC_WORDS = ("格林尼治标准时间", "格林威治標準時間", "格林威治时间", "GMT", "UTC")

_TIME = (
    r"(?:\s*(?:[-–,，@|]|\bat\b)?\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?(?:\s*(?P<zone>" + ZONE_WORDS + r"))?)?"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH = r"(?P<mon>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)"
_ENGLISH = (
    re.compile(
        rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}}){_TIME}"
    ),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>(?:19|20)\d{{2}}){_TIME}"
    ),
)
# 06/02/2022, 06.02.2022, 06-02-2022: which number is the day needs a hint.
_NUMERIC = re.compile(
    rf"(?<![\d/.-])(?P<a>\d{{1,2}})[/.-](?P<b>\d{{1,2}})[/.-](?P<y>(?:19|20)\d{{2}})(?![\d/.-]){_TIME}"
)
# Two-digit years: '24年5月11日' or '24-05-11 08:30' (the bare numeric form only with a time).
_SHORT_YEAR = (
    re.compile(rf"(?<!\d)(?P<y>\d{{2}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日{_TIME}"),
    re.compile(
        r"(?<![\d/.-])(?P<y>\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\s+"
        r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?P<ampm>)(?P<zone>)(?![\d:])"
    ),
)


def parse_other_date(text: str, day_first: bool = True) -> str | None:
    """ISO 8601 for the first date of one of these forms in `text`, else None.

    `day_first` reads an ambiguous 06/02/2022 as 6 February (most of the world); a page in US
    English passes False. A number over 12 settles it either way."""
    for pattern in _ENGLISH:
        if match := pattern.search(text):
            month = _MONTHS[match.group("mon")[:3].lower()]
            return _iso(int(match.group("y")), month, int(match.group("d")), match)
    if match := _NUMERIC.search(text):
        day, month = _day_and_month(int(match.group("a")), int(match.group("b")), day_first)
        return _iso(int(match.group("y")), month, day, match)
    for pattern in _SHORT_YEAR:
        if match := pattern.search(text):
            year = 2000 + int(match.group("y"))
            return _iso(year, int(match.group("m")), int(match.group("d")), match)
    return None


def _day_and_month(a: int, b: int, day_first: bool) -> tuple[int, int]:
    if a > 12 or (day_first and b <= 12):
        return a, b
    return b, a


def _iso(year: int, month: int, day: int, match: re.Match[str]) -> str | None:
    try:
        date = datetime(year, month, day)
        if match.group("H") is None:
            return date.date().isoformat()
        hour = int(match.group("H")) % 12 if match.group("ampm") else int(match.group("H"))
        if (match.group("ampm") or "").lower().startswith("p"):
            hour += 12
        moment = date.replace(
            hour=hour, minute=int(match.group("M")), second=int(match.group("S") or 0)
        )
    except ValueError:  # 31/02, 25:61: not a date
        return None
    return moment.replace(tzinfo=zone_of(match.group("zone"))).isoformat()


def zone_of(word: str | None) -> timezone:
    """The zone a shown time names: GMT/UTC, else the Chinese-speaking world's UTC+8."""
    return UTC if word in _UTC_WORDS else BEIJING
