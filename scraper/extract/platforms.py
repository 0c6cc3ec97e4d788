"""Self-media platforms (百家号, 头条号, 网易号, 快传号, 微信公众号 …): the account that published a
post is its 来源. Which platforms exist and where each prints the account is data
(data/platforms.toml), so a new platform or template is a data edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.fields import clean_text
from scraper.extract.meta import node_value
from scraper.extract.names import PEN_NAME_CHARS, persons, source_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@lru_cache(maxsize=1)
def platforms() -> list[dict]:
    text = (Path(__file__).parent / "data" / "platforms.toml").read_text("utf-8")
    return tomllib.loads(text)["platform"]


@lru_cache(maxsize=1)
def _account_selectors() -> tuple[str, ...]:
    """Each platform's account selectors as one selector list."""
    return tuple(", ".join(platform["account"]) for platform in platforms())


@lru_cache(maxsize=1)
def _any_account() -> str:
    return ", ".join(_account_selectors())


@dataclass
class Post:
    account: str | None = None  # the 来源
    writer: str | None = None  # the author, where the platform names one apart from the account


def platform_post(tree: LexborHTMLParser, html: str) -> Post:
    """The publishing account (and writer) when the page is a post on a known platform.
    A platform whose account the page does not show is passed over before its markers are
    looked for: a CSS query costs less than marker searches that each scan the whole page,
    and one query for every platform at once rules out most pages."""
    shown = tree.css(_any_account())  # one walk of the page for every platform's selectors
    if not shown:
        return Post()
    for platform, accounts in zip(platforms(), _account_selectors(), strict=True):
        if not any(node.css_matches(accounts) for node in shown):
            continue
        if any(marker in html for marker in platform["markers"]):
            account = _first(tree, platform["account"], source_name)
            if account:
                writer = _first(tree, platform.get("writer", []), _writer)
                return Post(account, writer if writer != account else None)
    return Post()


def _writer(text: str) -> str | None:
    return persons(text, longest=PEN_NAME_CHARS)


def _first(tree: LexborHTMLParser, selectors: list[str], valid: Callable) -> str | None:
    for selector in selectors:
        text = node_value(tree.css_first(selector))  # a <meta>'s content or a node's text
        name = valid(clean_text(text).lstrip("@")) if text else None
        if name and len(name) <= 20:
            return name
    return None
