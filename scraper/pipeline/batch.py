"""`scraper batch`: extraction mapped over WARC files on a Dask cluster.

One task per WARC file reads it (through fsspec: local paths, s3://… with s3fs), extracts every
HTML response and writes one Parquet shard with the articles and their raw pages, then a
completion marker. Workers never open SQLite: `scraper import SHARDS_DIR` merges the shards
into an archive with the parallel bulk indexer, so the archive is one output, not the
bottleneck. A re-run skips files whose marker exists; a task that fails is reported, not fatal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import fsspec

from scraper.extract.page import EXTRACTOR_VERSION, extract_page
from scraper.fetch.decode import decode_page
from scraper.pipeline.item_pages import canonical_or_same
from scraper.pipeline.warc_input import url_filter
from scraper.store.raw_pages import headers_json, pack
from scraper.warc.capture import Capture
from scraper.warc.reader import Problem, is_warc, read_captures

DONE_SUFFIX = ".done"


@dataclass
class BatchReport:
    done: int = 0  # files extracted by this run
    skipped: int = 0  # files a previous run finished
    articles: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line reason)


def shard_name(path: str) -> str:
    """A shard's name: the WARC's file name and a hash of its full path (two crawls may both
    have a CC-NEWS-00001.warc.gz)."""
    base = path.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".warc.gz", ".warc"):
        base = base.removesuffix(suffix)
    return f"{base}-{hashlib.sha1(path.encode()).hexdigest()[:10]}"


def expand_warcs(items: list[str]) -> list[str]:
    """WARC paths from arguments: files, folders of them, globs (also remote: s3://…/*.gz)."""
    found: list[str] = []
    for item in items:
        fs, path = fsspec.core.url_to_fs(item)
        if any(char in item for char in "*?["):
            found += [fs.unstrip_protocol(p) for p in sorted(fs.glob(path))]
        elif fs.isdir(path):
            names = sorted(p for p in fs.ls(path, detail=False) if is_warc(p))
            found += [fs.unstrip_protocol(p) for p in names]
        else:
            found.append(item)
    return list(dict.fromkeys(found))


def shard_records(path: str, site: str | None, url_pattern: str | None) -> Iterator[dict | str]:
    """Backup-form records (with raw pages) of a WARC's articles; a problem as a string."""
    for item in read_captures(path, url_filter(site, url_pattern)):
        if isinstance(item, Capture):
            record = _record(item)
            if record is not None:
                yield record
        elif isinstance(item, Problem):
            yield item.message


def _record(capture: Capture) -> dict | None:
    decoded = decode_page(capture.content, capture.charset)
    article, _ = extract_page(decoded.text, capture.url, capture.fetched_at)
    if not (article.title or article.body):
        return None
    article.url = canonical_or_same(capture.url)
    blob, sha256 = pack(capture.content)
    page = {
        "url": capture.url, "content_type": capture.content_type, "encoding": decoded.encoding,
        "fetched_at": capture.fetched_at, "sha256": sha256, "zstd": blob,
        "http_status": capture.status, "http_headers": headers_json(capture.headers),
        "server_ip": capture.server_ip,
    }  # fmt: skip
    return {**article.to_dict(), "extractor_version": EXTRACTOR_VERSION, "raw_pages": [page]}


def extract_to_shard(path: str, out_dir: str, site: str | None, url_pattern: str | None) -> dict:
    """The task a Dask worker runs: one WARC file to one shard and its marker; the marker's
    content (articles written, the file's problem if it was damaged)."""
    from scraper.export.parquet import write_parquet_stream

    source_fs, source = fsspec.core.url_to_fs(path)
    if not source_fs.exists(source):  # failed without a marker: a re-run tries it again
        raise FileNotFoundError(f"no such file: {path}")
    fs, root = fsspec.core.url_to_fs(out_dir)
    name = shard_name(path)
    problems: list[str] = []

    def records() -> Iterator[dict]:
        for item in shard_records(path, site, url_pattern):
            if isinstance(item, str):
                problems.append(item)
            else:
                yield item

    temporary = f"{root}/.{name}.parquet.tmp"
    with fs.open(temporary, "wb") as stream:
        count = write_parquet_stream(records(), stream, with_raw=True)
    fs.mv(temporary, f"{root}/{name}.parquet")  # whole shards only: a killed task leaves none
    marker = {"warc": path, "articles": count, "problem": problems[0] if problems else None,
              "worker_peak_rss_mb": _peak_rss_mb()}  # fmt: skip
    with fs.open(f"{root}/{name}{DONE_SUFFIX}", "w") as stream:
        stream.write(json.dumps(marker, ensure_ascii=False))
    return marker


def _peak_rss_mb() -> float | None:
    """The worker process's peak memory so far, for sizing workers (None where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)  # bytes on macOS


def run_batch(
    paths: list[str],
    out_dir: str,
    workers: int | None = None,
    scheduler: str | None = None,
    site: str | None = None,
    url_pattern: str | None = None,
) -> BatchReport:
    """Extract every WARC file not yet done into `out_dir`, on `scheduler` or a LocalCluster
    of `workers` processes (one thread each: extraction holds the GIL)."""
    from dask.distributed import Client, LocalCluster, as_completed

    fs, root = fsspec.core.url_to_fs(out_dir)
    fs.makedirs(root, exist_ok=True)
    report = BatchReport()
    pending = []
    for path in expand_warcs(paths):
        if fs.exists(f"{root}/{shard_name(path)}{DONE_SUFFIX}"):
            report.skipped += 1
        else:
            pending.append(path)
    if not pending:
        return report
    with _client(Client, LocalCluster, workers, scheduler) as client:
        futures = {
            client.submit(extract_to_shard, p, out_dir, site, url_pattern, pure=False): p
            for p in pending
        }
        for future in as_completed(futures):
            _collect(report, futures[future], future)
    return report


@contextmanager
def _client(client_class, cluster_class, workers: int | None, scheduler: str | None):
    """A client of the given scheduler, or of a LocalCluster closed with it."""
    if scheduler:
        with client_class(scheduler) as client:
            yield client
        return
    with (
        cluster_class(
            n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
        ) as cluster,
        client_class(cluster) as client,
    ):  # fmt: skip
        yield client


def _collect(report: BatchReport, path: str, future) -> None:
    if future.status != "finished":
        error = future.exception()
        report.failed.append((path, f"{type(error).__name__}: {error}".splitlines()[0]))
        return
    marker = future.result()
    report.done += 1
    report.articles += marker["articles"]
    if marker["problem"]:
        report.failed.append((path, marker["problem"]))
