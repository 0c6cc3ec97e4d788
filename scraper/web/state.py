"""What every page of the web app shares: a connection per thread, the templates, the jobs."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse

from scraper.store.archive import Archive
from scraper.web.jobs import Jobs
from scraper.web.views import ResultIds


class Connections:
    """An Archive connection per thread: Starlette runs sync endpoints on a pool of threads,
    and one sqlite3 connection must not be used by two of them at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self.opened: list[Archive] = []
        self.lock = threading.Lock()

    def get(self) -> Archive:
        archive = getattr(self.local, "archive", None)
        if archive is None:
            archive = self.local.archive = Archive(self.path, create=False, writable=False)
            with self.lock:
                self.opened.append(archive)
        return archive

    def dedicated(self) -> Archive:
        """A connection of its own, for a stream read on whichever thread is free."""
        return Archive(self.path, create=False, writable=False)

    def close(self) -> None:
        with self.lock:
            for archive in self.opened:
                archive.close()
            self.opened.clear()
            self.local = threading.local()  # threads that outlive the app open afresh


@dataclass
class WebState:
    connections: Connections
    templates: Environment
    allow_archive: bool
    csrf_token: str  # per app run: a form from an earlier run is refused
    jobs: Jobs
    result_ids: ResultIds = field(default_factory=ResultIds)  # for prev/next on article pages

    def render(
        self, request: Request, template: str, status: int = 200,
        headers: Mapping[str, str] | None = None, **context: object,
    ) -> HTMLResponse:  # fmt: skip
        html = self.templates.get_template(template).render(
            request=request, allow_archive=self.allow_archive, **context
        )
        return HTMLResponse(html, status, headers)
