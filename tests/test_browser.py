"""`scraper serve` in a real browser: Debian's Chromium driven by Playwright (never a browser
download). Search → results → article → next article → export, and a hostile article (scripts
and onerror handlers in its title, body and raw page) that must stay inert.

Screenshots go to the test's temporary folder, or to $SCRAPER_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web import BUS_ARTICLES, XSS_ARTICLE, XSS_IMG, XSS_RAW, XSS_SCRIPT, bus_article

from scraper import Archive
from scraper.store.archive import RawPage
from scraper.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (.ci/run installs it)"
)
# Chromium as root in a closed network: no sandbox, and no calls home that would be refused.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The app on a free local port, with the bus articles and the hostile one."""
    import uvicorn

    db = tmp_path_factory.mktemp("browser") / "archive.db"
    with Archive(db) as archive:
        for n in range(BUS_ARTICLES):
            archive.save(bus_article(n))
        archive.save(XSS_ARTICLE, [RawPage(XSS_ARTICLE.url, XSS_RAW.read_bytes(), "text/html")])
    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, tmp_path) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    opened.dialogs = []  # every alert() that fires: a hostile page must fire none
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()


def screenshot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("SCRAPER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a rendered page, not a blank one
    return path


def test_search_read_next_and_export(server, page, tmp_path):
    page.goto(server)
    page.fill("#q", "智慧公交")
    page.click("#submit")
    page.wait_for_selector("#hits")
    assert str(BUS_ARTICLES) in page.inner_text("#count")
    assert page.locator(".hit").count() == 20
    assert page.locator("#hits mark").first.inner_text() == "智慧公交"
    screenshot(page, tmp_path, "1-search-results")

    first_title = page.locator(".hit").first.inner_text()
    page.locator(".hit").first.click()
    page.wait_for_selector("#article")
    assert page.inner_text("#title") == first_title
    assert "江城" in page.inner_text("#meta") and "王芳" in page.inner_text("#meta")
    assert page.locator("#body p").count() == 2
    screenshot(page, tmp_path, "2-article")

    page.click("#next")
    page.wait_for_selector("#article")
    assert page.inner_text("#title") != first_title
    page.click("#back")
    page.wait_for_selector("#hits")
    assert page.locator(".hit").count() == 20

    with page.expect_download() as download:
        page.click("#export-jsonl")
    lines = Path(download.value.path()).read_text("utf-8").splitlines()
    assert len(lines) == BUS_ARTICLES
    assert all("智慧公交" in json.loads(line)["title"] for line in lines)


def test_hostile_article_renders_inert(server, page, tmp_path):
    page.goto(server + "/?q=电车")
    page.locator(".hit").first.click()
    page.wait_for_selector("#article")
    page.wait_for_load_state("load")  # the raw page's frame too
    assert XSS_SCRIPT in page.inner_text("#title")  # shown as text
    assert XSS_IMG in page.inner_text("#body")
    assert page.locator("#article script, #article img, #article [onerror]").count() == 0
    frame = page.frame_locator("#raw")
    assert "智慧公交" in frame.locator("h1").inner_text()  # the raw page did load, decoded
    page.wait_for_timeout(500)  # give any handler that escaped the sandbox time to fire
    assert page.dialogs == []
    assert page.context.cookies() == []  # the raw page's document.cookie write never ran
    screenshot(page, tmp_path, "3-hostile-article")


def test_overview_and_empty_search(server, page, tmp_path):
    page.goto(server + "/overview")
    assert "江城日报" in page.inner_text("body")
    screenshot(page, tmp_path, "4-overview")
    page.goto(server + "/?q=不存在的词语组合&site=a.example.cn")
    assert page.locator("#no-hits").is_visible()
    page.click("#drop-filters")
    page.wait_for_selector("#no-hits")
    assert "site=" not in page.url  # the filter is gone, the query kept
    assert page.input_value("#q") == "不存在的词语组合"
