"""Reposts: one wire story on many portals. A 64-bit simhash over the body's word pairs marks
near-duplicates on insert; articles within a few bits of each other share a cluster.

Candidates are found by LSH: the hash is cut into 4 bands of 16 bits, and two hashes within 3
bits of each other must agree on at least one band (pigeonhole), so only articles sharing a band
value are compared.
"""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass
from functools import lru_cache

from scraper.store.segment import ZWSP, searchable

BANDS = 4
BAND_BITS = 64 // BANDS
MAX_DISTANCE = 3  # bits; reposts with a changed headline or credit line stay within this
MIN_WORDS = 20  # shorter texts collide by chance
MAX_CANDIDATES = 16  # a story reposted 10,000 times needs only a few copies to join its cluster


MAX_WORDS = 500  # the opening of a story identifies a repost; the rest costs time for nothing
FEATURES = 256  # the word pairs with the smallest hashes: a consistent sample of the text


def simhash(body_tokens: str) -> int | None:
    """Simhash of the word pairs of an index column (tokens joined by U+200B), as a signed
    64-bit integer for SQLite; None for texts too short to compare."""
    parts = body_tokens.split(ZWSP, MAX_WORDS * 2)
    words = [w for w in parts if w.isalnum() or searchable(w)][:MAX_WORDS]  # isalnum: fast path
    if len(words) < MIN_WORDS:
        return None
    hashed = list(map(_word_hash, words))
    # A word pair's 64-bit feature: a ^ rotl(b, 17), so that order matters (inlined: hot loop).
    pairs = zip(hashed, hashed[1:], strict=False)
    hashes = sorted({a ^ ((b << 17 | b >> 47) & _MASK) for a, b in pairs})
    sample = hashes[:FEATURES]
    # Count each of the 64 bits over all features with big-integer popcounts: byte j of every
    # feature, side by side in one integer, masked to bit i of each byte, counted at once.
    packed = b"".join(h.to_bytes(8, "little") for h in sample)
    ones = int.from_bytes(b"\x01" * len(sample), "little")
    value = 0
    for j in range(8):
        column = int.from_bytes(packed[j::8], "little")
        for i in range(8):
            if 2 * (column >> i & ones).bit_count() > len(sample):
                value |= 1 << (8 * j + i)
    return value - (1 << 64) if value >= 1 << 63 else value


@lru_cache(maxsize=65536)
def _word_hash(word: str) -> int:
    """64 stable bits per word (Python's hash() differs between processes)."""
    data = word.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.crc32(data, 0x9E3779B9)


_MASK = (1 << 64) - 1


def bands(value: int) -> list[int]:
    unsigned = value & _MASK
    return [unsigned >> (i * BAND_BITS) & (1 << BAND_BITS) - 1 for i in range(BANDS)]


def distance(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()


def assign_cluster(
    conn: sqlite3.Connection, article_id: int, value: int | None, new: bool = False
) -> int | None:
    """Record the article's bands and join the cluster of its nearest earlier near-duplicate."""
    if not new:
        conn.execute("DELETE FROM simhash_bands WHERE article_id = ?", [article_id])
    if value is None:
        conn.execute(
            "UPDATE articles SET simhash = NULL, cluster = NULL WHERE id = ?", [article_id]
        )
        return None
    parts = bands(value)
    cluster = _nearest_cluster(conn, article_id, value, parts)
    conn.executemany(
        "INSERT INTO simhash_bands (band, value, article_id) VALUES (?, ?, ?)",
        [(i, part, article_id) for i, part in enumerate(parts)],
    )
    conn.execute(
        "UPDATE articles SET simhash = ?, cluster = ? WHERE id = ?",
        [value, cluster or article_id, article_id],
    )
    return cluster or article_id


def _nearest_cluster(
    conn: sqlite3.Connection, article_id: int, value: int, parts: list[int]
) -> int | None:
    # One indexed lookup per band, each capped: OR-ing the bands makes SQLite scan instead.
    lookups = " UNION ".join(
        f"SELECT * FROM (SELECT article_id FROM simhash_bands WHERE band = {i} AND value = ? "
        f"AND article_id != ? LIMIT {MAX_CANDIDATES // BANDS})"
        for i in range(BANDS)
    )
    params = [x for part in parts for x in (part, article_id)]
    rows = conn.execute(
        f"SELECT a.simhash, a.cluster FROM articles a WHERE a.id IN ({lookups})", params
    ).fetchall()
    near = [(distance(value, other), cluster) for other, cluster in rows if other is not None]
    near = [(d, c) for d, c in near if d <= MAX_DISTANCE and c is not None]
    return min(near)[1] if near else None


@dataclass
class Copy:
    id: int
    title: str | None
    source: str | None
    site: str | None
    published_at: str | None
    url: str


def clusters(conn: sqlite3.Connection, limit: int = 50) -> list[list[Copy]]:
    """The largest clusters of near-duplicates, each copy with its 来源, oldest first."""
    heads = conn.execute(
        "SELECT cluster FROM articles WHERE cluster IS NOT NULL GROUP BY cluster "
        "HAVING count(*) > 1 ORDER BY count(*) DESC, cluster LIMIT ?",
        [limit],
    ).fetchall()
    found = []
    for (cluster,) in heads:
        rows = conn.execute(
            "SELECT id, title, source, site, published_at, url FROM articles WHERE cluster = ? "
            "ORDER BY published_at IS NULL, published_at, id",
            [cluster],
        ).fetchall()
        found.append([Copy(*row) for row in rows])
    return found
