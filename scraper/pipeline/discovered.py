"""`scraper archive --discover`: discover the sources' article URLs, then archive them.

Discovery and the archive run share one Fetcher (the same per-host gates and robots.txt).
The archive run does the rest as for any URL list: canonical URLs, de-duplication, and URLs
already archived skipped without a fetch. A source that fails is counted as a failed input of
the run (exit 1) but never stops the others; it is not put in the failures table, which holds
article URLs for --retry-failed.
"""

from __future__ import annotations

from collections.abc import Callable

from scraper.discover.model import SourceResult
from scraper.discover.run import DiscoverOptions, Job, article_urls, discover_jobs
from scraper.fetch.engine import Fetcher
from scraper.pipeline.run import (
    ArchiveOptions,
    Outcome,
    OutcomeCallback,
    RunSummary,
    run_archive_async,
    run_loop,
)
from scraper.store.archive import Archive


def archive_discovered(
    archive: Archive,
    sources: list[str],
    discover_options: DiscoverOptions,
    options: ArchiveOptions | None = None,
    on_total: Callable[[int], None] | None = None,
    on_outcome: OutcomeCallback | None = None,
) -> tuple[RunSummary, list[SourceResult]]:
    """Archive what `scraper discover` would print for these sources; one Fetcher for both
    steps, so discovery and archiving share each host's politeness."""
    options = options or ArchiveOptions()
    jobs = [Job(source, discover_options) for source in sources]

    async def discover_then_archive() -> tuple[RunSummary, list[SourceResult]]:
        async with Fetcher(options.fetch) as fetcher:
            results = await discover_jobs(fetcher, jobs)
            urls = article_urls(results)
            summary = await run_archive_async(archive, urls, options, fetcher, on_total,
                                              on_outcome)  # fmt: skip
        return summary, results

    summary, results = run_loop(discover_then_archive())
    add_source_failures(summary, results)
    return summary, results


def add_source_failures(summary: RunSummary, results: list[SourceResult]) -> None:
    for result in results:
        if result.error:
            summary.total += 1
            summary.add(Outcome(result.source, "failed", error=f"discovery: {result.error}"))
