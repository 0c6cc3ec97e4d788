"""The main job: turn inputs (URLs, saved pages, folders, lists) into archived articles.

Each input is fetched or read, extracted and saved in its own transaction, and reported as an
Outcome as soon as it is done, so an interrupted run keeps everything finished before it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from scraper.article import Article
from scraper.decode import decode_page
from scraper.extract import EXTRACTOR_VERSION, extract
from scraper.fetch import FetchError, fetch, new_client
from scraper.store import Archive, RawPage, now_iso

PAGE_SUFFIXES = (".html", ".htm", ".txt", ".shtml", ".xhtml")
_URL = re.compile(r"^https?://", re.I)


@dataclass
class Outcome:
    input: str
    status: str  # added | updated | unchanged | failed
    article_id: int | None = None
    title: str | None = None
    error: str | None = None


@dataclass
class RunSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def read_list(stream: TextIO) -> Iterator[str]:
    """Inputs from a list: one per line, blank lines and # comments skipped."""
    for line in stream:
        item = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip()  # keeps a URL's #fragment
        if item:
            yield item


def expand_inputs(items: Iterable[str]) -> Iterator[str]:
    """Folders become their page files (sorted); URLs and files pass through; duplicates drop."""
    seen: set[str] = set()
    for item in items:
        path = Path(item)
        expanded = (
            sorted(str(p) for p in path.iterdir() if p.suffix.lower() in PAGE_SUFFIXES)
            if not _URL.match(item) and path.is_dir()
            else [item]
        )
        for one in expanded:
            if one not in seen:
                seen.add(one)
                yield one


def archive_inputs(
    archive: Archive, items: Iterable[str], url: str | None = None
) -> Iterator[Outcome]:
    """Archive each input, yielding its outcome once it is committed."""
    with new_client() as client:
        for item in expand_inputs(items):
            try:
                article, raw = _load(item, url, client)
                result = save_article(archive, article, raw)
            except (FetchError, OSError, UnicodeError, ValueError) as error:
                yield Outcome(item, "failed", error=_one_line(error))
                continue
            yield Outcome(item, result.status, result.article_id, article.title)


def _load(item: str, url: str | None, client) -> tuple[Article, RawPage]:
    if _URL.match(item):
        page = fetch(item, client)
        decoded = decode_page(page.content, page.charset)
        raw = RawPage(page.url, page.content, page.content_type, decoded.encoding, page.fetched_at)
        return _extracted(decoded.text, url or page.url), raw
    path = Path(item)
    if not path.is_file():
        raise FetchError("no such file, and not an http(s) URL")
    content = path.read_bytes()
    decoded = decode_page(content)
    page_url = url or path.resolve().as_uri()
    kind = "text/plain" if path.suffix.lower() == ".txt" else "text/html"
    return _extracted(decoded.text, page_url), RawPage(page_url, content, kind, decoded.encoding)


def _extracted(text: str, url: str) -> Article:
    article = extract(text, url=url)
    if not (article.title or article.body):
        raise ValueError("no article found on the page")
    return article


def save_article(archive: Archive, article: Article, raw: RawPage | None):
    return archive.save(article, [raw] if raw else [], extractor_version=EXTRACTOR_VERSION)


def reextract(archive: Archive, ids: Iterable[int] | None = None) -> Counter:
    """Run the current extractor over stored raw pages; changed articles are updated."""
    wanted = list(ids) if ids else None
    rows = archive.db.execute("SELECT id, url FROM articles ORDER BY id").fetchall()
    counts: Counter = Counter()
    for article_id, url in rows:
        if wanted is not None and article_id not in wanted:
            continue
        pages = archive.raw_pages(article_id)
        if not pages:
            counts["no raw page"] += 1
            continue
        text = decode_page(pages[0].content, pages[0].encoding).text
        article = extract(text, url=url)
        counts[save_article(archive, article, None).status] += 1
    return counts


def import_records(archive: Archive, records: Iterable[dict]) -> Counter:
    """Restore exported records (jsonl) into the archive, keeping their original timestamps."""
    counts: Counter = Counter()
    for record in records:
        if not record.get("url"):
            counts["skipped (no url)"] += 1
            continue
        extra = {
            key: record[key]
            for key in ("extractor_version", "archived_at", "updated_at")
            if record.get(key)
        }
        extra.setdefault("archived_at", now_iso())
        counts[archive.save(Article.from_dict(record), **extra).status] += 1
    return counts


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
