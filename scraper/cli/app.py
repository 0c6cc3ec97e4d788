"""`scraper` command line: every verb is a thin wrapper over a library function."""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from rich.text import Text

from scraper.cli.common import (
    PageRefused,
    db_option,
    err,
    fetch_options,
    fetch_settings,
    filter_options,
    open_archive,
    out,
    read_archive,
)
from scraper.cli.discover import archive_discovered_cmd, discover_cmd, discover_options
from scraper.cli.history import HISTORY_COMMANDS
from scraper.cli.maintenance import MAINTENANCE_COMMANDS
from scraper.cli.reports import REPORT_COMMANDS
from scraper.cli.serve import serve_cmd
from scraper.cli.warc import (
    archive_warc_inputs,
    batch_cmd,
    merged,
    split_warc_inputs,
    wanted_urls,
)
from scraper.cli.watch import WATCH_COMMANDS
from scraper.export.archival import BINARY_FORMATS, write_binary_export
from scraper.export.backup import with_raw_pages
from scraper.export.formats import FORMATS, ExportError, write_export
from scraper.export.selection import EXPORT_SORTS, select_records
from scraper.pipeline.inputs import InputListError, open_list, read_list
from scraper.search.engine import SORTS, QueryError, count, search
from scraper.store.archive import ArchiveError
from scraper.version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scraper")
def cli() -> None:
    """Archive Chinese news articles: extract, store, search and export.

    \b
    Example:
      scraper archive seeds/ && scraper search 工业互联网
    """


@cli.command("archive")
@click.argument("inputs", nargs=-1)
@click.option("-i", "--input-list", type=click.File("rb"), multiple=True,
              help="File listing URLs, one per line (# comments); UTF-8 or UTF-16.")  # fmt: skip
@click.option("--allow-files", is_flag=True, help="Lists (-i, stdin) may also name local files.")
@click.option("--url", help="The original URL of a single saved page.")
@fetch_options
@click.option("--refresh", is_flag=True, help="Fetch archived URLs again; update if changed.")
@click.option("--retry-failed", is_flag=True, help="Also retry the URLs that failed before.")
@click.option("--warc", "warc_dir", type=click.Path(file_okay=False),
              help="Also write every fetched page as WARC records (.warc.gz) in this folder.")  # fmt: skip
@click.option("--site", help="WARC inputs: only this site's pages (domain), e.g. gmw.cn.")
@click.option("--url-pattern", help="WARC inputs: only URLs matching this regular expression.")
@click.option("--discover", "discover_sources", is_flag=True,
              help="INPUTS are sources (feeds, sitemaps, list pages, editions): archive the "
              "articles `scraper discover` finds there.")  # fmt: skip
@discover_options
@db_option
def archive_cmd(inputs, input_list, allow_files, url, site, url_pattern, discover_sources, kind,
                since, until, pages, as_json, quiet, db_path, **flags) -> None:  # fmt: skip
    """Archive URLs, saved pages (.html/.htm/.txt), WARC files (.warc, .warc.gz), folders of
    them, or lists ("-" = stdin).

    Fetching is polite (per-host limits and delay, robots.txt) and robust (timeouts, retries,
    size caps). Each article is committed when done: run the same command again to resume.
    Exit code: 0 all archived, 1 some failed, 2 usage error, 130 interrupted.

    \b
    Examples:
      scraper archive seeds/
      scraper archive -i urls.txt --per-host 1 --delay 2
      cat urls.txt | scraper archive - --json
      scraper archive --retry-failed
      scraper archive --discover https://news.example.cn/rss.xml
      scraper archive https://www.gmw.cn/ --warc warcs/
      scraper archive crawl/*.warc.gz --site gmw.cn --db news.db
    """
    # Imported here: `scraper search` should not pay for the fetching stack at start-up.
    from scraper.cli.progress import ArchiveProgress, report_summary
    from scraper.pipeline.run import run_archive

    options = _archive_options(_page_url(url, inputs, input_list), flags)
    warcs, inputs = split_warc_inputs(inputs)
    if not warcs and not inputs and not input_list and not options.retry_failed:
        raise click.UsageError("give at least one URL, file, folder, -i LIST or - (stdin)")
    if (site or url_pattern) and not warcs:
        raise click.UsageError("--site and --url-pattern filter WARC inputs; none was given")
    if discover_sources:
        summary = archive_discovered_cmd(
            list(_gather_inputs(inputs, input_list, allow_files)), options,
            (kind, since, until, pages), db_path, quiet or as_json,
        )  # fmt: skip
        report_summary(out, err, summary, as_json)
        sys.exit(130 if summary.interrupted else 1 if summary.failed else 0)
    if kind or since or until or pages != 1:
        raise click.UsageError("--kind, --since, --until and --pages need --discover")
    summaries = []
    with open_archive(db_path) as archive:
        if warcs:
            wanted = wanted_urls(site, url_pattern)
            summaries.append(archive_warc_inputs(archive, warcs, wanted, options.workers,
                                                 quiet or as_json))  # fmt: skip
        if inputs or input_list or options.retry_failed:
            with ArchiveProgress(err, quiet or as_json) as progress:
                items = _gather_inputs(inputs, input_list, allow_files)
                summaries.append(run_archive(archive, items, options, progress.start,
                                             progress.advance))  # fmt: skip
    summary = merged(summaries)
    report_summary(out, err, summary, as_json)
    if summary.disk_full:
        saved = summary.counts["added"] + summary.counts["updated"]
        _fail(f"disk full: {saved} articles saved; free space and rerun", 1)
    sys.exit(130 if summary.interrupted else 1 if summary.failed else 0)


