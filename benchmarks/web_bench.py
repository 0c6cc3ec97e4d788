"""Benchmark the web app's page times: search and article pages as a browser would fetch them.

`scraper serve` runs as a subprocess on 127.0.0.1 and a free port; an httpx client sends one
request at a time over a kept-alive connection and times each until its whole body is read
(what a browser waits for, minus rendering). Queries are drawn from the archive itself
(seeded): words of random articles' titles cut as queries are cut, sorted by how many articles
they match, and pieces of titles as quoted phrases. The article page is fetched bare and as
the link on a search page makes it (with `pos` and the query: the page then reruns the search
to find its neighbours). Each kind is warmed up with 10 untimed requests; the kinds are then
timed in turn, N requests each, interleaved.

    python benchmarks/web_bench.py --db /tmp/archive-100000.db
    python benchmarks/web_bench.py --db /tmp/archive-10000.db --requests 50 --json

The server opens the archive as `scraper serve` does, which may write to it (a migration, the
WAL): point --db at a copy of an archive you care about. Target (issue): p95 <= 100 ms for
the search and article pages; the overview page is reported but not held to it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

import httpx

# The sibling modules import by bare name: make that work from any working directory.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import _log  # noqa: E402
from search_bench import environment as search_environment  # noqa: E402
from search_measure import percentile  # noqa: E402

from scraper.search.query import QueryError, build_match  # noqa: E402
from scraper.store.index import FTS  # noqa: E402
from scraper.store.segment import query_tokens  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0
WARMUP = 10  # untimed requests per kind
TITLE_SAMPLE = 400  # random articles whose titles give the query words
WORD_POOL = 600  # words whose match counts are measured (the slow part of drawing queries)
TAIL = 0.1  # "frequent" and "rare" words: the top and bottom tenth of the pool by matches
LINK_PAGES = 20  # search pages read (untimed) for the article links that carry `pos`
STARTUP_TIMEOUT = 120.0
HIT_LINK = re.compile(r'<a class="hit" href="(/article/\d+\?[^"]*)"')
TARGETED = ("search", "article")  # kinds whose names start so are held to TARGET_MS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="The archive (use a copy).")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per kind [200].")
    parser.add_argument("--seed", type=int, default=1, help="Query and article seed [1].")
    parser.add_argument("--json", action="store_true", help="Print one JSON document.")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        parser.error(f"no archive at {args.db}")
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    ids = article_ids(args.db)
    env = environment(args.db, ids)  # before the server opens the archive (it may grow the WAL)
    rng = random.Random(args.seed)
    _log("drawing queries from the archive")
    words = draw_words(args.db, max(ids, default=0), rng)
    with running_server(args.db) as base, httpx.Client(base_url=base, timeout=60) as client:
        links = result_links(client, words, rng)
        kinds = request_kinds(words, ids, links, rng)
        _log(f"warming up: {WARMUP} requests per kind")
        for _ in range(WARMUP):
            for make in kinds.values():
                fetch(client, make())
        _log(f"timing: {args.requests} requests x {len(kinds)} kinds")
        timings = time_kinds(client, kinds, args.requests)
    result = {
        "environment": env,
        "words": {k: len(v) for k, v in words.items() if k != "matches"},
        "matches_median": words["matches"],
        "kinds": {kind: t.summary() for kind, t in timings.items()},
        "target_ms": TARGET_MS,
        "wall_seconds": time.perf_counter() - started,
    }
    result["target_met"] = target_met(result["kinds"])
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_report(result)


# --- the archive -----------------------------------------------------------------------------


def _connect(db_path: Path) -> sqlite3.Connection:
    """A read-only connection: drawing queries must not change what the server then reads."""
    return sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)


def environment(db_path: Path, ids: list[int]) -> dict:
    wal = Path(f"{db_path}-wal")
    return {
        **search_environment(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "archive": str(db_path),
        "articles": len(ids),
        "bytes": db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0),
    }


def article_ids(db_path: Path) -> list[int]:
    with closing(_connect(db_path)) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM articles")]


def draw_words(db_path: Path, top: int, rng: random.Random) -> dict:
    """Query material from random articles' titles: words cut as queries are cut, with the
    number of articles each matches; pairs of words from one title; 4-6 character pieces of
    titles for quoted phrases."""
    with closing(_connect(db_path)) as conn:
        titles = _random_titles(conn, top, rng)
        cuts = [[w for w in query_tokens(t) if len(w) >= 2] for t in titles]
        pool = sorted({w for words in cuts for w in words})
        pool = rng.sample(pool, min(WORD_POOL, len(pool)))
        matches = {w: n for w in pool if (n := _matches(conn, w))}
    by_count = sorted(matches, key=lambda w: (matches[w], w))
    tail = max(1, int(len(by_count) * TAIL))
    return {
        "all": sorted(matches),
        "frequent": by_count[-tail:],
        "rare": by_count[:tail],
        "matches": {
            "frequent": statistics.median(matches[w] for w in by_count[-tail:]),
            "rare": statistics.median(matches[w] for w in by_count[:tail]),
        },
        "pairs": [
            f"{a} {b}" for words in cuts if len(words) >= 2 for a, b in [rng.sample(words, 2)]
        ],
        "phrases": [f'"{p}"' for t in titles if (p := _title_piece(t, rng))],
    }


def _random_titles(conn: sqlite3.Connection, top: int, rng: random.Random) -> list[str]:
    titles: list[str] = []
    for _ in range(TITLE_SAMPLE * 3):  # ids may have gaps: draw until enough are found
        if len(titles) >= TITLE_SAMPLE or not top:
            break
        row = conn.execute(
            "SELECT title FROM articles WHERE id = ?", [rng.randint(1, top)]
        ).fetchone()
        if row and row[0]:
            titles.append(row[0])
    return titles


def _matches(conn: sqlite3.Connection, word: str) -> int:
    try:
        match = build_match(word)
    except QueryError:
        return 0
    return conn.execute(f"SELECT count(*) FROM {FTS} WHERE {FTS} MATCH ?", [match]).fetchone()[0]


def _title_piece(title: str, rng: random.Random) -> str | None:
    """4-6 consecutive CJK characters of the title, or None if it has no such run."""
    runs = [r for r in re.findall(r"[\u4e00-\u9fff]+", title) if len(r) >= 4]
    if not runs:
        return None
    run = rng.choice(runs)
    size = rng.randint(4, min(6, len(run)))
    start = rng.randint(0, len(run) - size)
    return run[start : start + size]


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(db_path: Path) -> Iterator[str]:
    """`scraper serve` on a free local port, in a process of its own; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "scraper", "serve", "--db", str(db_path),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    # stderr to a file, not a pipe: a pipe nobody reads would stall the server once full
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            _wait_until_up(base, server, errors)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(base: str, server: subprocess.Popen, errors: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            errors.seek(0)
            error = errors.read().decode(errors="replace")
            raise RuntimeError(f"scraper serve exited with {server.returncode}: {error}")
        try:
            httpx.get(f"{base}/static/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"scraper serve did not answer within {STARTUP_TIMEOUT:.0f} s")


# --- requests --------------------------------------------------------------------------------


def _search(rng: random.Random, choices: list[str], **extra: str) -> Callable[[], str]:
    return lambda: "/?" + urlencode({"q": rng.choice(choices), **extra})


def request_kinds(
    words: dict, ids: list[int], links: list[str], rng: random.Random
) -> dict[str, Callable[[], str]]:
    """Each kind of request as a function returning the next URL path to fetch."""
    return {
        "search: 1 word, frequent": _search(rng, words["frequent"]),
        "search: 1 word, rare": _search(rng, words["rare"]),
        "search: 2 words": _search(rng, words["pairs"]),
        "search: quoted phrase": _search(rng, words["phrases"]),
        "search: 1 word, by date": _search(rng, words["all"], sort="date"),
        "search: no query (newest)": lambda: "/?" + urlencode({"offset": 20 * rng.randrange(10)}),
        "article": lambda: f"/article/{rng.choice(ids)}",
        "article from results (pos)": lambda: rng.choice(links),
        "overview": lambda: "/overview",
    }


def result_links(client: httpx.Client, words: dict, rng: random.Random) -> list[str]:
    """Article links as search pages give them (with the query and `pos`), from the first and
    a later page of searches for random words, pairs and phrases (untimed)."""
    _log(f"collecting article links from {LINK_PAGES} search pages")
    links: list[str] = []
    kinds = [words["all"], words["pairs"], words["phrases"]]
    for turn in range(LINK_PAGES):
        params = {"q": rng.choice(kinds[turn % len(kinds)])}
        if turn % 2:
            params["offset"] = str(20 * rng.randint(1, 3))
        links += HIT_LINK.findall(fetch(client, "/?" + urlencode(params)).text)
    if not links:
        raise RuntimeError("no search page had any results: is the archive indexed?")
    return [link.replace("&amp;", "&") for link in links]


def fetch(client: httpx.Client, path: str) -> httpx.Response:
    response = client.get(path)  # reads the whole body
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return response


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "n": len(self.seconds),
            "p50_ms": percentile(self.seconds, 50) * 1000,
            "p95_ms": percentile(self.seconds, 95) * 1000,
            "max_ms": max(self.seconds, default=0.0) * 1000,
            "kb": statistics.median(self.sizes) / 1024 if self.sizes else 0.0,
        }


def time_kinds(
    client: httpx.Client, kinds: dict[str, Callable[[], str]], requests: int
) -> dict[str, Timings]:
    """`requests` of each kind, one at a time, the kinds taking turns."""
    timings = {kind: Timings() for kind in kinds}
    for turn in range(requests):
        for kind, make in kinds.items():
            path = make()
            started = time.perf_counter()
            response = fetch(client, path)
            timings[kind].seconds.append(time.perf_counter() - started)
            timings[kind].sizes.append(len(response.content))
        if (turn + 1) % max(1, requests // 5) == 0:
            _log(f"  {turn + 1}/{requests}")
    return timings


def target_met(kinds: dict[str, dict]) -> dict[str, bool]:
    """Per targeted kind (search and article pages): p95 <= TARGET_MS."""
    return {k: r["p95_ms"] <= TARGET_MS for k, r in kinds.items() if k.startswith(TARGETED)}


# --- report ----------------------------------------------------------------------------------


def print_report(result: dict) -> None:
    env = result["environment"]
    print(f"web bench · Python {env['python']} · SQLite {env['sqlite']} · {env['cpus']} CPUs · "
          f"{env['platform']} · scraper/ digest {env['scraper_digest']}")  # fmt: skip
    load = env["load_average"]
    print(f"archive {env['archive']}: {env['articles']:,} articles, "
          f"{env['bytes'] / 2**20:,.0f} MB · load average at start "
          f"{', '.join(f'{x:.2f}' for x in load) if load else 'n/a'}")  # fmt: skip
    w = result["words"]
    m = result["matches_median"]
    print(f"queries from the archive: {w['all']} words ({w['frequent']} frequent, median "
          f"{m['frequent']:,.0f} articles; {w['rare']} rare, median {m['rare']:,.0f}), "
          f"{w['pairs']} pairs, {w['phrases']} phrases")  # fmt: skip
    print()
    print(f"{'kind':<28} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'KB':>7}")
    for kind, r in result["kinds"].items():
        print(f"{kind:<28} {r['n']:>5} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
              f"{r['max_ms']:>8.1f} {r['kb']:>7.1f}")  # fmt: skip
    print()
    missed = [kind for kind, ok in result["target_met"].items() if not ok]
    if missed:
        print(f"target p95 <= {TARGET_MS:.0f} ms: NOT met for {', '.join(missed)}")
    else:
        print(f"target p95 <= {TARGET_MS:.0f} ms: met for every search and article kind")
    print(f"total wall time {result['wall_seconds']:.0f} s")


if __name__ == "__main__":
    main()
