"""The WARC side of `scraper archive` (WARC files as inputs) and `scraper batch` (Dask)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from rich.text import Text

from scraper.cli.common import err


def split_warc_inputs(inputs: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(WARC files, other inputs): a folder's WARC files are WARC inputs, and the folder stays
    an input too when it also holds saved pages. A missing .warc.gz is read and reported."""
    from scraper.warc.reader import warc_files

    warcs, others = [], []
    for item in inputs:
        found = warc_files(item)
        warcs += found
        if not found or (Path(item).is_dir() and _has_pages(item)):
            others.append(item)
    return warcs, others


def _has_pages(folder: str) -> bool:
    from scraper.pipeline.inputs import PAGE_SUFFIXES

    return any(p.suffix.lower() in PAGE_SUFFIXES for p in Path(folder).iterdir())


def wanted_urls(site: str | None, url_pattern: str | None):
    from scraper.pipeline.warc_input import url_filter

    try:
        return url_filter(site, url_pattern)
    except re.error as error:
        message = f"not a regular expression: {error}"
        raise click.BadParameter(message, param_hint="--url-pattern") from None


def archive_warc_inputs(archive, warcs: list[str], wanted, workers: int | None, quiet: bool):
    """Archive the WARC files' HTML responses with a progress bar; the run's summary."""
    from scraper.cli.progress import ArchiveProgress
    from scraper.pipeline.warc_input import archive_warcs

    with ArchiveProgress(err, quiet) as progress:
        progress.start(None)
        return archive_warcs(archive, warcs, wanted, workers, progress.advance)


def merged(summaries: list):
    """One summary of several runs (WARC inputs, then the other inputs)."""
    first, *rest = summaries
    for summary in rest:
        first.counts.update(summary.counts)
        first.total += summary.total
        first.interrupted |= summary.interrupted
        first.disk_full |= summary.disk_full
        for name in ("outcomes", "failed", "warnings"):
            getattr(first, name).extend(getattr(summary, name))
    return first


@click.command("batch")
@click.argument("warcs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, help="Folder (or fsspec URL) for the shards.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Local Dask workers [default: cores]; ignored with --scheduler.")  # fmt: skip
@click.option("--scheduler", help="A running Dask scheduler, e.g. tcp://10.0.0.5:8786.")
@click.option("--site", help="Only this site's pages (domain).")
@click.option("--url-pattern", help="Only URLs matching this regular expression.")
def batch_cmd(warcs, out_dir, workers, scheduler, site, url_pattern) -> None:
    """Extract WARC files on a Dask cluster: one Parquet shard per WARC file in --out, for
    `scraper import SHARDS_DIR`. Finished files are skipped on a re-run; a file that fails is
    reported and the others go on (exit code 1). Workers never open an archive.

    \b
    Examples:
      scraper batch crawl/*.warc.gz --out shards/ --workers 2
      scraper batch s3://bucket/cc-news/*.warc.gz --out s3://bucket/shards --scheduler tcp://head:8786
      scraper import shards/ --db news.db
    """
    try:
        from scraper.pipeline.batch import run_batch
    except ImportError as error:
        raise click.ClickException(
            f"scraper batch needs Dask ({error.name} is missing): pip install 'scraper[batch]'"
        ) from None
    wanted_urls(site, url_pattern)  # a bad pattern fails here, not on every worker
    try:
        report = run_batch(list(warcs), out_dir, workers, scheduler, site, url_pattern)
    except OSError as error:  # the scheduler cannot be reached, the output cannot be made
        raise click.ClickException(f"cannot run the batch: {error}") from None
    for path, problem in report.failed:
        err.print(Text(f"failed  {path}  {problem}", style="red"))
    err.print(
        f"{report.done} files extracted ({report.articles} articles), {report.skipped} already"
        f" done, {len(report.failed)} failed; shards in {out_dir}"
    )
    sys.exit(1 if report.failed else 0)
