"""Opening archive.db. Writers open it read-write (WAL); readers fall back to reading a
read-only archive — a read-only file, folder or mount — with SQLite's mode=ro, or immutable=1
when not even the WAL's shared-memory file can be created beside it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote


class ArchiveError(Exception):
    """A problem with the archive file itself (corrupt, locked, unwritable): one-line message."""

    exit_code = 1


class NoArchiveError(ArchiveError):
    """The archive named does not exist (a reading command never creates one)."""

    exit_code = 2


# What SQLite says when it cannot write the file or create the WAL files beside it.
_READ_ONLY_MESSAGES = ("unable to open database file", "readonly database")


def can_write(path: Path) -> bool:
    """Whether the archive (if it exists) and its folder, which holds the WAL files, can be
    written. access() also honours read-only mounts and immutable files for root."""
    folder_ok = not path.parent.is_dir() or os.access(path.parent, os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def is_read_only_error(error: sqlite3.Error) -> bool:
    return any(message in str(error) for message in _READ_ONLY_MESSAGES)


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


def describe_db_error(path: Path, error: sqlite3.DatabaseError) -> str:
    message = str(error)
    if "locked" in message or "busy" in message:
        return f"{path}: the archive is locked by another process; try again when it finishes"
    if "not a database" in message or "malformed" in message:
        return f"{path}: not a valid archive (SQLite says: {message}); the file was left untouched"
    if "readonly database" in message or (
        is_read_only_error(error) and path.exists() and not can_write(path)
    ):
        return read_only_message(path)
    return f"{path}: {message}"


def read_only_message(path: Path) -> str:
    return (
        f"{path}: the archive is read-only (the file or its folder cannot be written);"
        " this command changes the archive and needs write access"
    )
