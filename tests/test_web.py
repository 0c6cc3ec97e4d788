"""`scraper serve`: every route's happy path and bad input, escaping, headers, exports, CSRF."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import threading

import pytest
from conftest import FIXTURES, page
from starlette.testclient import TestClient

from scraper import Article
from scraper.export.formats import render_txt
from scraper.fetch.engine import FetchSettings
from scraper.pipeline.run import ArchiveOptions
from scraper.store.archive import Archive, RawPage
from scraper.web.app import PAGE_CSP, create_app
from scraper.web.state import Connections
from scraper.web.views import export_stream, highlighted

BASE = "http://127.0.0.1:8765"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_RAW = FIXTURES / "web" / "xss_article.html"
RAW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
BUS_ARTICLES = 45  # more than two pages of 20


def bus_article(n: int) -> Article:
    month = n % 12 + 1
    return Article(
        url=f"https://{'a' if n % 2 else 'b'}.example.cn/news/{n}.html",
        site=f"{'a' if n % 2 else 'b'}.example.cn",
        title=f"智慧公交第{n}号线路开通",
        source="江城日报" if n % 3 else "江城晚报",
        author="李明",
        editor="王芳",
        published_at=f"2024-{month:02d}-{n % 28 + 1:02d}T09:{n % 60:02d}:00+08:00",
        body=f"智慧公交第{n}号线路今日开通运营。\n\n全程十八公里，设站二十六个。",
    )


XSS_ARTICLE = Article(
    url="https://news.example.cn/city/2024/0513/xss.html",
    site="news.example.cn",
    title=f"江城新区{XSS_SCRIPT}电车线路开通",
    source="江城晚报",
    author="李明",
    editor="王芳",
    published_at="2024-05-13T09:26:00+08:00",
    body=f"电车线路今日正式开通运营。{XSS_IMG}\n\n新线路全程十八公里{XSS_SCRIPT}，设站二十六个。",
)


@pytest.fixture
def archive_path(db):
    """An archive of BUS_ARTICLES bus articles, the XSS article (with its GB-encoded raw page)
    and one article whose url is not http(s)."""
    with Archive(db) as archive:
        for n in range(BUS_ARTICLES):
            archive.save(bus_article(n))
        raw = RawPage(XSS_ARTICLE.url, XSS_RAW.read_bytes(), "text/html", "gb18030")
        archive.save(XSS_ARTICLE, [raw])
        archive.save(
            Article(url="javascript:alert(1)", title="地铁票价调整", body="地铁票价调整。")
        )
        archive.record_failure("https://c.example.cn/gone.html", "http", "HTTP 404 Not Found")
    return db


@pytest.fixture
def client(archive_path):
    with TestClient(create_app(archive_path), base_url=BASE) as client:
        yield client


@pytest.fixture
def archiving_client(archive_path):
    app = create_app(archive_path, allow_archive=True)
    app.state.web.jobs.options = ArchiveOptions(FetchSettings(delay=0, retries=0), workers=1)
    with TestClient(app, base_url=BASE) as client:
        yield client


def ids_of(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a class="hit" href="/article/(\d+)', html)]


def article_id(archive_path, url: str) -> int:
    with Archive(archive_path) as archive:
        return archive.get(url)["id"]


def assert_error_page(response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    assert_chinese_message(response.text)


def assert_chinese_message(text: str) -> None:
    """The page's error message is in Chinese, like the rest of the page."""
    message = re.search(r'id="(?:message|error)"[^>]*>([^<]*)<', text)
    assert message, "no error message on the page"
    assert re.search(r"[\u4e00-\u9fff]", message.group(1)), message.group(1)


# -- search page ----------------------------------------------------------------------------------


