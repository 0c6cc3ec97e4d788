"""Site rules: per-portal selectors kept as data in scraper/sites/*.toml.

A rule file names the site, the hosts it serves and one or more page templates. A template is
chosen by the page's URL host, or — for saved pages with no URL — by its `detect` selector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@dataclass(frozen=True)
class Template:
    site: str
    name: str
    detect: str
    body: str
    title: str | None = None
    source: str | None = None
    date: str | None = None
    author: str | None = None
    editor: str | None = None
    strip: tuple[str, ...] = ()
    next_page: str | None = None


@dataclass(frozen=True)
class SiteRule:
    site: str
    hosts: tuple[str, ...]
    templates: tuple[Template, ...] = field(default=())

    def serves(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)


@lru_cache(maxsize=1)
def load_rules() -> tuple[SiteRule, ...]:
    folder = Path(__file__).parent / "sites"
    return tuple(
        _rule_from_data(tomllib.loads(path.read_text("utf-8")))
        for path in sorted(folder.glob("*.toml"))
    )


def _rule_from_data(data: dict) -> SiteRule:
    site = data["site"]
    templates = tuple(
        Template(site=site, **{**t, "strip": tuple(t.get("strip", ()))})
        for t in data.get("template", [])
    )
    return SiteRule(site=site, hosts=tuple(data["hosts"]), templates=templates)


def find_template(tree: LexborHTMLParser, url: str | None) -> Template | None:
    """The template for this page: by URL host first, by fingerprint when there is no URL."""
    host = (urlsplit(url).hostname or "").lower() if url else ""
    rules = load_rules()
    by_host = [r for r in rules if host and r.serves(host)]
    candidates = by_host or rules
    detect = _any_detect(tuple(candidates))
    if not detect or tree.css_first(detect) is None:  # one query rules most pages out
        return None
    for rule in candidates:
        for template in rule.templates:
            if tree.css_first(template.detect) is not None:
                return template
    return None


@lru_cache(maxsize=64)
def _any_detect(rules: tuple[SiteRule, ...]) -> str:
    return ", ".join(template.detect for rule in rules for template in rule.templates)
