"""kill -9 of `scraper archive` leaves no process behind: workers, forkserver and resource
tracker all end with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import page
from werkzeug import Response

PAGES = 40


@pytest.fixture
def slow_list(httpserver, tmp_path) -> Path:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)

    def article(request):
        time.sleep(0.1)
        return Response(page(f"第{request.path[-7:-5]}号新闻标题"), content_type="text/html")

    for n in range(PAGES):
        httpserver.expect_request(f"/news/{n:02d}.html").respond_with_handler(article)
    path = tmp_path / "urls.txt"
    path.write_text("\n".join(httpserver.url_for(f"/news/{n:02d}.html") for n in range(PAGES)))
    return path


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (task / "children").read_text().split()
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_kill_9_leaves_no_worker_behind(slow_list, db):
    command = [sys.executable, "-m", "scraper", "archive", "-i", str(slow_list), "--db", str(db),
               "--delay", "0", "--workers", "2", "--quiet"]  # fmt: skip
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    children: set[int] = set()
    while time.monotonic() < deadline and len(children) < 3:  # forkserver + 2 workers
        time.sleep(0.2)
        children = descendants(run.pid)
    assert len(children) >= 3, "the pool never started"
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.2)
    left = [pid for pid in children if alive(pid)]
    for pid in left:  # clean up before failing
        os.kill(pid, signal.SIGKILL)
    assert not left
