"""`scraper` verbs that report on the archive: stats and failures."""

from __future__ import annotations

import json

import click
from rich.table import Table
from rich.text import Text

from scraper.cli.common import db_option, err, out, read_archive


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@db_option
def stats_cmd(as_json: bool, db_path: str | None) -> None:
    """Counts: articles, raw pages, failures, size, date range, top sites and sources.

    \b
    Example:
      scraper stats
    """
    with read_archive(db_path) as archive:
        stats = archive.stats()
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    out.print(
        f"{stats['path']}: {stats['articles']} articles, {stats['raw_pages']} raw pages, "
        f"{stats['failures']} failures, {stats['size_bytes'] / 1024:.0f} KB; "
        f"published {stats['first_published']} … {stats['last_published']}"
    )
    for title, rows in (("site", stats["by_site"]), ("来源", stats["by_source"]),
                        ("failed at", stats["failures_by_stage"])):  # fmt: skip
        if rows:
            _print_counts(title, rows)


def _print_counts(title: str, rows: list[tuple[str, int]]) -> None:
    table = Table(title=None, show_edge=False)
    table.add_column(title)
    table.add_column("count", justify="right")
    for name, count in rows:
        table.add_row(name, str(count))
    out.print(table)


@click.command("failures")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--json", "as_json", is_flag=True, help="One failure per line as JSON.")
@db_option
def failures_cmd(limit: int, as_json: bool, db_path: str | None) -> None:
    """The URLs that failed (latest first): stage, reason, attempts. `archive --retry-failed`
    tries them again.

    \b
    Example:
      scraper failures --limit 20
    """
    with read_archive(db_path) as archive:
        failures = archive.failures(limit)
    if not failures and not as_json:
        err.print("no failures")
    for failure in failures:
        if as_json:
            click.echo(json.dumps(failure, ensure_ascii=False))
        else:
            out.print(Text(f"{failure['last_tried_at']}  {failure['stage']:<12} {failure['url']}"))
            out.print(Text(f"    {failure['error']} ({failure['attempts']} attempts)", style="dim"))


REPORT_COMMANDS = (stats_cmd, failures_cmd)
