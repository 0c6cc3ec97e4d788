"""Archiving from WARC files: the HTML responses of crawls made elsewhere (Common Crawl,
Browsertrix, Heritrix, wget), with their original capture time and headers.

Records stream from the reader a batch at a time; extraction and segmentation run in the
worker pool when the files are large, saving in this process: memory stays flat whatever the
file size. Each response is one article (pagination across records is not followed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from scraper.extract.page import EXTRACTOR_VERSION
from scraper.pipeline.item_pages import canonical_or_same
from scraper.pipeline.maintenance import batched, pipelined, segmenting_pool
from scraper.pipeline.outcomes import Outcome, RunSummary
from scraper.pipeline.workers import PageResult, article_entry, process_page
from scraper.store.archive import Archive
from scraper.store.raw_pages import RawPage
from scraper.warc.capture import Capture
from scraper.warc.reader import Problem, Skipped, read_captures

BATCH = 64  # records per task in the pool
POOL_BYTES = 5 * 2**20  # WARC bytes above which a worker pool pays for its start-up


def url_filter(site: str | None = None, url_pattern: str | None = None) -> Callable[[str], bool]:
    """Which URLs to archive: --site (the domain or any host under it), --url-pattern (a
    regular expression searched in the URL). Checked before a record's payload is read."""
    pattern = re.compile(url_pattern) if url_pattern else None
    site = site.lower().lstrip(".") if site else None

    def wanted(url: str) -> bool:
        if pattern and not pattern.search(url):
            return False
        return not site or _host_under(url, site)

    return wanted


def _host_under(url: str, site: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == site or host.endswith("." + site)


def extract_captures(captures: list[Capture]) -> list[PageResult]:
    """Extraction and the index entry of each capture (the work a worker process does)."""
    results = []
    for capture in captures:
        result = process_page(capture.content, capture.url, capture.charset, capture.fetched_at)
        if result.entry is None:  # a page with a next page: indexed alone here
            result.entry = article_entry(result.article)
        results.append(result)
    return results


def raw_page_of(capture: Capture, result: PageResult) -> RawPage:
    return RawPage(
        capture.url, capture.content, capture.content_type, result.encoding, capture.fetched_at,
        result.packed, capture.status, capture.headers, capture.server_ip,
    )  # fmt: skip


def archive_warcs(
    archive: Archive,
    paths: Iterable[str],
    wanted: Callable[[str], bool],
    workers: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> RunSummary:
    """Archive the HTML responses of the WARC files at `paths` that are `wanted`."""
    paths = list(paths)
    summary = RunSummary()

    def record(outcome: Outcome) -> None:
        summary.add(outcome)
        if on_outcome:
            on_outcome(outcome)

    large = sum(_size(p) for p in paths) > POOL_BYTES
    archive.defer_commits(True)
    try:
        with segmenting_pool(archive, workers, large) as pool:
            batches = batched(_captures(paths, wanted, record), BATCH)
            for batch, results in pipelined(pool, extract_captures, batches):
                for capture, result in zip(batch, results, strict=True):
                    record(_save(archive, capture, result))
                archive.commit()
    finally:
        archive.defer_commits(False)
    summary.total = sum(summary.counts.values())
    return summary


def _captures(
    paths: list[str], wanted: Callable[[str], bool], record: Callable[[Outcome], None]
) -> Iterator[Capture]:
    for path in paths:
        for item in read_captures(path, wanted):
            if isinstance(item, Capture):
                yield item
            elif isinstance(item, Skipped):
                record(Outcome(item.url, "skipped", error=item.reason))
            elif isinstance(item, Problem):
                record(Outcome(item.path, "failed", error=item.message))


def _save(archive: Archive, capture: Capture, result: PageResult) -> Outcome:
    article = result.article
    article.url = canonical_or_same(capture.url)
    if not (article.title or article.body):
        return Outcome(capture.url, "no_body", error="no article found on the page")
    raw = raw_page_of(capture, result)
    saved = archive.save(article, [raw], result.entry, extractor_version=EXTRACTOR_VERSION)
    warning = "decoded with replacement characters (mojibake risk)" if result.lossy else None
    return Outcome(capture.url, saved.status, saved.article_id, article.title, None, 1, warning)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # a remote file (s3://…): assume large
        return POOL_BYTES + 1
