"""Work on what is already archived: re-extraction from raw pages, restoring an export."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from scraper.article import Article
from scraper.decode import decode_page
from scraper.extract import EXTRACTOR_VERSION, extract_page, merge_pages
from scraper.store import Archive, now_iso


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
