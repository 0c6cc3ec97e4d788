"""`scraper discover`: print the article URLs that feeds, sitemaps, list pages and editions
lead to; and the discovery options `scraper archive --discover` shares."""

from __future__ import annotations

import json
import sys

import click
from rich.text import Text

from scraper.cli.common import err, open_archive
from scraper.discover.model import KINDS


def discover_options(func):
    """--kind, --since, --until, --pages: what to read from each source."""
    for option in reversed(
        [
            click.option(
                "--kind",
                type=click.Choice(KINDS),
                help="What the sources are [default: read from their content].",
            ),  # fmt: skip
            click.option(
                "--since",
                metavar="DATE",
                help="Leave out entries dated before YYYY[-MM[-DD]]; editions start here.",
            ),  # fmt: skip
            click.option(
                "--until", metavar="DATE", help="Editions end on this day [default: today]."
            ),  # fmt: skip
            click.option(
                "--pages",
                default=1,
                show_default=True,
                type=click.IntRange(1, 50),
                help="List pages read per list page source (follows its pager).",
            ),  # fmt: skip
        ]
    ):
        func = option(func)
    return func


def build_discover_options(kind: str | None, since: str | None, until: str | None, pages: int):
    """DiscoverOptions from the flags; a bad date is a usage error."""
    from scraper.discover.model import DiscoverError, parse_day
    from scraper.discover.run import DiscoverOptions

    try:
        first = parse_day(since) if since else None
        last = parse_day(until, end=True) if until else None
    except DiscoverError as error:
        raise click.UsageError(str(error)) from None
    return DiscoverOptions(kind, first, last, pages)


def report_source_errors(results) -> None:
    """One stderr line per failing source, and per problem of a source that still worked."""
    for result in results:
        if result.error:
            err.print(Text(f"failed  {result.source}  {result.error}", style="red"))
        for problem in result.problems:
            err.print(Text(f"warning {result.source}  {problem}", style="yellow"))


@click.command("discover")
@click.argument("sources", nargs=-1, required=True)
@discover_options
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Seconds between requests to one host.")  # fmt: skip
@click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt.")
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per URL (url, date, source)."
)
def discover_cmd(sources, kind, since, until, pages, delay, ignore_robots, as_json) -> None:
    """Print the article URLs that SOURCES lead to, one per line: feeds (RSS, Atom), sitemaps
    (robots.txt, indexes, .xml.gz, news sitemaps), section/list pages, and date-templated
    editions ({YYYY}{MM}{DD} in the URL, over --since..--until). Exit 0 when any was found.

    \b
    Examples:
      scraper discover https://news.example.cn/rss.xml
      scraper discover https://news.example.cn/ --kind sitemap --since 2025-03-01
      scraper discover 'https://paper.example.cn/{YYYY}-{MM}/{DD}/node_1.htm' --since 2025-03-01
    """
    from scraper.discover.run import discover
    from scraper.fetch.engine import FetchSettings

    options = build_discover_options(kind, since, until, pages)
    settings = FetchSettings(delay=delay, obey_robots=not ignore_robots)
    results = discover(list(sources), options, settings)
    report_source_errors(results)
    printed = _print_found(results, as_json)
    if not printed:
        err.print("no article URLs found")
    sys.exit(0 if printed else 1)


def _print_found(results, as_json: bool) -> int:
    seen: set[str] = set()
    for result in results:
        for found in result.found:
            if found.url in seen:
                continue
            seen.add(found.url)
            if as_json:
                record = {"url": found.url, "date": found.date, "source": result.source,
                          "kind": result.kind}  # fmt: skip
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo(found.url)
    return len(seen)


def archive_discovered_cmd(sources: list[str], options, flags: tuple, db_path, quiet: bool):
    """`archive --discover`: archive what the sources lead to, with the archive run's progress."""
    from scraper.cli.progress import ArchiveProgress
    from scraper.pipeline.discovered import archive_discovered

    discover = build_discover_options(*flags)
    with open_archive(db_path) as archive, ArchiveProgress(err, quiet) as progress:
        summary, results = archive_discovered(
            archive, sources, discover, options, progress.start, progress.advance
        )
    report_source_errors([r for r in results if r.problems])  # failures are in the summary
    return summary
