"""A paragraph-level diff of two versions of an article (for `scraper diff` and the web app)."""

from __future__ import annotations

import difflib

from scraper.article import PARAGRAPH_SEPARATOR

FIELD_LABELS = {"title": "标题", "source": "来源", "author": "作者", "editor": "责编",
                "published_at": "时间"}  # fmt: skip


def paragraphs(body: str | None) -> list[str]:
    return [p for p in (body or "").split(PARAGRAPH_SEPARATOR) if p.strip()]


def diff_versions(old: dict, new: dict) -> dict:
    """What changed from `old` to `new`: fields (old and new value) and the paragraphs in
    order, each marked "-" (removed), "+" (added) or " " (kept)."""
    fields = {
        name: {"old": old.get(name), "new": new.get(name)}
        for name in FIELD_LABELS
        if old.get(name) != new.get(name)
    }
    before, after = paragraphs(old.get("body")), paragraphs(new.get("body"))
    lines: list[dict] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [{"op": " ", "text": text} for text in before[i1:i2]]
            continue
        lines += [{"op": "-", "text": text} for text in before[i1:i2]]
        lines += [{"op": "+", "text": text} for text in after[j1:j2]]
    return {
        "fields": fields,
        "paragraphs": lines,
        "removed": [line["text"] for line in lines if line["op"] == "-"],
        "added": [line["text"] for line in lines if line["op"] == "+"],
    }
