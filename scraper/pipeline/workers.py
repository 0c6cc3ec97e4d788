"""CPU work of an archive run (decode, extract, segment) in a pool of processes.

Fetching is I/O and stays on the event loop; extraction and jieba segmentation are CPU-bound,
so large runs spread them over one process per core. Small runs do the work in-process and
skip the pool's start-up (each process loads jieba's dictionary once).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from scraper.article import Article
from scraper.extract.page import extract_page
from scraper.fetch.decode import decode_page
from scraper.pipeline.checks import ExtractFailed
from scraper.store.archive import pack
from scraper.store.index import IndexEntry, index_entry
from scraper.store.segment import add_words, tokens

SMALL_RUN = 8  # inputs; below this a process pool costs more than it saves


@dataclass
class PageResult:
    article: Article
    next_url: str | None
    encoding: str
    lossy: bool
    entry: IndexEntry | None  # its search index entry, computed here for one-page articles
    packed: tuple[bytes, str]  # the raw page compressed, and its checksum


def process_page(
    content: bytes, url: str | None, charset: str | None, fetched_at: str | None = None
) -> PageResult:
    """Everything CPU-bound about one fetched page, so the event loop only moves bytes."""
    decoded = decode_page(content, charset)
    article, next_url = extract_page(decoded.text, url, fetched_at)
    entry = article_entry(article) if next_url is None else None
    return PageResult(article, next_url, decoded.encoding, decoded.lossy, entry, pack(content))


def article_entry(article: Article) -> IndexEntry:
    return index_entry(article.to_dict())


def _init_worker(user_words: list[str], run_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_exit_with, args=(run_pid,), name="watch-run", daemon=True).start()
    add_words(user_words)  # the archive's user dictionary, so workers cut like the index
    tokens("预热")  # load jieba's dictionary before the first real page


def _exit_with(run_pid: int) -> None:
    """End this worker when the run's process ends, even by kill -9. A worker is the
    forkserver's child, not the run's, and it holds the pipes whose closing tells the
    forkserver and the resource tracker to exit: once the workers go, they go too."""
    try:
        select.select([os.pidfd_open(run_pid)], [], [])  # readable once the process has ended
    except (AttributeError, OSError):  # no pidfd (not Linux, or Linux < 5.3): poll
        while _alive(run_pid):
            time.sleep(1)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or its pid is another user's now
        return False
    return True


def process_pool(count: int, user_words: Iterable[str]) -> ProcessPoolExecutor:
    """`count` worker processes, started from a forkserver (no copy of the parent's open
    database), each with the archive's user words and jieba's dictionary loaded."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scraper.pipeline.workers"])
    return ProcessPoolExecutor(
        count, mp_context=context, initializer=_init_worker,
        initargs=(list(user_words), os.getpid()),
    )  # fmt: skip


class Workers:
    """`await workers.process(...)` runs in the pool when there is one, else in-process."""

    def __init__(self, workers: int | None, total: int, user_words: list[str] = ()) -> None:
        self.count = workers if workers is not None else (os.cpu_count() or 1)
        self.user_words = list(user_words)
        use_pool = self.count > 1 and (workers is not None or total > SMALL_RUN)
        self.pool: Executor | None = process_pool(self.count, user_words) if use_pool else None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process(
        self, content: bytes, url: str | None, charset: str | None, fetched_at: str | None
    ) -> PageResult:
        """The page processed; whatever goes wrong with it raises ExtractFailed."""
        try:
            return await self._run(process_page, content, url, charset, fetched_at)
        except Exception as error:  # any bug or limit hit by one page fails only that page
            raise ExtractFailed(error) from None

    async def index_entry(self, article: Article) -> IndexEntry:
        return await self._run(article_entry, article)

    async def call(self, func, *args):
        """`func(*args)` in the pool (a module-level function), or in-process."""
        return await self._run(func, *args)

    async def _run(self, func, *args):
        if self.pool is None:
            return func(*args)
        pool = self.pool
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, func, *args)
        except BrokenProcessPool:
            self._replace(pool)
            raise

    def _replace(self, broken: Executor) -> None:
        """A worker died (a crash in C code, the OOM killer): its pages fail, and a new pool
        takes the next ones. Pages in flight together all see the same broken pool."""
        if self.pool is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = process_pool(self.count, self.user_words)
