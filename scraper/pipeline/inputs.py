"""What `scraper archive` is given: URLs, saved pages, folders of them, and lists of those."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

PAGE_SUFFIXES = (".html", ".htm", ".txt", ".shtml", ".xhtml")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def looks_like_url(item: str) -> bool:
    return bool(_URL.match(item))


def read_list(stream: TextIO) -> Iterator[str]:
    """Inputs from a list, streamed: one per line, blank lines and # comments skipped."""
    for line in stream:
        item = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip()  # keeps a URL's #fragment
        if item:
            yield item


def expand_inputs(items: Iterable[str]) -> Iterator[str]:
    """Folders become their page files (sorted); URLs and files pass through, lazily."""
    for item in items:
        path = Path(item)
        if not looks_like_url(item) and path.is_dir():
            yield from sorted(str(p) for p in path.iterdir() if p.suffix.lower() in PAGE_SUFFIXES)
        else:
            yield item
