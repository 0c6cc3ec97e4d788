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

from scraper.segment import ZWSP, searchable

BANDS = 4
BAND_BITS = 64 // BANDS
MAX_DISTANCE = 3  # bits; reposts with a changed headline or credit line stay within this
MIN_WORDS = 20  # shorter texts collide by chance
MAX_CANDIDATES = 64  # a story reposted 10,000 times needs only a few copies to join its cluster


FEATURES = 256  # the word pairs with the smallest hashes: a consistent sample of the text


def simhash(body_tokens: str) -> int | None:
    """Simhash of the word pairs of an index column (tokens joined by U+200B), as a signed
    64-bit integer for SQLite; None for texts too short to compare."""
    words = [w for w in body_tokens.split(ZWSP) if searchable(w)]
    if len(words) < MIN_WORDS:
        return None
    hashes = sorted({_hash64(f"{a}\x1f{b}") for a, b in zip(words, words[1:], strict=False)})
    sample = hashes[:FEATURES]
    # Count each bit over all features at once: every hash is spread into 16-bit lanes of one
    # big integer (bit i -> lane i), so summing the spread values sums the 64 bit columns.
    lanes = sum(_spread(h) for h in sample)
    value = sum(1 << i for i in range(64) if 2 * (lanes >> 16 * i & 0xFFFF) > len(sample))
    return value - (1 << 64) if value >= 1 << 63 else value


def _hash64(text: str) -> int:
    data = text.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.crc32(data, 0x9E3779B9)  # two seeds: 64 stable bits


def _spread(value: int) -> int:
    return sum(_SPREAD_BYTE[value >> 8 * j & 0xFF] << 128 * j for j in range(8))


# byte -> its 8 bits, each in its own 16-bit lane
_SPREAD_BYTE = [sum(1 << 16 * i for i in range(8) if byte >> i & 1) for byte in range(256)]


def bands(value: int) -> list[int]:
    unsigned = value & (1 << 64) - 1
    return [unsigned >> (i * BAND_BITS) & (1 << BAND_BITS) - 1 for i in range(BANDS)]


def distance(a: int, b: int) -> int:
    return ((a ^ b) & (1 << 64) - 1).bit_count()


def assign_cluster(conn: sqlite3.Connection, article_id: int, value: int | None) -> int | None:
    """Record the article's bands and join the cluster of its nearest earlier near-duplicate."""
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
    where = " OR ".join("(b.band = ? AND b.value = ?)" for _ in parts)
    params = [x for i, part in enumerate(parts) for x in (i, part)]
    rows = conn.execute(
        f"SELECT DISTINCT a.id, a.simhash, a.cluster FROM simhash_bands b "
        f"JOIN articles a ON a.id = b.article_id WHERE ({where}) AND a.id != ? "
        f"LIMIT {MAX_CANDIDATES}",
        [*params, article_id],
    ).fetchall()
    near = [(distance(value, other), cluster) for _, other, cluster in rows if other is not None]
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
