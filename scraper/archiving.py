"""The main job: turn inputs (URLs, saved pages, folders, lists) into archived articles.

Inputs are streamed into a temporary table (de-duplicated there, so a 100k-URL list costs no
memory), then `concurrency` workers take them in order: fetch politely, extract in a process
pool, follow the article's next pages, and save. Each article is committed as it completes, so
an interrupted run keeps everything finished before it and the same command resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scraper.extract import EXTRACTOR_VERSION, merge_pages
from scraper.fetch import FetchedPage, Fetcher, FetchError, FetchSettings, NotAPage
from scraper.inputs import expand_inputs, looks_like_url
from scraper.pagination import MAX_PAGES
from scraper.store import Archive, RawPage
from scraper.urls import BadURL, canonical_url
from scraper.workers import PageResult, Workers


@dataclass
class Outcome:
    input: str
    status: str  # added | updated | unchanged | skipped | failed
    article_id: int | None = None
    title: str | None = None
    error: str | None = None
    pages: int = 0
    warning: str | None = None


@dataclass
class RunSummary:
    outcomes: list[Outcome] = field(default_factory=list)
    total: int = 0
    interrupted: bool = False

    @property
    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


@dataclass
class ArchiveOptions:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    refresh: bool = False  # fetch URLs already archived again (updated only if changed)
    retry_failed: bool = False
    url: str | None = None  # the original URL of a single saved page
    workers: int | None = None  # extraction processes; None: one per core for large runs


OutcomeCallback = Callable[[Outcome], None]


def run_archive(
    archive: Archive,
    items: Iterable[str],
    options: ArchiveOptions | None = None,
    on_total: Callable[[int], None] | None = None,
    on_outcome: OutcomeCallback | None = None,
) -> RunSummary:
    """Archive every input; Ctrl-C stops the run cleanly with `interrupted` set."""
    options = options or ArchiveOptions()
    summary = RunSummary()

    def record(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    queue = InputQueue(archive)
    summary.total = queue.fill(expand_inputs(items), options, record)
    if on_total:
        on_total(summary.total)
    run = _Run(archive, queue, options, record)
    summary.interrupted = asyncio.run(run.main(summary.total))
    return summary


class InputQueue:
    """The run's inputs in a TEMP table: de-duplicated by SQLite, read back in batches."""

    def __init__(self, archive: Archive) -> None:
        self.db = archive.db
        self.archive = archive
        self.db.execute("DROP TABLE IF EXISTS temp.run_inputs")
        self.db.execute(
            "CREATE TEMP TABLE run_inputs (pos INTEGER PRIMARY KEY, item TEXT NOT NULL UNIQUE)"
        )

    def fill(self, items: Iterable[str], options: ArchiveOptions, record: OutcomeCallback) -> int:
        if options.retry_failed:
            items = _chain(items, self.archive.failed_urls())
        with self.db.conn:
            for item in items:
                key = self._key(item, record)
                if key:
                    self.db.execute("INSERT OR IGNORE INTO run_inputs (item) VALUES (?)", [key])
        return self.db.execute("SELECT count(*) FROM run_inputs").fetchone()[0]

    def _key(self, item: str, record: OutcomeCallback) -> str | None:
        if not looks_like_url(item):
            return item
        try:
            return canonical_url(item)
        except BadURL as error:
            self.archive.record_failure(item, "url", str(error))
            record(Outcome(item, "failed", error=str(error)))
            return None

    def __iter__(self) -> Iterator[str]:
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT pos, item FROM run_inputs WHERE pos > ? ORDER BY pos LIMIT 500", [last]
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (item for _, item in rows)


def _chain(*iterables: Iterable[str]) -> Iterator[str]:
    for iterable in iterables:
        yield from iterable


