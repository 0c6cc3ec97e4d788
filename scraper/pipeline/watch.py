"""`scraper watch`: keep the archive current from its kept sources.

One cycle polls the sources that are due (a conditional request where the source gave
validators: an unchanged feed costs one 304), archives the article URLs not archived yet (the
archive run skips the others without a fetch), records each source's poll, and then hands over
to the re-check hook if one is given. A failing source is recorded with its error and never
stops the cycle. Discovery and archiving share one Fetcher: one politeness budget per host.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from time import sleep
from typing import NoReturn

from scraper.clock import now_iso
from scraper.discover.model import SourceResult
from scraper.discover.run import DiscoverOptions, Job, article_urls, discover_jobs
from scraper.fetch.engine import FEED_TYPES, Fetcher, Request
from scraper.pipeline.run import ArchiveOptions, Outcome, run_archive_async, run_loop
from scraper.store.archive import Archive
from scraper.store.sources import Source, due_sources, record_poll

SINCE_MARGIN = timedelta(days=2)  # sitemap entries dated before the last poll, less this, are old
# The re-check hook: given the archive and the run's options, re-checks what is due and says
# how many articles it re-checked. `scraper watch` passes one when that feature exists.
Recheck = Callable[[Archive, ArchiveOptions], int]


@dataclass
class CycleReport:
    """What one cycle did, for its log line."""

    started_at: str
    polled: int = 0
    unchanged: int = 0  # answered 304
    failed_sources: list[str] = field(default_factory=list)
    found: int = 0
    counts: Counter = field(default_factory=Counter)  # archive outcomes: added, skipped, failed
    rechecked: int | None = None
    interrupted: bool = False

    def line(self) -> str:
        parts = [f"{self.started_at} polled {self.polled} sources"]
        if self.unchanged or self.failed_sources:
            parts.append(f"({self.unchanged} unchanged, {len(self.failed_sources)} failed)")
        parts.append(f"· {self.found} found, {self.counts['added']} new")
        if self.counts["failed"]:
            parts.append(f"· {self.counts['failed']} articles failed")
        if self.rechecked is not None:
            parts.append(f"· {self.rechecked} re-checked")
        return " ".join(parts)


def watch_cycle(
    archive: Archive,
    options: ArchiveOptions | None = None,
    now: datetime | None = None,
    recheck: Recheck | None = None,
) -> CycleReport:
    """Poll the due sources once, archive what is new, record the polls, run the re-checks."""
    options = options or ArchiveOptions()
    report = CycleReport(now_iso())
    sources = due_sources(archive, now or datetime.now().astimezone())
    report.polled = len(sources)
    jobs = [_job(source) for source in sources]

    async def poll_then_archive() -> tuple[list[SourceResult], Counter]:
        async with Fetcher(options.fetch) as fetcher:
            results = await discover_jobs(fetcher, jobs)
            return results, await _archive_new(archive, results, options, fetcher, report)

    results, new_by_source = run_loop(poll_then_archive())
    for source, result in zip(sources, results, strict=True):
        _record(archive, source, result, new_by_source[result.source], report)
    if recheck is not None and not report.interrupted:
        report.rechecked = recheck(archive, options)
    return report


def watch(
    archive: Archive,
    options: ArchiveOptions,
    log: Callable[[str], None],
    recheck: Recheck | None = None,
    idle: float = 30.0,
) -> NoReturn:
    """Cycles until Ctrl-C (KeyboardInterrupt leaves between two commits, losing nothing);
    between cycles it sleeps `idle` seconds, the finest interval a source is polled at."""
    while True:
        report = watch_cycle(archive, options, recheck=recheck)
        log(report.line())
        if report.interrupted:
            raise KeyboardInterrupt
        sleep(idle)


def _job(source: Source) -> Job:
    since = _since(source)
    options = DiscoverOptions(kind=source.kind, since=since)
    if source.kind == "edition":  # today's edition, and any missed since the last poll
        return Job(source.url, options)
    return Job(source.url, options, Request(FEED_TYPES, source.etag, source.last_modified))


def _since(source: Source) -> date | None:
    if not source.last_polled_at:
        return None if source.kind != "edition" else datetime.now().astimezone().date()
    return (datetime.fromisoformat(source.last_polled_at) - SINCE_MARGIN).date()


async def _archive_new(
    archive: Archive,
    results: list[SourceResult],
    options: ArchiveOptions,
    fetcher: Fetcher,
    report: CycleReport,
) -> Counter:
    """Archive the cycle's URLs; how many each source brought in new."""
    source_of = {}
    for result in results:
        for found in result.found:
            source_of.setdefault(found.url, result.source)
    new: Counter = Counter()

    def count(outcome: Outcome) -> None:
        report.counts[outcome.status] += 1
        if outcome.status == "added":
            new[source_of.get(outcome.input)] += 1

    urls = article_urls(results)
    report.found = len(urls)
    if urls:
        summary = await run_archive_async(archive, urls, options, fetcher, on_outcome=count)
        report.interrupted = summary.interrupted
    return new


def _record(
    archive: Archive, source: Source, result: SourceResult, new: int, report: CycleReport
) -> None:
    if result.not_modified:
        report.unchanged += 1
    if result.error:
        report.failed_sources.append(f"{source.url}: {result.error}")
    validators = (result.etag, result.last_modified)
    record_poll(archive, source, now_iso(), validators, result.error, len(result.found), new)
