"""Benchmark `scraper archive` fetching from a local server: pages/s end to end and peak memory.

A separate process (so it never shares the archiver's GIL) serves realistic gmw.cn article pages,
generated from the seed page, on 50 loopback addresses 127.0.0.2 … 127.0.0.51 (all of 127.0.0.0/8
is loopback on Linux), with a permissive /robots.txt. The archiver runs as a subprocess over a URL
list with politeness on; we time it, take its peak memory and check every stored article.

Nothing leaves the machine: only loopback addresses are used and proxy variables are dropped
from the archiver's environment.

    python benchmarks/fetch_bench.py                 # 5,000 pages, then the 100,000-URL memory run
    python benchmarks/fetch_bench.py --skip-big --json

Server capacity, measured on the 2-core dev box (~35 KB pages, keep-alive, a raw asyncio client
in another process): 9,300 requests/s over 16 connections with the server at 84% of one core,
i.e. ~11,000 requests per server CPU second: 30x the archiver's pace, never the bottleneck. The
"srv CPU" column shows what the server took from the archiver's two cores during a run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import functools
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_aab09b9d773d6dc3.html"
POOL_SIZE = 200
MAX_HOSTS = 250  # 127.0.0.2 … 127.0.0.251
MAX_HEAD = 64 * 1024
ROBOTS = b"User-agent: *\nAllow: /\n"
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")

SEED_TITLE = "工业互联网已迈入高质量发展、规模化推广新阶段"
SEED_EDITOR = "肖春芳"
SEED_ID = "38301846"
_CREDIT = re.compile(r"\s*\(作者:[^)]*\)$")
_SENTENCE = re.compile(r"(?<=[。！？])")
_SLOT = re.compile(r"\{\{(\w+)\}\}")
_NEWS_PATH = re.compile(rb"/news/(\d{1,9})\.html")
_NEWS_URL = re.compile(r"/news/(\d+)\.html$")

HEADLINES = (
    "工业互联网赋能制造业数字化转型提速",
    "新型储能装机规模持续扩大",
    "人工智能大模型加快走进千行百业",
    "算力基础设施建设迈上新台阶",
    "数字乡村建设取得阶段性成效",
    "5G行业虚拟专网覆盖更多场景",
    "新能源汽车产业链协同创新加速",
    "科技型中小企业研发投入稳步增长",
    "数据要素市场化配置改革深入推进",
    "绿色低碳转型激发产业新动能",
    "低空经济应用场景不断拓展",
    "集成电路产业创新生态日益完善",
)
REGIONS = ("北京", "上海", "广东", "江苏", "浙江", "山东", "四川", "湖北", "福建", "安徽", "河南")
SOURCES = (
    ("人民邮电报", "https://paper.cnii.com.cn/"),
    ("光明日报", "https://epaper.gmw.cn/"),
    ("经济日报", "http://paper.ce.cn/"),
    ("科技日报", "http://digitalpaper.stdaily.com/"),
    ("新华社", "http://www.news.cn/"),
    ("中国青年报", "http://zqb.cyol.com/"),
    ("人民日报", "http://paper.people.com.cn/"),
)
AUTHORS = ("邓聪", "王美莹", "李晓明", "张文静", "陈龙", "刘洋", "赵宇", "孙悦", "周航")
EDITORS = ("肖春芳", "王蕾", "杨柳", "吴迪", "郑敏")


# --- pages ---------------------------------------------------------------------------------


def article_fields(n: int) -> dict[str, str]:
    """What article n shows (and what the archive must store for it): unique title and time."""
    title = f"{REGIONS[n % len(REGIONS)]}{HEADLINES[n % len(HEADLINES)]}（第{n}期）"
    when = datetime(2024, 1, 1, 6, 0) + timedelta(minutes=7 * n)  # 7 minutes apart: unique
    source, _ = SOURCES[n % len(SOURCES)]
    return {"title": title, "source": source, "time": when.strftime("%Y-%m-%d %H:%M")}


def _slot_values(n: int) -> dict[str, str]:
    fields = article_fields(n)
    source, href = SOURCES[n % len(SOURCES)]
    return {
        "title": fields["title"],
        "title_q": quote(fields["title"] + " _光明网"),
        "source": f'<a href="{href}" target="_blank">{source}</a>',
        "time": fields["time"],
        "date": fields["time"][:10],
        "stamp": fields["time"] + ":06.0",
        "id": str(38_000_000 + n),
    }


def _swap(text: str, old: str, new: str) -> str:
    # A changed seed must fail loudly rather than silently serve identical pages.
    if old not in text:
        raise ValueError(f"seed page changed: {old[:60]!r} not found")
    return text.replace(old, new)


def _seed_template(seed: str) -> tuple[str, list[list[str]]]:
    """The seed with {{slots}} for per-article values, and its paragraphs as sentence lists."""
    start, end = seed.index("<!--enpcontent-->"), seed.index("<!--/enpcontent-->")
    paragraphs = re.findall(r"<p>(.*?)</p>", seed[start:end], re.S)
    sentences = [
        [s for s in _SENTENCE.split(_CREDIT.sub("", p).lstrip("\u3000")) if s] for p in paragraphs
    ]
    page = seed[:start] + "<!--enpcontent-->{{body}}" + seed[end:]
    swaps = (
        (f"<title>\n{SEED_TITLE}\n_光明网</title>", "<title>\n{{title}}\n_光明网</title>"),
        (f'title="{SEED_TITLE}">正在阅读：{SEED_TITLE}<', 'title="{{title}}">正在阅读：{{title}}<'),
        (f"\t\t\t{SEED_TITLE}\n\t\t</h1>", "\t\t\t{{title}}\n\t\t</h1>"),
        (f"<title>{SEED_TITLE}</title>", "<title>{{title}}</title>"),
        (
            '来源：<a href="https://paper.cnii.com.cn/" target="_blank">人民邮电报</a></span>'
            '<span class="m-con-time">2025-09-23 14:39</span>',
            '来源：{{source}}</span><span class="m-con-time">{{time}}</span>',
        ),
        ("<date>2025-09-23 14:39:06.0</date>", "<date>{{stamp}}</date>"),
        ('name="publishdate" content="2025-09-23"', 'name="publishdate" content="{{date}}"'),
        ("pd=2025-09-23", "pd={{date}}"),
        (SEED_ID, "{{id}}"),
    )
    for old, new in swaps:
        page = _swap(page, old, new)
    page = re.sub(r"tt=[^\"&]*", "tt={{title_q}}", page)
    return page, sentences


def _body(rng: random.Random, sentences: list[list[str]], author: str) -> str:
    """The nine paragraphs rotated and shuffled, some sentences reordered, 1,500–2,500 chars."""
    paragraphs = [list(p) for p in sentences]
    shift = rng.randrange(len(paragraphs))
    paragraphs = paragraphs[shift:] + paragraphs[:shift]
    rng.shuffle(paragraphs)
    for p in paragraphs:
        if len(p) > 1 and rng.random() < 0.5:
            rng.shuffle(p)
    pool = [s for p in sentences for s in p]
    target = rng.randint(1500, 2300)
    while _chars(paragraphs) < target:
        paragraphs.append(rng.sample(pool, rng.randint(2, 3)))  # a recombined paragraph
    if _chars(paragraphs) > 2400:  # indents and the credit add ~40
        paragraphs.pop()
    texts = ["\u3000\u3000" + "".join(p) for p in paragraphs]
    texts[-1] += f" (作者:{author})"
    return "\n".join(f"<p>{t}</p>" for t in texts)


def _chars(paragraphs: list[list[str]]) -> int:
    return sum(len(s) for p in paragraphs for s in p)


def build_pool(seed_path: Path = SEED, size: int = POOL_SIZE) -> list[tuple[bytes | str, ...]]:
    """`size` distinct pages as alternating (bytes literal, slot name, bytes literal, …)."""
    template, sentences = _seed_template(seed_path.read_text(encoding="utf-8"))
    pool = []
    for k in range(size):
        rng = random.Random(k)
        page = template.replace("{{body}}", _body(rng, sentences, AUTHORS[k % len(AUTHORS)]))
        page = page.replace(SEED_EDITOR, EDITORS[k % len(EDITORS)])
        parts = _SLOT.split(page)  # even indexes: literal text, odd: slot names
        pool.append(tuple(p.encode() if i % 2 == 0 else p for i, p in enumerate(parts)))
    return pool


def render(pool: list[tuple[bytes | str, ...]], n: int) -> bytes:
    """Article n: pool page n % len(pool) with its own title, 来源, time and id."""
    values = _slot_values(n)
    parts = pool[n % len(pool)]
    return b"".join(p if i % 2 == 0 else values[p].encode() for i, p in enumerate(parts))


# --- server --------------------------------------------------------------------------------


def _response(status: str, body: bytes, content_type: str, keep_alive: bool) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class HttpProtocol(asyncio.Protocol):
    """Minimal HTTP/1.1: request line and headers only, GET only, keep-alive, pipelining."""

    def __init__(self, pool: list[tuple[bytes | str, ...]]) -> None:
        self.pool = pool
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport and not self.transport.is_closing():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self._send(_response("431 Too Large", b"", "text/plain", False), False)
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self._answer(head)

    # Stop reading while the client is slow to take our output, so buffers stay bounded.
    def pause_writing(self) -> None:
        if self.transport:
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.transport:
            self.transport.resume_reading()

    def _answer(self, head: bytes) -> None:
        lines = head.split(b"\r\n")
        request = lines[0].split(b" ")
        if len(request) != 3:
            self._send(_response("400 Bad Request", b"", "text/plain", False), False)
            return
        method, target, version = request
        headers = dict(_header(line) for line in lines[1:])
        keep_alive = _keep_alive(version, headers.get(b"connection", b""))
        if headers.get(b"content-length", b"0").strip() not in (b"", b"0"):
            keep_alive = False  # we never read request bodies, so the stream cannot continue
        if method != b"GET":
            self._send(_response("405 Method Not Allowed", b"", "text/plain", False), False)
            return
        self._send(self._route(target.split(b"?", 1)[0], keep_alive), keep_alive)

    def _route(self, path: bytes, keep_alive: bool) -> bytes:
        if path == b"/robots.txt":
            return _response("200 OK", ROBOTS, "text/plain; charset=utf-8", keep_alive)
        match = _NEWS_PATH.fullmatch(path)
        if match:
            page = render(self.pool, int(match[1]))
            return _response("200 OK", page, "text/html; charset=utf-8", keep_alive)
        return _response("404 Not Found", b"not found\n", "text/plain", keep_alive)

    def _send(self, data: bytes, keep_alive: bool) -> None:
        assert self.transport is not None
        self.transport.write(data)
        if not keep_alive:
            self.transport.close()  # after the buffered response is flushed


def _header(line: bytes) -> tuple[bytes, bytes]:
    name, _, value = line.partition(b":")
    return name.strip().lower(), value.strip().lower()


def _keep_alive(version: bytes, connection: bytes) -> bool:
    if version == b"HTTP/1.1":
        return b"close" not in connection
    return b"keep-alive" in connection


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT from older runs
        sock.bind((host, port))
        sock.listen(1024)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def _listen_same_port(hosts: list[str], attempts: int = 5) -> list[socket.socket]:
    """One port P free on every address: take an ephemeral one on the first, retry if taken."""
    for _ in range(attempts):
        socks: list[socket.socket] = []
        try:
            socks.append(_listen(hosts[0], 0))
            port = socks[0].getsockname()[1]
            socks += [_listen(host, port) for host in hosts[1:]]
            return socks
        except OSError as error:
            for sock in socks:
                sock.close()
            if error.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, f"no port free on all of {hosts[0]} … {hosts[-1]}")


def listen_hosts(count: int) -> tuple[list[socket.socket], str | None]:
    """Sockets on 127.0.0.2 … (one port); else 127.0.0.1 on `count` ports, with a warning."""
    hosts = [f"127.0.0.{i}" for i in range(2, 2 + count)]
    try:
        return _listen_same_port(hosts), None
    except OSError as error:
        warning = (
            f"cannot listen on {hosts[0]} … {hosts[-1]} ({error}); falling back to 127.0.0.1 on "
            f"{count} ports. An engine that limits per hostname sees ONE host there, so "
            "--per-host caps the whole run: pages/s is not comparable with a Linux run."
        )
        return [_listen("127.0.0.1", 0) for _ in range(count)], warning


def serve(hosts: int, seed_path: Path, ready) -> None:
    """Server process body: report ("ok", origins, warning) or ("error", message) on `ready`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us; no traceback on Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked child inherits main()'s handler
    parent = os.getppid()
    try:
        pool = build_pool(seed_path)
        socks, warning = listen_hosts(hosts)
    except (OSError, ValueError) as error:
        ready.send(("error", f"{type(error).__name__}: {error}"))
        return
    origins = [sock.getsockname()[:2] for sock in socks]
    asyncio.run(_serve_forever(pool, socks, lambda: ready.send(("ok", origins, warning)), parent))


