"""Word segmentation for the full-text index and for queries (jieba, after NFKC).

Index columns hold the text's tokens joined by U+200B. FTS5's unicode61 tokenizer treats U+200B
as a separator, so each jieba token becomes one FTS token, and deleting the U+200B characters
gives back the text character for character: normalisation here never changes the length, which
is what lets a snippet be mapped back onto the original, un-normalised article text.
"""

from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache

ZWSP = "\u200b"
SEGMENTER = "jieba"


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # imported lazily: loading its dictionary costs most of a second

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segmenter_version() -> str:
    return f"{SEGMENTER} {_jieba().__version__}"


def normalize(text: str) -> str:
    """NFKC per character where it keeps one character (ＡＢ１，-> AB1,), so offsets stay put."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def tokens(text: str) -> list[str]:
    """jieba's precise cut of the normalised text; the tokens concatenate back to it."""
    return list(_jieba().cut(normalize(text.replace(ZWSP, ""))))


def index_column(text: str | None) -> str:
    """The text as the FTS index stores it: normalised tokens joined by U+200B."""
    return ZWSP.join(tokens(text)) if text else ""


def index_columns(fields: dict) -> tuple[str, str]:
    """The (title, body) index columns of an article record."""
    return index_column(fields.get("title")), index_column(fields.get("body"))


def searchable(token: str) -> bool:
    """Tokens FTS5 can match: at least one letter or digit (punctuation and emoji are separators)."""
    return any(char.isalnum() for char in token)


def query_tokens(text: str) -> list[str]:
    """A query's words, segmented exactly as article text is."""
    return [t.strip() for t in tokens(text) if searchable(t)]
