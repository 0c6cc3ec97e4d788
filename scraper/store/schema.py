"""The archive's tables (plain SQLite; the full-text index is in scraper/store/index.py)."""

from __future__ import annotations

from scraper.article import RECORD_FIELDS

# 2: contentless index with character columns (scraper/store/index.py); 3: url_aliases;
# 4: sources (SOURCES_SQL); 5: article versions, their raw pages, re-check events and watch
# state (WATCH_SCHEMA_SQL); 6: provenance of raw pages (RAW_PAGE_PROVENANCE)
SCHEMA_VERSION = "6"
ADDED_COLUMNS = (  # columns newer than the oldest archives, added to those on open
    *((name, "TEXT") for name in RECORD_FIELDS),
    ("simhash", "INTEGER"), ("cluster", "INTEGER"), ("index_tokens", "BLOB"),
)  # fmt: skip

# Capture provenance, added to raw_pages of every archive (new or older) on open.
RAW_PAGE_PROVENANCE = (
    ("http_status", "INTEGER"),
    ("http_headers", "TEXT"),  # JSON list of [name, value] pairs, as received
    ("server_ip", "TEXT"),
)

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    site TEXT,
    title TEXT,
    source TEXT,
    author TEXT,
    editor TEXT,
    published_at TEXT,
    body TEXT,
    extractor TEXT,
    canonical_url TEXT,
    extractor_version TEXT,
    content_hash TEXT NOT NULL,
    archived_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    index_tokens BLOB,  -- what the article's search index entry holds (scraper/search_index.py)
    simhash INTEGER,  -- near-duplicate fingerprint (scraper/dupes.py)
    cluster INTEGER  -- id of the first article of its near-duplicate cluster
);
CREATE TABLE IF NOT EXISTS simhash_bands (
    band INTEGER NOT NULL, value INTEGER NOT NULL, article_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS simhash_bands_lookup ON simhash_bands (band, value);
CREATE INDEX IF NOT EXISTS simhash_bands_article ON simhash_bands (article_id);
CREATE TABLE IF NOT EXISTS user_words (word TEXT PRIMARY KEY);
CREATE INDEX IF NOT EXISTS articles_published_at ON articles (published_at);
CREATE INDEX IF NOT EXISTS articles_site ON articles (site);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source);
CREATE TABLE IF NOT EXISTS raw_pages (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    page_no INTEGER NOT NULL,
    url TEXT NOT NULL,
    content_type TEXT,
    encoding TEXT,
    compression TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    fetched_at TEXT NOT NULL,
    UNIQUE (article_id, page_no)
);
CREATE TABLE IF NOT EXISTS url_aliases (  -- other URLs of an article (scraper/store/aliases.py)
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    page_no INTEGER NOT NULL  -- the page it names: 1 for a URL that redirected to the article
);
CREATE INDEX IF NOT EXISTS url_aliases_article ON url_aliases (article_id);
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY,
    stage TEXT NOT NULL,  -- url, robots, fetch, http, size, encoding, content-type, read, extract
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_failed_at TEXT NOT NULL,
    last_tried_at TEXT NOT NULL
);
"""

# Where discovery looks for new articles (scraper/store/sources.py): kept apart from SCHEMA_SQL
# so that tables added by other features merge without touching it.
SOURCES_SQL = """
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,  -- canonical; an edition's template as given
    kind TEXT,  -- feed | sitemap | page | edition; NULL: read from what it serves
    name TEXT,
    every_seconds INTEGER NOT NULL,  -- how often `scraper watch` polls it
    added_at TEXT NOT NULL,
    last_polled_at TEXT,
    etag TEXT,  -- validators of the last answer, for a conditional poll
    last_modified TEXT,
    last_error TEXT,  -- NULL when the last poll worked
    polls INTEGER NOT NULL DEFAULT 0,
    last_found INTEGER NOT NULL DEFAULT 0,  -- article URLs the last poll found
    last_new INTEGER NOT NULL DEFAULT 0,  -- of those, archived for the first time
    total_new INTEGER NOT NULL DEFAULT 0
);
"""

# Watching articles over time (scraper/store/versions.py): kept apart so other tables merge
# cleanly. The articles row is the current version; superseded versions live here.
WATCH_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS article_versions (  -- superseded versions, oldest first per article
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    title TEXT,
    source TEXT,
    author TEXT,
    editor TEXT,
    published_at TEXT,
    body TEXT,
    extractor TEXT,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS article_versions_article ON article_versions (article_id);
CREATE TABLE IF NOT EXISTS version_pages (  -- the raw pages a superseded version came from
    version_id INTEGER NOT NULL REFERENCES article_versions (id) ON DELETE CASCADE,
    page_no INTEGER NOT NULL,
    url TEXT NOT NULL,
    content_type TEXT,
    encoding TEXT,
    compression TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (version_id, page_no)
);
CREATE TABLE IF NOT EXISTS article_events (  -- one row per re-check of an article
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    checked_at TEXT NOT NULL,
    outcome TEXT NOT NULL,  -- unchanged, edited, suspected, deleted, unreachable, restored
    detail TEXT
);
CREATE INDEX IF NOT EXISTS article_events_article ON article_events (article_id, checked_at);
CREATE TABLE IF NOT EXISTS article_watch (  -- an article's re-check state; none: never checked
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    status TEXT NOT NULL,  -- live, suspected, deleted
    deleted_at TEXT,  -- when the deletion was first seen (set once confirmed)
    suspected_since TEXT,
    suspect_checks INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    last_seen TEXT,  -- the current version was last seen live
    last_checked_at TEXT,
    next_check_at TEXT
);
CREATE INDEX IF NOT EXISTS article_watch_next ON article_watch (next_check_at);
CREATE INDEX IF NOT EXISTS article_watch_status ON article_watch (status);
"""

# Every table, for a new archive or an upgraded one (each statement is IF NOT EXISTS).
TABLES_SQL = SCHEMA_SQL + SOURCES_SQL + WATCH_SCHEMA_SQL
