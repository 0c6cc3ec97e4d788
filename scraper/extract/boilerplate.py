"""Recognise portal boilerplate lines (share prompts, breadcrumbs, trailers) from shared data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from scraper.extract.fields import (
    AUTHOR_LABELS,
    EDITOR_LABELS,
    SOURCE_LABELS,
    clean_names,
    clean_source,
    editor_line,
    labelled_values,
    pick,
    take_trailing_credit,
)

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@lru_cache(maxsize=1)
def _rules() -> dict:
    text = (Path(__file__).parent / "data" / "boilerplate.toml").read_text("utf-8")
    rules = tomllib.loads(text)
    # Anchored patterns only need a match at the start; searching them at every position of
    # every paragraph was the costly part.
    anchored = [p for p in rules["drop_lines"] if p.startswith("^")]
    floating = [p for p in rules["drop_lines"] if not p.startswith("^")]
    rules["drop_start"] = _any_of(anchored)
    # Floating ones are searched one by one: each keeps re's fast scan for its literal start,
    # which one big alternation loses (it tries every branch at every position).
    rules["drop_any"] = tuple(map(re.compile, floating))
    rules["stop_set"] = frozenset(rules["stop_headings"])
    rules["stop_prefixes"] = tuple(rules["stop_prefixes"])
    rules["stop_any"] = _any_of(rules["stop_patterns"])
    return rules


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    """One regex for the patterns; with none it matches nothing (an empty one would match all)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")


def _bare(line: str) -> str:
    """A heading as written, without decoration: '相关阅读 >>' and '【相关阅读】' are both 相关阅读."""
    return re.sub(r"^[\s【\[《<>»›:：|｜]+|[\s】\]》<>»›:：|｜]+$", "", line)


def chrome_names() -> list[str]:
    """Class/id words of containers that hold comments, feeds, pop-ups or footers."""
    return list(_rules()["chrome_names"])


def never_body_names() -> list[str]:
    """Class/id words of containers (footers, pop-ups) whose prose is never an article."""
    return list(_rules()["never_body_names"])


def is_stop_line(line: str) -> bool:
    """True when the line starts the portal's trailer (相关阅读, 阅读剩余全文, …)."""
    rules = _rules()
    bare, prefixes = _bare(line), rules["stop_prefixes"]
    return (
        bare in rules["stop_set"]
        or bare.startswith(prefixes)
        or line.startswith(prefixes)
        or bool(rules["stop_any"].search(bare))
    )


def is_drop_line(line: str) -> bool:
    """True for boilerplate that can sit anywhere: share prompts, breadcrumbs, copyright."""
    rules, line = _rules(), line.strip()
    if rules["drop_start"].match(line):
        return True
    # Boilerplate is short: a long paragraph is prose, whatever it quotes.
    return len(line) <= _MAX_BOILERPLATE and any(p.search(line) for p in rules["drop_any"])


_MAX_BOILERPLATE = 250


@dataclass
class Body:
    paragraphs: list[str] = field(default_factory=list)
    author: str | None = None
    editor: str | None = None
    source: str | None = None


def clean_body(blocks: list[str]) -> Body:
    """Cut at the trailer, drop boilerplate, move credit lines ((作者:x), [ 责编:x ]) into fields."""
    body = Body()
    for block in blocks:
        if is_stop_line(block):
            break
        name = editor_line(block)
        if name:
            body.editor = body.editor or name
        if (name or _EMPTY_EDITOR.match(block)) and _has_prose(body.paragraphs):
            break  # 责任编辑 closes the article: what follows is the portal's
        if not name and not is_drop_line(block):
            body.paragraphs.append(block)
    _trim_tail(body.paragraphs)
    if body.paragraphs:
        _take_closing_credits(body)
    return body


_EMPTY_EDITOR = re.compile(r"^[【\[(（]?\s*(责任编辑|責任編輯|责编)[:：]?\s*[】\])）]?$")


def _has_prose(paragraphs: list[str]) -> bool:
    return any(len(p) >= 20 and "。" in p for p in paragraphs)


def _trim_tail(paragraphs: list[str]) -> None:
    """Widget leftovers after the last paragraph ('正在加载...', '图集', '+1', '< >') go."""
    while (
        paragraphs and len(paragraphs[-1]) < 10 and not paragraphs[-1].endswith(("。", "！", "？"))
    ):
        paragraphs.pop()


def _take_closing_credits(body: Body) -> None:
    """'…乘数效应。 (作者:邓聪)' and '（本文来源：经济日报 作者：…徐占忱）' end the body as fields."""
    last = _without_trailing_junk(body.paragraphs[-1])
    group = _CLOSING_GROUP.search(last)
    labels = labelled_values(group.group(1)) if group else {}
    if len(labels) >= 2 or any(k in labels for k in SOURCE_LABELS):
        body.source = clean_source(pick(labels, SOURCE_LABELS))
        body.author = clean_names(pick(labels, AUTHOR_LABELS))
        body.editor = body.editor or clean_names(pick(labels, EDITOR_LABELS))
        last = last[: group.start()].rstrip()
    else:
        last, body.author, editor = take_trailing_credit(last)
        body.editor = body.editor or editor
    body.paragraphs[-1:] = [last] if last else []


_CLOSING_GROUP = re.compile(r"[（(]([^（()）]{4,120})[）)]\s*$")


def _without_trailing_junk(paragraph: str) -> str:
    for junk in _rules()["trailing_junk"]:
        paragraph = paragraph.removesuffix(junk).rstrip()
    return paragraph
