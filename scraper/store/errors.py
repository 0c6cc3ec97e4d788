"""What can go wrong with the archive file itself, each as one line a user can act on."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class ArchiveError(Exception):
    """A problem with the archive file itself (corrupt, locked, unwritable): one-line message."""

    exit_code = 1


class NoArchiveError(ArchiveError):
    """The archive named does not exist (a reading command never creates one)."""

    exit_code = 2


class DiskFull(ArchiveError):
    """SQLite could not write: the disk (or the file system's quota) is full. A run stops, keeps
    what it committed, and says so."""


def archive_error(path: Path | str, error: sqlite3.DatabaseError) -> ArchiveError:
    """The ArchiveError to raise for SQLite's `error` on the archive at `path`."""
    message = str(error)
    if "disk is full" in message or "disk full" in message:
        return DiskFull(f"{path}: disk full")
    return ArchiveError(describe_db_error(path, error))


def describe_db_error(path: Path | str, error: sqlite3.DatabaseError) -> str:
    message = str(error)
    path = Path(path)
    if "locked" in message or "busy" in message:
        return f"{path}: the archive is locked by another process; try again when it finishes"
    if "not a database" in message or "malformed" in message:
        return (
            f"{path}: not a valid archive (SQLite says: {message}); the file was left untouched."
            f" To save what it holds: sqlite3 {path} .recover | sqlite3 recovered.db"
        )
    if "readonly database" in message or (
        is_read_only_error(error) and path.exists() and not can_write(path)
    ):
        return read_only_message(path)
    return f"{path}: {message}"


# What SQLite says when it cannot write the file or create the WAL files beside it.
_READ_ONLY_MESSAGES = ("unable to open database file", "readonly database")


def is_read_only_error(error: sqlite3.Error) -> bool:
    return any(message in str(error) for message in _READ_ONLY_MESSAGES)


def can_write(path: Path) -> bool:
    """Whether the archive (if it exists) and its folder, which holds the WAL files, can be
    written. access() also honours read-only mounts and immutable files for root."""
    folder_ok = not path.parent.is_dir() or os.access(path.parent, os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def read_only_message(path: Path) -> str:
    return (
        f"{path}: the archive is read-only (the file or its folder cannot be written);"
        " this command changes the archive and needs write access"
    )
