from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scraper.cli.app import main
from scraper.store.segment import index_columns

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_TXT = SEEDS / "000_aab09b9d773d6dc3.txt"
SEED_HTML = SEEDS / "000_aab09b9d773d6dc3.html"
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"
TITLE = "江城新区首条智慧公交线路开通"


def page(title: str = TITLE, body: str = "智慧公交线路今日正式开通运营，覆盖新区十二个社区。",
         charset: str = "utf-8", extra: str = "") -> str:  # fmt: skip
    paragraphs = "".join(f"<p>{body}第{i}段。</p>" for i in range(1, 4))
    return (
        f'<html><head><meta charset="{charset}"><title>{title}_江城日报</title>{extra}</head>'
        f'<body><div class="nav"><a href="/">首页</a></div><h1>{title}</h1>'
        f'<div class="info">来源：江城晚报 2024-05-13 09:26</div>'
        f'<div class="content">{paragraphs}</div><div class="footer">版权所有</div></body></html>'
    )


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


def body_column(text: str) -> str:
    """The body index column as an article's entry holds it: normalised tokens, U+200B."""
    return index_columns({"body": text})[1]
