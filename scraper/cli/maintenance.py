"""`scraper` verbs that work on what is already archived: import, reextract, dupes, reindex."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.text import Text

from scraper.cli.common import db_option, err, open_archive, out, read_archive
from scraper.export.backup import record_problem
from scraper.export.formats import read_jsonl


@click.command("import")
@click.argument("file", type=click.Path(allow_dash=True))
@db_option
def import_cmd(file: str, db_path: str | None) -> None:
    """Restore a jsonl export, a Parquet export or a folder of `scraper batch` shards into the
    archive (existing URLs are updated; ids are kept when free; raw pages of an export made
    --with-raw are restored). A bad line is reported with its number and skipped (exit code
    1); the rest is imported.

    \b
    Examples:
      scraper import backup.jsonl --db other.db
      scraper import shards/ --db news.db
    """
    from scraper.pipeline.maintenance import import_records

    source = "/dev/stdin" if file == "-" else file
    bad_lines = []

    def report(message: str) -> None:
        bad_lines.append(message)
        err.print(Text(message))

    with open_archive(db_path) as archive:
        if Path(file).is_dir() or file.endswith(".parquet"):
            from scraper.export.parquet import read_parquet_inputs

            records = read_parquet_inputs(file)
        else:
            records = read_jsonl(source, report, record_problem)
        counts = import_records(archive, records)
    if bad_lines:
        counts["skipped (bad line)"] = len(bad_lines)
    err.print(", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to import")
    if bad_lines:
        sys.exit(1)


@click.command("reextract")
@click.argument("ids", nargs=-1, type=int)
@db_option
def reextract_cmd(ids: tuple[int, ...], db_path: str | None) -> None:
    """Re-run extraction on stored raw pages (all, or the given ids).

    \b
    Example:
      scraper reextract
    """
    from scraper.pipeline.maintenance import reextract

    with open_archive(db_path, create=False) as archive:
        counts = reextract(archive, ids or None)
    err.print(", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to do")


@click.command("dupes")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print clusters as JSON lines.")
@db_option
def dupes_cmd(limit: int, as_json: bool, db_path: str | None) -> None:
    """List reposts: clusters of near-duplicate articles, each copy with its 来源.

    \b
    Example:
      scraper dupes --limit 5
    """
    from scraper.store.dupes import clusters

    with read_archive(db_path) as archive:
        found = clusters(archive.db.conn, limit)
    for copies in found:
        if as_json:
            click.echo(json.dumps([c.__dict__ for c in copies], ensure_ascii=False))
            continue
        out.print(Text(f"{len(copies)} copies: {copies[0].title or '(untitled)'}", style="bold"))
        for c in copies:
            out.print(
                Text(
                    f"  {c.id}. {c.published_at or '-'} · {c.source or '-'} · {c.site or '-'} · {c.url}"
                )
            )
    if not found and not as_json:
        err.print("no near-duplicate articles in the archive")


@click.command("reindex")
@click.option("--userdict", type=click.Path(dir_okay=False, exists=True),
              help="jieba-style word list (one word per line) added to the archive's dictionary.")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), help="Processes [default: cores].")
@db_option
def reindex_cmd(userdict: str | None, workers: int | None, db_path: str | None) -> None:
    """Recompute the search index (after a dictionary or segmenter change).

    \b
    Examples:
      scraper reindex
      scraper reindex --userdict my_terms.txt
    """
    from scraper.pipeline.maintenance import reindex

    with open_archive(db_path, create=False) as archive:
        total = reindex(archive, userdict, workers)
    err.print(f"reindexed {total} articles")


MAINTENANCE_COMMANDS = (import_cmd, reextract_cmd, dupes_cmd, reindex_cmd)