async def _serve_forever(pool, socks: list[socket.socket], on_ready, parent: int) -> None:
    loop = asyncio.get_running_loop()
    factory = functools.partial(HttpProtocol, pool)
    servers = [await loop.create_server(factory, sock=sock) for sock in socks]
    on_ready()
    try:
        while os.getppid() == parent:  # the parent terminates us; if it dies, we go too
            await asyncio.sleep(1)
    finally:
        for server in servers:
            server.close()


class LocalServer:
    """The page server in its own process, stopped on exit (also on Ctrl-C)."""

    def __init__(self, hosts: int, seed_path: Path = SEED) -> None:
        parent, child = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.Process(
            target=serve, args=(hosts, seed_path, child), daemon=True
        )
        self.process.start()
        child.close()
        if not parent.poll(60):
            self.stop()
            raise RuntimeError("the page server did not start within 60 s")
        message = parent.recv()
        if message[0] != "ok":
            self.stop()
            raise RuntimeError(f"the page server failed: {message[1]}")
        self.origins: list[tuple[str, int]] = [tuple(o) for o in message[1]]
        self.warning: str | None = message[2]

    def url(self, n: int) -> str:
        host, port = self.origins[n % len(self.origins)]
        return f"http://{host}:{port}/news/{n}.html"

    def cpu_seconds(self) -> float | None:
        return _cpu_seconds(self.process.pid)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- process measurements (Linux /proc; None elsewhere) --------------------------------------


