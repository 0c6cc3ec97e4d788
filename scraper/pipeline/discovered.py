"""`scraper archive --discover`: discover the sources' article URLs, then archive them.

The archive run does the rest as for any URL list: canonical URLs, de-duplication, and URLs
already archived skipped without a fetch. A source that fails is counted as a failed input of
the run (exit 1) but never stops the others; it is not put in the failures table, which holds
article URLs for --retry-failed.
"""

from __future__ import annotations

from collections.abc import Callable

from scraper.discover.model import SourceResult
from scraper.discover.run import DiscoverOptions, article_urls, discover
from scraper.pipeline.run import ArchiveOptions, Outcome, OutcomeCallback, RunSummary, run_archive
from scraper.store.archive import Archive


def archive_discovered(
    archive: Archive,
    sources: list[str],
    discover_options: DiscoverOptions,
    options: ArchiveOptions | None = None,
    on_total: Callable[[int], None] | None = None,
    on_outcome: OutcomeCallback | None = None,
) -> tuple[RunSummary, list[SourceResult]]:
    """Archive what `scraper discover` would print for these sources."""
    options = options or ArchiveOptions()
    results = discover(sources, discover_options, options.fetch)
    summary = run_archive(archive, article_urls(results), options, on_total, on_outcome)
    add_source_failures(summary, results)
    return summary, results


def add_source_failures(summary: RunSummary, results: list[SourceResult]) -> None:
    for result in results:
        if result.error:
            summary.total += 1
            summary.add(Outcome(result.source, "failed", error=f"discovery: {result.error}"))
