"""`scraper` verbs for articles over time: recheck, history, diff."""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table
from rich.text import Text

from scraper.cli.common import (
    db_option,
    err,
    fetch_options,
    fetch_settings,
    open_archive,
    out,
    read_archive,
)
from scraper.store.version_diff import FIELD_LABELS, diff_versions
from scraper.store.versions import history

OUTCOME_STYLES = {"unchanged": "green", "edited": "cyan", "suspected": "yellow",
                  "deleted": "red", "unreachable": "magenta", "restored": "blue"}  # fmt: skip
SHOWN_CHANGES = 30


@click.command("recheck")
@click.argument("keys", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every archived article.")
@click.option("--due", is_flag=True, help="The articles due on the schedule (for cron).")
@click.option("--since", metavar="DATE", help="Only articles published on/after YYYY[-MM[-DD]].")
@click.option("--until", metavar="DATE", help="Only articles published on/before YYYY[-MM[-DD]].")
@click.option("--site", help="Only this site (domain), e.g. gmw.cn.")
@click.option("--confirm-checks", default=2, show_default=True, type=click.IntRange(1, 100),
              help="Sightings of a deletion needed to confirm it.")  # fmt: skip
@click.option("--confirm-hours", default=24.0, show_default=True, type=click.FloatRange(0, 10_000),
              help="Hours the sightings must span to confirm a deletion.")  # fmt: skip
@click.option("--warc", "warc_dir", type=click.Path(file_okay=False),
              help="Also write every page fetched (not a 304) as WARC records in this folder.")  # fmt: skip
@fetch_options
@db_option
def recheck_cmd(keys, every, due, since, until, site, confirm_checks, confirm_hours, warc_dir, as_json,
                quiet, db_path, **flags) -> None:  # fmt: skip
    """Fetch archived articles again: unchanged, edited (the old version is kept), suspected
    or deleted (confirmed after --confirm-checks sightings over --confirm-hours), restored,
    or unreachable (timeouts, 5xx, 429, anti-bot pages: never a deletion). Each check is
    committed at once: run the same command again to resume.
    Exit code: 0 done, 2 usage error, 130 interrupted.

    \b
    Examples:
      scraper recheck --due
      scraper recheck --all --site gmw.cn --per-host 1 --delay 2
      scraper recheck 12 https://news.example.cn/2026/1129/a.html --json
    """
    from scraper.cli.progress import ArchiveProgress
    from scraper.pipeline.recheck import RecheckOptions, recheck
    from scraper.pipeline.recheck_select import Selection, SelectionError
    from scraper.pipeline.watch_rules import Confirmation

    selection = Selection(tuple(keys), every, due, since, until, site)
    options = RecheckOptions(fetch_settings(flags), Confirmation(confirm_checks, confirm_hours),
                             workers=flags["workers"], warc_dir=warc_dir)  # fmt: skip
    try:
        selection.check()
        progress = ArchiveProgress(err, quiet or as_json, "re-checking")
        with open_archive(db_path, create=False) as archive, progress:
            summary = recheck(archive, selection, options, progress.start, progress.advance)
    except SelectionError as error:
        raise click.UsageError(str(error)) from None
    _report(summary, as_json)
    sys.exit(130 if summary.interrupted else 0)


def _report(summary, as_json: bool) -> None:
    counts = summary.as_dict()
    if as_json:  # one object on the last line of stdout
        click.echo(json.dumps(counts, ensure_ascii=False))
        return
    for checked in summary.changes[:SHOWN_CHANGES]:
        line = f"{checked.outcome:<11} #{checked.article_id} {checked.url}  {checked.detail or ''}"
        err.print(Text(line, style=OUTCOME_STYLES[checked.outcome]))
    title = "interrupted — run the same command to resume" if summary.interrupted else None
    table = Table(title=title, show_edge=False)
    names = [name for name in counts if name not in ("total", "interrupted")]
    for name in names:
        table.add_column(name, justify="right")
    table.add_row(*(str(counts[name]) for name in names))
    err.print(table)


@click.command("history")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="Print the history as one JSON object.")
@db_option
def history_cmd(key: str, as_json: bool, db_path: str | None) -> None:
    """An article's versions and re-check events, with dates (by id or URL).

    \b
    Example:
      scraper history 12
    """
    found = _history(key, db_path)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    current = found["versions"][-1]
    out.print(Text(f"#{found['id']} {current['title'] or '(untitled)'}", style="bold"))
    status = found["status"]
    if found["deleted_at"]:
        status += f" since {found['deleted_at']}"
    out.print(f"status: {status}")
    for version in found["versions"]:
        out.print(Text(f"  v{version['version']}  {version['first_seen']} … "
                       f"{version['last_seen']}  {version['title'] or ''}"))  # fmt: skip
    if found["events"]:
        out.print("checks:")
    for event in found["events"]:
        line = f"  {event['checked_at']}  {event['outcome']:<11} {event['detail'] or ''}"
        out.print(Text(line.rstrip(), style=OUTCOME_STYLES.get(event["outcome"], "")))


def _history(key: str, db_path: str | None) -> dict:
    with read_archive(db_path) as archive:
        record = archive.get(key)
        if record is None:
            raise click.UsageError(f"no article {key!r} in the archive")
        return history(archive.db.conn, record["id"])


@click.command("diff")
@click.argument("key")
@click.argument("versions", nargs=-1, type=int)
@click.option("--no-color", is_flag=True, help="Plain -/+ lines, no colours.")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as one JSON object.")
@db_option
def diff_cmd(key: str, versions: tuple[int, ...], no_color: bool, as_json: bool,
             db_path: str | None) -> None:  # fmt: skip
    """Paragraphs removed (-) and added (+) between two versions of an article (by id or
    URL); the last two unless V1 V2 are given (numbers from `scraper history`).

    \b
    Examples:
      scraper diff 12
      scraper diff 12 1 3 --no-color
    """
    found = _history(key, db_path)
    count = len(found["versions"])
    first, second = _pair(versions, count)
    old, new = found["versions"][first - 1], found["versions"][second - 1]
    changes = diff_versions(old, new)
    if as_json:
        click.echo(json.dumps({"id": found["id"], "from": first, "to": second, **changes},
                              ensure_ascii=False))  # fmt: skip
        return
    err.print(f"#{found['id']} version {first} ({old['first_seen']}) → version {second}"
              f" ({new['first_seen']})")  # fmt: skip
    if first == second:
        err.print("only one version: nothing to compare")
    lines = [(op, f"{FIELD_LABELS[name]}：{value[side]}")
             for name, value in changes["fields"].items()
             for op, side in (("-", "old"), ("+", "new")) if value[side]]  # fmt: skip
    lines += [(line["op"], line["text"]) for line in changes["paragraphs"] if line["op"] != " "]
    for op, text in lines:
        if no_color:
            click.echo(f"{op}{text}")
        else:
            out.print(Text(f"{op}{text}", style="red" if op == "-" else "green"))


def _pair(versions: tuple[int, ...], count: int) -> tuple[int, int]:
    """Which two versions: the last two by default (one alone is compared with itself)."""
    if not versions:
        return max(1, count - 1), count
    if len(versions) != 2:
        raise click.UsageError("give two version numbers (V1 V2), or none for the last two")
    for number in versions:
        if not 1 <= number <= count:
            raise click.UsageError(f"no version {number}: the article has {count} (1…{count})")
    return versions[0], versions[1]


HISTORY_COMMANDS = (recheck_cmd, history_cmd, diff_cmd)
