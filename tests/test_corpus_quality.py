"""Quality floor on the labelled dev corpus: no change may make extraction quietly worse.

The floors are the figures reached when they were set (benchmarks/evaluate.py, which scores
exactly as ../shared/tools/score_extraction.py). Raise them when extraction improves.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import CORPUS, ROOT

FLOORS = {
    "body_f1": 1.0,
    "title_acc": 1.0,
    "date_acc": 1.0,
    "source_acc": 0.927,
    "editor_acc": 1.0,
    "author_acc": 0.88,
}


def load_evaluator():
    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "benchmarks" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result() -> dict:
    if not (CORPUS / "manifest.jsonl").exists():
        pytest.skip("shared corpus not available")
    return load_evaluator().score(CORPUS, "scraper")


def test_no_page_crashes(result):
    assert result["errors"] == 0


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_quality_does_not_drop(result, metric):
    assert result[metric] >= FLOORS[metric], f"{metric} fell to {result[metric]}"
