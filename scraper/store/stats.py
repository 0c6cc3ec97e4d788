"""`scraper stats`: what an archive holds, what failed, and what it takes on disk."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

TOP = 20


def archive_stats(db: sqlite_utils.Database, path: Path) -> dict:
    def grouped(column: str, table: str = "articles") -> list[tuple[str, int]]:
        sql = (
            f"SELECT coalesce({column}, '(none)'), count(*) FROM {table} "
            f"GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {TOP}"
        )
        return [tuple(r) for r in db.execute(sql).fetchall()]

    # Two statements: SQLite answers a lone min() or max() from the index in one step, but
    # scans the whole index for both at once.
    first = db.execute("SELECT min(published_at) FROM articles").fetchone()[0]
    last = db.execute("SELECT max(published_at) FROM articles").fetchone()[0]
    return {
        "path": str(path),
        "articles": db["articles"].count,
        "raw_pages": db["raw_pages"].count,
        "failures": db["failures"].count,
        "size_bytes": size_on_disk(path),
        "first_published": first,
        "last_published": last,
        "by_site": grouped("site"),
        "by_source": grouped("source"),
        "failures_by_stage": grouped("stage", "failures"),
    }


def size_on_disk(path: Path) -> int:
    """The archive file and its write-ahead log (which holds the latest commits until SQLite
    copies them into the file)."""
    files = (path, Path(f"{path}-wal"))
    return sum(file.stat().st_size for file in files if file.exists())
