"""The archiving pages of `scraper serve --allow-archive`: the form, its POST and a job's page."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from scraper.web.jobs import MAX_URLS, cross_site_problem, parse_urls
from scraper.web.state import WebState


def _require_archive(request: Request) -> WebState:
    web: WebState = request.app.state.web
    if not web.allow_archive:
        raise HTTPException(403, "网页存档功能没有开启：请用 scraper serve --allow-archive 启动")
    return web


# The form page asks for Origin on same-origin POSTs (no-referrer would send "Origin: null").
FORM_HEADERS = {"referrer-policy": "same-origin"}


def archive_form(request: Request) -> Response:
    web = _require_archive(request)
    return _form(request, web, "", None)


def _form(
    request: Request, web: WebState, urls: str, error: str | None, status: int = 200
) -> Response:
    return web.render(request, "archive.html", status, FORM_HEADERS, csrf=web.csrf_token,
                      urls=urls, error=error, running=web.jobs.running())  # fmt: skip


async def archive_submit(request: Request) -> Response:
    """Start a job for the pasted URLs, then show its page (303, so a reload does not POST)."""
    web = _require_archive(request)
    form = await request.form()
    problem = cross_site_problem(request, _field(form, "csrf"), web.csrf_token)
    if problem:
        raise HTTPException(403, problem)
    text = _field(form, "urls")
    urls, rejected = parse_urls(text)
    error = None
    if rejected:
        error = f"这里只能存档 http(s) 网址，以下不是：{'、'.join(rejected[:5])}"
    elif not urls:
        error = "请粘贴至少一个 http(s) 网址，每行一个"
    elif len(urls) > MAX_URLS:
        error = f"共 {len(urls)} 个网址：每个任务最多 {MAX_URLS} 个（更多请用 scraper archive -i）"
    if error:
        return _form(request, web, text, error, 400)
    job = web.jobs.start(urls)
    if job is None:
        return _form(request, web, text, "还有一个存档任务在运行，请等它完成", 409)
    return RedirectResponse(f"/archive/jobs/{job.id}", status_code=303)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def job_page(request: Request) -> Response:
    """A job's progress; the page reloads itself until the job is done."""
    web = _require_archive(request)
    job = web.jobs.get(request.path_params["job_id"])
    if job is None:
        raise HTTPException(404, "没有这个存档任务（服务器停止后任务记录就清空了）")
    return web.render(request, "job.html", job=job.snapshot())
