"""Re-check archived articles: fetch them again with the archive run's polite engine and
record, for each, whether it is unchanged, edited (a new version is kept), suspected or
confirmed deleted, restored, or unreachable (never a deletion).

Each check is committed on its own (its event, the watch state and any new version together),
so Ctrl-C or kill -9 loses at most the checks in flight; the same command then resumes with
the articles not yet checked since the interrupted run began.
"""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

from scraper.extract.page import EXTRACTOR_VERSION, merge_pages
from scraper.extract.pagination import MAX_PAGES
from scraper.fetch.engine import PLAIN, FetchedPage, Fetcher, FetchError, FetchSettings, Request
from scraper.pipeline.item_pages import raw_page_of
from scraper.pipeline.outcomes import KEPT_OUTCOMES, ArchiveOptions
from scraper.pipeline.recheck_select import Selection, finish_selection, select_articles
from scraper.pipeline.run import PIPELINES_PER_REQUEST_SLOT, ctrl_c_sets, run_loop
from scraper.pipeline.watch_evidence import Evidence, inspect_page, judge_page
from scraper.pipeline.watch_rules import Confirmation, apply_evidence, iso
from scraper.pipeline.workers import Workers, process_page
from scraper.store.archive import Archive, content_hash
from scraper.store.versions import save_check, watch
from scraper.warc.capture import capture_of
from scraper.warc.writer import RotatingWarcs

OUTCOMES = ("unchanged", "edited", "suspected", "deleted", "unreachable", "restored")
GONE_STATUSES = (404, 410)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class RecheckOptions:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    confirm: Confirmation = field(default_factory=Confirmation)
    conditional: bool = True  # send If-None-Match / If-Modified-Since when known
    workers: int | None = None  # extraction processes; None: one per core for large runs
    clock: Callable[[], datetime] = utc_now  # injectable: tests move time forward
    warc_dir: str | None = None  # also write every page fetched (not a 304) as WARC records


@dataclass
class CheckOutcome:
    article_id: int
    url: str
    outcome: str
    detail: str | None = None


@dataclass
class RecheckSummary:
    counts: Counter = field(default_factory=Counter)
    changes: list[CheckOutcome] = field(default_factory=list)  # all but unchanged, capped
    total: int = 0
    interrupted: bool = False

    def add(self, checked: CheckOutcome) -> None:
        self.counts[checked.outcome] += 1
        if checked.outcome != "unchanged" and len(self.changes) < KEPT_OUTCOMES:
            self.changes.append(checked)

    def as_dict(self) -> dict:
        """A count per outcome (every outcome, zeros too), then the run's totals."""
        return {**{name: self.counts.get(name, 0) for name in OUTCOMES},
                "total": self.total, "interrupted": self.interrupted}  # fmt: skip


def recheck(
    archive: Archive,
    selection: Selection,
    options: RecheckOptions | None = None,
    on_total: Callable[[int], None] | None = None,
    on_outcome: Callable[[CheckOutcome], None] | None = None,
) -> RecheckSummary:
    """Re-check the selected articles; Ctrl-C stops cleanly with `interrupted` set."""
    options = options or RecheckOptions()
    summary = RecheckSummary()
    targets = select_articles(archive, selection, options.clock())
    summary.total = len(targets)
    if on_total:
        on_total(summary.total)

    def record(checked: CheckOutcome) -> None:
        summary.add(checked)
        if on_outcome:
            on_outcome(checked)

    summary.interrupted = run_loop(_Recheck(archive, options, record).main(targets))
    if not summary.interrupted:
        finish_selection(archive, selection)
    return summary