def _stat(pid: int | str) -> list[str] | None:
    """/proc/PID/stat fields after the command name (field 3 onwards), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _cpu_seconds(pid: int) -> float | None:
    fields = _stat(pid)
    return None if fields is None else _stat_cpu(fields)


def _stat_cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _pss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # exited meanwhile
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(match[1]) * 1024 if match else 0


class TreeSampler:
    """Peak memory and CPU time of a process together with its descendants (extraction workers,
    forkserver), sampled. The kernel's own peak (wait4's ru_maxrss) covers the main process
    only: the workers hang off a forkserver the archiver never reaps.

    Memory is summed PSS, not RSS: forked workers share pages, and summed RSS counts them twice.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_pss = 0
        self.cpu: dict[int, float] = {}  # pid → CPU seconds when last seen
        self.started: dict[int, str] = {}  # pid → start time: tells a reused pid apart

    def sample(self) -> None:
        stats = {int(e.name): _stat(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()}
        tree = _tree(self.root, {pid: int(f[1]) for pid, f in stats.items() if f})
        self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in tree))
        self.cpu.update({pid: _stat_cpu(stats[pid]) for pid in tree if stats[pid]})
        self.started.update({pid: stats[pid][19] for pid in tree if stats[pid]})  # start time

    def stop_leftovers(self, grace: float = 3.0) -> list[int]:
        """SIGTERM the descendants seen earlier that outlive the archiver by `grace` s (the
        forkserver and resource tracker need a moment to notice); their pids."""
        deadline = time.monotonic() + grace
        while (alive := self._alive()) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        return alive

    def _alive(self) -> list[int]:
        return [
            pid
            for pid, started in self.started.items()
            if pid != self.root and (fields := _stat(pid)) and fields[19] == started
        ]

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())