def test_search_counts_pages_and_highlights(client):
    first = client.get("/", params={"q": "智慧公交"})
    assert first.status_code == 200
    assert re.search(rf"找到 <strong>{BUS_ARTICLES}</strong> 篇", first.text)
    assert len(ids_of(first.text)) == 20
    assert "<mark>智慧公交</mark>" in first.text
    assert 'name="q" value="智慧公交"' in first.text
    last = client.get("/", params={"q": "智慧公交", "offset": 40})
    assert len(ids_of(last.text)) == BUS_ARTICLES - 40
    assert 'id="next-page"' not in last.text and 'id="prev-page"' in last.text
    pages = [
        ids_of(client.get("/", params={"q": "智慧公交", "offset": o}).text) for o in (0, 20, 40)
    ]
    assert len(set(itertools.chain(*pages))) == BUS_ARTICLES  # the pages do not overlap


def test_search_by_date_with_filters(client):
    response = client.get("/", params={"q": "智慧公交", "sort": "date", "site": "a.example.cn",
                                       "since": "2024-06-01", "until": "2024-06-30"})  # fmt: skip
    expected = [n for n in range(1, BUS_ARTICLES, 2) if n % 12 + 1 == 6]
    assert re.search(rf"找到 <strong>{len(expected)}</strong> 篇", response.text)
    dates = re.findall(r'<p class="meta">(2024-\d\d-\d\d \d\d:\d\d)', response.text)
    assert dates == sorted(dates, reverse=True) and len(dates) == len(expected)


def test_without_a_query_lists_the_latest_articles(client):
    response = client.get("/", params={"source": "江城晚报"})
    assert response.status_code == 200
    evening = sum(1 for n in range(BUS_ARTICLES) if n % 3 == 0) + 1  # + the XSS article
    assert re.search(rf"共 <strong>{evening}</strong> 篇", response.text)
    dates = re.findall(r'<p class="meta">(2024-\d\d-\d\d \d\d:\d\d)', response.text)
    assert dates == sorted(dates, reverse=True)


def test_empty_archive_says_how_to_archive(db):
    Archive(db).close()
    with TestClient(create_app(db), base_url=BASE) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert 'id="empty"' in response.text and "scraper archive" in response.text


def test_no_hits_suggests_removing_filters(client):
    response = client.get("/", params={"q": "智慧公交", "site": "nowhere.example.org"})
    assert response.status_code == 200
    assert "没有找到" in response.text
    link = re.search(r'id="drop-filters" href="/\?([^"]+)"', response.text).group(1)
    assert "site" not in link and "q=" in link


@pytest.mark.parametrize(
    "params",
    [{"q": "-公交"}, {"q": "智慧公交", "since": "2024-13"}, {"q": "公交", "until": "yesterday"}],
)
def test_query_errors_are_shown_in_the_page_with_400(client, params):
    response = client.get("/", params=params)
    assert response.status_code == 400
    assert 'id="error"' in response.text and 'id="q"' in response.text  # the form stays
    assert "Traceback" not in response.text
    assert_chinese_message(response.text)


@pytest.mark.parametrize(
    "query",
    ["sort=best", "offset=-1", "offset=ten", "limit=100000", "limit=0", "offset=%D9%A3",
     "q=" + "公" * 501],
)  # fmt: skip
def test_bad_search_parameters_are_400(client, query):
    assert_error_page(client.get("/?" + query), 400)


# -- escaping -------------------------------------------------------------------------------------


def test_search_page_escapes_titles_and_snippets(client):
    text = client.get("/", params={"q": "电车"}).text
    assert XSS_SCRIPT not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<mark>电车</mark>" in text


def test_reflected_query_is_escaped(client):
    text = client.get("/", params={"q": '公交"><script>alert(2)</script>'}).text
    assert "<script>alert(2)" not in text and "&lt;script&gt;alert(2)" in text


def test_highlighting_escapes_each_piece():
    html = highlighted("a<b>工业</b>&", [(4, 6)])
    assert str(html) == "a&lt;b&gt;<mark>工业</mark>&lt;/b&gt;&amp;"
    assert str(highlighted("C<script>", [(1, 9)])) == "C<mark>&lt;script&gt;</mark>"


def test_article_page_escapes_title_and_body(client, archive_path):
    text = client.get(f"/article/{article_id(archive_path, XSS_ARTICLE.url)}").text
    assert XSS_SCRIPT not in text and "<img src=x" not in text
    assert '<h1 id="title">江城新区&lt;script&gt;alert(1)&lt;/script&gt;电车线路开通</h1>' in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


