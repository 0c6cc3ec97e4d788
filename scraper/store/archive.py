"""The archive: articles, their raw pages and a full-text index in one SQLite file (sqlite-utils).

Plain SQLite only: the FTS5 table uses the built-in unicode61 tokenizer over pre-segmented token
columns, so archive.db opens and searches in the sqlite3 shell too.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
import zstandard

from scraper.article import RECORD_FIELDS, Article
from scraper.clock import now_iso
from scraper.store import aliases, versions
from scraper.store import index as search_index
from scraper.store.connect import open_connection
from scraper.store.dupes import assign_cluster
from scraper.store.errors import ArchiveError as ArchiveError  # re-exported
from scraper.store.errors import NoArchiveError, archive_error
from scraper.store.index import IndexEntry, index_entry
from scraper.store.raw_pages import RawPage, headers_from_json, headers_json, pack
from scraper.store.schema import SCHEMA_VERSION
from scraper.store.segment import add_words, index_signature
from scraper.store.stats import archive_stats
from scraper.store.upgrade import upgrade_schema

DEFAULT_DB = "archive.db"
_COLUMNS = ", ".join(("id", *RECORD_FIELDS, aliases.ALIASES_COLUMN, versions.RECORD_COLUMNS_SQL))
CONTENT_FIELDS = ("site", "title", "source", "author", "editor", "published_at", "body")


@dataclass(frozen=True)
class SaveResult:
    status: str  # "added", "updated" or "unchanged"
    article_id: int


def default_db_path() -> str:
    return os.environ.get("SCRAPER_DB") or DEFAULT_DB


def content_hash(fields: dict) -> str:
    payload = json.dumps([fields.get(name) for name in CONTENT_FIELDS], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Archive:
    """`Archive(path)` opens (creating if needed) an archive; every CLI verb goes through it.

    `writable=False` is for readers: a read-only archive is then opened for reading
    (`read_only` says so) instead of failing; a writer on one gets a one-line ArchiveError."""

    def __init__(
        self, path: str | os.PathLike | None = None, *, create: bool = True, writable: bool = True
    ) -> None:
        self.path = Path(path or default_db_path())
        self._deferring = False
        self.read_only = False
        if not create and not self.path.exists():
            raise NoArchiveError(
                f"no archive at {self.path} (archive something first, or pass --db)"
            )
        existed = self.path.exists()
        try:
            connection, self.read_only = open_connection(self.path, writable)
            self.db = sqlite_utils.Database(connection)
        except sqlite3.DatabaseError as error:
            raise archive_error(self.path, error) from None
        try:
            self._create_schema()
        except sqlite3.DatabaseError as error:
            if not existed:  # never leave an empty or half-made archive (a full disk)
                self._remove_files()
            raise archive_error(self.path, error) from None

    def _remove_files(self) -> None:
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, _: object) -> None:
        self.close()
        if isinstance(error, sqlite3.DatabaseError):  # damage found after the archive opened
            raise archive_error(self.path, error) from None

    # -- schema ---------------------------------------------------------------------------------

    def _create_schema(self) -> None:
        """Create what is missing, then load the archive's user words. An archive already at
        this schema is only read: opening it takes no write lock."""
        if not self._schema_is_current():
            if self.read_only:
                raise ArchiveError(
                    f"{self.path}: the archive is read-only and was made by an older version;"
                    " it needs upgrading once with write access"
                )
            upgrade_schema(self.db, self.set_meta)
        add_words(self.user_words())

    def _schema_is_current(self) -> bool:
        try:
            return self.meta("schema_version") == SCHEMA_VERSION
        except sqlite3.OperationalError:  # no meta table yet: a new archive
            return False

    def set_meta(self, key: str, value: str) -> None:
        self._sql("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value)

    def meta(self, key: str) -> str | None:
        found = self._sql("SELECT value FROM meta WHERE key = ?", key).fetchone()
        return found[0] if found else None

    def user_words(self) -> list[str]:
        return [word for (word,) in self._sql("SELECT word FROM user_words ORDER BY word")]

    def stale_index(self) -> str | None:
        """Why the search index no longer matches the segmenter, or None when it does."""
        built, now = self.meta("index_signature"), index_signature()
        if built == now or self.is_empty():
            return None
        return f"the search index was built with {built}, not {now}: run `scraper reindex`"

    # -- writing --------------------------------------------------------------------------------

    def save(
        self,
        article: Article,
        raw_pages: Iterable[RawPage] = (),
        entry: IndexEntry | None = None,
        *,
        keep_id: int | None = None,
        keep_version: bool = True,
        **extra: str,
    ) -> SaveResult:
        """Add or update the article at its URL; an unchanged article writes nothing.

        `entry` is the article's search index entry when a worker process already segmented it
        (segmentation is most of a save's CPU). `keep_id` is the id a restored article had,
        kept for a new article when no other article holds it. `keep_version`: changed content
        keeps the old version (a re-extraction of the same pages has none to keep).
        """
        if not article.url:
            raise ValueError("an article needs a url to be archived")
        record = {**article.to_dict(), **extra}
        record.setdefault("extractor_version", None)
        record["content_hash"] = content_hash(record)
        try:
            return self._write(record, list(raw_pages), entry, keep_id, keep_version)
        except sqlite3.DatabaseError as error:
            raise archive_error(self.path, error) from None

    def _write(
        self,
        record: dict,
        raw_pages: list[RawPage],
        entry: IndexEntry | None,
        keep_id: int | None = None,
        keep_version: bool = True,
    ) -> SaveResult:
        existing = self._row(
            "SELECT id, content_hash, index_tokens FROM articles WHERE url = ?", record["url"]
        )
        if existing and existing["content_hash"] == record["content_hash"]:
            return SaveResult("unchanged", existing["id"])
        stamp = now_iso()
        record.setdefault("archived_at", stamp)
        record.setdefault("updated_at", stamp)
        row = {name: record.get(name) for name in RECORD_FIELDS}
        entry = entry or index_entry(row)
        row["index_tokens"] = entry.packed
        with self.transaction():  # the article and its raw pages land together
            if existing:
                row.pop("archived_at")
                article_id, status = existing["id"], "updated"
                if keep_version:
                    versions.keep_superseded(self.db.conn, article_id, move_pages=bool(raw_pages))
                assignments = ", ".join(f"{name} = ?" for name in row)
                self._sql(
                    f"UPDATE articles SET {assignments} WHERE id = ?", *row.values(), article_id
                )
            else:
                if keep_id is not None and not self._row(
                    "SELECT 1 FROM articles WHERE id = ?", keep_id
                ):
                    row = {"id": keep_id, **row}
                columns, marks = ", ".join(row), ", ".join("?" * len(row))
                cursor = self._sql(
                    f"INSERT INTO articles ({columns}) VALUES ({marks})", *row.values()
                )
                article_id, status = cursor.lastrowid, "added"
            if raw_pages:
                self._replace_raw_pages(article_id, raw_pages, new=not existing)
            if existing:
                search_index.remove(self.db.conn, article_id, existing["index_tokens"])
            search_index.add(self.db.conn, article_id, entry)
            assign_cluster(self.db.conn, article_id, entry.fingerprint, new=not existing)
            self._sql("DELETE FROM failures WHERE url = ?", record["url"])  # it worked now
        return SaveResult(status, article_id)

    @contextmanager
    def _errors_as_archive_errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as error:
            raise archive_error(self.path, error) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction, committed at the end. Inside `defer_commits` it is a savepoint in
        the open transaction instead: a failed save undoes only itself, never the saves before
        it that are waiting for their commit."""
        if not self._deferring:
            with self.db.conn:
                yield
            return
        if not self.db.conn.in_transaction:
            self._sql("BEGIN")  # else RELEASE of an outermost savepoint would commit
        self._sql("SAVEPOINT save")
        try:
            yield
        except BaseException:
            self._sql("ROLLBACK TO save")
            raise
        finally:
            self._sql("RELEASE save")

    def defer_commits(self, on: bool) -> None:
        """While on, saves share one open transaction until `commit()`: a busy archive run
        commits when its queue of saves runs dry rather than once per article."""
        if not on:
            self.commit()
        self._deferring = on

    def commit(self) -> None:
        try:
            self.db.conn.commit()
        except sqlite3.DatabaseError as error:
            raise archive_error(self.path, error) from None

    def _sql(self, sql: str, *params: object) -> sqlite3.Cursor:
        """Plain sqlite3 on the hot path: sqlite-utils re-reads the schema on every insert."""
        return self.db.conn.execute(sql, params)

    def _replace_raw_pages(self, article_id: int, pages: list[RawPage], new: bool) -> None:
        if not new:  # a new article has nothing to replace: skip the write
            self._sql("DELETE FROM raw_pages WHERE article_id = ?", article_id)
        for number, page in enumerate(pages, start=1):
            blob, sha256 = page.packed or pack(page.content)
            self._sql(
                "INSERT INTO raw_pages (article_id, page_no, url, content_type, encoding,"
                " compression, size, sha256, content, fetched_at, http_status, http_headers,"
                " server_ip) VALUES (?, ?, ?, ?, ?, 'zstd', ?, ?, ?, ?, ?, ?, ?)",
                article_id, number, page.url, page.content_type, page.encoding,
                len(page.content), sha256, blob, page.fetched_at or now_iso(),
                page.status, headers_json(page.headers), page.server_ip,
            )  # fmt: skip

    def record_failure(self, url: str, stage: str, error: str, attempts: int = 1) -> None:
        """Remember a URL that failed (or was skipped as not a page) for --retry-failed."""
        stamp = now_iso()
        with self._errors_as_archive_errors(), self.db.conn:
            self.db.execute(
                "INSERT INTO failures (url, stage, error, attempts, first_failed_at, last_tried_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET stage = excluded.stage,"
                " error = excluded.error, attempts = failures.attempts + excluded.attempts,"
                " last_tried_at = excluded.last_tried_at",
                [url, stage, error, attempts, stamp, stamp],
            )

    def failed_urls(self) -> Iterator[str]:
        """URLs worth retrying: failures, but not pages skipped for their content type."""
        cursor = self.db.execute(
            "SELECT url FROM failures WHERE stage != 'content-type' ORDER BY first_failed_at"
        )
        yield from (url for (url,) in cursor.fetchall())

    def failures(self, limit: int = 100) -> list[dict]:
        cursor = self.db.execute(
            "SELECT url, stage, error, attempts, last_tried_at FROM failures "
            "ORDER BY last_tried_at DESC LIMIT ?",
            [limit],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- reading --------------------------------------------------------------------------------

    def _row(self, sql: str, *params: object) -> dict | None:
        cursor = self._sql(sql, *params)
        names = [d[0] for d in cursor.description]
        found = cursor.fetchone()
        return dict(zip(names, found, strict=True)) if found else None

    def get(self, key: int | str) -> dict | None:
        """An article record by id, or by any URL it is known by (its key or an alias)."""
        if not (isinstance(key, int) or str(key).isdigit()):
            found = aliases.lookup(self.db.conn, str(key))
            key = found[0] if found else 0
        return next(_records(self._sql(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", key)), None)

    def raw_pages(self, article_id: int, page_no: int | None = None) -> list[RawPage]:
        """The article's stored pages in order (decompressed), or only page `page_no`."""
        decompressor = zstandard.ZstdDecompressor()
        only = "" if page_no is None else " AND page_no = ?"
        rows = self.db.execute(
            "SELECT url, content, content_type, encoding, fetched_at, http_status, http_headers,"
            f" server_ip FROM raw_pages WHERE article_id = ?{only} ORDER BY page_no",
            [article_id] if page_no is None else [article_id, page_no],
        ).fetchall()
        return [
            RawPage(url, decompressor.decompress(blob), content_type, encoding, fetched_at,
                    status=status, headers=headers_from_json(headers), server_ip=ip)
            for url, blob, content_type, encoding, fetched_at, status, headers, ip in rows
        ]  # fmt: skip

    def records(
        self, where: str = "1", params: Iterable[object] = (), newest_first: bool = False
    ) -> Iterator[dict]:
        """Article records (export's input) in a stable order, oldest published first (or
        newest), undated last, streamed from the database."""
        order = "DESC" if newest_first else ""
        cursor = self.db.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE {where} "
            f"ORDER BY published_at IS NULL, published_at {order}, url {order}",
            list(params),
        )
        yield from _records(cursor)

    def records_by_id(self, ids: Iterable[int], batch: int = 500) -> Iterator[dict]:
        """Article records in the order of `ids`, read a batch at a time (any number of ids)."""
        pending = iter(ids)
        while chunk := list(itertools.islice(pending, batch)):
            cursor = self._sql(
                f"SELECT {_COLUMNS} FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                json.dumps(chunk),
            )
            found = {record["id"]: record for record in _records(cursor)}
            yield from (found[i] for i in chunk if i in found)

    def count(self) -> int:
        return self.db["articles"].count

    def is_empty(self) -> bool:
        """Whether there is no article (without counting them all)."""
        return not self._sql("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0]

    def raw_page_count(self, article_id: int) -> int:
        return self._sql(
            "SELECT count(*) FROM raw_pages WHERE article_id = ?", article_id
        ).fetchone()[0]

    def stats(self) -> dict:
        return archive_stats(self.db, self.path)


def _records(cursor: sqlite3.Cursor) -> Iterator[dict]:
    """Article records from a SELECT of _COLUMNS; `aliases` (URL -> page) only when it has any."""
    names = [d[0] for d in cursor.description]
    for row in cursor:
        record = dict(zip(names, row, strict=True))
        known_as = record.pop("aliases")
        yield {**record, "aliases": json.loads(known_as)} if known_as else record
