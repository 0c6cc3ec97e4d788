"""The main job: turn inputs (URLs, saved pages, folders, lists) into archived articles.

Inputs are streamed into a temporary table (de-duplicated there, so a 100k-URL list costs no
memory), then `concurrency` workers take them in order: fetch politely, extract in a process
pool, follow the article's next pages, and save. URLs of later pages (c_1_2.htm) come last, so
those whose article was archived from its first page are skipped, not archived again in part.
Articles are committed as they complete (those finishing together share a commit), so an
interrupted run keeps what finished and the same command resumes; after kill -9 only the last
few uncommitted articles are fetched again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

from scraper.article import Article
from scraper.extract.page import EXTRACTOR_VERSION, merge_pages
from scraper.extract.pagination import MAX_PAGES, page_number
from scraper.fetch.engine import FetchedPage, Fetcher, FetchError, NotAPage
from scraper.fetch.urls import BadURL, canonical_url
from scraper.pipeline.checks import NoArticleBody, NotAnArticle, check_body, check_page
from scraper.pipeline.inputs import LISTED_PATH_REFUSED, ListedPath, expand_inputs, looks_like_url
from scraper.pipeline.item_pages import raw_page_of, read_local_page, urls_of_article
from scraper.pipeline.outcomes import (
    ArchiveOptions,
    Outcome,
    OutcomeCallback,
    RunSummary,
)
from scraper.pipeline.workers import PageResult, Workers
from scraper.store.aliases import PAGE_OF_ARCHIVED, archived_as, archived_url
from scraper.store.aliases import add as add_aliases
from scraper.store.archive import Archive, RawPage, SaveResult
from scraper.store.errors import DiskFull
from scraper.warc.capture import capture_of
from scraper.warc.writer import RotatingWarcs

PIPELINES_PER_REQUEST_SLOT = 4


def run_archive(
    archive: Archive,
    items: Iterable[str],
    options: ArchiveOptions | None = None,
    on_total: Callable[[int], None] | None = None,
    on_outcome: OutcomeCallback | None = None,
) -> RunSummary:
    """Archive every input; Ctrl-C stops the run cleanly with `interrupted` set."""
    options = options or ArchiveOptions()
    return run_loop(run_archive_async(archive, items, options, None, on_total, on_outcome))


async def run_archive_async(
    archive: Archive,
    items: Iterable[str],
    options: ArchiveOptions,
    fetcher: Fetcher | None = None,
    on_total: Callable[[int], None] | None = None,
    on_outcome: OutcomeCallback | None = None,
) -> RunSummary:
    """`run_archive` inside a running event loop. Given a `fetcher`, the run shares its
    politeness (per-host gates, robots.txt) with whatever else uses it: discovery, re-checks."""
    summary = RunSummary()

    def record(outcome: Outcome) -> None:
        summary.add(outcome)
        if on_outcome:
            on_outcome(outcome)

    queue = InputQueue(archive)
    summary.total = queue.fill(expand_inputs(items), options, record)
    if on_total:
        on_total(summary.total)
    run = _Run(archive, queue, options, record)
    stopped = await run.main(summary.total, fetcher)
    summary.disk_full, summary.interrupted = run.disk_full, stopped and not run.disk_full
    if stopped:
        summary.count_what_is_stored(run.committed)
    return summary


def run_loop(coroutine):
    """uvloop where it is installed (Linux, macOS): it halves the event loop's own overhead."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


@contextlib.contextmanager
def ctrl_c_sets(stop: asyncio.Event) -> Iterator[None]:
    """While inside, Ctrl-C sets `stop` instead of raising: a run ends between two commits.
    Only the main thread gets signals; a run in a background thread (`scraper serve`) has none
    to handle, and uvloop raises ValueError there rather than RuntimeError."""
    loop = asyncio.get_running_loop()
    on_main = threading.current_thread() is threading.main_thread()
    if on_main:
        with contextlib.suppress(NotImplementedError):  # not POSIX
            loop.add_signal_handler(signal.SIGINT, stop.set)
    try:
        yield
    finally:
        if on_main:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signal.SIGINT)