class _Run:
    def __init__(
        self, archive: Archive, queue: InputQueue, options: ArchiveOptions, record: OutcomeCallback
    ) -> None:
        self.archive = archive
        self.queue = queue
        self.options = options
        self.record = record

    async def main(self, total: int) -> bool:
        """Process the queue; True when Ctrl-C stopped it."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not main thread / POSIX
            loop.add_signal_handler(signal.SIGINT, stop.set)
        items = iter(self.queue)
        with Workers(self.options.workers, total) as workers:
            async with Fetcher(self.options.fetch) as fetcher:
                tasks = [
                    asyncio.create_task(self._worker(items, fetcher, workers))
                    for _ in range(max(1, self.options.fetch.concurrency))
                ]
                done = asyncio.ensure_future(asyncio.gather(*tasks))
                await asyncio.wait([done, asyncio.ensure_future(stop.wait())],
                                   return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
                if stop.is_set():
                    done.cancel()  # drop in-flight requests: they are retried on resume
                    await asyncio.gather(done, return_exceptions=True)
                else:
                    await done
        loop.remove_signal_handler(signal.SIGINT)
        return stop.is_set()

    async def _worker(self, items: Iterator[str], fetcher: Fetcher, workers: Workers) -> None:
        for item in items:  # shared iterator: each item goes to exactly one worker
            outcome = await self._one(item, fetcher, workers)
            self.record(outcome)

    async def _one(self, item: str, fetcher: Fetcher, workers: Workers) -> Outcome:
        is_url = looks_like_url(item)
        if is_url and not self.options.refresh and self.archive.has_url(item):
            return Outcome(item, "skipped", error="already archived")
        try:
            results, raws = await self._pages(item, is_url, fetcher, workers)
        except NotAPage as error:
            self.archive.record_failure(item, error.stage, str(error), error.attempts)
            return Outcome(item, "skipped", error=str(error))
        except FetchError as error:
            self.archive.record_failure(item, error.stage, str(error), error.attempts)
            return Outcome(item, "failed", error=str(error))
        return await self._store(item, results, raws, workers)

    async def _pages(
        self, item: str, is_url: bool, fetcher: Fetcher, workers: Workers
    ) -> tuple[list[PageResult], list[RawPage]]:
        """Page 1 and, for a multi-page article, the next pages in order (capped, no loops)."""
        url = item if is_url else None
        page = await fetcher.fetch(item) if is_url else _read_local(item, self.options.url)
        results: list[PageResult] = []
        raws: list[RawPage] = []
        seen = {item}
        while True:
            result = await workers.process(page.content, url or page.url, page.charset)
            results.append(result)
            raws.append(RawPage(page.url, page.content, page.content_type, result.encoding,
                                page.fetched_at, result.packed))  # fmt: skip
            following = result.next_url
            if not following or following in seen or len(results) >= MAX_PAGES:
                return results, raws
            seen.add(following)
            page, url = await fetcher.fetch(following), following

    async def _store(
        self, item: str, results: list[PageResult], raws: list[RawPage], workers: Workers
    ) -> Outcome:
        article = merge_pages([r.article for r in results])
        article.url = item if looks_like_url(item) else raws[0].url
        if not (article.title or article.body):
            self.archive.record_failure(item, "extract", "no article found on the page")
            return Outcome(item, "failed", error="no article found on the page")
        tokens = results[0].tokens if len(results) == 1 else await workers.tokens(article)
        saved = self.archive.save(article, raws, tokens, extractor_version=EXTRACTOR_VERSION)
        self.archive.clear_failure(item)
        lossy = any(r.lossy for r in results)
        warning = "decoded with replacement characters (mojibake risk)" if lossy else None
        return Outcome(
            item, saved.status, saved.article_id, article.title, None, len(raws), warning
        )


def _read_local(item: str, url: str | None) -> FetchedPage:
    path = Path(item)
    try:
        content = path.read_bytes()
    except OSError as error:
        reason = "no such file, and not an http(s) URL" if not path.exists() else error.strerror
        raise FetchError(str(reason), stage="read") from None
    kind = "text/plain" if path.suffix.lower() == ".txt" else "text/html"
    return FetchedPage(url or path.resolve().as_uri(), content, kind, None, _mtime_iso(path))


def _mtime_iso(path: Path) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
