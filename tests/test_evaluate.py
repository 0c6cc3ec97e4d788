"""benchmarks/evaluate.py: hand-checked scores on a synthetic corpus, and agreement with the
reference scorer (../shared/tools/score_extraction.py) on the shared corpus when it is there."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"


def load_evaluate():
    # benchmarks/ is not a package: load the script by path, registered so dataclasses work
    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "benchmarks" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate"] = module
    spec.loader.exec_module(module)
    return module


evaluate = load_evaluate()

PAGE = (
    "<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>"
    "<div class='info'>来源：{source} 2024-05-13 09:26</div><div class='content'>{body}</div>"
    "<div class='footer'>版权所有 关于我们</div></body></html>"
)

# Two labelled pages. A: a list label for source, an author label without the staff code the
# extraction carries, a date label without a time. B: a null source label, a timed date label.
ROWS = [
    {
        "file": "pages/a.html",
        "url": "http://news.example.test/a.html",
        "encoding": "declared utf-8; bytes decode as utf-8",
        "title": "江城新区首条智慧公交线路开通",
        "source": ["江城日报", "江城晚报"],
        "author": "王乐文、方敏",
        "editor": "肖春芳",
        "date": "2024-05-13",
        "must_have": [
            "智慧公交线路今日正式开通运营。",
            "覆盖新区十二个社区。",
            "首班车早六点发车。",
        ],
        "must_not_have": ["版权所有", "分享到微信"],
    },
    {
        "file": "pages/b.html",
        "url": "http://news.example.test/b.html",
        "encoding": "declared utf-8; bytes decode as utf-8",
        "title": "Ｇ２０峰会开幕",
        "source": None,
        "author": None,
        "editor": "张三",
        "date": "2024-05-14 10:30",
        "must_have": ["峰会今日在江城开幕。", "各国代表出席。"],
        "must_not_have": ["相关阅读"],
    },
]

# What a stand-in extractor "finds" on each page.
OUTPUTS = {
    "http://news.example.test/a.html": {
        "title": "江城新区首条智慧公交线路开通",
        "source": "江城晚报",  # the list's second value
        "author": "王乐文 方 敏 SF099",  # spacing and a staff code: same names
        "editor": "肖春芳",
        "date": "2024-05-13T09:26:00",  # day-precision label: the time does not matter
        # must_have 1 (spaced, full-width full stop) and 2 found, 3 missed; one leak
        "body": "智慧公交线路今日 正式开通运营｡\n覆盖新区十二个社区。\n版权所有",
    },
    "http://news.example.test/b.html": {
        "title": "G20 峰会开幕",  # NFKC and whitespace folding: equal to Ｇ２０峰会开幕
        "source": "新华社",  # label is null: spurious
        "author": "",  # label null, nothing given: neither scored nor spurious
        "editor": "李四",  # wrong
        "date": "2024-05-14",  # timed label: wrong at the minute, right at the day
        "body": "峰会今日在江城开幕。各国代表出席。相关阅读",  # both found, one leak
    },
}


def stand_in(raw: bytes, url: str | None, enc: str | None = None) -> dict:
    return dict(OUTPUTS[url])


def crashes_on_b(raw: bytes, url: str | None, enc: str | None = None) -> dict:
    if url.endswith("b.html"):
        raise ValueError("cannot parse")
    return stand_in(raw, url, enc)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    for row in ROWS:
        title, source = row["title"], "江城日报"
        body = "".join(f"<p>{p}</p>" for p in row["must_have"])
        html = PAGE.format(title=title, source=source, body=body)
        (tmp_path / row["file"]).write_text(html, encoding="utf-8")
    lines = [json.dumps(row, ensure_ascii=False) for row in ROWS]
    (tmp_path / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_scores_are_hand_checked(corpus):
    res = evaluate.score(corpus, "stand-in", extractor=stand_in, repeat=2)
    # body: tp = 2 + 2, fn = 1, fp = 1 + 1 → P 4/6, R 4/5, F1 = 2PR/(P+R) = 16/22
    assert (res["body_precision"], res["body_recall"], res["body_f1"]) == (0.667, 0.8, 0.727)
    assert res["title_acc"] == 1.0 and res["title_n"] == 2
    assert (res["source_acc"], res["source_n"], res["source_spurious"]) == (1.0, 1, 1)
    assert (res["author_acc"], res["author_n"], res["author_spurious"]) == (1.0, 1, 0)
    assert (res["editor_acc"], res["editor_n"]) == (0.5, 2)
    assert (res["date_acc"], res["date_n"], res["date_day_acc"]) == (0.5, 2, 1.0)
    assert (res["pages"], res["errors"]) == (2, 0)
    assert res["ms_per_page_median"] is not None


def test_a_raising_extractor_counts_an_error_and_scores_empty(corpus, capsys):
    res = evaluate.score(corpus, "stand-in", verbose=True, extractor=crashes_on_b)
    # page B scores as an empty extraction: its 2 must_have are missed, its fields wrong
    # body: tp 2, fn 1 + 2, fp 1 → P 2/3, R 2/5, F1 0.5
    assert (res["errors"], res["body_precision"], res["body_recall"]) == (1, 0.667, 0.4)
    assert res["body_f1"] == 0.5
    assert (res["title_acc"], res["editor_acc"], res["date_acc"], res["date_day_acc"]) == (
        0.5,
        0.5,
        0.5,
        0.5,
    )
    assert res["source_spurious"] == 0
    err = capsys.readouterr().err
    assert "pages/b.html: ValueError: cannot parse" in err
    assert "pages/a.html: missed 1 leaked 1" in err


def test_rules_match_the_labelling_policy():
    assert evaluate.names("李曦_NN2587") == evaluate.names("李曦")
    assert evaluate.names("HN666") == "HN666"  # only a code: kept
    assert evaluate.matches("date", "2024-05-13 09:26", "2024-05-13T09:26:59")
    assert not evaluate.matches("date", "2024-05-13", "2024-05-13 09:26")
    assert evaluate.matches("editor", "B", ["A", "B"])
    assert not evaluate.matches("author", "", "")


def test_cli_scores_scraper_and_reports_missing_anchors(corpus, capsys, monkeypatch):
    for anchor in evaluate.ANCHORS:  # as if none of them were installed
        monkeypatch.setitem(evaluate.MODULES, anchor, ["no_such_module_for_tests"])
    assert evaluate.main([str(corpus), "--anchors", "--json"]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["system"] for r in results] == ["scraper", *evaluate.ANCHORS]
    assert results[0]["pages"] == 2 and results[0]["errors"] == 0
    assert all(r["status"].startswith("not installed") for r in results[1:])
    assert evaluate.main([str(corpus), "--anchors", "--markdown"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("| system | body P |")
    assert any(line.startswith("| gne | not installed |") for line in table)


def test_cli_without_manifest_exits_2(tmp_path, capsys):
    assert evaluate.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "manifest.jsonl" in err


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="no ../shared/corpus")
def test_agrees_with_the_reference_scorer_on_the_shared_corpus():
    corpus = SHARED / "corpus"
    tool = SHARED / "tools" / "score_extraction.py"
    done = subprocess.run(
        [sys.executable, str(tool), str(corpus), "--system", "scraper"],
        capture_output=True,
        text=True,
        check=True,
    )
    reference = json.loads(done.stdout.strip().splitlines()[-1])
    ours = evaluate.score(corpus, "scraper")
    metrics = [k for k in reference if not k.startswith("ms_")]
    assert len(metrics) == 22  # system, pages, errors, body P/R/F1, 5 × acc/n/spurious, day
    assert {k: ours[k] for k in metrics} == {k: reference[k] for k in metrics}
