"""Work on what is already archived: re-extraction from raw pages, restoring an export."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scraper.article import Article
from scraper.decode import decode_page
from scraper.extract import EXTRACTOR_VERSION, extract_page, merge_pages
from scraper.segment import add_words, index_columns, index_signature
from scraper.store import Archive, ArchiveError, now_iso


def reextract(archive: Archive, ids: Iterable[int] | None = None) -> Counter:
    """Run the current extractor over stored raw pages; changed articles are updated."""
    wanted = set(ids) if ids else None
    rows = archive.db.execute("SELECT id, url FROM articles ORDER BY id").fetchall()
    counts: Counter = Counter()
    for article_id, url in rows:
        if wanted is not None and article_id not in wanted:
            continue
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
        counts[archive.save(article, extractor_version=EXTRACTOR_VERSION).status] += 1
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


REINDEX_BATCH = 500


def reindex(
    archive: Archive, userdict: str | Path | None = None, workers: int | None = None
) -> int:
    """Recompute every article's index columns with the current segmenter and dictionary
    (after `userdict`'s words are added to the archive); both cores for large archives."""
    if userdict is not None:
        words = read_userdict(userdict)
        with archive.db.conn:
            archive.db.conn.executemany(
                "INSERT OR IGNORE INTO user_words (word) VALUES (?)", [(w,) for w in words]
            )
        add_words(words)
    total = archive.count()
    count = workers or (os.cpu_count() or 1)
    pool = (
        ProcessPoolExecutor(count, initializer=add_words, initargs=(archive.user_words(),))
        if (count > 1 and total > 4 * REINDEX_BATCH)
        else None
    )
    try:
        batches = _article_batches(archive)
        columns = pool.map(_batch_columns, batches) if pool else map(_batch_columns, batches)
        for done in columns:
            with archive.db.conn:
                archive.db.conn.executemany(
                    "UPDATE articles SET title_tokens = ?, body_tokens = ?, extra_tokens = ?"
                    " WHERE id = ?",
                    done,
                )
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    with archive.db.conn:
        archive.set_meta("index_signature", index_signature())
    return total


def read_userdict(path: str | Path) -> list[str]:
    """jieba's user dictionary format: one word per line, optionally followed by freq and tag."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeError) as error:
        raise ArchiveError(f"cannot read the dictionary {path}: {error}") from None
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def _article_batches(archive: Archive) -> Iterator[list[tuple[int, str | None, str | None]]]:
    after = 0
    while rows := archive.db.execute(
        "SELECT id, title, body FROM articles WHERE id > ? ORDER BY id LIMIT ?",
        [after, REINDEX_BATCH],
    ).fetchall():
        after = rows[-1][0]
        yield rows


def _batch_columns(rows: list[tuple[int, str | None, str | None]]) -> list[tuple]:
    return [(*index_columns({"title": t, "body": b}), i) for i, t, b in rows]
