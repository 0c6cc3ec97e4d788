"""Self-media platforms (百家号, 头条号, 网易号, 快传号, 微信公众号 …): the account that published a
post is its 来源. Which platforms exist and where each prints the account is data
(data/platforms.toml), so a new platform or template is a data edit."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from scraper.fields import clean_text
from scraper.names import source_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@lru_cache(maxsize=1)
def platforms() -> list[dict]:
    text = (Path(__file__).parent / "data" / "platforms.toml").read_text("utf-8")
    return tomllib.loads(text)["platform"]


def platform_account(tree: LexborHTMLParser, html: str) -> str | None:
    """The publishing account's name when the page is a post on a known platform, else None.
    The markers are looked for first: a substring search costs less than a CSS query."""
    for platform in platforms():
        if any(marker in html for marker in platform["markers"]):
            account = _first_text(tree, platform["account"])
            if account:
                return account
    return None


def _first_text(tree: LexborHTMLParser, selectors: list[str]) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        name = source_name(clean_text(node.text()).lstrip("@")) if node is not None else None
        if name and len(name) <= 20:
            return name
    return None
