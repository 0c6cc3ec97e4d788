"""What an archive run reports: one Outcome per input, the run's summary, and its options."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from scraper.fetch.engine import FetchSettings


@dataclass
class Outcome:
    input: str
    status: str  # one of STATUSES
    article_id: int | None = None
    title: str | None = None
    error: str | None = None
    pages: int = 0
    warning: str | None = None


@dataclass
class RunSummary:
    """Counts of every outcome; the outcomes themselves only up to KEPT_OUTCOMES of each kind,
    so a run over a million URLs keeps flat memory (the failures table has every failure)."""

    counts: Counter = field(default_factory=Counter)
    outcomes: list[Outcome] = field(default_factory=list)  # the first KEPT_OUTCOMES
    failed: list[Outcome] = field(default_factory=list)  # the first KEPT_OUTCOMES PROBLEMS
    warnings: list[Outcome] = field(default_factory=list)
    total: int = 0
    interrupted: bool = False
    disk_full: bool = False  # the run stopped: SQLite could not write

    def count_what_is_stored(self, saved: Counter) -> None:
        """After a run stopped early, count the saves the database holds: a save finishing as
        the run stops is committed but never reported, one that missed its commit is lost."""
        for status in ("added", "updated", "unchanged"):
            self.counts[status] = saved[status]

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        for kept, wanted in ((self.outcomes, True), (self.failed, outcome.status in PROBLEMS),
                             (self.warnings, bool(outcome.warning))):  # fmt: skip
            if wanted and len(kept) < KEPT_OUTCOMES:
                kept.append(outcome)


@dataclass
class ArchiveOptions:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    refresh: bool = False  # fetch URLs already archived again (updated only if changed)
    retry_failed: bool = False
    url: str | None = None  # the original URL of a single saved page
    workers: int | None = None  # extraction processes; None: one per core for large runs
    warc_dir: str | None = None  # also write every fetched page as WARC records there


OutcomeCallback = Callable[[Outcome], None]
# "skipped": a WARC record passed over before extraction (not HTML, a revisit, an error answer).
STATUSES = ("added", "updated", "unchanged", "already_archived", "not_an_article", "no_body",
            "failed", "skipped")  # fmt: skip
PROBLEMS = ("not_an_article", "no_body", "failed")  # inputs that were not archived
KEPT_OUTCOMES = 1000
