"""robots.txt, fetched once per origin and cached for the run (parsed by protego).

Per RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one (5xx, network
error) is taken as "disallow all" for this run, since the site may be in trouble.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

RobotsFetcher = Callable[[str], Awaitable[tuple[int, str]]]  # url -> (status, text); raises OSError


@dataclass
class RobotsVerdict:
    allowed: bool
    crawl_delay: float | None = None
    reason: str | None = None


class RobotsCache:
    def __init__(self, fetch_text: RobotsFetcher, user_agent: str, max_crawl_delay: float = 30.0):
        self._fetch_text = fetch_text
        self._agent = user_agent
        self._max_delay = max_crawl_delay
        self._rules: dict[str, Protego | str] = {}  # origin -> parsed rules, or a failure reason
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str) -> RobotsVerdict:
        origin = _origin(url)
        rules = await self._rules_for(origin)
        if isinstance(rules, str):
            return RobotsVerdict(False, reason=rules)
        if not rules.can_fetch(url, self._agent):
            return RobotsVerdict(False, reason="disallowed by robots.txt")
        delay = rules.crawl_delay(self._agent)
        return RobotsVerdict(True, min(float(delay), self._max_delay) if delay else None)

    async def _rules_for(self, origin: str) -> Protego | str:
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # one fetch per origin even when many requests wait for it
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin)
        return self._rules[origin]

    async def _load(self, origin: str) -> Protego | str:
        try:
            status, text = await self._fetch_text(origin + "/robots.txt")
        except Exception as error:  # any failure to reach it: treated as unavailable
            return f"robots.txt unreachable ({type(error).__name__})"
        if status >= 500:
            return f"robots.txt unavailable (HTTP {status})"
        if status >= 400:
            return Protego.parse("")
        return Protego.parse(text)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