class InputQueue:
    """The run's inputs in a TEMP table: de-duplicated by SQLite, read back in batches. URLs
    naming a later page (c_1_2.htm, ?page=3) form a second batch of their own."""

    def __init__(self, archive: Archive) -> None:
        self.db = archive.db
        self.archive = archive
        self.db.execute("DROP TABLE IF EXISTS temp.run_inputs")
        self.db.execute(
            "CREATE TEMP TABLE run_inputs (pos INTEGER PRIMARY KEY, item TEXT NOT NULL UNIQUE,"
            " later_page INTEGER NOT NULL)"
        )

    def fill(self, items: Iterable[str], options: ArchiveOptions, record: OutcomeCallback) -> int:
        if options.retry_failed:
            items = itertools.chain(items, self.archive.failed_urls())
        with self.db.conn:
            for item in items:
                key = self._key(item, record)
                if key:
                    later = looks_like_url(key) and page_number(key) > 1
                    self.db.execute(
                        "INSERT OR IGNORE INTO run_inputs (item, later_page) VALUES (?, ?)",
                        [key, later],
                    )
        return self.db.execute("SELECT count(*) FROM run_inputs").fetchone()[0]

    def _key(self, item: str, record: OutcomeCallback) -> str | None:
        if isinstance(item, ListedPath):
            record(Outcome(item, "failed", error=LISTED_PATH_REFUSED))
            return None
        if not looks_like_url(item):
            return item
        try:
            return canonical_url(item)
        except BadURL as error:
            self.archive.record_failure(item, "url", str(error))
            record(Outcome(item, "failed", error=str(error)))
            return None

    def batch(
        self, after: int, later_pages: bool, size: int = 500
    ) -> list[tuple[int, str, str | None]]:
        """The next inputs after position `after` (of the later pages, or of the rest), in order,
        each with the reason it needs no fetch (already archived, a page of an archived article)
        or None."""
        rows = self.db.execute(
            "SELECT pos, item FROM run_inputs WHERE later_page = ? AND pos > ? ORDER BY pos"
            " LIMIT ?",
            [later_pages, after, size],
        ).fetchall()
        return [
            (pos, item, archived_as(self.db.conn, item) if looks_like_url(item) else None)
            for pos, item in rows
        ]


