"""A read-only archive can be read: readers open it read-only and say so on stderr; writers get
a one-line error. Permission bits do not stop root, so as root the folder and file are also
made immutable (chattr +i), which the kernel enforces for root too; where neither works the
real-condition tests are skipped, and one test simulates SQLite's own errors instead."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import SEEDS
from starlette.testclient import TestClient

from scraper.store import connect
from scraper.store.archive import Archive, ArchiveError
from scraper.web.app import create_app

NOTICE = "archive is read-only: opened for reading"


def _immutable(paths: list[Path], on: bool) -> bool:
    chattr = shutil.which("chattr")
    if not chattr:
        return False
    flag = "+i" if on else "-i"
    done = subprocess.run([chattr, flag, *map(str, paths)], capture_output=True, check=False)
    return done.returncode == 0


def _writes_are_refused(folder: Path) -> bool:
    try:
        (folder / "probe").touch()
    except OSError:
        return True
    (folder / "probe").unlink()
    return False


@pytest.fixture
def seeded_db(db, run_cli):
    assert run_cli("archive", SEEDS, "--db", db).code == 0
    return db


def _make_read_only(paths: list[Path], folder: Path):
    modes = {path: path.stat().st_mode for path in paths}
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    frozen = os.geteuid() == 0 and _immutable(paths, True)
    try:
        if folder in paths and not _writes_are_refused(folder):
            pytest.skip("cannot make a folder read-only here (root without chattr)")
        yield
    finally:
        if frozen:
            _immutable(paths, False)
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.fixture
def read_only_folder(seeded_db):
    """The archive file and its folder cannot be written: no WAL or -shm file can be made."""
    yield from _make_read_only([seeded_db, seeded_db.parent], seeded_db.parent)


@pytest.fixture
def read_only_file(seeded_db):
    """The file cannot be written; its folder can."""
    yield from _make_read_only([seeded_db], seeded_db.parent)


READERS = [
    ("stats",),
    ("search", "工业互联网"),
    ("search", "--site", "gmw.cn"),
    ("show", "1"),
    ("export", "--format", "jsonl"),
    ("dupes",),
]


@pytest.mark.parametrize("command", READERS)
def test_readers_open_a_read_only_folder(read_only_folder, seeded_db, run_cli, command):
    result = run_cli(*command, "--db", seeded_db)
    assert result.code == 0, result.err
    assert NOTICE in result.err
    assert result.out.strip()


def test_readers_open_a_read_only_file(read_only_file, seeded_db, run_cli):
    result = run_cli("search", "工业互联网", "--db", seeded_db)
    assert result.code == 0, result.err
    assert "工业互联网" in result.out and NOTICE in result.err


@pytest.mark.parametrize("command", [("archive", SEEDS), ("reindex",), ("reextract",)])
def test_writers_get_one_line_on_a_read_only_archive(read_only_folder, seeded_db, run_cli,
                                                     command):  # fmt: skip
    result = run_cli(*command, "--db", seeded_db)
    assert result.code != 0
    assert "read-only" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_web_app_serves_a_read_only_archive(read_only_folder, seeded_db):
    with TestClient(create_app(seeded_db), base_url="http://127.0.0.1:8765") as client:
        page = client.get("/", params={"q": "工业互联网"})
    assert page.status_code == 200 and "工业互联网" in page.text


def test_sqlite_refusing_to_write_falls_back_to_reading(seeded_db, monkeypatch):
    """Simulated: access() says the archive is writable but SQLite cannot create the WAL files
    (as on some network or overlay mounts). Only connect_read_write is replaced."""

    def refuse(path):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(connect, "connect_read_write", refuse)
    with Archive(seeded_db, create=False, writable=False) as archive:
        assert archive.read_only and archive.count() > 0
    with pytest.raises(ArchiveError, match="unable to open"):  # a writer is not let off
        Archive(seeded_db, create=False)