# -- article page ---------------------------------------------------------------------------------


def test_article_page_shows_metadata_paragraphs_and_links(client, archive_path):
    number = article_id(archive_path, XSS_ARTICLE.url)
    text = client.get(f"/article/{number}").text
    assert "来源：江城晚报 · 作者：李明 · 责编：王芳 · 2024-05-13 09:26" in text
    body = re.search(r'<div id="body" class="body">(.*?)</div>', text, re.S).group(1)
    assert body.count("<p>") == 2
    assert f'<a id="original" href="{XSS_ARTICLE.url}" rel="noopener noreferrer"' in text
    assert f'<iframe id="raw" name="raw" sandbox src="/article/{number}/raw"' in text
    for fmt in ("txt", "md", "json"):
        assert f'href="/article/{number}.{fmt}"' in text


def test_only_http_urls_become_links(client, archive_path):
    text = client.get(f"/article/{article_id(archive_path, 'javascript:alert(1)')}").text
    assert 'href="javascript:' not in text
    assert '<span id="original">javascript:alert(1)</span>' in text
    assert 'id="raw"' not in text  # no raw page stored, no frame


def test_prev_and_next_follow_the_results(client):
    results = client.get("/", params={"q": "智慧公交", "sort": "date"}).text
    order = ids_of(results)
    link = re.findall(r'<a class="hit" href="([^"]+)"', results)[1].replace("&amp;", "&")
    text = client.get(link).text
    assert f'id="prev" rel="prev" href="/article/{order[0]}?' in text
    assert f'id="next" rel="next" href="/article/{order[2]}?' in text
    following = re.search(r'id="next" rel="next" href="([^"]+)"', text).group(1)
    after = client.get(following.replace("&amp;", "&")).text
    assert f'id="next" rel="next" href="/article/{order[3]}?' in after
    assert 'id="back" href="/?q=' in text


def test_stale_position_shows_no_neighbours(client):
    order = ids_of(client.get("/", params={"q": "智慧公交"}).text)
    text = client.get(f"/article/{order[0]}", params={"q": "智慧公交", "pos": 5}).text
    assert 'id="prev"' not in text and 'id="next"' not in text


@pytest.mark.parametrize(
    ("path", "status"),
    [("/article/abc", 400), ("/article/-1", 400), ("/article/%D9%A3", 400),
     ("/article/99999", 404), ("/article/1?pos=x", 400), ("/article/1?sort=x", 400)],
)  # fmt: skip
def test_bad_article_requests(client, path, status):
    assert_error_page(client.get(path), status)


def test_downloads_are_attachments_with_safe_names(client, archive_path):
    number = article_id(archive_path, XSS_ARTICLE.url)
    txt = client.get(f"/article/{number}.txt")
    with Archive(archive_path) as archive:
        assert txt.text == render_txt(archive.get(number))
    disposition = txt.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="article-{number}.txt"; ')
    assert "filename*=UTF-8''2024-05-13_" in disposition
    assert "%3C" not in disposition and "/" not in disposition.split("''")[1]  # < and / dropped
    assert client.get(f"/article/{number}.md").text.startswith("# 江城新区")
    assert json.loads(client.get(f"/article/{number}.json").text)["id"] == number
    assert_error_page(client.get(f"/article/{number}.exe"), 400)
    assert_error_page(client.get("/article/99999.txt"), 404)


# -- raw page -------------------------------------------------------------------------------------


def test_raw_page_is_sandboxed_and_decoded(client, archive_path):
    response = client.get(f"/article/{article_id(archive_path, XSS_ARTICLE.url)}/raw")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == RAW_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "智慧公交线路今日正式开通运营" in response.text  # GB18030 bytes served as UTF-8
    assert "<script>document.cookie" in response.text  # as archived; the CSP keeps it inert


