"""Which articles an export writes, and in what order: every article or a search's matches,
through the filters, oldest published first (the backup order), newest first or best first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from scraper.export.formats import ExportError
from scraper.search.engine import filter_sql, matching_ids

if TYPE_CHECKING:
    from scraper.store.archive import Archive

EXPORT_SORTS = ("oldest", "newest", "relevance")


def select_records(
    archive: Archive, query: str | None, sort: str, filters: dict[str, str | None]
) -> Iterator[dict]:
    """The records to export, streamed. Oldest-first matches of a query read their ids (not
    their records) before the first is written."""
    if sort not in EXPORT_SORTS:
        raise ExportError(f"unknown sort {sort!r}; choose one of {', '.join(EXPORT_SORTS)}")
    if sort == "relevance" and not query:
        raise ExportError("sorting by relevance needs a query (--query)")
    if not query:
        return archive.records(*filter_sql(**filters), newest_first=sort == "newest")
    ranking = "relevance" if sort == "relevance" else "date"  # date: newest first
    ids = matching_ids(archive, query, ranking, **filters)
    return archive.records_by_id(list(ids)[::-1] if sort == "oldest" else ids)
