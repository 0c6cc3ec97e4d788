"""Measurements for search_bench.py: indexing, database size, query latency, CLI wall time."""

from __future__ import annotations

import math
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from search_corpus import SourceText, make_articles

from scraper import Archive, Article
from scraper.search import QueryError, build_match
from scraper.segment import tokens

BATCH_SIZE = 1000  # articles per transaction with --batch; also the generation chunk
BARE_SQL = (
    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
    "ORDER BY bm25(articles_fts, 10.0, 1.0, 0.5) LIMIT 20"
)
DATE_SQL = (
    "SELECT a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
    "WHERE articles_fts MATCH ? ORDER BY a.published_at DESC LIMIT 20"
)
COUNT_SQL = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
_WARMUP = 10  # queries per kind run once, untimed, before timing


# --- indexing --------------------------------------------------------------------------------


@dataclass
class IndexStats:
    added: int = 0
    index_seconds: float = 0.0  # Archive.save calls only (article generation excluded)
    segment_seconds: float = 0.0  # tokens(title) + tokens(body) of the same articles
    chars: int = 0  # title + body characters
    utf8_bytes: int = 0
    batched: bool = False  # whether --batch really shared transactions (see _DeferredCommits)

    def rate(self) -> float:
        return self.added / self.index_seconds if self.index_seconds else 0.0

    def segment_rate(self) -> float:
        return self.added / self.segment_seconds if self.segment_seconds else 0.0


class _DeferredCommits:
    """Stands in for the archive's connection so that save()'s `with conn:` does not commit.

    Benchmark-only: it lets --batch put 1,000 saves in one transaction through the public
    Archive.save, as a bulk import path would, without touching scraper/.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)

    def __enter__(self) -> _DeferredCommits:
        return self

    def __exit__(self, *exc_info: object) -> bool:
        return False  # neither commit nor swallow: the batch commits (or the run fails)

    def commit(self) -> None:
        pass


def index_range(
    db_path: Path,
    source: SourceText,
    start: int,
    stop: int,
    *,
    seed: int,
    batch: bool,
    progress: Callable[[int], None],
) -> IndexStats:
    """Save articles start..stop-1 into the archive at db_path, timing saves and segmentation."""
    stats = IndexStats(batched=batch)
    with Archive(db_path) as archive:
        tokens("预热")  # load the dictionary outside the timings
        for chunk_start in range(start, stop, BATCH_SIZE):
            articles = make_articles(source, chunk_start, min(stop, chunk_start + BATCH_SIZE), seed)
            stats.segment_seconds += _time_segmentation(articles)
            seconds, shared = _time_saves(archive, articles, batch)
            stats.index_seconds += seconds
            stats.batched = stats.batched and shared
            stats.added += len(articles)
            for article in articles:
                text = (article.title or "") + (article.body or "")
                stats.chars += len(text)
                stats.utf8_bytes += len(text.encode("utf-8"))
            progress(chunk_start + len(articles))
    return stats


def _time_segmentation(articles: list[Article]) -> float:
    started = time.perf_counter()
    for article in articles:
        tokens(article.title or "")
        tokens(article.body or "")
    return time.perf_counter() - started


def _time_saves(archive: Archive, articles: list[Article], batch: bool) -> tuple[float, bool]:
    """Seconds for the saves, and whether they shared one transaction (batch mode)."""
    if not batch:
        started = time.perf_counter()
        for article in articles:
            archive.save(article)
        return time.perf_counter() - started, False
    real = archive.db.conn
    archive.db.conn = _DeferredCommits(real)  # type: ignore[assignment]
    shared = True
    try:
        started = time.perf_counter()
        real.execute("BEGIN")
        for article in articles:
            archive.save(article)
            shared = shared and real.in_transaction  # False if save() committed by itself
        real.commit()
        return time.perf_counter() - started, shared
    finally:
        archive.db.conn = real


# --- database size ---------------------------------------------------------------------------


def vacuum(db_path: Path) -> dict:
    """VACUUM, fold the WAL into the file, and measure it: bytes in all and by kind of object."""
    conn = sqlite3.connect(db_path)
    try:
        started = time.perf_counter()
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        seconds = time.perf_counter() - started
        parts = _size_breakdown(conn)
    finally:
        conn.close()
    wal = db_path.with_name(db_path.name + "-wal")
    size = db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return {"vacuum_seconds": seconds, "bytes": size, "parts": parts}


def _size_breakdown(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes of the FTS index, of plain tables and of their indexes (via the dbstat table)."""
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master").fetchall())
    parts = {"tables": 0, "indexes": 0, "fts": 0}
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat: total size only
        return {}
    for name, size in rows:
        if name.startswith("articles_fts"):
            parts["fts"] += size
        elif kinds.get(name) == "index":
            parts["indexes"] += size
        else:
            parts["tables"] += size  # includes sqlite_schema and the freelist-free remainder
    return parts