@pytest.mark.parametrize(
    ("query", "status"), [("?page=2", 404), ("?page=0", 404), ("?page=x", 400), ("", 404)]
)
def test_bad_raw_requests(client, archive_path, query, status):
    number = article_id(archive_path, XSS_ARTICLE.url if query else "javascript:alert(1)")
    assert_error_page(client.get(f"/article/{number}/raw{query}"), status)


# -- headers everywhere ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/nowhere", 404), ("POST", "/overview", 405), ("GET", "/archive/jobs/x", 403)],
)
def test_starlette_errors_speak_chinese(client, method, path, status):
    assert_error_page(client.request(method, path), status)


@pytest.mark.parametrize("path", ["/", "/overview", "/article/1", "/article/99999", "/nowhere"])
def test_security_headers_on_every_page(client, path):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == PAGE_CSP
    assert "script-src 'none'" in PAGE_CSP
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["referrer-policy"] == "no-referrer"


def test_a_vanished_archive_is_a_503_page(archive_path):
    with TestClient(create_app(archive_path), base_url=BASE) as client:
        for suffix in ("", "-wal", "-shm"):
            archive_path.with_name(archive_path.name + suffix).unlink(missing_ok=True)
        response = client.get("/")
    assert_error_page(response, 503)
    assert "找不到档案" in response.text


def test_a_bug_is_a_500_page_without_traceback(archive_path, monkeypatch):
    def broken(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Archive, "stats", broken)
    app = create_app(archive_path)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        response = client.get("/overview")
    assert_error_page(response, 500)
    assert "secret internals" not in response.text
    assert response.headers["content-security-policy"] == PAGE_CSP


def test_unknown_host_is_refused(client):
    assert client.get("/", headers={"host": "attacker.example.com"}).status_code == 400


def test_static_files_and_no_traversal(client):
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "Noto Sans CJK SC" in css.text
    assert client.get("/static/%2e%2e/app.py").status_code == 404


# -- export ---------------------------------------------------------------------------------------


def count_records(fmt: str, body: bytes) -> int:
    text = body.decode("utf-8")
    if fmt == "jsonl":
        return len([json.loads(line) for line in text.splitlines()])
    if fmt == "csv":
        assert text.startswith("\ufeff")
        return len(list(csv.reader(io.StringIO(text[1:])))) - 1
    return len(re.findall(r"^来源：", text, re.M))


@pytest.mark.parametrize("fmt", ["txt", "md", "jsonl", "csv"])
def test_export_streams_every_result(client, fmt):
    response = client.get("/export", params={"q": "智慧公交", "format": fmt, "offset": 20})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith(
        f'attachment; filename="articles.{fmt}"'
    )
    assert count_records(fmt, response.content) == BUS_ARTICLES  # all, not one page


def test_export_without_query_uses_the_filters(client):
    response = client.get("/export", params={"format": "jsonl", "site": "a.example.cn"})
    sites = {json.loads(line)["site"] for line in response.text.splitlines()}
    assert sites == {"a.example.cn"} and len(response.text.splitlines()) == BUS_ARTICLES // 2


@pytest.mark.parametrize(
    "params",
    [{"format": "pdf"}, {"q": "-公交"}, {"since": "2024-99"}, {"q": "公交", "offset": "-5"}],
)
def test_bad_exports_are_400_before_streaming(client, params):
    assert_error_page(client.get("/export", params=params), 400)


def test_export_stream_is_lazy(archive_path):
    """An endless source still yields its first chunks: nothing is collected in memory."""
    records = ({"title": f"标题{n}", "body": "正文" * 500} for n in itertools.count())
    stream = export_stream(Archive(archive_path), records, "txt")
    assert len(next(stream)) > 0 and len(next(stream)) > 0
    stream.close()


# -- overview -------------------------------------------------------------------------------------


def test_overview_counts_and_failures(client):
    text = client.get("/overview").text
    assert re.search(rf"<strong>{BUS_ARTICLES + 2}</strong> 篇文章", text)
    site_row = re.search(r'href="/\?site=a.example.cn">a.example.cn</a></th>.*?<td class="n">(\d+)',
                         text, re.S)  # fmt: skip
    assert int(site_row.group(1)) == BUS_ARTICLES // 2
    assert 'href="/?since=2024-02-01&amp;until=2024-02-29"' in text  # a leap year's February
    assert text.count("<progress") >= 12 + 2 + 2
    assert "https://c.example.cn/gone.html" in text and "HTTP 404 Not Found" in text


