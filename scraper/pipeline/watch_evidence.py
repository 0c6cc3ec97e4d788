"""What one fetched page says about an archived article: the same content, new content, gone
(redirected to a front or section page, a deletion notice, no article, another article) or
unreachable (an anti-bot page). Content is compared by its extracted hash, never raw bytes:
ads and timestamps change on every fetch."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.article import Article
from scraper.extract.notices import is_front_or_section, page_notice
from scraper.fetch.decode import decode_page
from scraper.fetch.urls import BadURL, canonical_url
from scraper.pipeline.workers import PageResult, process_page
from scraper.store.archive import content_hash
from scraper.store.index import IndexEntry
from scraper.store.raw_pages import RawPage
from scraper.store.version_diff import diff_versions

UNRELATED_OVERLAP = 0.1  # below this share of common character pairs, another article


@dataclass
class Evidence:
    kind: str  # same, changed, gone, unreachable
    detail: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    article: Article | None = None
    raw_pages: list[RawPage] | None = None
    entry: IndexEntry | None = None


@dataclass
class Inspected:
    result: PageResult
    notice: str | None  # "deleted", "blocked" or None (scraper/extract/notices.py)


def inspect_page(
    content: bytes, url: str, charset: str | None, fetched_at: str | None
) -> Inspected:
    """The archive run's page processing, plus whether the page is a notice (worker side)."""
    result = process_page(content, url, charset, fetched_at)
    text = decode_page(content, charset).text
    return Inspected(result, page_notice(text, result.article.body))


def judge_page(
    asked: str, landed: str, notice: str | None, article: Article, stored: dict
) -> Evidence:
    """The evidence of a page fetched with HTTP 200 (after any redirects)."""
    if notice == "blocked":
        return Evidence("unreachable", "an anti-bot or rate-limit page")
    if _moved(asked, landed) and is_front_or_section(landed):
        return Evidence("gone", f"redirected to {landed}")
    if notice == "deleted":
        return Evidence("gone", "the page is a deletion notice")
    if not article.body:
        return Evidence("gone", "no article on the page")
    if content_hash(article.to_dict()) == stored["content_hash"]:
        return Evidence("same", "the same content")
    if article.title != stored["title"] and _overlap(article.body, stored["body"]) < (
        UNRELATED_OVERLAP
    ):
        return Evidence("gone", "the page holds another article")
    return Evidence("changed", changed_fields(article, stored))


def changed_fields(article: Article, stored: dict) -> str:
    """What changed, for the event: "changed: title, body (-1/+2 paragraphs)"."""
    changes = diff_versions(stored, article.to_dict())
    names = list(changes["fields"])
    if article.body != stored.get("body"):
        names.append(f"body (-{len(changes['removed'])}/+{len(changes['added'])} paragraphs)")
    return "changed: " + (", ".join(names) or "the site")


def _moved(asked: str, landed: str) -> bool:
    return _canonical(asked) != _canonical(landed)


def _canonical(url: str) -> str:
    try:
        return canonical_url(url)
    except BadURL:
        return url


def _overlap(new: str, old: str | None) -> float:
    """Share of the shorter text's character pairs found in the other (0 … 1)."""
    pairs_new, pairs_old = _pairs(new), _pairs(old or "")
    if not pairs_new or not pairs_old:
        return 0.0
    return len(pairs_new & pairs_old) / min(len(pairs_new), len(pairs_old))


def _pairs(text: str) -> set[str]:
    squeezed = "".join(text.split())
    return {squeezed[i : i + 2] for i in range(len(squeezed) - 1)}
