"""`scraper serve`: a local web app to search and read the archive.

Server-rendered Jinja2 pages (autoescaped, no JavaScript) on Starlette. Every response carries
a strict CSP; archived pages are served sandboxed so their scripts never run against the app.
Archiving from the browser (jobs.py, archive_pages.py) exists only when the app is created with
allow_archive.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scraper.export.formats import (
    FORMATS,
    format_date,
    meta_parts,
    paragraphs,
    render_md,
    render_txt,
    safe_filename,
)
from scraper.fetch.decode import decode_page
from scraper.search.engine import QueryError
from scraper.store.archive import Archive, ArchiveError, NoArchiveError
from scraper.store.sources import list_sources
from scraper.store.versions import recent_changes
from scraper.web.archive_pages import archive_form, archive_submit, job_page
from scraper.web.history_pages import history_page, result_badges
from scraper.web.jobs import MAX_FORM_BYTES, Jobs
from scraper.web.state import Connections, WebState
from scraper.web.views import (
    MAX_OFFSET,
    BadParameter,
    Pager,
    chart,
    export_records,
    export_stream,
    highlighted,
    link_url,
    months,
    neighbours,
    parse_id,
    parse_int,
    results,
    same_story,
    search_params,
)

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
PAGE_CSP = (
    "default-src 'self'; frame-src 'self'; img-src 'self' data:; style-src 'self';"
    " script-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": PAGE_CSP,
    "x-frame-options": "SAMEORIGIN",  # our own article page frames the raw page
    "referrer-policy": "no-referrer",  # reading the archive tells no site what was read
    "x-content-type-options": "nosniff",
}
# A scraped page is shown as a sandboxed document: no scripts, no requests, inline styles only.
RAW_HEADERS = {
    "content-security-policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    "x-content-type-options": "nosniff",
}
DOWNLOADS: dict[str, tuple[str, Callable[[dict], str]]] = {
    "txt": ("text/plain", render_txt),
    "md": ("text/markdown", render_md),
    "json": ("application/json", lambda r: json.dumps(r, ensure_ascii=False, indent=2) + "\n"),
}
EXPORT_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response that does not set its own (the raw page)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    db_path: str | os.PathLike,
    allow_archive: bool = False,
    allowed_hosts: Sequence[str] = LOCAL_HOSTS,
) -> Starlette:
    """The web app over the archive at `db_path` (which must exist). `allowed_hosts` are the
    Host names it answers to: a local server refuses other names (DNS rebinding)."""
    path = Path(db_path)
    Archive(
        path, create=False, writable=False
    ).close()  # a missing archive fails here, not on the first page
    state = WebState(Connections(path), _templates(), allow_archive, secrets.token_urlsafe(32),
                     Jobs(path))  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        state.connections.close()

    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
            Middleware(SecurityHeaders),
        ],
        exception_handlers={
            HTTPException: _http_error,
            BadParameter: _bad_request,
            QueryError: _bad_query,
            ArchiveError: _archive_error,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )
    app.state.web = state
    return app


def serve(
    db_path: str | os.PathLike, host: str = "127.0.0.1", port: int = 8765,
    allow_archive: bool = False, announce: Callable[[str], None] = lambda url: None,
) -> None:  # fmt: skip
    """Run the app with uvicorn until Ctrl-C; `announce` gets its URL once the archive has
    opened (a missing one raises before anything is bound)."""
    import uvicorn

    app = create_app(db_path, allow_archive, allowed_hosts(host))
    announce(f"http://{url_host(host)}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def allowed_hosts(host: str) -> list[str]:
    """Host names the server answers to when bound to `host`."""
    if host in ("0.0.0.0", "::", ""):
        return ["*"]  # reachable under any name or address the machine has
    return list(dict.fromkeys([*LOCAL_HOSTS, url_host(host).lower()]))


def url_host(host: str) -> str:
    """The host as a URL writes it: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host else host