def test_overview_lists_the_sources_with_their_last_poll_new_articles_and_errors(db):
    from scraper.store.sources import add_source, list_sources, record_poll

    with Archive(db) as archive:
        assert "还没有来源" in overview_text(db)
        add_source(archive, "https://a.example.cn/rss.xml", "feed", name="江城<新闻>")
        add_source(archive, "https://b.example.cn/list/")
        feed, page = list_sources(archive)
        record_poll(archive, feed, "2025-10-20T08:00:00+08:00", (None, None), None, 12, 5)
        record_poll(archive, page, "2025-10-20T08:00:00+08:00", (None, None), "HTTP 503", 0, 0)
    text = overview_text(db)
    rows = re.findall(r'<tr class="source[^"]*">(.*?)</tr>', text, re.S)
    assert len(rows) == 2
    assert "江城&lt;新闻&gt;" in rows[0] and "2025-10-20" in rows[0]
    assert re.findall(r'<td class="n">(\d+)</td>', rows[0]) == ["12", "5", "5"]
    assert "HTTP 503" in rows[1] and 'class="source failing"' in text


def overview_text(db) -> str:
    with TestClient(create_app(db), base_url=BASE) as client:
        return client.get("/overview").text


# -- archiving from the page ----------------------------------------------------------------------


def test_archive_routes_are_refused_without_allow_archive(client):
    assert_error_page(client.get("/archive"), 403)
    response = client.post("/archive", data={"urls": "https://a.example.cn/x"},
                           headers={"origin": BASE})  # fmt: skip
    assert_error_page(response, 403)
    assert 'id="nav-archive"' not in client.get("/").text


def form_token(client) -> str:
    form = client.get("/archive")
    assert form.headers["referrer-policy"] == "same-origin"  # so our own POST carries Origin
    return re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)


@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://attacker.example.com"}, {"origin": "null"}, {},
     {"referer": "http://127.0.0.1:9999/archive"}],
)  # fmt: skip
def test_cross_site_posts_are_refused(archiving_client, headers):
    token = form_token(archiving_client)
    response = archiving_client.post("/archive", data={"urls": "https://a.example.cn/1",
                                                       "csrf": token}, headers=headers)  # fmt: skip
    assert_error_page(response, 403)
    assert archiving_client.app.state.web.jobs.running() is None


@pytest.mark.parametrize("token", ["", "forged"])
def test_posts_without_the_token_are_refused(archiving_client, token):
    form_token(archiving_client)
    response = archiving_client.post("/archive", data={"urls": "https://a.example.cn/1",
                                     "csrf": token}, headers={"origin": BASE})  # fmt: skip
    assert_error_page(response, 403)


def test_only_urls_can_be_archived_from_the_page(archiving_client):
    token = form_token(archiving_client)
    response = archiving_client.post("/archive", data={"urls": "/etc/passwd\nseeds/",
                                     "csrf": token}, headers={"origin": BASE})  # fmt: skip
    assert response.status_code == 400 and "/etc/passwd" in response.text
    assert_chinese_message(response.text)
    assert archiving_client.app.state.web.jobs.running() is None


