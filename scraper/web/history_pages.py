"""Articles over time in the web app: an article's versions and the diff of two of them, and
the status badges (已删除 · date, 已修改 N 次) of results and article pages."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from scraper.store.version_diff import FIELD_LABELS, diff_versions
from scraper.store.versions import badges, history
from scraper.web.state import WebState
from scraper.web.views import BadParameter, parse_id, parse_int


def result_badges(web: WebState, ids: list[int]) -> dict[int, dict]:
    return badges(web.connections.get().db.conn, ids)


def history_page(request: Request) -> Response:
    """/article/{id}/history: the versions, the check events, and a diff (?from=&to=; by
    default the last two versions)."""
    web: WebState = request.app.state.web
    archive = web.connections.get()
    article_id = parse_id(request.path_params["id"])
    found = history(archive.db.conn, article_id)
    if found is None:
        raise HTTPException(404, f"档案里没有编号为 #{article_id} 的文章")
    versions = found["versions"]
    count = len(versions)
    newer = parse_int(request.query_params.get("to"), "to", count, count)
    older = parse_int(request.query_params.get("from"), "from", max(1, newer - 1), count)
    if min(older, newer) < 1:
        raise BadParameter(f"版本号应在 1 到 {count} 之间")
    changes = diff_versions(versions[older - 1], versions[newer - 1])
    return web.render(request, "history.html", 200, None, found=found, older=older,
                      newer=newer, changes=changes, labels=FIELD_LABELS,
                      badge=badges(archive.db.conn, [article_id]).get(article_id))  # fmt: skip
