"""Work on what is already archived: re-extraction from raw pages, restoring an export."""

from __future__ import annotations

import json
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

from scraper.article import Article
from scraper.clock import now_iso
from scraper.export.backup import raw_pages_of, record_problem
from scraper.extract.page import EXTRACTOR_VERSION, extract_page, merge_pages
from scraper.fetch.decode import decode_page
from scraper.pipeline.workers import process_pool
from scraper.store import index as search_index
from scraper.store.aliases import add as add_aliases
from scraper.store.archive import Archive, ArchiveError
from scraper.store.index import index_entry
from scraper.store.segment import add_words, index_signature


def reextract(archive: Archive, ids: Iterable[int] | None = None) -> Counter:
    """Run the current extractor over stored raw pages; changed articles are updated."""
    only = " WHERE id IN (SELECT value FROM json_each(?))" if ids else ""
    rows = archive.db.execute(
        f"SELECT id, url FROM articles{only} ORDER BY id", [json.dumps(list(ids))] if ids else []
    ).fetchall()
    counts: Counter = Counter()
    for article_id, url in rows:
        pages = archive.raw_pages(article_id)
        if not pages:
            counts["no raw page"] += 1
            continue
        articles = [
            extract_page(decode_page(p.content, p.encoding).text, p.url, p.fetched_at)[0]
            for p in pages
        ]
        article = merge_pages(articles)
        article.url = url
        counts[
            archive.save(article, keep_version=False, extractor_version=EXTRACTOR_VERSION).status
        ] += 1
    return counts


def import_records(
    archive: Archive, records: Iterable[dict], workers: int | None = None
) -> Counter:
    """Restore exported records (jsonl) into the archive, keeping their original timestamps.
    Segmentation runs on every core; records are read and saved in a stream of batches."""
    counts: Counter = Counter()
    batches = batched((r for r in records if _restorable(r, counts)), REINDEX_BATCH)
    archive.defer_commits(True)  # a commit per batch: one per record would cost more than all
    try:
        with segmenting_pool(archive, workers) as pool:
            for batch, entries in pipelined(pool, _record_entries, batches):
                for record, entry in zip(batch, entries, strict=True):
                    counts[_restore(archive, record, entry)] += 1
                archive.commit()
    finally:
        archive.defer_commits(False)
    return counts


def _restore(archive: Archive, record: dict, entry: search_index.IndexEntry) -> str:
    """Save one exported record with its own timestamps, id (when free) and raw pages;
    returns the save's status."""
    kept = ("extractor_version", "archived_at", "updated_at")
    extra = {key: record[key] for key in kept if record.get(key)}
    extra.setdefault("archived_at", now_iso())
    saved = archive.save(
        Article.from_dict(record), raw_pages_of(record), entry, keep_id=record.get("id"), **extra
    )
    add_aliases(archive.db.conn, saved.article_id, _aliases_of(record))
    return saved.status


def _aliases_of(record: dict) -> dict[str, int]:
    """The record's other URLs (URL -> page), as exported; anything malformed is left out."""
    known_by = record.get("aliases")
    if not isinstance(known_by, dict):
        return {}
    return {url: page for url, page in known_by.items() if isinstance(page, int) and page > 0}


def _restorable(record: dict, counts: Counter) -> bool:
    """Whether the record can be restored; one that cannot (no url, wrong types) is counted
    and skipped, so one bad record never stops an import."""
    if record_problem(record):
        counts["skipped (bad record)"] += 1
        return False
    return True


def _record_entries(batch: list[dict]) -> list[search_index.IndexEntry]:
    return [index_entry(record) for record in batch]


REINDEX_BATCH = 500


def reindex(
    archive: Archive, userdict: str | Path | None = None, workers: int | None = None
) -> int:
    """Recompute every article's index columns with the current segmenter and dictionary
    (after `userdict`'s words are added to the archive); segmentation runs on every core."""
    if userdict is not None:
        words = read_userdict(userdict)
        with archive.db.conn:
            archive.db.conn.executemany(
                "INSERT OR IGNORE INTO user_words (word) VALUES (?)", [(w,) for w in words]
            )
        add_words(words)
    with archive.db.conn:  # until the last batch lands, the index is marked stale
        archive.set_meta("index_signature", "an interrupted reindex")
        search_index.clear(archive.db.conn)
    with segmenting_pool(archive, workers, archive.count() > 4 * REINDEX_BATCH) as pool:
        for rows, entries in pipelined(pool, _record_entries, _article_batches(archive)):
            with archive.db.conn:
                for row, entry in zip(rows, entries, strict=True):
                    archive.db.conn.execute(
                        "UPDATE articles SET index_tokens = ? WHERE id = ?",
                        [entry.packed, row["id"]],
                    )
                    search_index.add(archive.db.conn, row["id"], entry)
    with archive.db.conn:
        search_index.optimize(archive.db.conn)
        archive.set_meta("index_signature", index_signature())
    return archive.count()


@contextmanager
def segmenting_pool(
    archive: Archive, workers: int | None, large: bool = True
) -> Iterator[Executor | None]:
    """A process per core (each loads the archive's user words), or None for small jobs."""
    count = workers or (os.cpu_count() or 1)
    if count <= 1 or (not large and workers is None):
        yield None
        return
    pool = process_pool(count, archive.user_words())
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def pipelined(pool: Executor | None, func: Callable, batches: Iterable[list]) -> Iterator:
    """(batch, func(batch)) in order, with a few batches in flight: bounded memory."""
    if pool is None:
        yield from ((batch, func(batch)) for batch in batches)
        return
    window: deque = deque()
    for batch in batches:
        window.append((batch, pool.submit(func, batch)))
        if len(window) >= 2 * (os.cpu_count() or 1):
            batch, future = window.popleft()
            yield batch, future.result()
    while window:
        batch, future = window.popleft()
        yield batch, future.result()


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def read_userdict(path: str | Path) -> list[str]:
    """jieba's user dictionary format: one word per line, optionally followed by freq and tag."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeError) as error:
        raise ArchiveError(f"cannot read the dictionary {path}: {error}") from None
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def _article_batches(archive: Archive) -> Iterator[list[dict]]:
    """Every article's id, title and body, a batch at a time (records for _record_entries)."""
    after = 0
    while rows := archive.db.execute(
        "SELECT id, title, body FROM articles WHERE id > ? ORDER BY id LIMIT ?",
        [after, REINDEX_BATCH],
    ).fetchall():
        after = rows[-1][0]
        yield [{"id": i, "title": title, "body": body} for i, title, body in rows]