# --- queries ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _summary_ms(seconds: list[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(seconds, 50) * 1000,
        "p95_ms": percentile(seconds, 95) * 1000,
    }


def time_queries(db_path: Path, queries: dict[str, list[str]]) -> dict[str, dict]:
    """Per kind: Archive.search vs bare FTS5 (bm25) vs bare FTS5 date-sorted, and hit counts."""
    results = {}
    with Archive(db_path, create=False) as archive:
        for kind, texts in queries.items():
            matches = _matches(texts)
            for text, match in matches[:_WARMUP]:
                _run_one(archive, text, match, 0)
            timings: dict[str, list[float]] = {"search": [], "bare": [], "date": []}
            for turn, (text, match) in enumerate(matches):
                for name, seconds in _run_one(archive, text, match, turn).items():
                    timings[name].append(seconds)
            hits = [_count(archive, match) for _, match in matches]
            results[kind] = {
                "queries": len(matches),
                "skipped": len(texts) - len(matches),
                "hits_median": statistics.median(hits) if hits else 0,
                **{name: _summary_ms(values) for name, values in timings.items()},
            }
            bare = results[kind]["bare"]["p50_ms"]
            results[kind]["ratio_p50"] = results[kind]["search"]["p50_ms"] / bare if bare else 0.0
    return results


def _matches(texts: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for text in texts:
        try:
            pairs.append((text, build_match(text)))
        except QueryError:
            continue  # nothing searchable after segmentation: counted as skipped
    return pairs


def _run_one(archive: Archive, text: str, match: str, turn: int) -> dict[str, float]:
    """Time the three forms of one query; the order rotates so none always runs cache-cold."""
    conn = archive.db.conn
    forms: list[tuple[str, Callable[[], object]]] = [
        ("search", lambda: archive.search(text, limit=20)),
        ("bare", lambda: conn.execute(BARE_SQL, [match]).fetchall()),
        ("date", lambda: conn.execute(DATE_SQL, [match]).fetchall()),
    ]
    shift = turn % len(forms)
    timings = {}
    for name, run in forms[shift:] + forms[:shift]:
        started = time.perf_counter()
        run()
        timings[name] = time.perf_counter() - started
    return timings


def _count(archive: Archive, match: str) -> int:
    return archive.db.conn.execute(COUNT_SQL, [match]).fetchone()[0]


# --- the command line ------------------------------------------------------------------------


def cli_wall_time(db_path: Path, query: str, runs: int, workdir: Path) -> dict:
    """Median wall time of `python -m scraper search QUERY --db DB --limit 10` over `runs` runs."""
    command = [sys.executable, "-m", "scraper", "search", query, "--db", str(db_path)]
    command += ["--limit", "10"]
    seconds = [_wall(command, workdir) for _ in range(runs)]
    return {"query": query, "runs": runs, "median_ms": statistics.median(seconds) * 1000}


def python_startup_ms(runs: int, workdir: Path) -> float:
    """The bare interpreter's start-up, for scale."""
    return (
        statistics.median(_wall([sys.executable, "-c", "pass"], workdir) for _ in range(runs))
        * 1000
    )


def _wall(command: list[str], workdir: Path) -> float:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
    return seconds


def stats_dict(stats: IndexStats) -> dict:
    return {
        **asdict(stats),
        "articles_per_s": stats.rate(),
        "segment_articles_per_s": stats.segment_rate(),
    }
