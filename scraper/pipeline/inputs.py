"""What `scraper archive` is given: URLs, saved pages, folders of them, and lists of those."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

PAGE_SUFFIXES = (".html", ".htm", ".txt", ".shtml", ".xhtml")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
LISTED_PATH_REFUSED = (
    "a local path in a list: lists hold URLs (give files on the command line, or --allow-files)"
)


class InputListError(ValueError):
    """A list that cannot be read as text: one line, exit 2, nothing archived from it."""

    exit_code = 2


class ListedPath(str):
    """A list line that is not a URL. Refused unless --allow-files: a list (possibly from
    someone else, or the web form) must not make the archiver read /etc/passwd."""


def looks_like_url(item: str) -> bool:
    return bool(_URL.match(item))


def list_encoding(head: bytes) -> str:
    """UTF-8 (a BOM is dropped) or UTF-16 (by its BOM, or by the NUL bytes of ASCII in it)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 2 and head[0] != 0 and head[1] == 0:
        return "utf-16-le"
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return "utf-16-be"
    return "utf-8-sig"


def open_list(stream: BinaryIO) -> TextIO:
    """A list's bytes as text in the encoding it is written in."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)
    return io.TextIOWrapper(buffered, encoding=list_encoding(buffered.peek(4)[:4]))


def read_list(stream: TextIO, allow_files: bool = False, name: str = "list") -> Iterator[str]:
    """Inputs from a list, streamed: one per line, blank lines and # comments skipped. Lines
    that are not URLs come as ListedPath unless `allow_files`."""
    number = 0
    try:
        for number, line in enumerate(stream, start=1):
            text = line.lstrip("\ufeff") if number == 1 else line
            item = re.split(r"(?:^|\s)#", text, maxsplit=1)[0].strip()  # keeps a #fragment
            if item:
                yield item if allow_files or looks_like_url(item) else ListedPath(item)
    except UnicodeDecodeError:
        raise InputListError(
            f"{name}: line {number + 1} is not UTF-8 or UTF-16 text; save the list as UTF-8"
        ) from None


def expand_inputs(items: Iterable[str]) -> Iterator[str]:
    """Folders become their page files (sorted); URLs and files pass through, lazily."""
    for item in items:
        path = Path(item)
        if not isinstance(item, ListedPath) and not looks_like_url(item) and path.is_dir():
            yield from sorted(str(p) for p in path.iterdir() if p.suffix.lower() in PAGE_SUFFIXES)
        else:
            yield item
