"""What every `scraper` verb shares: the consoles, --db and the filter options."""

from __future__ import annotations

import click
from rich.console import Console

from scraper.store.archive import Archive, default_db_path

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class PageRefused(Exception):
    """The page given is not an article (binary, no body, extraction failed): exit 1."""

    exit_code = 1


db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Archive file [default: $SCRAPER_DB or ./archive.db].",
)


def open_archive(db_path: str | None, create: bool = True, writable: bool = True) -> Archive:
    """The archive; readers (`writable=False`) also open a read-only one, and say so."""
    archive = Archive(db_path or default_db_path(), create=create, writable=writable)
    if archive.read_only:
        err.print("archive is read-only: opened for reading")
    return archive


def read_archive(db_path: str | None) -> Archive:
    """An existing archive, for a command that only reads it."""
    return open_archive(db_path, create=False, writable=False)


def filter_options(func):
    """--since/--until/--site/--source/--status, shared by search and export."""
    for option in reversed(
        [
            click.option("--since", metavar="DATE", help="Published on/after YYYY[-MM[-DD]]."),
            click.option("--until", metavar="DATE", help="Published on/before YYYY[-MM[-DD]]."),
            click.option("--site", help="Only this site (domain), e.g. gmw.cn."),
            click.option("--source", help="Only articles whose 来源 contains this text."),
            click.option(
                "--status",
                type=click.Choice(("live", "edited", "suspected", "deleted")),
                help="Only articles re-checking found so (`scraper recheck`).",
            ),
        ]
    ):
        func = option(func)
    return func


def fetch_options(func):
    """The fetching options of `archive` and `recheck`, with --workers, --json and --quiet."""
    for option in reversed([
        click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 256),
                     help="Requests in flight in all."),
        click.option("--per-host", default=2, show_default=True, type=click.IntRange(1, 64),
                     help="Requests in flight to one host."),
        click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(0, 3600),
                     help="Seconds between requests to one host (robots Crawl-delay can raise it)."),
        click.option("--timeout", default=60.0, show_default=True,
                     type=click.FloatRange(0.1, 3600), help="Seconds allowed for one attempt at a page."),
        click.option("--retries", default=3, show_default=True, type=click.IntRange(0, 20)),
        click.option("--max-size", default=10.0, show_default=True,
                     type=click.FloatRange(0.001, 1024),
                     help="Largest page accepted, in MB (also after decompression)."),
        click.option("--user-agent",
                     help="User-Agent header [default: scraper/VERSION (Chinese news archiver)]."),
        click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt."),
        click.option("--workers", type=click.IntRange(1, 64),
                     help="Extraction processes [default: cores]."),
        click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON."),
        click.option("-q", "--quiet", is_flag=True, help="No progress, only the summary."),
    ]):  # fmt: skip
        func = option(func)
    return func


def fetch_settings(flags: dict):
    """The FetchSettings the fetch_options ask for."""
    from scraper.fetch.engine import USER_AGENT, FetchSettings

    max_bytes = int(flags["max_size"] * 2**20)
    return FetchSettings(
        concurrency=flags["concurrency"],
        per_host=flags["per_host"],
        delay=flags["delay"],
        total_timeout=flags["timeout"],
        retries=flags["retries"],
        max_bytes=max_bytes,
        max_decoded_bytes=max_bytes,
        user_agent=flags["user_agent"] or USER_AGENT,
        obey_robots=not flags["ignore_robots"],
    )
