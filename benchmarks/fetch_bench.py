"""Benchmark `scraper archive` fetching from a local server: pages/s end to end and peak memory.

A separate process serves realistic gmw.cn article pages, generated from the seed page, on 50
loopback addresses 127.0.0.2 … 127.0.0.51 with a permissive /robots.txt (news_server.py). The
archiver runs as a subprocess over a URL list with politeness on; we time it, take its peak
memory (proc_stats.py) and check every stored article.

Nothing leaves the machine: only loopback addresses are used and proxy variables are dropped
from the archiver's environment.

    python benchmarks/fetch_bench.py                 # 5,000 pages, then the 100,000-URL memory run
    python benchmarks/fetch_bench.py --skip-big --json

The server is never the bottleneck (see news_server.py); the "srv CPU" column shows what it took
from the archiver's cores during a run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# The sibling modules import by bare name: make that work from any working directory and when
# this file is loaded by path rather than run as a script.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from news_server import MAX_HOSTS, LocalServer, article_fields  # noqa: E402
from proc_stats import run_measured  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
_NEWS_URL = re.compile(r"/news/(\d+)\.html$")


# --- one archiver run ------------------------------------------------------------------------


@dataclass
class RunResult:
    name: str
    pages: int
    wall_s: float
    exit_code: int
    main_rss_mb: float  # kernel high-water mark of the archiver's main process
    tree_pss_mb: float | None  # sampled every 0.2 s: archiver + all its children, summed PSS
    cpu_s: float | None  # sampled: archiver + all its children
    server_cpu_s: float | None
    counts: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    db: dict = field(default_factory=dict)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == 0
            and self.counts.get("failed", 0) == 0
            and self.db.get("articles") == self.pages
            and self.db.get("mismatched") == 0
        )


def archiver_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != "SCRAPER_DB"}
    env["NO_PROXY"] = env["no_proxy"] = "*"  # belt and braces: never route loopback via a proxy
    return env


def archive_command(args: argparse.Namespace, url_list: Path, db: Path) -> list[str]:
    return [
        sys.executable, "-m", "scraper", "archive", "-i", str(url_list), "--db", str(db),
        "--concurrency", str(args.concurrency), "--per-host", str(args.per_host),
        "--delay", str(args.delay), "--quiet", "--json",
    ] + (["--workers", str(args.workers)] if args.workers else [])  # fmt: skip


def write_url_list(server: LocalServer, pages: int, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(server.url(n) + "\n" for n in range(1, pages + 1))
    return path


def parse_summary(stdout: str) -> dict:
    """The archiver's JSON summary (its whole stdout, indented JSON); {} if it printed none."""
    try:
        return json.loads(stdout)
    except json.JSONDecodeError:
        return {}


