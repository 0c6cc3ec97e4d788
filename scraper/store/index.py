"""The full-text index: one contentless FTS5 table over an article's words and its characters.

Columns, ranked bm25 with these weights:
    title, body       jieba's precise cut (10, 1)
    subwords          the search-mode words hidden inside longer ones, 联网 in 互联网 (0.5)
    title_chars,      every character on its own: a quoted phrase is a phrase of characters
    body_chars        here, so it matches as a substring, also inside a longer word (10, 1)

Contentless (content=''): the index keeps no second copy of the text, which the articles table
already holds. FTS5 can only delete an article's entries when given the exact values indexed,
so each article keeps them, packed, in articles.index_tokens: an article indexed by an older
segmenter can still be updated or removed cleanly.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import zstandard

from scraper.store.dupes import simhash
from scraper.store.segment import ZWSP, index_columns

FTS = "articles_fts"
COLUMNS = ("title", "body", "subwords", "title_chars", "body_chars")
WEIGHTS = (10.0, 1.0, 0.5, 10.0, 1.0)
RANK = f"bm25({FTS}, {', '.join(map(str, WEIGHTS))})"
WORDS = "{title body subwords}"  # FTS5 column filters
CHARACTERS = "{title_chars body_chars}"
_SEPARATOR = "\x1e"  # between the packed columns; never inside a token column

SCHEMA_SQL = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5 (
    {", ".join(COLUMNS)}, content = '', tokenize = 'unicode61 remove_diacritics 2'
);
"""


@dataclass(frozen=True)
class IndexEntry:
    """What one article puts in the index: token columns (tokens joined by U+200B), the body's
    simhash for near-duplicates, and the columns packed for a later delete."""

    title: str
    body: str
    subwords: str
    fingerprint: int | None = None
    packed: bytes = b""

    def values(self) -> tuple[str, str, str, str, str]:
        """The five FTS column values."""
        return self.title, self.body, self.subwords, spaced(self.title), spaced(self.body)


def index_entry(fields: dict) -> IndexEntry:
    """Segment an article record (title, body) for the index: the CPU-heavy part of a save,
    which worker processes run in parallel."""
    title, body, subwords = index_columns(fields)
    return IndexEntry(title, body, subwords, simhash(body), pack(title, body, subwords))


def pack(title: str, body: str, subwords: str) -> bytes:
    return _compressor().compress(_SEPARATOR.join((title, body, subwords)).encode("utf-8"))


def unpack(packed: bytes) -> IndexEntry:
    text = zstandard.ZstdDecompressor().decompress(packed).decode("utf-8")
    title, body, subwords = text.split(_SEPARATOR)
    return IndexEntry(title, body, subwords, packed=packed)


def spaced(text: str) -> str:
    """Text (or a token column) as single characters, each its own FTS5 token. Punctuation and
    spaces become a placeholder token (a private-use character, which unicode61 keeps), so
    人工智能 does not match 人工，智能."""
    return " ".join(_NOT_ALNUM.sub(PLACEHOLDER, text.replace(ZWSP, "")))


PLACEHOLDER = "\ue000"
_NOT_ALNUM = re.compile(r"[\W_]")


def add(conn: sqlite3.Connection, article_id: int, entry: IndexEntry) -> None:
    conn.execute(
        f"INSERT INTO {FTS} (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
        [article_id, *entry.values()],
    )


def remove(conn: sqlite3.Connection, article_id: int, packed: bytes | None) -> None:
    """Take an article out of the index, given the values it was indexed with."""
    if packed:
        conn.execute(
            f"INSERT INTO {FTS} ({FTS}, rowid, {', '.join(COLUMNS)})"
            " VALUES ('delete', ?, ?, ?, ?, ?, ?)",
            [article_id, *unpack(packed).values()],
        )


def clear(conn: sqlite3.Connection) -> None:
    conn.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('delete-all')")


def optimize(conn: sqlite3.Connection) -> None:
    """Merge the index's segments into one: after a bulk load, queries read fewer b-trees."""
    conn.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")


LEGACY_COLUMNS = ("title_tokens", "body_tokens", "extra_tokens")


def migrate_token_columns(conn: sqlite3.Connection, present: set[str]) -> None:
    """Schema 1 kept the token columns in articles under an external-content index kept by
    triggers: move them into this index once, without segmenting anything again."""
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute(f"DROP TABLE IF EXISTS {FTS}")
    conn.execute(SCHEMA_SQL)
    subwords = "extra_tokens" if "extra_tokens" in present else "''"
    after = 0
    while rows := conn.execute(
        f"SELECT id, title_tokens, body_tokens, {subwords} FROM articles WHERE id > ?"
        " ORDER BY id LIMIT 1000",
        [after],
    ).fetchall():
        for article_id, title, body, extra in rows:
            entry = IndexEntry(title, body, extra, packed=pack(title, body, extra))
            conn.execute(
                "UPDATE articles SET index_tokens = ? WHERE id = ?", [entry.packed, article_id]
            )
            add(conn, article_id, entry)
        after = rows[-1][0]
    for column in LEGACY_COLUMNS:
        if column in present:
            conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")


@lru_cache(maxsize=1)
def _compressor() -> zstandard.ZstdCompressor:
    return zstandard.ZstdCompressor(level=3)
