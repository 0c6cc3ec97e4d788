"""The run the robustness issue ends on: one URL list holding a page of 1,000 nested elements, a
PDF served as text/html, random bytes, an empty page, a redirect and its target, and pages 2–3
of an article already archived — through the real CLI against a server on 127.0.0.1. It must
finish with the right count of each outcome, store one article per story, and a rerun fetch
nothing it already has."""

from __future__ import annotations

import json
import random

import pytest
from test_fetch import paginated

import scraper

PROSE = "<p>智慧公交线路今日正式开通运营，覆盖新区十二个社区，市民出行更加便捷。</p>" * 3
NESTED = (
    "<html><head><title>深层嵌套的新闻页面</title></head><body><h1>深层嵌套的新闻页面</h1>"
    + "<div>" * 1000
    + PROSE
    + "</div>" * 1000
    + "</body></html>"
)
STORY = (
    "<html><head><title>江城新区首条智慧公交线路开通_江城日报</title></head><body>"
    "<h1>江城新区首条智慧公交线路开通</h1><div class='info'>来源：江城晚报 2024-05-13 09:26</div>"
    f"<div class='content'>{PROSE}</div></body></html>"
)


@pytest.fixture
def hostile_site(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    html = "text/html; charset=utf-8"
    httpserver.expect_request("/nested.html").respond_with_data(NESTED, content_type=html)
    pdf = b"%PDF-1.7\n" + random.Random(1).randbytes(4000)
    httpserver.expect_request("/report.html").respond_with_data(pdf, content_type="text/html")
    noise = random.Random(2).randbytes(3000)
    httpserver.expect_request("/noise.html").respond_with_data(noise, content_type="text/html")
    httpserver.expect_request("/empty.html").respond_with_data("", content_type=html)
    httpserver.expect_request("/old.html").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new.html")}
    )
    httpserver.expect_request("/new.html").respond_with_data(STORY, content_type=html)
    for number in (1, 2, 3):
        name = "/c_100.htm" if number == 1 else f"/c_100_{number}.htm"
        httpserver.expect_request(name).respond_with_data(paginated(number, 3), content_type=html)
    return httpserver


def test_a_hostile_list_finishes_with_the_right_counts(hostile_site, run_cli, db, tmp_path):
    first = run_cli("archive", hostile_site.url_for("/c_100.htm"), "--db", db, "--delay", "0")
    assert first.code == 0
    urls = [hostile_site.url_for(p) for p in ("/nested.html", "/report.html", "/noise.html",
            "/empty.html", "/old.html", "/new.html", "/c_100_2.htm", "/c_100_3.htm")]  # fmt: skip
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")

    result = run_cli("archive", "-i", listing, "--db", db, "--delay", "0", "--json")
    report = json.loads(result.out)
    # The nested page is an article; the redirect and its target are one (fetched at once, the
    # second finds it stored: unchanged); the PDF, the noise and the empty page are not articles;
    # pages 2-3 belong to the article already archived.
    assert report["counts"] == {
        "added": 2, "unchanged": 1, "already_archived": 2, "not_an_article": 3,
    }  # fmt: skip
    assert result.code == 1  # some inputs were not archived, and the run said so
    assert {f["input"] for f in report["failures"]} == {urls[1], urls[2], urls[3]}

    with scraper.Archive(db) as archive:
        assert archive.count() == 3  # the paginated story, the nested page, the redirected story
        assert archive.get(urls[4])["url"] == urls[5]  # /old is an alias of /new

    served = len(hostile_site.log)
    again = run_cli("archive", "-i", listing, "--db", db, "--delay", "0", "--json")
    fetched_again = [r.path for r, _ in hostile_site.log[served:] if r.path != "/robots.txt"]
    assert json.loads(again.out)["counts"]["already_archived"] == 5
    assert sorted(fetched_again) == ["/empty.html", "/noise.html", "/report.html"]
