"""Every WARC we write replays in pywb: `wb-manager add`, then a request to pywb on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import TITLE, page

pytest.importorskip("pywb")  # in the dev extra; skipped only where it cannot install
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pywb imports cgi
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collection(root: Path, name: str, warcs: list[Path]) -> None:
    """What `wb-manager init NAME` + `wb-manager add NAME WARC…` do, in-process (fast)."""
    from pywb.manager.manager import CollectionsManager

    manager = CollectionsManager(name, colls_dir=str(root / "collections"), must_exist=False)
    manager.add_collection()
    manager.add_archives([str(w) for w in warcs])


def replay(root: Path, requests: list[str]) -> list[httpx.Response]:
    """Serve the collections under `root` with pywb on 127.0.0.1 and ask for each path."""
    port = free_port()
    server = subprocess.Popen([str(BIN / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
                              cwd=root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                return [httpx.get(f"http://127.0.0.1:{port}/{path}", timeout=10)
                        for path in requests]  # fmt: skip
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(10)


def test_captures_and_exports_replay_in_pywb(httpserver, tmp_path, run_cli):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/n/2.html").respond_with_data(
        page(charset="gbk").encode("gbk"), content_type="text/html; charset=gbk"
    )
    url = httpserver.url_for("/n/2.html")
    warcs, db, export = tmp_path / "warcs", tmp_path / "a.db", tmp_path / "export.warc.gz"
    assert run_cli("archive", url, "--warc", warcs, "--delay", "0", "--db", db).code == 0
    assert run_cli("export", "--format", "warc", "--out", export, "--db", db).code == 0
    root = tmp_path / "pywb"
    collection(root, "capture", list(warcs.glob("*.warc.gz")))
    collection(root, "export", [export])
    answers = replay(root, [f"{name}/2030id_/{url}" for name in ("capture", "export")])
    for answer in answers:
        assert answer.status_code == 200
        assert TITLE in answer.content.decode("gbk")
