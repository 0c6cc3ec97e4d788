"""The page server for the fetch benchmark: realistic gmw.cn article pages on many loopback hosts.

Pages are generated deterministically from the seed page in seeds/: a pool of 200 bodies made by
shuffling and recombining the seed's paragraphs, each rendered with article n's own title, 来源,
time and id (`article_fields` says what the archive must store for it). A separate process (so
it never shares the archiver's GIL) serves them with a minimal asyncio HTTP/1.1 server on the
loopback addresses 127.0.0.2 … (all of 127.0.0.0/8 is loopback on Linux), one port on all of
them, with a permissive /robots.txt. `LocalServer` starts and stops that process.

Server capacity, measured on the 2-core dev box (~35 KB pages, keep-alive, a raw asyncio client
in another process): 9,300 requests/s over 16 connections with the server at 84% of one core,
i.e. ~11,000 requests per server CPU second: 30x the archiver's pace, never the bottleneck.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import multiprocessing
import os
import random
import re
import signal
import socket
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from proc_stats import cpu_seconds

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_aab09b9d773d6dc3.html"
POOL_SIZE = 200
MAX_HOSTS = 250  # 127.0.0.2 … 127.0.0.251
MAX_HEAD = 64 * 1024
ROBOTS = b"User-agent: *\nAllow: /\n"

SEED_TITLE = "工业互联网已迈入高质量发展、规模化推广新阶段"
SEED_EDITOR = "肖春芳"
SEED_ID = "38301846"
_CREDIT = re.compile(r"\s*\(作者:[^)]*\)$")
_SENTENCE = re.compile(r"(?<=[。！？])")
_SLOT = re.compile(r"\{\{(\w+)\}\}")
_NEWS_PATH = re.compile(rb"/news/(\d{1,9})\.html")
BYTES_PATH = b"/stats/bytes"  # how many bytes the server has sent (the re-check benchmark)
_sent = [0]  # in the server process: bytes written to every connection

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


def _response(
    status: str, body: bytes, content_type: str, keep_alive: bool, extra: str = ""
) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        f"{extra}Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
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
        validator = headers.get(b"if-none-match")
        self._send(self._route(target.split(b"?", 1)[0], keep_alive, validator), keep_alive)

    def _route(self, path: bytes, keep_alive: bool, if_none_match: bytes | None = None) -> bytes:
        if path == b"/robots.txt":
            return _response("200 OK", ROBOTS, "text/plain; charset=utf-8", keep_alive)
        if path == BYTES_PATH:
            return _response("200 OK", str(_sent[0]).encode(), "text/plain", keep_alive)
        match = _NEWS_PATH.fullmatch(path)
        if match:  # pages never change: article n's ETag is "n" (the re-check benchmark's 304s)
            etag = f'"{int(match[1])}"'
            if if_none_match == etag.encode():
                return _response(
                    "304 Not Modified", b"", "text/html", keep_alive, f"ETag: {etag}\r\n"
                )
            page = render(self.pool, int(match[1]))
            return _response("200 OK", page, "text/html; charset=utf-8", keep_alive,
                             f"ETag: {etag}\r\n")  # fmt: skip
        return _response("404 Not Found", b"not found\n", "text/plain", keep_alive)

    def _send(self, data: bytes, keep_alive: bool) -> None:
        assert self.transport is not None
        _sent[0] += len(data)
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
        return cpu_seconds(self.process.pid)

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
