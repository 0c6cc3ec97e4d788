from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scraper.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_TXT = SEEDS / "000_aab09b9d773d6dc3.txt"
SEED_HTML = SEEDS / "000_aab09b9d773d6dc3.html"
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run the real `scraper` entry point in-process; returns exit code, stdout, stderr."""

    def run(*args: str, stdin: str | None = None) -> Result:
        monkeypatch.setattr(sys, "argv", ["scraper", *map(str, args)])
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "archive.db"
