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
    """--since/--until/--site/--source, shared by search and export."""
    for option in reversed(
        [
            click.option("--since", metavar="DATE", help="Published on/after YYYY[-MM[-DD]]."),
            click.option("--until", metavar="DATE", help="Published on/before YYYY[-MM[-DD]]."),
            click.option("--site", help="Only this site (domain), e.g. gmw.cn."),
            click.option("--source", help="Only articles whose 来源 contains this text."),
        ]
    ):
        func = option(func)
    return func