def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("scraper.web", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = format_date
    env.filters["highlight"] = lambda hit: highlighted(hit.snippet, hit.highlights)
    env.globals["link_url"] = link_url
    return env


def _web(request: Request) -> WebState:
    return request.app.state.web


def render(
    request: Request,
    template: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: object,
) -> HTMLResponse:
    return _web(request).render(request, template, status, headers, **context)


# -- reading ------------------------------------------------------------------------------------


def search_page(request: Request) -> Response:
    """The search form and a page of results; without a query, the latest articles."""
    params = search_params(request.query_params)
    archive = _web(request).connections.get()
    context = {"params": params, "stale": archive.stale_index(), "hits": [], "pager": None,
               "copies": {}, "badges": {}}  # fmt: skip
    if archive.is_empty():
        return render(request, "search.html", empty=True, error=None, **context)
    try:
        hits, found = results(archive, params)
        _web(request).result_ids.remember(params, hits)
    except QueryError as error:
        return render(request, "search.html", 400, empty=False, error=error.chinese, **context)
    context |= {"hits": hits, "pager": Pager(found, params.offset, params.limit),
                "copies": same_story(hits),
                "badges": result_badges(_web(request), [h.id for h in hits])}  # fmt: skip
    return render(request, "search.html", empty=False, error=None, **context)


def article_page(request: Request) -> Response:
    """One article; with `pos` (its place in the results), links to its neighbours there."""
    archive = _web(request).connections.get()
    record = _record(archive, request.path_params["id"])
    params = search_params(request.query_params)
    pos = request.query_params.get("pos")
    position = before = after = back = None
    if pos is not None:
        position = parse_int(pos, "pos", 0, MAX_OFFSET)
        known = _web(request).result_ids
        before, after = neighbours(archive, params, position, record["id"], known)
        back = params.query_string(offset=position - position % params.limit)
    return render(request, "article.html", record=record, meta=meta_parts(record),
                  paragraphs=paragraphs(record), params=params, position=position,
                  before=before, after=after, back=back,
                  raw_pages=archive.raw_page_count(record["id"]),
                  badge=result_badges(_web(request), [record["id"]]).get(record["id"]))  # fmt: skip


def _record(archive: Archive, key: str) -> dict:
    article_id = parse_id(key)
    record = archive.get(article_id)
    if record is None:
        raise HTTPException(404, f"档案里没有编号为 #{article_id} 的文章")
    return record


def download(request: Request) -> Response:
    """/article/{id}.txt|.md|.json, as an attachment named after the title and date."""
    fmt = request.path_params["fmt"]
    if fmt not in DOWNLOADS:
        raise BadParameter(f"未知的格式 {fmt!r}，可选：{', '.join(DOWNLOADS)}")
    record = _record(_web(request).connections.get(), request.path_params["id"])
    media_type, render_record = DOWNLOADS[fmt]
    name = safe_filename(record["title"], record["published_at"], fmt, set())
    disposition = _attachment(name, f"article-{record['id']}.{fmt}")
    return Response(render_record(record), media_type=media_type, headers=disposition)


def _attachment(name: str, ascii_name: str) -> dict[str, str]:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    return {"content-disposition": f"attachment; filename=\"{ascii_name}\"; "
                                   f"filename*=UTF-8''{quote(name, safe='')}"}  # fmt: skip


def raw_page(request: Request) -> Response:
    """The archived page as fetched (decoded to UTF-8), for the article page's sandboxed frame."""
    archive = _web(request).connections.get()
    article_id = parse_id(request.path_params["id"])
    number = parse_int(request.query_params.get("page"), "page", 1, 1000)
    pages = archive.raw_pages(article_id, number)
    if not pages:
        raise HTTPException(404, f"文章 #{article_id} 没有第 {number} 个存档网页")
    (raw,) = pages
    text = decode_page(raw.content, raw.encoding).text
    plain = (raw.content_type or "").startswith("text/plain")  # a text capture, not HTML
    return Response(text, media_type="text/plain" if plain else "text/html", headers=RAW_HEADERS)


def export(request: Request) -> Response:
    """Every result of the current search (or filters) as one streamed txt/md/jsonl/csv file."""
    params = search_params(request.query_params)
    fmt = request.query_params.get("format") or "txt"
    if fmt not in FORMATS:
        raise BadParameter(f"未知的格式 {fmt!r}，可选：{', '.join(FORMATS)}")
    archive = _web(request).connections.dedicated()
    try:
        records = export_records(archive, params)
    except BaseException:
        archive.close()
        raise
    headers = _attachment(f"articles.{fmt}", f"articles.{fmt}")
    return StreamingResponse(export_stream(archive, records, fmt), headers=headers,
                             media_type=EXPORT_TYPES[fmt])  # fmt: skip


def overview(request: Request) -> Response:
    """Counts per site, 来源 and month, the kept sources with their last poll, and the latest
    failures with their reasons."""
    archive = _web(request).connections.get()
    stats = archive.stats()
    charts = {
        "months": chart(months(archive), "month"),
        "sites": chart(stats["by_site"], "site"),
        "sources": chart(stats["by_source"], "source"),
    }
    return render(request, "overview.html", stats=stats, charts=charts,
                  sources=list_sources(archive), failures=archive.failures(FAILURES_SHOWN),
                  **{kind: recent_changes(archive.db.conn, kind) for kind in ("deleted", "edited")})  # fmt: skip


FAILURES_SHOWN = 50


# -- errors -------------------------------------------------------------------------------------


# Starlette's own errors (an unknown path, a wrong method…) come with an English phrase.
HTTP_MESSAGES = {
    400: "请求有误。",
    403: "不允许这样做。",
    404: "找不到这个页面。",
    405: "这个页面不支持这种请求方法。",
    409: "与正在进行的操作冲突，请稍后再试。",
    413: "提交的内容太大。",
}


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    detail = str(error.detail)
    if detail == HTTPStatus(error.status_code).phrase:
        detail = HTTP_MESSAGES.get(error.status_code, "请求无法完成。")
    return _error_page(request, error.status_code, detail, error.headers)


async def _bad_request(request: Request, error: Exception) -> Response:
    return _error_page(request, 400, str(error))


async def _bad_query(request: Request, error: Exception) -> Response:
    assert isinstance(error, QueryError)
    return _error_page(request, 400, error.chinese)


async def _archive_error(request: Request, error: Exception) -> Response:
    if isinstance(error, NoArchiveError):
        message = f"找不到档案 {_web(request).connections.path}：请先用 scraper archive 存档。"
    else:  # SQLite's own words stay as the detail: they are what a search engine knows
        message = f"档案暂时无法读取（可能正被其他程序锁定，或文件已损坏）。详情：{error}"
    return _error_page(request, 503, message)


async def _server_error(request: Request, error: Exception) -> Response:
    # Outside the middleware stack: the security headers are added here by hand.
    response = _error_page(request, 500, f"内部错误（{type(error).__name__}），请稍后再试。")
    response.headers.update(SECURITY_HEADERS)
    return response


def _error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    return render(request, "error.html", status, headers, code=status, message=message)


ROUTES = [
    Route("/", search_page, name="search"),
    Route("/overview", overview, name="overview"),
    Route("/export", export, name="export"),
    Route("/article/{id}/raw", raw_page, name="raw"),
    Route("/article/{id}/history", history_page, name="history"),
    Route("/article/{id}.{fmt}", download, name="download"),
    Route("/article/{id}", article_page, name="article"),
    Route("/archive", archive_form, name="archive_form"),
    Route("/archive", archive_submit, methods=["POST"], max_body_size=MAX_FORM_BYTES),
    Route("/archive/jobs/{job_id}", job_page, name="job"),
    Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
]
