"""Opening archive.db. Writers open it read-write (WAL); readers fall back to reading a
read-only archive — a read-only file, folder or mount — with SQLite's mode=ro, or immutable=1
when not even the WAL's shared-memory file can be created beside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from scraper.store.errors import ArchiveError, can_write, is_read_only_error, read_only_message


def open_connection(path: Path, writable: bool) -> tuple[sqlite3.Connection, bool]:
    """The connection and whether it is read-only. Read-write when the archive can be
    written; a reader falls back to read-only when it cannot (or when SQLite finds it cannot,
    where access() did not tell); a writer gets ArchiveError."""
    if can_write(path):
        try:
            return connect_read_write(path), False
        except sqlite3.OperationalError as error:
            if writable or not is_read_only_error(error) or not path.exists():
                raise
    elif writable:
        raise ArchiveError(read_only_message(path))
    return connect_read_only(path), True


def connect_read_write(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, safe
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


READ_ONLY_MODES = ("mode=ro", "immutable=1")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """mode=ro when SQLite can still share the WAL's index; else immutable=1, which reads the
    main file as it is (a cleanly closed archive has all of its articles there)."""
    uri = "file:" + quote(str(path.resolve()))
    error: sqlite3.Error | None = None
    for mode in READ_ONLY_MODES:
        conn = sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=10, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as failed:
            conn.close()
            error = failed
    assert error is not None
    raise error