def test_archive_job_runs_and_reports(archiving_client, httpserver, archive_path):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/news/1.html").respond_with_data(
        page("江城新区有轨电车今日通车"), content_type="text/html"
    )
    url = httpserver.url_for("/news/1.html")
    token = form_token(archiving_client)
    response = archiving_client.post("/archive", data={"urls": f"# 今天的\n{url}\n", "csrf": token},
                                     headers={"origin": BASE}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    job_url = response.headers["location"]
    assert re.fullmatch(r"/archive/jobs/[0-9a-f]{16}", job_url)
    archiving_client.app.state.web.jobs.wait(timeout=60)
    job = archiving_client.get(job_url).text
    assert 'data-done="true"' in job and 'http-equiv="refresh"' not in job
    assert re.search(r'class="count-added">新增 <strong>1</strong>', job)
    assert "江城新区有轨电车今日通车" in job
    assert article_id(archive_path, url) > 0


def test_job_page_refreshes_while_running_and_404s_when_unknown(archiving_client):
    jobs = archiving_client.app.state.web.jobs
    release = threading.Event()
    jobs._run = lambda job, urls: release.wait(10) and job.finish()  # a run that waits
    token = form_token(archiving_client)
    response = archiving_client.post("/archive", data={"urls": "https://a.example.cn/1",
                                     "csrf": token}, headers={"origin": BASE})  # fmt: skip
    assert response.status_code == 200 and 'http-equiv="refresh" content="2"' in response.text
    second = archiving_client.post("/archive", data={"urls": "https://a.example.cn/2",
                                   "csrf": token}, headers={"origin": BASE})  # fmt: skip
    assert second.status_code == 409 and 'id="running"' in second.text
    assert_chinese_message(second.text)
    release.set()
    jobs.wait(timeout=10)
    assert_error_page(archiving_client.get("/archive/jobs/0123456789abcdef"), 404)


# -- connections and the command line -------------------------------------------------------------


def test_each_thread_gets_its_own_connection(archive_path):
    connections = Connections(archive_path)
    seen: list[Archive] = []
    thread = threading.Thread(target=lambda: seen.append(connections.get()))
    thread.start()
    thread.join()
    assert connections.get() is connections.get() and connections.get() is not seen[0]
    connections.close()


def test_serve_help(run_cli):
    result = run_cli("serve", "--help")
    assert result.code == 0 and "--allow-archive" in result.out and "127.0.0.1" in result.out


def test_serve_without_an_archive_is_one_line(run_cli, db):
    result = run_cli("serve", "--db", db)
    assert result.code == 2 and not db.exists()
    assert result.err.strip().startswith("scraper: error: no archive at")
    assert len(result.err.strip().splitlines()) == 1


def test_serve_runs_uvicorn_on_localhost(run_cli, archive_path, monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    result = run_cli("serve", "--db", archive_path)
    assert result.code == 0 and "http://127.0.0.1:8765/" in result.err
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8765


def test_neighbours_come_from_the_result_page_without_searching_again(client, monkeypatch):
    results = client.get("/", params={"q": "智慧公交", "offset": 20}).text
    order = ids_of(results)
    import scraper.web.views as views

    def no_search(*args, **kwargs):
        raise AssertionError("the result page's ids should have been enough")

    monkeypatch.setattr(views, "page", no_search)
    text = client.get(f"/article/{order[5]}", params={"q": "智慧公交", "pos": 25}).text
    assert f'href="/article/{order[4]}?' in text and f'href="/article/{order[6]}?' in text


def test_neighbours_of_the_first_result_without_a_result_page(client, archive_path):
    order = ids_of(client.get("/", params={"q": "智慧公交", "sort": "date"}).text)
    fresh = TestClient(create_app(archive_path), base_url=BASE)  # nothing remembered
    text = fresh.get(
        f"/article/{order[0]}", params={"q": "智慧公交", "sort": "date", "pos": 0}
    ).text
    assert 'id="prev"' not in text
    assert f'id="next" rel="next" href="/article/{order[1]}?' in text


def test_two_captures_of_one_story_are_marked_as_such(db):
    body = "。".join(f"江城新区第{n}条智慧公交线路今日正式开通运营覆盖社区" for n in range(12))
    with Archive(db) as archive:
        for url in ("https://a.example.cn/1.html", "https://b.example.cn/1.txt"):
            archive.save(Article(url=url, title="智慧公交开通", body=body))
    with TestClient(create_app(db), base_url=BASE) as client:
        text = client.get("/", params={"q": "智慧公交"}).text
    assert text.count('class="hit"') == 2
    assert re.search(r'class="copy">与上面的 <a href="/article/1">#1</a> 是同一篇文章', text)
