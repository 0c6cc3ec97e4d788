"""Archiving from the browser (`scraper serve --allow-archive`): pasted URLs become a job run
by the CLI's engine (run_archive) in a background thread with its own connection, and the
POST that starts it is guarded against cross-site requests. The pages are in archive_pages.py."""

from __future__ import annotations

import io
import secrets
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request

from scraper.clock import now_iso
from scraper.pipeline.inputs import read_list
from scraper.pipeline.run import ArchiveOptions, Outcome, run_archive
from scraper.store.archive import Archive

MAX_URLS = 10_000
MAX_FORM_BYTES = 2 * 2**20
RECENT_OUTCOMES = 50
KEPT_JOBS = 20


@dataclass
class Job:
    """One archive run's progress, updated from its thread and read by the job page."""

    id: str
    submitted: int
    total: int | None = None
    counts: Counter = field(default_factory=Counter)
    recent: deque = field(default_factory=lambda: deque(maxlen=RECENT_OUTCOMES))
    done: bool = False
    interrupted: bool = False
    error: str | None = None
    started_at: str = field(default_factory=now_iso)
    finished_at: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    thread: threading.Thread | None = field(default=None, repr=False)

    def set_total(self, total: int) -> None:
        with self.lock:
            self.total = total

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.counts[outcome.status] += 1
            self.recent.appendleft(outcome)

    def finish(self, interrupted: bool = False, error: str | None = None) -> None:
        with self.lock:
            self.done, self.interrupted, self.error = True, interrupted, error
            self.finished_at = now_iso()

    def snapshot(self) -> dict:
        """A consistent copy for the template: the run's thread keeps changing the job."""
        with self.lock:
            processed = sum(self.counts.values())
            return {
                "id": self.id, "submitted": self.submitted, "total": self.total,
                "processed": processed, "counts": dict(self.counts), "recent": list(self.recent),
                "done": self.done, "interrupted": self.interrupted, "error": self.error,
                "started_at": self.started_at, "finished_at": self.finished_at,
            }  # fmt: skip


class Jobs:
    """The app's archive runs: one at a time (two would only fight over the write lock)."""

    def __init__(self, db_path: Path, options: ArchiveOptions | None = None) -> None:
        self.db_path = db_path
        self.options = options or ArchiveOptions()
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def running(self) -> Job | None:
        with self.lock:
            return next((job for job in self.jobs.values() if not job.done), None)

    def start(self, urls: list[str]) -> Job | None:
        """A new job archiving `urls`, or None if one is still running."""
        with self.lock:
            if any(not job.done for job in self.jobs.values()):
                return None
            job = Job(secrets.token_hex(8), len(urls))
            self.jobs[job.id] = job
            for old in list(self.jobs)[:-KEPT_JOBS]:
                del self.jobs[old]
        # A daemon thread: Ctrl-C on the server ends the run, and as after kill -9 the same
        # URLs resume it (at most the last few articles are fetched again).
        job.thread = threading.Thread(
            target=self._run, args=(job, urls), name=f"archive-{job.id}", daemon=True
        )
        job.thread.start()
        return job

    def _run(self, job: Job, urls: list[str]) -> None:
        try:
            with Archive(self.db_path) as archive:
                summary = run_archive(archive, urls, self.options, job.set_total, job.add)
            full = summary.disk_full and "disk full: free space, then archive the same URLs again"
            job.finish(summary.interrupted, error=full or None)
        except Exception as error:  # shown on the job page instead of dying with the thread
            job.finish(error=f"{type(error).__name__}: {error}")

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the jobs' threads to end."""
        with self.lock:
            threads = [job.thread for job in self.jobs.values() if job.thread]
        for thread in threads:
            thread.join(timeout)


def parse_urls(text: str) -> tuple[list[str], list[str]]:
    """The http(s) URLs pasted in `text` (one per line, # comments) and the lines that are not:
    the web form archives URLs only, never files on the server's disk."""
    urls, rejected = [], []
    for item in read_list(io.StringIO(text)):
        is_url = urlsplit(item).scheme.lower() in ("http", "https") and urlsplit(item).netloc
        (urls if is_url else rejected).append(item)
    return list(dict.fromkeys(urls)), rejected


def cross_site_problem(request: Request, token: str, expected: str) -> str | None:
    """Why a POST must be refused, or None: the form's token must be this app's, and the
    browser's Origin (or, without one, Referer) must be this app's own host."""
    if not secrets.compare_digest(token.encode(), expected.encode()):
        return "表单的安全令牌缺失或已过期：请刷新表单后重试"
    sender = request.headers.get("origin") or request.headers.get("referer")
    host = request.headers.get("host", "").lower()
    if not sender or urlsplit(sender).netloc.lower() != host:
        return "已拒绝：这个请求不是从本应用自己的页面发出的"
    return None