def _archive_options(url: str | None, flags: dict):
    from scraper.pipeline.run import ArchiveOptions

    settings = fetch_settings(flags)
    return ArchiveOptions(settings, flags["refresh"], flags["retry_failed"], url, flags["workers"],
                          flags["warc_dir"])  # fmt: skip


def _page_url(url: str | None, inputs: tuple[str, ...], lists: tuple) -> str | None:
    """--url, canonical, when it names the original of exactly one saved page."""
    from scraper.fetch.urls import BadURL, canonical_url
    from scraper.pipeline.inputs import looks_like_url

    if url is None:
        return None
    try:
        canonical = canonical_url(url)
    except BadURL as error:
        raise click.UsageError(f"--url {url!r}: {error}") from None
    one_file = len(inputs) == 1 and not lists and inputs[0] != "-"
    if not one_file or looks_like_url(inputs[0]) or Path(inputs[0]).is_dir():
        raise click.UsageError("--url names one saved page: give exactly one file with it")
    return canonical


def _gather_inputs(inputs: tuple[str, ...], lists: tuple, allow_files: bool) -> Iterator[str]:
    """Inputs in order, streamed: arguments ("-" reads stdin), then each -i list."""
    for item in inputs:
        if item == "-":
            yield from read_list(open_list(sys.stdin.buffer), allow_files, "stdin")
        else:
            yield item
    for stream in lists:
        yield from read_list(open_list(stream), allow_files, stream.name)


@cli.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--url", help="The page's original URL (helps pick the site rule).")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
def parse_cmd(file: str, url: str | None, as_json: bool) -> None:
    """Extract one saved page and print the article; nothing is stored. Exit 1 when the page
    holds no article (binary data, no body).

    \b
    Example:
      scraper parse seeds/000_aab09b9d773d6dc3.html --json
    """
    from scraper.fetch.engine import FetchError
    from scraper.pipeline.checks import parse_page

    content = sys.stdin.buffer.read() if file == "-" else _read_file(file)
    try:
        article = parse_page(content, url)
    except FetchError as error:
        raise PageRefused(f"{file}: {error}") from None
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_record(article.to_dict())


