"""Benchmark `scraper recheck` against `scraper archive` on the same local hosts.

The fetch benchmark's page server (news_server.py: realistic article pages on 50 loopback
hosts, a permissive robots.txt, an ETag per article and 304 for a matching If-None-Match)
serves N articles. We time, as subprocesses with the same politeness options:

1. `scraper archive` of the N URLs (the reference pages/s);
2. `scraper recheck --all`: the first re-check knows no ETag yet, so every page is fetched
   and extracted again (a full refetch: pages/s, bytes sent by the server);
3. `scraper recheck --all` again: now every request is conditional and answered 304.

Bytes are what the server process wrote to its sockets (/proc/PID/io wchar), so headers
count too (the server counts what it sends). DB growth is the checkpointed file size before and after each re-check, per article.

    python benchmarks/recheck_bench.py                 # 10,000 articles
    python benchmarks/recheck_bench.py --pages 2000 --json
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fetch_bench import archiver_env, write_url_list  # noqa: E402
from news_server import LocalServer  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def politeness(args: argparse.Namespace) -> list[str]:
    return ["--concurrency", str(args.concurrency), "--per-host", str(args.per_host),
            "--delay", str(args.delay), "--quiet", "--json"]  # fmt: skip


def bytes_sent(server: LocalServer) -> int:
    """What the page server has sent so far, headers included (it counts them itself)."""
    host, port = server.origins[0]
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
    with direct.open(f"http://{host}:{port}/stats/bytes", timeout=10) as answer:
        return int(answer.read())


def db_bytes(db: Path) -> int:
    """The archive's used size (pages in use, the WAL folded in), so runs compare."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        used = [conn.execute(f"PRAGMA {p}").fetchone()[0]
                for p in ("page_count", "freelist_count", "page_size")]  # fmt: skip
    return (used[0] - used[1]) * used[2]


def timed(name: str, command: list[str], server: LocalServer, db: Path, pages: int) -> dict:
    size_before, sent_before = db_bytes(db) if db.exists() else 0, bytes_sent(server)
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=archiver_env(), cwd=REPO)
    wall = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    sent = bytes_sent(server) - sent_before
    summary = json.loads(done.stdout.strip().splitlines()[-1] if name != "archive"
                         else done.stdout)  # fmt: skip
    return {"run": name, "pages": pages, "wall_s": round(wall, 1),
            "pages_per_s": round(pages / wall, 1), "server_bytes": sent,
            "db_growth_per_article": round((db_bytes(db) - size_before) / pages, 1),
            "summary": summary.get("counts", summary)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, LocalServer(args.hosts) as server:
        db, urls = Path(tmp) / "bench.db", write_url_list(server, args.pages, Path(tmp) / "u")
        scraper = [sys.executable, "-m", "scraper"]
        archive = [*scraper, "archive", "-i", str(urls), "--db", str(db), *politeness(args)]
        recheck = [*scraper, "recheck", "--all", "--db", str(db), *politeness(args)]
        results = [
            timed("archive", archive, server, db, args.pages),
            timed("recheck (full refetch)", recheck, server, db, args.pages),
            timed("recheck (conditional, 304)", recheck, server, db, args.pages),
        ]
    report(results, args.json)


def report(results: list[dict], as_json: bool) -> None:
    archive, full, conditional = results
    ratios = {"recheck_vs_archive_pages_per_s": round(full["pages_per_s"] / archive["pages_per_s"], 2),
              "conditional_vs_full_bytes": round(conditional["server_bytes"] / full["server_bytes"], 4)}  # fmt: skip
    if as_json:
        print(json.dumps({"runs": results, **ratios}, ensure_ascii=False, indent=2))
        return
    print("| run | pages | wall s | pages/s | bytes sent by the server | DB growth per article |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['run']} | {r['pages']:,} | {r['wall_s']} | {r['pages_per_s']} |"
              f" {r['server_bytes']:,} | {r['db_growth_per_article']} B |")  # fmt: skip
    print(f"\nre-check / archive pages/s: {ratios['recheck_vs_archive_pages_per_s']:.2f}; "
          f"conditional / full bytes: {ratios['conditional_vs_full_bytes']:.2%}")  # fmt: skip
    for r in results:
        print(f"{r['run']}: {r['summary']}")


if __name__ == "__main__":
    main()
