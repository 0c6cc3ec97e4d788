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
        raise HTTPException(
            403, "archiving from the web is off: run `scraper serve --allow-archive`"
        )
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
        error = f"only http(s) URLs can be archived here, not: {', '.join(rejected[:5])}"
    elif not urls:
        error = "paste at least one http(s) URL, one per line"
    elif len(urls) > MAX_URLS:
        error = f"{len(urls)} URLs: at most {MAX_URLS} per job (use `scraper archive -i` for more)"
    if error:
        return _form(request, web, text, error, 400)
    job = web.jobs.start(urls)
    if job is None:
        return _form(request, web, text, "an archive job is still running", 409)
    return RedirectResponse(f"/archive/jobs/{job.id}", status_code=303)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def job_page(request: Request) -> Response:
    """A job's progress; the page reloads itself until the job is done."""
    web = _require_archive(request)
    job = web.jobs.get(request.path_params["job_id"])
    if job is None:
        raise HTTPException(404, "no such archive job (jobs are forgotten when the server stops)")
    return web.render(request, "job.html", job=job.snapshot())
