"""Re-checking archived articles against a real local server whose pages change between checks:
edits kept as versions, deletions suspected then confirmed, unreachable never a deletion."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from conftest import TITLE, page
from werkzeug import Response

import scraper
from scraper.extract.page import EXTRACTOR_VERSION
from scraper.fetch.engine import FetchSettings
from scraper.pipeline.recheck import RecheckOptions, recheck
from scraper.pipeline.recheck_select import Selection
from scraper.pipeline.run import ArchiveOptions, run_archive
from scraper.pipeline.watch_rules import Confirmation
from scraper.store.versions import history, version_page_count

START = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
FAST = FetchSettings(delay=0, retries=0, total_timeout=2, backoff=0)
EDITED = "智慧公交线路今日正式开通运营，首批投放新能源公交车二十辆。"
NOTICE = '<html><head><meta charset="utf-8"><title>提示</title></head><body><p>{}</p></body></html>'


class Site:
    """A news site whose pages the test rewrites: each path answers what `pages` says now."""

    def __init__(self, server) -> None:
        self.server = server
        self.pages: dict[str, object] = {}
        server.expect_request("/robots.txt").respond_with_data("", status=404)

    def add(self, path: str, answer: object) -> str:
        if path not in self.pages:
            self.server.expect_request(path).respond_with_handler(
                lambda request, path=path: self._answer(request, path)
            )
        self.pages[path] = answer
        return self.server.url_for(path)

    def _answer(self, request, path: str) -> Response:
        answer = self.pages[path]
        return answer(request) if callable(answer) else _html(answer)

    def hits(self, path: str) -> int:
        return sum(1 for request, _ in self.server.log if request.path == path)


def _html(text: str, status: int = 200, **headers: str) -> Response:
    return Response(text, status=status, content_type="text/html; charset=utf-8", headers=headers)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, hours: float) -> None:
        self.now += timedelta(hours=hours)


@pytest.fixture
def site(httpserver) -> Site:
    return Site(httpserver)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def archived(site, db):
    """Archive `path` (serving `answer`) and return its article id."""

    def archive_one(path: str = "/news/2026/1129/a.html", answer: object = None) -> int:
        url = site.add(path, answer or page())
        with scraper.Archive(db) as archive:
            run_archive(archive, [url], ArchiveOptions(FAST, workers=1))
            return archive.get(url)["id"]

    return archive_one


def check(db, clock, *keys, checks: int = 2, hours: float = 24, **fetch) -> dict:
    """One re-check of the given articles (all when none); returns the outcome counts."""
    options = RecheckOptions(
        FetchSettings(**{**FAST.__dict__, **fetch}), Confirmation(checks, hours), workers=1,
        clock=clock,
    )  # fmt: skip
    selection = Selection(tuple(map(str, keys)), all=not keys)
    with scraper.Archive(db) as archive:
        summary = recheck(archive, selection, options)
    return {k: v for k, v in summary.as_dict().items() if v and k not in ("total", "interrupted")}


def state(db, article_id: int) -> dict:
    with scraper.Archive(db) as archive:
        return history(archive.db.conn, article_id)


# --- unchanged and edited -----------------------------------------------------------------------


def test_an_unchanged_page_is_unchanged_and_adds_no_version(site, archived, db, clock):
    article_id = archived()
    assert check(db, clock) == {"unchanged": 1}
    found = state(db, article_id)
    assert len(found["versions"]) == 1 and found["status"] == "live"
    assert [e["outcome"] for e in found["events"]] == ["unchanged"]


def test_an_edited_paragraph_keeps_both_versions_and_their_raw_pages(site, archived, db, clock):
    article_id = archived()
    site.add("/news/2026/1129/a.html", page(body=EDITED))
    clock.advance(2)
    assert check(db, clock) == {"edited": 1}
    found = state(db, article_id)
    assert [v["version"] for v in found["versions"]] == [1, 2]
    assert "覆盖新区十二个社区" in found["versions"][0]["body"]
    assert EDITED in found["versions"][1]["body"]
    assert found["versions"][1]["first_seen"] == clock.now.isoformat(timespec="seconds")
    assert found["events"][0]["detail"] == "changed: body (-3/+3 paragraphs)"
    with scraper.Archive(db) as archive:
        assert EDITED in archive.get(article_id)["body"]  # the row is the latest version
        assert version_page_count(archive.db.conn, article_id) == 1  # the old raw page kept
        assert archive.raw_page_count(article_id) == 1
        assert EDITED.encode() in archive.raw_pages(article_id)[0].content
    assert check(db, clock) == {"unchanged": 1}  # the new version is now the reference


def test_a_rewritten_title_is_an_edit(site, archived, db, clock):
    article_id = archived()
    site.add("/news/2026/1129/a.html", page(title="江城新区首条智慧公交线路开通运营"))
    assert check(db, clock) == {"edited": 1}
    titles = [v["title"] for v in state(db, article_id)["versions"]]
    assert titles == [TITLE, "江城新区首条智慧公交线路开通运营"]
    assert "title" in state(db, article_id)["events"][0]["detail"]


def test_archive_refresh_keeps_the_old_version(site, archived, db):
    article_id = archived()
    url = site.add("/news/2026/1129/a.html", page(body=EDITED))
    with scraper.Archive(db) as archive:
        run_archive(archive, [url], ArchiveOptions(FAST, refresh=True, workers=1))
    versions = state(db, article_id)["versions"]
    assert len(versions) == 2 and "覆盖新区十二个社区" in versions[0]["body"]


# --- deleted: suspected, confirmed, restored ----------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_a_missing_page_is_suspected_then_confirmed(site, archived, db, clock, status):
    article_id = archived()
    site.add("/news/2026/1129/a.html", lambda request: _html("not found", status))
    assert check(db, clock) == {"suspected": 1}
    clock.advance(3)
    assert check(db, clock) == {"suspected": 1}  # two sightings, but not yet 24 hours apart
    clock.advance(21)
    assert check(db, clock) == {"deleted": 1}
    found = state(db, article_id)
    assert found["status"] == "deleted"
    assert found["deleted_at"] == START.isoformat(timespec="seconds")  # the first sighting
    assert "第1段" in found["versions"][-1]["body"]  # the archive keeps its last text


def test_one_check_confirms_when_asked(site, archived, db, clock):
    article_id = archived()
    site.add("/news/2026/1129/a.html", lambda request: _html("gone", 410))
    assert check(db, clock, checks=1, hours=0) == {"deleted": 1}
    assert state(db, article_id)["status"] == "deleted"


def test_a_redirect_to_the_home_page_is_a_deletion(site, archived, db, clock):
    archived()
    site.add("/", "<html><body><h1>江城日报</h1><a href='/news/1.html'>新闻</a></body></html>")
    site.add("/news/2026/1129/a.html", lambda r: Response("", 302, headers={"Location": "/"}))
    assert check(db, clock, checks=1, hours=0) == {"deleted": 1}


def test_a_redirect_to_another_article_url_is_not_a_deletion(site, archived, db, clock):
    archived()
    site.add("/news/2026/1129/a_new.html", page())
    site.add("/news/2026/1129/a.html",
             lambda r: Response("", 301, headers={"Location": "/news/2026/1129/a_new.html"}))  # fmt: skip
    assert check(db, clock, checks=1, hours=0) == {"unchanged": 1}


@pytest.mark.parametrize("notice", ["该内容已被发布者删除", "此内容因违规无法查看", "該文章已被刪除",
                                    "您訪問的頁面不存在"])  # fmt: skip
def test_a_deletion_notice_in_either_script_is_a_deletion(site, archived, db, clock, notice):
    archived()
    site.add("/news/2026/1129/a.html", NOTICE.format(notice))
    assert check(db, clock, checks=1, hours=0) == {"deleted": 1}


def test_a_page_without_the_article_is_a_deletion(site, archived, db, clock):
    archived()
    site.add("/news/2026/1129/a.html", "<html><body><div class='nav'>首页</div></body></html>")
    assert check(db, clock, checks=1, hours=0) == {"deleted": 1}


def test_a_live_article_quoting_a_notice_phrase_is_not_deleted(site, archived, db, clock):
    archived()
    body = "网友反映点开链接后提示页面不存在，记者随后联系了网站运营方，对方表示正在排查原因"
    site.add("/news/2026/1129/a.html", page(body=body))
    assert check(db, clock, checks=1, hours=0) == {"edited": 1}


def test_a_returning_article_is_restored_and_the_events_are_kept(site, archived, db, clock):
    article_id = archived()
    site.add("/news/2026/1129/a.html", lambda request: _html("not found", 404))
    assert check(db, clock, checks=1, hours=0) == {"deleted": 1}
    site.add("/news/2026/1129/a.html", page())
    clock.advance(1)
    assert check(db, clock) == {"restored": 1}
    found = state(db, article_id)
    assert found["status"] == "live" and found["deleted_at"] is None
    assert [e["outcome"] for e in found["events"]] == ["deleted", "restored"]
    assert len(found["versions"]) == 1  # the same text came back: no new version


# --- unreachable is never a deletion ------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    lambda request: _html("<html><body><p>环境异常，请完成验证后继续访问</p></body></html>"),
    lambda request: _html("<html><body><p>訪問過於頻繁，請稍後再試</p></body></html>"),
    lambda request: _html("busy", 503),
    lambda request: _html("slow down", 429),
])  # fmt: skip
def test_unreachable_answers_never_become_deletions(site, archived, db, clock, answer):
    article_id = archived()
    site.add("/news/2026/1129/a.html", answer)
    for _ in range(3):
        assert check(db, clock, checks=1, hours=0) == {"unreachable": 1}
        clock.advance(30)
    assert state(db, article_id)["status"] == "live"


def test_a_flapping_503_neither_confirms_nor_clears_a_suspicion(site, archived, db, clock):
    article_id = archived()
    path = "/news/2026/1129/a.html"
    for answer, expected in ((404, "suspected"), (503, "unreachable"), (503, "unreachable")):
        site.add(path, lambda request, answer=answer: _html("x", answer))
        assert check(db, clock) == {expected: 1}
        clock.advance(20)
    assert state(db, article_id)["status"] == "suspected"
    site.add(path, lambda request: _html("x", 404))
    assert check(db, clock) == {"deleted": 1}  # the second sighting, 60 hours after the first


def test_a_server_that_stops_answering_is_unreachable(site, archived, db, clock):
    article_id = archived()

    def hang(request):
        time.sleep(1)
        return _html(page())

    site.add("/news/2026/1129/a.html", hang)
    assert check(db, clock, checks=1, hours=0, total_timeout=0.2) == {"unreachable": 1}
    assert state(db, article_id)["status"] == "live"


def test_a_server_that_is_gone_is_unreachable(db, clock):
    with scraper.Archive(db) as archive:  # an article of a host where nothing listens
        archive.save(
            scraper.Article(url="http://127.0.0.1:9/news/1.html", title="标题", body="正文")
        )
    assert check(db, clock, checks=1, hours=0) == {"unreachable": 1}


# --- conditional requests -----------------------------------------------------------------------


def test_an_etag_server_answers_304_and_sends_no_page(site, archived, db, clock):
    def with_etag(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return _html(page(), ETag='"v1"')

    article_id = archived(answer=with_etag)
    assert check(db, clock) == {"unchanged": 1}  # the first check learns the ETag
    clock.advance(2)
    assert check(db, clock) == {"unchanged": 1}
    last = site.server.log[-1]
    assert last[0].headers.get("If-None-Match") == '"v1"' and last[1].status_code == 304
    assert state(db, article_id)["events"][-1]["detail"] == "not modified (HTTP 304)"


def test_a_captcha_page_s_etag_is_never_used_for_the_article(site, archived, db, clock):
    def captcha(request):
        if request.headers.get("If-None-Match") == '"captcha"':
            return Response(status=304, headers={"ETag": '"captcha"'})
        return _html("<html><body><p>请完成验证</p></body></html>", ETag='"captcha"')

    archived()
    site.add("/news/2026/1129/a.html", captcha)
    assert check(db, clock) == {"unreachable": 1}
    assert check(db, clock) == {"unreachable": 1}  # not a 304 "unchanged"
    assert site.server.log[-1][0].headers.get("If-None-Match") is None


# --- selection and the schedule -----------------------------------------------------------------


def test_due_takes_new_articles_hourly_and_old_ones_rarely(site, archived, db, clock):
    article_id = archived()
    with scraper.Archive(db) as archive:
        archive.db.execute("UPDATE articles SET archived_at = ?", [START.isoformat()])
        archive.commit()
    due = Selection(due=True)
    options = RecheckOptions(FAST, workers=1, clock=clock)
    with scraper.Archive(db) as archive:
        assert recheck(archive, due, options).total == 0  # archived just now: not yet due
        clock.advance(1)
        assert recheck(archive, due, options).counts == {"unchanged": 1}
        assert recheck(archive, due, options).total == 0
        clock.advance(1)
        assert recheck(archive, due, options).total == 1  # first day: hourly
        clock.advance(24 * 40)
        assert recheck(archive, due, options).total == 1
        clock.advance(24 * 6)
        assert recheck(archive, due, options).total == 0  # old: weekly
    assert article_id


def test_an_unknown_article_is_a_one_line_error(site, archived, db, run_cli):
    archived()
    result = run_cli("recheck", "999", "--db", db)
    assert result.code == 2 and "no article '999'" in result.err and "Traceback" not in result.err


# --- the command line ---------------------------------------------------------------------------


def test_cli_recheck_history_diff_and_export(site, archived, db, run_cli):
    article_id = archived()
    site.add("/news/2026/1129/a.html", page(body=EDITED))
    fetching = ("--delay", "0", "--retries", "0", "--workers", "1", "--quiet")
    result = run_cli("recheck", "--all", "--json", *fetching, "--db", db)
    assert result.code == 0
    counts = json.loads(result.out.strip().splitlines()[-1])
    assert counts["edited"] == 1 and counts["deleted"] == 0 and "unreachable" in counts

    found = json.loads(run_cli("history", str(article_id), "--json", "--db", db).out)
    assert [v["title"] for v in found["versions"]] == [TITLE, TITLE]
    assert all(v["body"] and v["first_seen"] for v in found["versions"])
    assert [(e["outcome"], bool(e["checked_at"])) for e in found["events"]] == [("edited", True)]

    lines = run_cli("diff", str(article_id), "--no-color", "--db", db).out.splitlines()
    assert "-智慧公交线路今日正式开通运营，覆盖新区十二个社区。第1段。" in lines
    assert f"+{EDITED}第1段。" in lines

    site.add("/news/2026/1129/a.html", lambda request: _html("gone", 404))
    result = run_cli("recheck", "--all", "--json", "--confirm-checks", "1", "--confirm-hours",
                     "0", *fetching, "--db", db)  # fmt: skip
    assert json.loads(result.out.strip().splitlines()[-1])["deleted"] == 1
    record = json.loads(run_cli("export", "--format", "jsonl", "--db", db).out)
    assert record["status"] == "deleted" and record["versions"] == 2 and record["deleted_at"]


# --- nothing is lost across an interrupted re-check ---------------------------------------------

SLOW_PAGES = 16


@pytest.fixture
def slow_edits(site, db) -> list[str]:
    """SLOW_PAGES archived articles whose pages are now edited and answer slowly; returns
    the `scraper recheck --all` command line."""
    import sys

    paths = [f"/news/2026/1129/{n}.html" for n in range(SLOW_PAGES)]
    urls = [site.add(path, page(title=f"第{n}号新闻标题")) for n, path in enumerate(paths)]
    with scraper.Archive(db) as archive:
        run_archive(archive, urls, ArchiveOptions(FAST, workers=1))

    def slow_edit(request):
        time.sleep(0.15)
        number = request.path.rsplit("/", 1)[-1].split(".")[0]
        return _html(page(title=f"第{number}号新闻标题", body=EDITED))

    for path in paths:
        site.add(path, slow_edit)
    return [sys.executable, "-m", "scraper", "recheck", "--all", "--db", str(db), "--delay", "0",
            "--retries", "0", "--concurrency", "2", "--workers", "1", "--json"]  # fmt: skip


def _started(command: list[str], db, checks: int = 3):
    """The re-check running, once it has committed `checks` checks."""
    import subprocess

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while _events(db) < checks and time.monotonic() < deadline:
        time.sleep(0.05)
    return process


def test_ctrl_c_mid_recheck_stops_cleanly_with_exit_130(slow_edits, db):
    import signal

    process = _started(slow_edits, db)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["interrupted"] is True
    # a check whose write was under way when Ctrl-C came is committed, if not yet counted
    assert 3 <= summary["edited"] <= _events(db) < SLOW_PAGES


def test_kill_9_mid_recheck_loses_nothing_and_the_same_command_resumes(site, db, slow_edits):
    import signal
    import sqlite3
    import subprocess

    paths = [f"/news/2026/1129/{n}.html" for n in range(SLOW_PAGES)]
    command = slow_edits
    process = _started(command, db)
    process.send_signal(signal.SIGKILL)
    process.wait()
    checked = _events(db)
    assert 3 <= checked < SLOW_PAGES
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every article has its text, and a checked one both of its versions
        assert conn.execute("SELECT count(*) FROM articles WHERE body != ''").fetchone()[0] == (
            SLOW_PAGES
        )
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == checked
        assert conn.execute("SELECT count(*) FROM version_pages").fetchone()[0] == checked
    time.sleep(0.4)  # requests the killed run left in flight reach the server's log
    before = {path: site.hits(path) for path in paths}
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (
        summary["edited"] + checked >= SLOW_PAGES and summary["edited"] <= SLOW_PAGES - checked + 2
    )
    assert _events(db) == SLOW_PAGES  # each article checked once in all
    refetched = sum(site.hits(path) - before[path] for path in paths)
    assert refetched == summary["total"]


def _events(db) -> int:
    import sqlite3

    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(DISTINCT article_id) FROM article_events").fetchone()[
                0
            ]
    except sqlite3.OperationalError:
        return 0


# --- schema ---------------------------------------------------------------------------------------


def test_an_archive_from_before_versions_is_migrated_and_keeps_everything(db):
    from scraper.store.schema import SCHEMA_VERSION

    with scraper.Archive(db) as archive:
        archive.save(scraper.Article(url="http://a.cn/news/1.html", title="标题", body="正文。"))
        for table in ("version_pages", "article_versions", "article_events", "article_watch"):
            archive.db.execute(f"DROP TABLE {table}")
        archive.set_meta("schema_version", "3")
        archive.commit()
    with scraper.Archive(db) as archive:
        assert archive.meta("schema_version") == SCHEMA_VERSION
        record = archive.get("http://a.cn/news/1.html")
        assert record["body"] == "正文。"
        assert (record["status"], record["versions"], record["deleted_at"]) == ("live", 1, None)
        archive.save(scraper.Article(url="http://a.cn/news/1.html", title="标题", body="改了。"))
        assert [v["body"] for v in history(archive.db.conn, record["id"])["versions"]] == [
            "正文。", "改了。"
        ]  # fmt: skip


def test_csv_exports_carry_the_watch_columns(site, archived, db, clock, run_cli):
    archived()
    site.add("/news/2026/1129/a.html", lambda request: _html("gone", 404))
    check(db, clock)
    import csv
    import io

    text = run_cli("export", "--format", "csv", "--db", db).out.lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(text)))
    assert header[-3:] == ["status", "versions", "deleted_at"]
    assert row[-3:] == ["suspected", "1", ""]


def test_status_filters_in_search_and_export(site, archived, db, clock, run_cli):
    kept = archived("/news/2026/1129/a.html")
    gone = archived("/news/2026/1129/b.html", page(title="江城地铁三号线今日开通"))
    site.add("/news/2026/1129/b.html", lambda request: _html("gone", 404))
    check(db, clock, checks=1, hours=0)

    def ids(*args: str) -> list[int]:
        result = run_cli(*args, "--db", db)
        assert result.code == 0, result.err
        return sorted(json.loads(line)["id"] for line in result.out.splitlines())

    assert ids("search", "status:deleted", "--json") == [gone]
    assert ids("search", "江城", "-status:deleted", "--json") == [kept]
    assert ids("search", "江城", "--status", "live", "--json") == [kept]
    assert ids("export", "--format", "jsonl", "--status", "deleted") == [gone]
    assert ids("export", "--format", "jsonl", "--status", "edited") == []
    bad = run_cli("search", "status:gone", "--db", db)
    assert bad.code != 0 and "unknown status 'gone'" in bad.err and "Traceback" not in bad.err


# --- the web app ----------------------------------------------------------------------------------


def test_web_app_shows_badges_versions_a_diff_and_recent_changes(site, archived, db, clock):
    from starlette.testclient import TestClient

    from scraper.web.app import create_app

    edited = archived("/news/2026/1129/a.html")
    gone = archived("/news/2026/1129/b.html", page(title="江城地铁三号线今日开通"))
    site.add("/news/2026/1129/a.html", page(body=EDITED))
    site.add("/news/2026/1129/b.html", lambda request: _html("gone", 404))
    check(db, clock, checks=1, hours=0)
    with TestClient(create_app(db), base_url="http://127.0.0.1:8765") as client:
        results = client.get("/", params={"q": "江城"}).text
        assert "已删除 · 2026-11-29" in results and "已修改 1 次" in results
        article = client.get(f"/article/{gone}").text
        assert "已删除 · 2026-11-29" in article and f"/article/{gone}/history" in article
        versions = client.get(f"/article/{edited}/history").text
        assert versions.count('<tr class="version">') == 2
        assert "<del>智慧公交线路今日正式开通运营，覆盖新区十二个社区。第1段。</del>" in versions
        assert f"<ins>{EDITED}第1段。</ins>" in versions
        assert client.get(f"/article/{edited}/history", params={"from": "0"}).status_code == 400
        assert client.get("/article/999/history").status_code == 404
        overview = client.get("/overview").text
        deleted_part = overview.split('id="recently-deleted"')[1].split("</section>")[0]
        edited_part = overview.split('id="recently-edited"')[1].split("</section>")[0]
        assert "江城地铁三号线今日开通" in deleted_part and TITLE in edited_part


# --- the rules as data and functions --------------------------------------------------------------


@pytest.mark.parametrize(("url", "front"), [
    ("http://a.cn/", True), ("http://a.cn", True), ("http://a.cn/news/", True),
    ("http://a.cn/index.html", True), ("http://a.cn/world/default.htm", True),
    ("http://a.cn/guonei", True), ("http://a.cn/news/2026/1129/a.html", False),
    ("http://a.cn/c_38301846.htm", False),
])  # fmt: skip
def test_home_and_section_urls(url, front):
    from scraper.extract.notices import is_front_or_section

    assert is_front_or_section(url) is front


def test_the_schedule_decays_with_age():
    from scraper.pipeline.watch_rules import check_interval

    assert check_interval(timedelta(hours=3)) == timedelta(hours=1)
    assert check_interval(timedelta(days=3)) == timedelta(days=1)
    assert check_interval(timedelta(days=300)) == timedelta(days=7)


def test_diff_and_history_errors_are_one_line(site, archived, db, run_cli):
    article_id = archived()
    for args in (("diff", str(article_id), "1", "3"), ("diff", str(article_id), "1"),
                 ("history", "999"), ("history", "http://nowhere.cn/x.html")):  # fmt: skip
        result = run_cli(*args, "--db", db)
        assert result.code == 2 and result.err.count("\n") == 1, args
        assert "Traceback" not in result.err
    single = run_cli("diff", str(article_id), "--json", "--db", db)
    assert json.loads(single.out)["removed"] == [] and json.loads(single.out)["added"] == []


def test_articles_from_saved_files_are_not_rechecked(db, clock):
    with scraper.Archive(db) as archive:
        archive.save(scraper.Article(url="file:///tmp/saved.html", title="标题", body="正文"))
    assert check(db, clock) == {}


@pytest.mark.parametrize(("extractor_version", "expected"),
                         [("0", "unchanged"), (EXTRACTOR_VERSION, "edited")])  # fmt: skip
def test_an_extractor_upgrade_is_not_an_edit(site, archived, db, clock, extractor_version,
                                             expected):  # fmt: skip
    archived()
    with scraper.Archive(db) as archive:  # as an older extractor read the same page
        archive.db.execute("UPDATE articles SET body = '旧的提取结果', content_hash = 'old',"
                           " extractor_version = ?", [extractor_version])  # fmt: skip
        archive.commit()
    assert check(db, clock) == {expected: 1}


# --- WARC of re-checks ---------------------------------------------------------------------------


def test_recheck_writes_the_pages_it_fetched_as_warc_and_keeps_their_provenance(
    site, archived, db, clock, tmp_path, run_cli
):
    from warcio.archiveiterator import ArchiveIterator

    article_id = archived()
    site.add("/news/2026/1129/a.html", page(body=EDITED))
    clock.advance(2)
    result = run_cli("recheck", "--all", "--delay", "0", "--warc", tmp_path / "w", "--json",
                     "-q", "--db", db)  # fmt: skip
    assert json.loads(result.out.splitlines()[-1])["edited"] == 1
    (written,) = (tmp_path / "w").glob("*.warc.gz")
    with written.open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream()
                    .read()) for r in ArchiveIterator(stream)]  # fmt: skip
    responses = [body for kind, _, body in records if kind == "response"]
    assert len(responses) == 1 and EDITED.encode() in responses[0]
    assert {kind for kind, _, _ in records} >= {"request", "response"}
    with scraper.Archive(db) as archive:
        (raw,) = archive.raw_pages(article_id)  # the new version's capture, with provenance
        assert raw.status == 200 and raw.server_ip == "127.0.0.1"