class _Run:
    """One run's event loop side. All database access goes through one thread: SQLite releases
    the GIL while it writes (the FTS index is the costly part), so saving overlaps fetching."""

    def __init__(
        self, archive: Archive, queue: InputQueue, options: ArchiveOptions, record: OutcomeCallback
    ) -> None:
        self.archive = archive
        self.queue = queue
        self.options = options
        self.record = record
        self.db_thread = ThreadPoolExecutor(1, thread_name_prefix="archive-db")
        self.queued_saves = 0
        self.queued_lock = threading.Lock()  # counted on the event loop, uncounted in the thread
        self.uncommitted: Counter = Counter()  # save statuses, in the database thread
        self.committed: Counter = Counter()
        self.disk_full = False
        self.stop = asyncio.Event()
        self.warcs = RotatingWarcs(options.warc_dir) if options.warc_dir else None

    def _save(
        self, article: Article, known_by: dict[str, int], *args: object, **kwargs: object
    ) -> SaveResult:
        """In the database thread: save, and commit once no other save is waiting (a busy run
        commits a few articles at a time; an idle one each article at once)."""
        with self.queued_lock:
            self.queued_saves -= 1
        conn = self.archive.db.conn
        if known_by:  # an article archived under the URL that now redirects keeps its row
            first_page = [article.url, *(url for url, page in known_by.items() if page == 1)]
            article.url = archived_url(conn, first_page) or article.url
        saved = self.archive.save(article, *args, **kwargs)
        add_aliases(conn, saved.article_id, known_by)
        self.uncommitted[saved.status] += 1
        with self.queued_lock:
            idle = self.queued_saves == 0
        if idle:
            self._commit()
        return saved

    def _commit(self) -> None:
        self.archive.commit()
        self.committed.update(self.uncommitted)
        self.uncommitted.clear()

    def _commit_what_finished(self) -> None:
        """The last commit, even on Ctrl-C; on a full disk the uncommitted saves are dropped
        (the rerun fetches them again)."""
        try:
            self._commit()
        except DiskFull:
            self.disk_full = True
            self.archive.db.conn.rollback()
        self.archive.defer_commits(False)

    async def _db(self, func: Callable, *args: object, **kwargs: object):
        call = functools.partial(func, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self.db_thread, call)

    async def main(self, total: int, shared: Fetcher | None = None) -> bool:
        """Process the queue; True when Ctrl-C (or a full disk) stopped it."""
        stop = self.stop
        # More articles in progress than requests in flight: while some pages are being
        # extracted or saved, others are being fetched (the Fetcher caps requests).
        pipelines = max(1, self.options.fetch.concurrency) * PIPELINES_PER_REQUEST_SLOT
        self.archive.defer_commits(True)
        try:
            with (
                ctrl_c_sets(stop),
                Workers(self.options.workers, total, self.archive.user_words()) as workers,
            ):
                # A shared Fetcher stays open: its owner closes it.
                own = Fetcher(self.options.fetch) if shared is None else None
                async with own or contextlib.nullcontext(shared) as fetcher:
                    # Later pages (c_1_2.htm) wait until everything else is stored: by then those
                    # whose first page was in the list are known as pages of its article.
                    for later_pages in (False, True):
                        if not stop.is_set():
                            await self._phase(later_pages, pipelines, fetcher, workers, stop)
        finally:
            self.db_thread.shutdown(wait=True)
            if self.warcs:
                self.warcs.close()
            self._commit_what_finished()
        return stop.is_set()

    async def _phase(
        self,
        later_pages: bool,
        pipelines: int,
        fetcher: Fetcher,
        workers: Workers,
        stop: asyncio.Event,
    ) -> None:
        """Archive the later pages, or the other inputs, with `pipelines` workers."""
        pending: asyncio.Queue[str | None] = asyncio.Queue(maxsize=pipelines * 2)
        tasks = [asyncio.create_task(self._feed(pending, pipelines, later_pages))]
        tasks += [
            asyncio.create_task(self._worker(pending, fetcher, workers)) for _ in range(pipelines)
        ]
        await self._until_done_or_stopped(tasks, stop)

    async def _until_done_or_stopped(self, tasks: list[asyncio.Task], stop: asyncio.Event) -> None:
        done = asyncio.ensure_future(asyncio.gather(*tasks))
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait([done, stopper], return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if stop.is_set():
            done.cancel()  # drop in-flight requests: they are fetched again on resume
            await asyncio.gather(done, return_exceptions=True)
        else:
            await done

    async def _feed(self, pending: asyncio.Queue, consumers: int, later_pages: bool) -> None:
        """Queue the inputs in order, a batch at a time, then one end marker per worker."""
        after = 0
        while batch := await self._db(self.queue.batch, after, later_pages):
            after = batch[-1][0]
            for _, item, archived in batch:
                # --refresh fetches archived articles again, but a later page only with its first
                if archived == PAGE_OF_ARCHIVED or (
                    archived and looks_like_url(item) and not self.options.refresh
                ):
                    self.record(Outcome(item, "already_archived", error=archived))
                else:
                    await pending.put(item)
        for _ in range(consumers):
            await pending.put(None)

    async def _worker(self, pending: asyncio.Queue, fetcher: Fetcher, workers: Workers) -> None:
        while (item := await pending.get()) is not None:
            try:
                self.record(await self._one(item, fetcher, workers))
            except DiskFull:  # no input can be archived now: stop, keeping what is committed
                self.disk_full = True
                self.stop.set()
                return

    async def _one(self, item: str, fetcher: Fetcher, workers: Workers) -> Outcome:
        is_url = looks_like_url(item)
        try:
            results, raws = await self._pages(item, is_url, fetcher, workers)
            return await self._store(item, results, raws, workers)
        except FetchError as error:
            return await self._failed(item, error.stage, str(error), error.attempts,
                                      _status_of(error))  # fmt: skip

    async def _failed(
        self, item: str, stage: str, error: str, attempts: int = 1, status: str = "failed"
    ) -> Outcome:
        """The outcome, and for a URL a row in the failures table (local files have none)."""
        if looks_like_url(item):
            await self._db(self.archive.record_failure, item, stage, error, attempts)
        return Outcome(item, status, error=error)

    async def _pages(
        self, item: str, is_url: bool, fetcher: Fetcher, workers: Workers
    ) -> tuple[list[PageResult], list[RawPage]]:
        """Page 1 and, for a multi-page article, the next pages in order (capped, no loops)."""
        url = item if is_url else None
        page = await self._fetch(fetcher, item) if is_url else self._read_local(item)
        check_page(page.content)  # only page 1: a bad later page must not lose the article
        results: list[PageResult] = []
        raws: list[RawPage] = []
        seen = {item}
        while True:
            result = await workers.process(page.content, url or page.url, page.charset,
                                           page.fetched_at)  # fmt: skip
            results.append(result)
            raws.append(raw_page_of(page, result))
            following = result.next_url
            if not following or following in seen or len(results) >= MAX_PAGES:
                return results, raws
            seen.add(following)
            page, url = await self._fetch(fetcher, following), following

    async def _fetch(self, fetcher: Fetcher, url: str) -> FetchedPage:
        """Fetch, and with --warc write the exchange (in the database thread: one writer)."""
        page = await fetcher.fetch(url)
        if self.warcs:
            await self._db(self.warcs.write, capture_of(page))
        return page

    async def _store(
        self, item: str, results: list[PageResult], raws: list[RawPage], workers: Workers
    ) -> Outcome:
        article = merge_pages([r.article for r in results])
        known_by = urls_of_article(item, raws) if looks_like_url(item) else {}
        # Keyed by where page 1 ended up after redirects; the URL asked for is an alias.
        article.url = next(iter(known_by), raws[0].url)
        check_body(article)
        single = len(results) == 1
        entry = results[0].entry if single else await workers.index_entry(article)
        with self.queued_lock:
            self.queued_saves += 1
        saved = await self._db(self._save, article, known_by, raws, entry,
                               extractor_version=EXTRACTOR_VERSION)  # fmt: skip
        lossy = any(r.lossy for r in results)
        warning = "decoded with replacement characters (mojibake risk)" if lossy else None
        return Outcome(
            item, saved.status, saved.article_id, article.title, None, len(raws), warning
        )

    def _read_local(self, item: str) -> FetchedPage:
        return read_local_page(item, self.options.url, self.options.fetch.max_bytes)


def _status_of(error: FetchError) -> str:
    if isinstance(error, (NotAPage, NotAnArticle)):
        return "not_an_article"
    return "no_body" if isinstance(error, NoArticleBody) else "failed"