def _tree(root: int, parents: dict[int, int]) -> set[int]:
    if root not in parents:
        return set()
    tree, frontier = {root}, {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - tree
        tree |= frontier
    return tree


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


@dataclass
class Measured:
    exit_code: int
    wall_s: float
    main_rss_mb: float
    tree_pss_mb: float | None
    cpu_s: float | None
    stdout: str
    stderr: str


def run_measured(command: list[str], workdir: Path) -> Measured:
    """Run the archiver to its end, timing it and sampling its process tree."""
    out_path, err_path = workdir / "stdout.json", workdir / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=archiver_env(), cwd=REPO)
        sampler = TreeSampler(proc.pid)
        try:
            status, usage = _wait_sampling(proc.pid, sampler)
        except BaseException:
            _stop(proc.pid)
            sampler.stop_leftovers()
            raise
        wall = time.perf_counter() - start
    leftovers = sampler.stop_leftovers()
    if leftovers:
        say(f"WARNING: {len(leftovers)} child processes outlived the archiver; stopped {leftovers}")
    proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it ourselves (wait4)
    return Measured(
        exit_code=proc.returncode,
        wall_s=wall,
        main_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
        tree_pss_mb=sampler.peak_pss / 2**20 or None,
        cpu_s=sampler.cpu_seconds or None,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )


