"""The jsonl backup beyond the article fields: the raw pages an article was extracted from
(`--with-raw`), so `scraper reextract` still works after a restore, and the checks a record
must pass to be restored.

A raw page travels as its stored zstd bytes in base64 (`zstd_base64`) with the sha256 of the
page itself, so a restore stores exactly the bytes the export read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import zstandard

from scraper.article import RECORD_FIELDS
from scraper.store.archive import RawPage
from scraper.store.raw_pages import headers_from_json

if TYPE_CHECKING:
    from scraper.store.archive import Archive

RAW_PAGES = "raw_pages"
RAW_TEXT_FIELDS = ("url", "content_type", "encoding", "fetched_at", "sha256")
PROVENANCE_FIELDS = ("http_status", "http_headers", "server_ip")  # headers as stored: JSON text


def with_raw_pages(archive: Archive, records: Iterable[dict]) -> Iterator[dict]:
    """Each record with its stored raw pages, in page order."""
    for record in records:
        rows = archive.db.execute(
            "SELECT url, content_type, encoding, fetched_at, sha256, http_status, http_headers,"
            " server_ip, content FROM raw_pages WHERE article_id = ? ORDER BY page_no",
            [record["id"]],
        ).fetchall()
        pages = [
            {**dict(zip((*RAW_TEXT_FIELDS, *PROVENANCE_FIELDS), row[:-1], strict=True)),
             "zstd_base64": base64.b64encode(row[-1]).decode("ascii")}
            for row in rows
        ]  # fmt: skip
        yield {**record, RAW_PAGES: pages}


def raw_pages_of(record: dict) -> list[RawPage]:
    """The raw pages a backup record carries (none without --with-raw); ValueError if one is
    damaged (bad base64 or zstd, or not the page its sha256 names)."""
    pages = []
    for page in record.get(RAW_PAGES) or []:
        try:
            blob = base64.b64decode(page["zstd_base64"], validate=True)
            content = zstandard.ZstdDecompressor().decompress(blob)
        except (binascii.Error, zstandard.ZstdError) as error:
            raise ValueError(f"raw page {page['url']} is damaged ({error})") from None
        if page.get("sha256") and _sha256(content) != page["sha256"]:
            raise ValueError(f"raw page {page['url']} does not match its sha256")
        pages.append(RawPage(page["url"], content, page.get("content_type"),
                             page.get("encoding"), page.get("fetched_at"),
                             packed=(blob, _sha256(content)), status=page.get("http_status"),
                             headers=_headers(page.get("http_headers")),
                             server_ip=page.get("server_ip")))  # fmt: skip
    return pages


def _headers(stored: str | None) -> list[tuple[str, str]] | None:
    try:
        return headers_from_json(stored)
    except (ValueError, TypeError):
        raise ValueError("http_headers is not a JSON list of [name, value] pairs") from None


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def record_problem(record: dict) -> str | None:
    """What keeps a backup record from being restored, or None: the url is required, fields
    are text (or null), the id a positive whole number, raw pages well-formed and intact."""
    if not isinstance(record.get("url"), str) or not record["url"].strip():
        return "the record has no url"
    for name in RECORD_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            return f"{name} must be text, not {_kind(record[name])}"
    article_id = record.get("id")
    if article_id is not None and (type(article_id) is not int or article_id < 1):
        return f"id must be a positive whole number, not {article_id!r}"
    return _raw_pages_problem(record.get(RAW_PAGES))


def _raw_pages_problem(pages: object) -> str | None:
    if pages is None:
        return None
    if not isinstance(pages, list) or not all(isinstance(p, dict) for p in pages):
        return f"{RAW_PAGES} must be a list of objects"
    for page in pages:
        for name in (*RAW_TEXT_FIELDS, "zstd_base64", "http_headers", "server_ip"):
            if page.get(name) is not None and not isinstance(page[name], str):
                return f"{RAW_PAGES}: {name} must be text, not {_kind(page[name])}"
        if page.get("http_status") is not None and type(page["http_status"]) is not int:
            return f"{RAW_PAGES}: http_status must be a whole number"
        if not page.get("url") or not page.get("zstd_base64"):
            return f"{RAW_PAGES}: every page needs its url and zstd_base64"
    try:
        raw_pages_of({RAW_PAGES: pages})
    except ValueError as error:
        return f"{RAW_PAGES}: {error}"
    return None


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "true/false"}.get(type(value), "a number")
