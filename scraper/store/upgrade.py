"""Bringing an archive made by an older version up to the current schema, in one transaction."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from scraper.store import aliases
from scraper.store import index as search_index
from scraper.store.schema import ADDED_COLUMNS, RAW_PAGE_PROVENANCE, SCHEMA_VERSION, TABLES_SQL
from scraper.store.segment import index_signature


def upgrade_schema(db: sqlite_utils.Database, set_meta: Callable[[str, str], None]) -> None:
    """Create the tables; columns added since an archive was made are added to it."""
    tables = db.table_names()
    fresh = "articles" not in tables
    with db.conn:
        db.executescript(TABLES_SQL)
        if not fresh and "url_aliases" not in tables:
            aliases.backfill(db.conn)
        present = set(db["articles"].columns_dict)
        for name, kind in ADDED_COLUMNS:
            if name not in present:
                db.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")
        _add_columns(db, "raw_pages", RAW_PAGE_PROVENANCE)
        if "body_tokens" in present:
            search_index.migrate_token_columns(db.conn, present)
            if "extra_tokens" not in present:
                set_meta("index_signature", "an index without sub-words")
        db.execute(search_index.SCHEMA_SQL)
        set_meta("schema_version", SCHEMA_VERSION)
        if fresh:
            set_meta("index_signature", index_signature())


def _add_columns(db: sqlite_utils.Database, table: str, columns: tuple) -> None:
    present = set(db[table].columns_dict)
    for name, kind in columns:
        if name not in present:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
