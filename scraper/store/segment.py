"""Word segmentation for the full-text index and for queries (jieba's cut, after NFKC).

Index columns hold the text's tokens joined by U+200B. FTS5's unicode61 tokenizer treats U+200B
as a separator, so each jieba token becomes one FTS token, and deleting the U+200B characters
gives back the text character for character: normalisation here never changes the length, which
is what lets a snippet be mapped back onto the original, un-normalised article text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

ZWSP = "\u200b"
SEGMENTER = "jieba-rs"


_added_words: set[str] = set()


@lru_cache(maxsize=1)
def _jieba():
    """jieba's algorithm and dictionary in Rust (rjieba): the same cut as the Python jieba
    package on 99.8% of word boundaries of real news text (tests/test_segment.py checks it),
    about 20x faster, and its dictionary loads in under 0.1 s instead of about 1 s."""
    import rjieba

    for word in shipped_terms():
        rjieba.add_word(word, None, None)
    return rjieba


@lru_cache(maxsize=1)
def shipped_terms() -> tuple[str, ...]:
    text = (Path(__file__).parent / "data" / "news_terms.txt").read_text("utf-8")
    return tuple(w for line in text.splitlines() if (w := line.split("#")[0].strip()))


def add_words(words: Iterable[str]) -> None:
    """A user dictionary's words: kept whole by the precise cut from now on, in this process."""
    for word in words:
        if word not in _added_words:
            _jieba().add_word(word, None, None)
            _added_words.add(word)


def segmenter_version() -> str:
    from importlib.metadata import version

    return f"{SEGMENTER} (rjieba {version('rjieba')}) + OpenCC t2s"


def dictionary_hash() -> str:
    """Identifies the words added to jieba's dictionary: shipped news terms and user words."""
    words = "\n".join(sorted({*shipped_terms(), *_added_words}))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]


def index_signature() -> str:
    """What an index was built with; an archive whose signature differs needs `reindex`."""
    return f"{segmenter_version()}; dictionary {dictionary_hash()}"


def normalize(text: str) -> str:
    """NFKC per character (ＡＢ１，-> AB1,) and Traditional to Simplified (OpenCC t2s: 義大利
    -> 义大利), each only where it keeps the length, so offsets in the text stay put."""
    folded = text.translate(_fold_table())
    simplified = _t2s().convert(folded)
    if len(simplified) == len(folded):
        return simplified
    # A phrase-level conversion changed the length: convert character by character instead.
    return "".join(s if len(s := _t2s().convert(c)) == 1 else c for c in folded)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Characters whose NFKC form is one other character; built once (about 30 ms).

    Outside these ranges no BMP character folds to a single other character.
    """
    ranges = (range(0xA0, 0x3400), range(0xA000, 0xAC00), range(0xF900, 0x10000),
              range(0x1D400, 0x1D800), range(0x1F100, 0x1F200))  # fmt: skip
    table = {}
    for code in (c for r in ranges for c in r):
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if folded != char and len(folded) == 1:
            table[code] = folded
    return table


def tokens(text: str) -> list[str]:
    """jieba's precise cut of the normalised text; the tokens concatenate back to it."""
    return _jieba().cut(normalize(text.replace(ZWSP, "")))


def index_columns(fields: dict) -> tuple[str, str, str]:
    """The (title, body, sub-word) index columns of an article record. The sub-words are the
    search-mode words the precise cut hides inside longer ones (互联 and 联网 inside 互联网,
    人民 inside 中华人民共和国), for the hidden, lower-weighted column."""
    columns, found = [], {}
    for text in (fields.get("title"), fields.get("body")):
        folded = normalize(text.replace(ZWSP, "")) if text else ""
        precise = _jieba().cut(folded) if folded else []
        columns.append(ZWSP.join(precise))
        known = set(precise)
        for word in _jieba().cut_for_search(folded) if folded else []:
            if word not in known and searchable(word):
                found[word] = None
    return columns[0], columns[1], ZWSP.join(found)


def searchable(token: str) -> bool:
    """Tokens FTS5 can match: at least one letter or digit (punctuation and emoji are separators)."""
    return token.isalnum() or bool(_HAS_ALNUM.search(token))  # isalnum: the common, fast case


_HAS_ALNUM = re.compile(r"[^\W_]")


def query_tokens(text: str) -> list[str]:
    """A query's words, segmented exactly as article text is."""
    return [t.strip() for t in tokens(text) if searchable(t)]
