"""Quality floor on the labelled dev corpus: no change may make extraction quietly worse.

The floors are the figures reached when they were set (benchmarks/evaluate.py, which scores
exactly as ../shared/tools/score_extraction.py). Raise them when extraction improves.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import CORPUS, ROOT

# Per corpus set: A is the 45 pages the extractor was developed on, B the 60 it had never seen.
# B is the honest figure; A guards against regressions on the pages already right.
FLOORS = {
    "A": {"body_f1": 1.0, "title_acc": 1.0, "date_acc": 1.0, "source_acc": 0.976,
          "editor_acc": 1.0, "author_acc": 1.0},
    "B": {"body_f1": 0.998, "title_acc": 1.0, "date_acc": 1.0, "source_acc": 0.942,
          "editor_acc": 0.963, "author_acc": 1.0},
}  # fmt: skip


def load_evaluator():
    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "benchmarks" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    if not (CORPUS / "manifest.jsonl").exists():
        pytest.skip("shared corpus not available")
    evaluator = load_evaluator()
    return {s: evaluator.score(CORPUS, "scraper", only_set=s) for s in FLOORS}


@pytest.mark.parametrize("corpus_set", sorted(FLOORS))
def test_no_page_crashes(results, corpus_set):
    assert results[corpus_set]["errors"] == 0


@pytest.mark.parametrize(
    ("corpus_set", "metric"), [(s, m) for s in sorted(FLOORS) for m in sorted(FLOORS[s])]
)
def test_quality_does_not_drop(results, corpus_set, metric):
    value = results[corpus_set][metric]
    assert value >= FLOORS[corpus_set][metric], f"set {corpus_set}: {metric} fell to {value}"