def _read_file(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as error:
        raise click.UsageError(f"cannot read {file}: {error.strerror}") from None


def _print_record(record: dict) -> None:
    from scraper.export.formats import render_txt

    out.print(Text(render_txt(record).rstrip("\n")))
    if record.get("extractor"):
        err.print(Text(f"[extracted by {record['extractor']}]", style="dim"))


@cli.command("show")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@db_option
def show_cmd(key: str, as_json: bool, db_path: str | None) -> None:
    """Show one archived article by id or URL.

    \b
    Example:
      scraper show 1
    """
    with read_archive(db_path) as archive:
        record = archive.get(key)  # an id, or any URL it is known by in any spelling
    if record is None:
        raise click.UsageError(f"no article {key!r} in the archive")
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        _print_record(record)


@cli.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--count", "count_only", is_flag=True, help="Print only how many articles match.")
@click.option("--collapse/--no-collapse", default=True, show_default=True,
              help="One hit per story (copies of it archived from other captures or portals).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON lines.")
@db_option
def search_cmd(query, since, until, site, source, status, limit, sort, count_only, collapse,
               as_json, db_path):  # fmt: skip
    """Search the archive. Words are ANDed (AND); OR between two terms; -word or NOT word
    excludes; "…" is an exact phrase (every article containing it); title:word looks in
    titles; site:, source:, since:, until:, status: (live, edited, suspected, deleted) filter
    (-site:, -source:, -status: exclude). Filters without words list the matching articles,
    newest first. Each hit starts with its article id (#1,
    for `scraper show 1`); copies of one story are shown once unless --no-collapse.

    \b
    Examples:
      scraper search 工业互联网
      scraper search '"人工智能" OR 大模型 -广告' --since 2025-01 --source 人民
      scraper search 新质生产力 site:gmw.cn since:2024 --sort date
    """
    text = " ".join(query)
    filters = {"since": since, "until": until, "site": site, "source": source, "status": status}
    with read_archive(db_path) as archive:
        stale = archive.stale_index()
        if stale:
            err.print(Text(f"warning: {stale}", style="yellow"))
        if count_only:
            click.echo(count(archive, text, **filters))
            return
        hits = search(archive, text, limit=limit, sort=sort, collapse=collapse, **filters)
    if as_json:
        for hit in hits:
            click.echo(json.dumps(hit.__dict__, ensure_ascii=False))
        return
    if not hits:
        err.print(f"no articles match {text!r}")
        return
    for hit in hits:
        _print_hit(hit)


def _print_hit(hit) -> None:
    meta = " · ".join(p for p in (hit.published_at, hit.source, hit.url) if p)
    out.print(Text(f"#{hit.id} {hit.title or '(untitled)'}", style="bold"))
    out.print(Text(meta, style="dim"))
    snippet = Text()
    last = 0
    for start, end in hit.highlights:
        snippet.append(hit.snippet[last:start])
        snippet.append(hit.snippet[start:end], style="bold yellow")
        last = end
    snippet.append(hit.snippet[last:])
    out.print(Text(" ").join([Text("  "), Text(" ").join(snippet.split("\n"))]))
    if hit.copies:
        others = ", ".join(f"#{i}" for i in hit.copies)
        out.print(Text(f"   the same story is also archived as {others} (--no-collapse lists it)",
                       style="dim"))  # fmt: skip
    out.print()


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS + BINARY_FORMATS), default="txt",
              show_default=True)  # fmt: skip
@click.option("--out", "out_path",
              help="File, or folder (existing or ending in /) for txt/md; - for stdout.")  # fmt: skip
@click.option("--query", help="Only articles matching this search.")
@filter_options
@click.option("--limit", type=click.IntRange(1), help="At most this many articles.")
@click.option("--sort", type=click.Choice(EXPORT_SORTS), default="oldest", show_default=True,
              help="oldest/newest published first, or relevance (with --query).")  # fmt: skip
@click.option("--with-raw", is_flag=True,
              help="jsonl, parquet: include the raw pages, so reextract works after import.")  # fmt: skip
@db_option
def export_cmd(fmt, out_path, query, since, until, site, source, status, limit, sort, with_raw,
               db_path) -> None:  # fmt: skip
    """Export articles as txt, md, jsonl or csv (stdout unless --out), or as a Parquet or
    WARC file (--out FILE; WARC holds the stored raw pages with their capture provenance).

    \b
    Examples:
      scraper export --format jsonl --out backup.jsonl --with-raw
      scraper export --format txt --out articles/ --site gmw.cn
      scraper export --format csv --query 工业互联网 --sort relevance --limit 100
      scraper export --format parquet --out articles.parquet
    """
    if with_raw and fmt not in ("jsonl", "parquet"):
        raise click.UsageError("--with-raw needs --format jsonl or parquet")
    filters = {"since": since, "until": until, "site": site, "source": source, "status": status}
    with read_archive(db_path) as archive:
        records = select_records(archive, query, sort, filters)
        if with_raw:
            records = with_raw_pages(archive, records)
        records = itertools.islice(records, limit)
        if fmt in BINARY_FORMATS:
            count = write_binary_export(archive, records, fmt, out_path, with_raw)
        else:
            count = write_export(records, fmt, out_path, sys.stdout)
    if out_path and out_path != "-":
        err.print(f"exported {count} articles to {out_path}")


cli.add_command(discover_cmd)
cli.add_command(serve_cmd)
cli.add_command(batch_cmd)
for command in (*REPORT_COMMANDS, *MAINTENANCE_COMMANDS, *WATCH_COMMANDS, *HISTORY_COMMANDS):
    cli.add_command(command)

USER_ERRORS = (ArchiveError, ExportError, QueryError, PageRefused, InputListError)


def main() -> None:
    """Entry point: user errors are one line on stderr, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        err.print("interrupted")
        sys.exit(130)
    except click.ClickException as error:
        _fail(error.format_message(), 2)
    except USER_ERRORS as error:
        _fail(str(error), getattr(error, "exit_code", 2))
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as error:  # a bug: still one line, with a way to get the traceback
        if os.environ.get("SCRAPER_DEBUG"):
            raise
        _fail(f"internal error: {type(error).__name__}: {error} (SCRAPER_DEBUG=1 for details)", 1)


def _fail(message: str, code: int) -> None:
    err.print(Text(f"scraper: error: {' '.join(message.split())}"))
    sys.exit(code)