class _Recheck:
    """One re-check run: fetching on the event loop, extraction in the worker pool, and every
    database access in one thread (as in the archive run)."""

    def __init__(self, archive: Archive, options: RecheckOptions, record: Callable) -> None:
        self.archive = archive
        self.options = options
        self.record = record
        self.db_thread = ThreadPoolExecutor(1, thread_name_prefix="recheck-db")
        self.warcs = RotatingWarcs(options.warc_dir) if options.warc_dir else None

    async def _db(self, func: Callable, *args: object):
        call = functools.partial(func, *args)
        return await asyncio.get_running_loop().run_in_executor(self.db_thread, call)

    async def main(self, targets: list[tuple[int, str]]) -> bool:
        stop = asyncio.Event()
        pipelines = max(1, self.options.fetch.concurrency) * PIPELINES_PER_REQUEST_SLOT
        self.archive.defer_commits(True)  # a check and its new version commit together
        try:
            with (
                ctrl_c_sets(stop),
                Workers(self.options.workers, len(targets), self.archive.user_words()) as workers,
            ):
                async with Fetcher(self.options.fetch) as fetcher:
                    await self._all(targets, pipelines, fetcher, workers, stop)
        finally:
            self.db_thread.shutdown(wait=True)
            if self.warcs:
                self.warcs.close()
            self.archive.defer_commits(False)
        return stop.is_set()

    async def _fetch(self, fetcher: Fetcher, url: str, request: Request = PLAIN) -> FetchedPage:
        """Fetch, and with --warc write the exchange (in the database thread: one writer)."""
        page = await fetcher.fetch(url, request)
        if self.warcs and not page.not_modified:
            await self._db(self.warcs.write, capture_of(page))
        return page

    async def _all(self, targets, pipelines, fetcher, workers, stop: asyncio.Event) -> None:
        pending = iter(targets)

        async def worker() -> None:
            for article_id, url in pending:  # one shared iterator: each target taken once
                self.record(await self._one(article_id, url, fetcher, workers))

        done = asyncio.ensure_future(asyncio.gather(*(worker() for _ in range(pipelines))))
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait([done, stopper], return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if stop.is_set():
            done.cancel()  # checks in flight are not recorded: the next run does them
            await asyncio.gather(done, return_exceptions=True)
        else:
            await done

    async def _one(self, article_id: int, url: str, fetcher: Fetcher, workers) -> CheckOutcome:
        state, stored = await self._db(self._read, article_id)
        evidence = await self._evidence(url, state, stored, fetcher, workers)
        now = self.options.clock()
        new_state, outcome = apply_evidence(state, evidence.kind, now, stored["archived_at"],
                                            self.options.confirm)  # fmt: skip
        # Validators only from a page that holds the article: a captcha page's ETag would
        # answer 304 for the article next time.
        if evidence.kind in ("same", "changed") and (evidence.etag or evidence.last_modified):
            new_state.etag, new_state.last_modified = evidence.etag, evidence.last_modified
        await self._db(self._write, new_state, outcome, evidence, iso(now))
        return CheckOutcome(article_id, url, outcome, evidence.detail)

    def _read(self, article_id: int) -> tuple:
        conn = self.archive.db.conn
        names = ("id", "url", "title", "source", "author", "editor", "published_at", "body",
                 "content_hash", "archived_at", "extractor_version")  # fmt: skip
        row = conn.execute(
            f"SELECT {', '.join(names)} FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        return watch(conn, article_id), dict(zip(names, row, strict=True))

    def _write(self, state, outcome: str, evidence: Evidence, stamp: str) -> None:
        """The check's event, the watch state and (for new content) the new version, in one
        commit: a check is kept whole or not at all."""
        try:
            if evidence.article is not None and evidence.kind == "changed":
                self.archive.save(evidence.article, evidence.raw_pages, evidence.entry,
                                  extractor_version=EXTRACTOR_VERSION, updated_at=stamp)  # fmt: skip
            save_check(self.archive.db.conn, state, outcome, evidence.detail)
            self.archive.commit()
        except BaseException:
            self.archive.db.conn.rollback()
            raise

    async def _evidence(self, url, state, stored: dict, fetcher: Fetcher, workers) -> Evidence:
        request = _conditional(state) if self.options.conditional else PLAIN
        try:
            page = await self._fetch(fetcher, url, request)
        except FetchError as error:
            if error.status in GONE_STATUSES:
                return Evidence("gone", f"HTTP {error.status}")
            return Evidence("unreachable", str(error))
        if page.not_modified:
            return Evidence("same", "not modified (HTTP 304)", etag=page.etag,
                            last_modified=page.last_modified)  # fmt: skip
        try:
            return await self._judge(url, page, stored, fetcher, workers)
        except FetchError as error:  # a later page of the article failed
            return Evidence("unreachable", f"a later page: {error}")

    async def _judge(self, url, page: FetchedPage, stored, fetcher, workers) -> Evidence:
        first = await workers.call(inspect_page, page.content, url, page.charset,
                                   page.fetched_at)  # fmt: skip
        results, raws = [first.result], [raw_page_of(page, first.result)]
        while (following := results[-1].next_url) and len(results) < MAX_PAGES:
            if following in {r.url for r in raws}:
                break
            later = await self._fetch(fetcher, following)
            inspected = await workers.call(inspect_page, later.content, following,
                                           later.charset, later.fetched_at)  # fmt: skip
            results.append(inspected.result)
            raws.append(raw_page_of(later, inspected.result))
        article = merge_pages([r.article for r in results])
        article.url = stored["url"]
        entry = results[0].entry if len(results) == 1 else await workers.index_entry(article)
        evidence = judge_page(url, page.url, first.notice, article, stored)
        upgraded = stored["extractor_version"] != EXTRACTOR_VERSION
        if (
            evidence.kind == "changed"
            and upgraded
            and await self._reads_the_same(stored, article, workers)
        ):
            evidence = Evidence("same", "the same content (archived by an older extractor)")
        evidence.article, evidence.raw_pages, evidence.entry = article, raws, entry
        evidence.etag, evidence.last_modified = page.etag, page.last_modified
        return evidence

    async def _reads_the_same(self, stored: dict, article, workers) -> bool:
        """Whether the archived pages, read by today's extractor, give the new content: an
        extractor upgrade is not an edit of the article."""
        raws = await self._db(self.archive.raw_pages, stored["id"])
        if not raws:
            return False
        results = [await workers.call(process_page, raw.content, raw.url, raw.encoding,
                                      raw.fetched_at) for raw in raws]  # fmt: skip
        again = merge_pages([r.article for r in results])
        again.url = stored["url"]
        return content_hash(again.to_dict()) == content_hash(article.to_dict())


def _conditional(state) -> Request:
    """A GET that the server may answer 304 when the article has not changed."""
    return Request(etag=state.etag, last_modified=state.last_modified)


def recheck_due(archive: Archive, options: ArchiveOptions) -> int:
    """`scraper watch`'s re-check step (pipeline.watch.Recheck): the articles due on the
    schedule, with the watch's fetch settings; how many were checked."""
    settings = RecheckOptions(fetch=options.fetch, workers=options.workers)
    return recheck(archive, Selection(due=True), settings).total
