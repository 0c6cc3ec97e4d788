"""Extract an article from a text capture: the visible text of a page, one block per line.

There is no markup to lean on, so the layout does the work: the metadata line (来源/time) sits
under the title, the body runs from there to the first trailer heading (相关阅读, 阅读剩余全文…),
and credit lines become fields.
"""

from __future__ import annotations

import re
from datetime import datetime

from scraper.article import PARAGRAPH_SEPARATOR, Article
from scraper.extract.boilerplate import clean_body, is_drop_line
from scraper.extract.fields import (
    DATE_LABELS,
    DATE_RE,
    SOURCE_LABELS,
    clean_text,
    labelled_values,
    parse_relative,
)
from scraper.extract.meta_lines import lead_credits, read_info

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
    info = read_info([meta])  # the same reading of 来源/作者/责编/time as HTML info lines
    lead = lead_credits(body.paragraphs)  # 本报讯（记者X）, 新华社北京5月19日电（X、Y）
    return Article(
        url=url,
        title=title,
        source=info.source or body.source or lead.source,
        author=body.author or info.author or lead.author,
        editor=body.editor or info.editor,
        published_at=info.published_at or parse_relative(meta, now),
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
