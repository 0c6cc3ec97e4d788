"""What an archive run shows: a live progress bar on a terminal, a summary at the end."""

from __future__ import annotations

import json
from collections import Counter

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from scraper.pipeline.outcomes import PROBLEMS, STATUSES, Outcome, RunSummary

SHOWN_FAILURES = 20
RECHECK_AS = {"unreachable": "failed"}


class ArchiveProgress:
    """A rich progress bar (done / failed / not articles / already archived, rate, ETA) when
    stderr is a terminal."""

    def __init__(self, console: Console, quiet: bool, label: str = "archiving") -> None:
        self.enabled = console.is_terminal and not quiet
        self.counts: Counter = Counter()
        self.progress = Progress(
            TextColumn(f"[bold]{label}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "[green]{task.fields[ok]} ok [red]{task.fields[failed]} failed "
                "[yellow]{task.fields[not_articles]} not articles "
                "[dim]{task.fields[already]} already archived"
            ),  # fmt: skip
            TextColumn("[dim]{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not self.enabled,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> ArchiveProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.__exit__(*exc_info)

    def start(self, total: int) -> None:
        self.task = self.progress.add_task("archive", total=total, ok=0, failed=0,
                                           not_articles=0, already=0, rate="")  # fmt: skip

    def advance(self, outcome: Outcome) -> None:
        # a re-check's outcome: unreachable counts as failed, the others as done
        status = getattr(outcome, "status", None) or RECHECK_AS.get(outcome.outcome, "unchanged")
        self.counts[status] += 1
        if self.task is None:
            return
        done = sum(self.counts.values())
        elapsed = self.progress.tasks[self.task].elapsed or 0
        rate = f"{done / elapsed:.1f}/s" if elapsed > 0 else ""
        ok = sum(self.counts[s] for s in ("added", "updated", "unchanged"))
        failed = self.counts["failed"] + self.counts["no_body"]
        self.progress.update(self.task, advance=1, ok=ok, failed=failed,
                             not_articles=self.counts["not_an_article"],
                             already=self.counts["already_archived"], rate=rate)  # fmt: skip


def report_summary(out: Console, err: Console, summary: RunSummary, as_json: bool) -> None:
    counts = {status: summary.counts.get(status, 0) for status in STATUSES}
    if as_json:
        report = {
            "counts": {k: v for k, v in counts.items() if v},
            "total": summary.total,
            "interrupted": summary.interrupted,
            "disk_full": summary.disk_full,
            "failures": [
                {"input": o.input, "status": o.status, "error": o.error} for o in summary.failed
            ],
            "warnings": [
                {"input": o.input, "warning": o.warning} for o in summary.outcomes if o.warning
            ],  # fmt: skip
        }
        out.file.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="interrupted — run the same command to resume" if summary.interrupted
                  else None, show_edge=False)  # fmt: skip
    for status in STATUSES:
        table.add_column(status.replace("_", " "), justify="right")
    table.add_row(*(str(counts[s]) for s in STATUSES))
    err.print(table)
    _print_problems(err, summary)


def _print_problems(err: Console, summary: RunSummary) -> None:
    for outcome in summary.failed[:SHOWN_FAILURES]:
        err.print(Text(f"{outcome.status.replace('_', ' ')}  {outcome.input}  {outcome.error}",
                       style="red"))  # fmt: skip
    more = sum(summary.counts[status] for status in PROBLEMS) - SHOWN_FAILURES
    if more > 0:
        err.print(f"… and {more} more failures (all are in the archive's failures table)")
    for outcome in summary.warnings[:SHOWN_FAILURES]:
        err.print(Text(f"warning {outcome.input}  {outcome.warning}", style="yellow"))