def verify_db(db: Path) -> dict:
    """Count stored articles and check each one holds its own page's title, 来源 and time."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT url, title, source, published_at FROM articles")
        articles, mismatched, example = 0, 0, None
        for url, title, source, published_at in rows:
            articles += 1
            problem = _mismatch(url, title, source, published_at)
            if problem:
                mismatched += 1
                example = example or problem
    finally:
        con.close()
    return {
        "articles": articles,
        "mismatched": mismatched,
        "example_mismatch": example,
        "db_mb": round(db.stat().st_size / 2**20, 1),
    }


def _mismatch(url: str, title, source, published_at) -> str | None:
    match = _NEWS_URL.search(url or "")
    if not match:
        return f"unexpected url {url!r}"
    want = article_fields(int(match[1]))
    got = {"title": title, "source": source, "time": (published_at or "")[:16].replace("T", " ")}
    wrong = [k for k in want if got[k] != want[k]]
    return f"{url}: {wrong[0]} {got[wrong[0]]!r} != {want[wrong[0]]!r}" if wrong else None


def bench(name: str, server: LocalServer, pages: int, args, workdir: Path) -> RunResult:
    rundir = workdir / name
    rundir.mkdir()
    url_list = write_url_list(server, pages, rundir / "urls.txt")
    db = rundir / "archive.db"
    say(f"{name}: archiving {pages:,} URLs over {len(server.origins)} hosts …")
    server_cpu = server.cpu_seconds()
    run = run_measured(archive_command(args, url_list, db), rundir, archiver_env(), REPO)
    server_cpu_after = server.cpu_seconds()
    if run.leftovers:
        say(
            f"WARNING: {len(run.leftovers)} child processes outlived the archiver; stopped {run.leftovers}"
        )
    summary = parse_summary(run.stdout)
    if not summary:
        say(f"{name}: no JSON summary (exit {run.exit_code}); stderr ends:\n{run.stderr[-2000:]}")
    result = RunResult(
        name=name,
        pages=pages,
        wall_s=run.wall_s,
        exit_code=run.exit_code,
        main_rss_mb=run.main_rss_mb,
        tree_pss_mb=run.tree_pss_mb,
        cpu_s=run.cpu_s,
        server_cpu_s=None if server_cpu is None else server_cpu_after - server_cpu,
        counts=summary.get("counts", {}),
        failures=summary.get("failures", []),
        db=verify_db(db) if db.exists() else {"articles": 0, "mismatched": None},
    )
    report_problems(result, run.stderr)
    return result


def report_problems(result: RunResult, stderr: str) -> None:
    if result.ok:
        return
    say(
        f"{result.name}: PROBLEMS — exit {result.exit_code}, counts {result.counts}, db {result.db}"
    )
    errors = Counter(str(f.get("error")) for f in result.failures if isinstance(f, dict))
    for error, count in errors.most_common(5):
        say(f"  {count:>6} × {error}")
    if result.exit_code not in (0, 1) and stderr:
        say(f"  stderr ends:\n{stderr[-1500:]}")


# --- report ----------------------------------------------------------------------------------


def machine_info() -> dict:
    version = subprocess.run(
        [sys.executable, "-m", "scraper", "--version"],
        capture_output=True, text=True, cwd=REPO, env=archiver_env(),
    )  # fmt: skip
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "scraper": version.stdout.strip() or version.stderr.strip(),
    }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def as_dict(result: RunResult) -> dict:
    return {
        "name": result.name,
        "pages": result.pages,
        "wall_s": round(result.wall_s, 2),
        "pages_per_s": round(result.pages_per_s, 1),
        "main_peak_rss_mb": round(result.main_rss_mb, 1),
        "tree_peak_pss_mb": _round(result.tree_pss_mb),
        "cpu_s": _round(result.cpu_s),
        "server_cpu_s": _round(result.server_cpu_s),
        "exit_code": result.exit_code,
        "counts": result.counts,
        "db": result.db,
        "ok": result.ok,
    }


def print_table(info: dict, settings: dict, rows: list[dict]) -> None:
    print(f"machine: {info['nproc']} CPUs ({info['usable_cpus']} usable), Python {info['python']}")
    print(f"         {info['platform']}; {info['scraper']}")
    print("settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    print(
        f"{'run':<6} {'pages':>8} {'wall s':>7} {'pages/s':>7} {'main RSS':>9} {'all PSS':>8}"
        f" {'CPU s':>6} {'srv CPU':>7} {'added':>7} {'failed':>6} {'in db':>7}  ok"
    )
    for r in rows:
        print(
            f"{r['name']:<6} {r['pages']:>8,} {r['wall_s']:>7.1f} {r['pages_per_s']:>7.1f}"
            f" {_mb(r['main_peak_rss_mb']):>9} {_mb(r['tree_peak_pss_mb']):>8}"
            f" {_num(r['cpu_s']):>6} {_num(r['server_cpu_s']):>7}"
            f" {r['counts'].get('added', 0):>7,} {r['counts'].get('failed', 0):>6,}"
            f" {r['db'].get('articles', 0):>7,}  {'yes' if r['ok'] else 'NO'}"
        )
    print(
        "main RSS: kernel peak of the archiver process; all PSS: sampled peak of it plus its"
        " workers; CPU s: archiver + workers; srv CPU: the page server's"
    )
    if len(rows) == 2:
        print_memory_growth(*rows)


def print_memory_growth(small: dict, big: dict) -> None:
    for label, key in (("main RSS", "main_peak_rss_mb"), ("all PSS", "tree_peak_pss_mb")):
        if small[key] is None or big[key] is None:
            continue
        print(
            f"memory, {label}: {small[key]:.0f} MB at {small['pages']:,} URLs vs "
            f"{big[key]:.0f} MB at {big['pages']:,} URLs ({big[key] - small[key]:+.0f} MB)"
        )


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def say(message: str) -> None:
    # Progress goes to stderr so --json output stays clean.
    print(message, file=sys.stderr, flush=True)


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000, help="URLs in the timed run")
    parser.add_argument("--hosts", type=int, default=50, help=f"loopback hosts (≤ {MAX_HOSTS})")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--workers", type=int, help="extraction processes [archiver default]")
    parser.add_argument("--big", type=int, default=100_000, help="URLs in the memory run")
    parser.add_argument("--skip-big", action="store_true", help="skip the memory run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (lists, DBs)")
    args = parser.parse_args(argv)
    if not 1 <= args.hosts <= MAX_HOSTS:
        parser.error(f"--hosts must be 1 … {MAX_HOSTS}")
    if args.pages < 1 or args.big < 1:
        parser.error("--pages and --big must be positive")
    return args


def run(args: argparse.Namespace, workdir: Path) -> list[RunResult]:
    with LocalServer(args.hosts) as server:
        if server.warning:
            say("WARNING: " + server.warning)
        first, last = server.origins[0], server.origins[-1]
        say(f"server pid {server.process.pid} on {first[0]}:{first[1]} … {last[0]}:{last[1]}")
        results = [bench("small", server, args.pages, args, workdir)]
        if not args.skip_big:
            results.append(bench("big", server, args.big, args, workdir))
    return results


def _interrupt(signum: int, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C: server and archiver stopped


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    info = machine_info()
    workdir = Path(tempfile.mkdtemp(prefix="fetch_bench_"))
    try:
        results = run(args, workdir)
    except KeyboardInterrupt:
        say("interrupted: server and archiver stopped")
        return 130
    except RuntimeError as error:  # the page server could not start
        say(str(error))
        return 2
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    settings = {
        k: getattr(args, k) for k in ("hosts", "concurrency", "per_host", "delay", "workers")
    }
    rows = [as_dict(r) for r in results]
    if args.json:
        print(json.dumps({"machine": info, "settings": settings, "runs": rows}, ensure_ascii=False))
    else:
        print_table(info, settings, rows)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