def _wait_sampling(pid: int, sampler: TreeSampler):
    # os.wait4 gives this child's own rusage; RUSAGE_CHILDREN would mix in the earlier runs.
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if sys.platform == "linux":
            sampler.sample()
        time.sleep(0.2)


def _stop(pid: int) -> None:
    """Stop an archiver we have not reaped: SIGINT lets it shut its workers down; escalate."""
    for sig, grace in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.kill(pid, sig)  # SIGINT may be its second (the tty's): it only ever sets a flag
            if _reaped(pid, grace):
                return
        except KeyboardInterrupt:
            continue  # a second Ctrl-C: escalate now
        except (ProcessLookupError, ChildProcessError):
            return


def _reaped(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return True
        time.sleep(0.1)
    return False


def parse_summary(stdout: str) -> dict:
    """The archiver's JSON summary: the whole stdout, or else its last JSON object line."""
    try:
        return json.loads(stdout)
    except json.JSONDecodeError:
        pass
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
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
    run = run_measured(archive_command(args, url_list, db), rundir)
    server_cpu_after = server.cpu_seconds()
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


def engine_ready() -> bool:
    """The concurrent engine is installed when `archive --help` lists --per-host."""
    help_text = subprocess.run(
        [sys.executable, "-m", "scraper", "archive", "--help"],
        capture_output=True, text=True, cwd=REPO, env=archiver_env(),
    ).stdout  # fmt: skip
    return "--per-host" in help_text


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
    if not engine_ready():
        say("`scraper archive --help` has no --per-host: the concurrent engine is not in.")
        return 2
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
