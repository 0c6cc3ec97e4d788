"""The index's segmenter: jieba's cut (jieba-rs), checked against the Python jieba package."""

from __future__ import annotations

import logging

import pytest
from conftest import CORPUS, FIXTURES, SEED_TXT, body_column
from hypothesis import given
from hypothesis import strategies as st

import scraper
from scraper.store.segment import ZWSP, normalize, shipped_terms, tokens


def boundaries(words: list[str]) -> set[int]:
    positions, at = set(), 0
    for word in words:
        at += len(word)
        positions.add(at)
    return positions


def agreement(texts: list[str]) -> float:
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.WARNING)
    for word in shipped_terms():  # the same dictionary as the index's
        jieba.add_word(word)
    same = total = 0
    for text in texts:
        reference = boundaries(list(jieba.cut(normalize(text))))
        ours = boundaries(tokens(text))
        same += len(reference & ours)
        total += len(reference)
    return same / total


def test_agrees_with_python_jieba_on_the_seed_and_fixtures():
    pages = [SEED_TXT, *FIXTURES.glob("*.html"), *(FIXTURES / "pages").glob("*.htm*")]
    texts = [scraper.extract(p.read_bytes()).body or "" for p in pages]
    assert agreement([t for t in texts if t]) >= 0.99


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
def test_agrees_with_python_jieba_on_the_corpus():
    texts = [
        scraper.extract(p.read_bytes()).body or "" for p in sorted(CORPUS.glob("pages/*.html"))
    ]
    assert agreement([t for t in texts if t]) >= 0.995


@given(st.text(max_size=200))
def test_tokens_rebuild_the_normalised_text(text):
    assert "".join(tokens(text)) == normalize(text.replace(ZWSP, ""))
    assert len(normalize(text)) == len(text)
    assert body_column(text).replace(ZWSP, "") == normalize(text.replace(ZWSP, ""))
