"""Measurements for search_bench.py: indexing, database size, query latency, CLI wall time."""

from __future__ import annotations

import math
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from search_corpus import SourceText, make_articles

from scraper import Archive, Article
from scraper.pipeline.maintenance import import_records
from scraper.search.engine import count
from scraper.search.query import QueryError, build_match, parse_query
from scraper.store.index import RANK
from scraper.store.segment import normalize, tokens

CHUNK = 1000  # articles generated (and bare-segmented) at a time
WORKERS = os.cpu_count() or 1
BARE_SQL = f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY {RANK} LIMIT 20"
DATE_SQL = (
    "SELECT a.id FROM articles a WHERE a.id IN "
    "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) "
    "ORDER BY a.published_at DESC LIMIT 20"
)
COUNT_SQL = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
_WARMUP = 10  # queries per kind run once, untimed, before timing
JIEBA_SAMPLE = 200  # articles cut by the Python jieba package (about 20x slower than rjieba)


# --- indexing --------------------------------------------------------------------------------


@dataclass
class IndexStats:
    added: int = 0
    index_seconds: float = 0.0  # import_records, minus the time spent generating articles
    segment_seconds: float = 0.0  # tokens(title) + tokens(body): rjieba, one process
    jieba_seconds: float = 0.0  # jieba.lcut(title) + jieba.lcut(body) on a sample
    jieba_articles: int = 0
    chars: int = 0  # title + body characters
    utf8_bytes: int = 0
    workers: int = WORKERS

    def rate(self) -> float:
        return self.added / self.index_seconds if self.index_seconds else 0.0

    def segment_rate(self) -> float:
        return self.added / self.segment_seconds if self.segment_seconds else 0.0

    def jieba_rate(self) -> float:
        return self.jieba_articles / self.jieba_seconds if self.jieba_seconds else 0.0


def index_range(
    db_path: Path,
    source: SourceText,
    start: int,
    stop: int,
    *,
    seed: int,
    progress: Callable[[int], None],
) -> IndexStats:
    """Add articles start..stop-1 with the bulk path (`scraper import`'s import_records, a
    process per core), timing it without the time spent generating the articles; the same
    articles are segmented bare, in one process, for the ratio."""
    stats = IndexStats()
    generating = [0.0]  # seconds inside the generator below, subtracted from the import's

    def records() -> Iterator[dict]:
        for chunk_start in range(start, stop, CHUNK):
            began = time.perf_counter()
            articles = make_articles(source, chunk_start, min(stop, chunk_start + CHUNK), seed)
            _measure_text(stats, articles)
            generating[0] += time.perf_counter() - began
            for article in articles:
                yield article.to_dict()
            progress(chunk_start + len(articles))

    with Archive(db_path) as archive:
        tokens("预热")  # load the dictionary outside the timings
        started = time.perf_counter()
        stats.added = sum(import_records(archive, records(), workers=WORKERS).values())
        stats.index_seconds = time.perf_counter() - started - generating[0]
    return stats


def _measure_text(stats: IndexStats, articles: list[Article]) -> None:
    """Bare segmentation time and text size of a chunk (and a Python jieba sample, once)."""
    started = time.perf_counter()
    for article in articles:
        tokens(article.title or "")
        tokens(article.body or "")
    stats.segment_seconds += time.perf_counter() - started
    if not stats.jieba_articles:
        stats.jieba_seconds, stats.jieba_articles = _time_jieba(articles[:JIEBA_SAMPLE])
    for article in articles:
        text = (article.title or "") + (article.body or "")
        stats.chars += len(text)
        stats.utf8_bytes += len(text.encode("utf-8"))


def _time_jieba(articles: list[Article]) -> tuple[float, int]:
    """The reference segmenter, the jieba package (dev extra); (0, 0) when it is missing."""
    try:
        import jieba
    except ImportError:
        return 0.0, 0
    jieba.setLogLevel(60)
    jieba.initialize()
    started = time.perf_counter()
    for article in articles:
        jieba.lcut(article.title or "")
        jieba.lcut(article.body or "")
    return time.perf_counter() - started, len(articles)


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
            timings: dict[str, list[float]] = {
                n: [] for n in ("search", "bare", "search_date", "date")
            }
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


RECALL_SAMPLE = 20  # phrases per kind checked against a full substring scan


def phrase_recall(db_path: Path, phrases: list[str]) -> dict:
    """Quoted phrases: the articles search counts against a substring scan of every article's
    normalised title and body (what "every article mentioning X" means)."""
    wanted = [parse_query(p).terms[0] for p in phrases]
    scanned = [0] * len(phrases)
    with Archive(db_path, create=False) as archive:
        counted = [count(archive, p) for p in phrases]
        for title, body in archive.db.execute("SELECT title, body FROM articles"):
            texts = (normalize(title or "").lower(), normalize(body or "").lower())
            for i, phrase in enumerate(wanted):
                if phrase in texts[0] or phrase in texts[1]:
                    scanned[i] += 1
    return {
        "phrases": len(phrases),
        "scan_hits": sum(scanned),
        "search_hits": sum(counted),
        "equal": sum(c == s for c, s in zip(counted, scanned, strict=True)),
        "recall": sum(map(min, counted, scanned)) / sum(scanned) if sum(scanned) else 1.0,
    }


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
        ("search_date", lambda: archive.search(text, limit=20, sort="date")),
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
        "jieba_articles_per_s": stats.jieba_rate(),
    }
