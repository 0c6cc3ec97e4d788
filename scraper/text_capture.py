"""Extract an article from a text capture: the visible text of a page, one block per line.

There is no markup to lean on, so the layout does the work: the metadata line (来源/time) sits
under the title, the body runs from there to the first trailer heading (相关阅读, 阅读剩余全文…),
and credit lines become fields.
"""

from __future__ import annotations

import re
from datetime import datetime

from scraper.article import PARAGRAPH_SEPARATOR, Article
from scraper.boilerplate import clean_body, is_drop_line
from scraper.fields import (
    AUTHOR_LABELS,
    DATE_LABELS,
    DATE_RE,
    EDITOR_LABELS,
    SOURCE_LABELS,
    clean_names,
    clean_source,
    clean_text,
    first_labelled,
    labelled_values,
    parse_datetime,
    parse_relative,
    split_value_and_date,
)

_READING_BAR = re.compile(r"^正在阅读\s*[:：]\s*(.+)$")
_MAX_META_LINE = 120
_MAX_TITLE = 80


def extract_text_capture(text: str, url: str | None = None, now: datetime | None = None) -> Article:
    lines = [clean_text(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    meta_index = _find_meta_line(lines)
    title = _find_title(lines, meta_index)
    meta = lines[meta_index] if meta_index is not None else ""
    body_start = meta_index + 1 if meta_index is not None else _index_after(lines, title)
    body = clean_body(lines[body_start:])
    source_raw = first_labelled(meta, SOURCE_LABELS)
    return Article(
        url=url,
        title=title,
        source=clean_source(source_raw),
        author=body.author or clean_names(first_labelled(meta, AUTHOR_LABELS)),
        editor=body.editor or clean_names(first_labelled(meta, EDITOR_LABELS)),
        published_at=_meta_date(meta, source_raw) or parse_relative(meta, now),
        body=PARAGRAPH_SEPARATOR.join(body.paragraphs) or None,
        extractor="text",
    )


def _find_meta_line(lines: list[str]) -> int | None:
    """The first short line near the top carrying a 来源/time label or a full date."""
    for i, line in enumerate(lines[: max(40, len(lines) // 3)]):
        if len(line) > _MAX_META_LINE or is_drop_line(line):
            continue
        labels = labelled_values(line)
        if any(label in labels for label in SOURCE_LABELS + DATE_LABELS) or DATE_RE.search(line):
            return i
    return None


def _find_title(lines: list[str], meta_index: int | None) -> str | None:
    """The line above the metadata line, confirmed by the reading bar when the page has one."""
    reading = next((m.group(1) for line in lines if (m := _READING_BAR.match(line))), None)
    above = lines[:meta_index] if meta_index is not None else lines[:10]
    candidates = [line for line in above if len(line) <= _MAX_TITLE and not is_drop_line(line)]
    if reading and reading in candidates:
        return reading
    if meta_index is not None and candidates:
        return candidates[-1]
    return reading or (candidates[0] if candidates else None)


def _index_after(lines: list[str], title: str | None) -> int:
    return lines.index(title) + 1 if title in lines else 0


def _meta_date(meta: str, source_raw: str | None) -> str | None:
    labelled = first_labelled(meta, DATE_LABELS)
    if labelled:
        return parse_datetime(labelled)
    if source_raw:
        _, glued = split_value_and_date(source_raw)
        if glued:
            return glued
    return parse_datetime(meta)
