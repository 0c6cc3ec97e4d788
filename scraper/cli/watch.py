"""`scraper sources add|list|remove` and `scraper watch`: the sources kept in the archive, and
the command that polls them and archives what is new."""

from __future__ import annotations

import json
import sys

import click
from rich.text import Text

from scraper.cli.common import db_option, err, open_archive, out, read_archive
from scraper.discover.model import KINDS


@click.group("sources")
def sources_cmd() -> None:
    """The sources `scraper watch` polls: feeds, sitemaps, list pages, edition templates.

    \b
    Examples:
      scraper sources add https://news.example.cn/rss.xml --every 30m --name 江城新闻
      scraper sources add 'https://paper.example.cn/{YYYY}-{MM}/{DD}/node_1.htm' --every 1d
      scraper sources list
      scraper sources remove 2
    """


@sources_cmd.command("add")
@click.argument("url")
@click.option("--kind", type=click.Choice(KINDS), help="[default: read from its content]")
@click.option("--every", default="30m", show_default=True, help="Poll interval: 90s, 30m, 2h, 1d.")
@click.option("--name", help="A name to show for it.")
@db_option
def sources_add(url: str, kind: str | None, every: str, name: str | None, db_path) -> None:
    """Keep a source (again: update its kind, interval and name)."""
    from scraper.store.sources import add_source, parse_every

    seconds = parse_every(every)
    with open_archive(db_path) as archive:
        source = add_source(archive, url, kind, seconds, name)
    err.print(f"source #{source.id} {source.url} (every {_every(source.every_seconds)})")


@sources_cmd.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source.")
@db_option
def sources_list(as_json: bool, db_path) -> None:
    """The kept sources: last poll, last error, URLs found and articles new."""
    from scraper.store.sources import list_sources

    with read_archive(db_path) as archive:
        sources = list_sources(archive)
    if as_json:
        for source in sources:
            click.echo(json.dumps(source.__dict__, ensure_ascii=False))
        return
    if not sources:
        err.print("no sources yet (scraper sources add URL)")
        return
    for s in sources:
        named = f"{s.name} " if s.name else ""
        line = (f"#{s.id} {named}{s.url} [{s.kind or 'auto'}, every {_every(s.every_seconds)}]"
                f" last poll {s.last_polled_at or 'never'} · found {s.last_found}"
                f" · new {s.last_new} (in all {s.total_new})")  # fmt: skip
        out.print(Text(line + (f" · error: {s.last_error}" if s.last_error else "")))


@sources_cmd.command("remove")
@click.argument("key")
@db_option
def sources_remove(key: str, db_path) -> None:
    """Forget a source (by id or URL); the articles found through it stay archived."""
    from scraper.store.sources import remove_source

    with open_archive(db_path) as archive:
        source = remove_source(archive, key)
    err.print(f"removed source #{source.id} {source.url}")


@click.command("watch")
@click.option("--once", is_flag=True, help="One cycle, then exit (for cron).")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Seconds between requests to one host (robots Crawl-delay can raise it).")  # fmt: skip
@click.option("--per-host", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt.")
@db_option
def watch_cmd(once: bool, delay: float, per_host: int, ignore_robots: bool, db_path) -> None:
    """Keep the archive current: poll the due sources (a conditional request each), archive
    the new articles, one log line per cycle on stderr. Without --once it runs until Ctrl-C.
    Exit code (--once): 0 all well, 1 a source or an article failed, 130 interrupted.

    \b
    Examples:
      scraper watch --once
      scraper watch --delay 2
    """
    from scraper.fetch.engine import FetchSettings
    from scraper.pipeline.recheck import recheck_due
    from scraper.pipeline.run import ArchiveOptions
    from scraper.pipeline.watch import watch, watch_cycle

    settings = FetchSettings(delay=delay, per_host=per_host, obey_robots=not ignore_robots)
    options = ArchiveOptions(settings)
    with open_archive(db_path) as archive:
        if not once:
            watch(archive, options, lambda line: err.print(Text(line)), recheck_due)  # Ctrl-C: 130
            return
        report = watch_cycle(archive, options, recheck=recheck_due)
    err.print(Text(report.line()))
    for problem in report.failed_sources:
        err.print(Text(f"failed  {problem}", style="red"))
    failed = report.failed_sources or report.counts["failed"]
    sys.exit(130 if report.interrupted else 1 if failed else 0)


def _every(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


WATCH_COMMANDS = (sources_cmd, watch_cmd)
