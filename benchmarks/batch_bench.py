"""Benchmark WARC reading and `scraper batch` on Dask: records/s, speed-up per worker, memory.

A WARC set of article pages is generated (default 20,000) in varied templates: gmw.cn pages
from the seed (news_server.py: 200 bodies, each article its own title, 来源, time and id) and,
when the dev corpus is there (../shared/corpus), its 45+ portals' pages, each given article n's
own title and a sentence of its own. Files have different sizes (250 … 4,000 pages), so the
worker's peak memory can be compared across file sizes.

Measured: WARC reading alone; extraction alone (bytes already in memory); reading + extraction
in one process (reading must cost < 10% of it); `scraper archive WARC --workers 1` (the
single-process path with SQLite and the search index) on one file; `scraper batch` with 1 and 2
Dask workers over the whole set; Parquet and WARC bytes per article.

    python benchmarks/batch_bench.py                 # 20,000 pages (~6 min on 2 cores)
    python benchmarks/batch_bench.py --pages 2000 --json
    python benchmarks/batch_bench.py --pages 2000 --reading   # the reading share only (~1 min)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from news_server import HEADLINES, build_pool, render  # noqa: E402

from scraper.pipeline.batch import run_batch, shard_records  # noqa: E402
from scraper.warc.capture import Capture  # noqa: E402
from scraper.warc.reader import read_captures  # noqa: E402
from scraper.warc.writer import new_writer, write_capture  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "pages"
FILE_SIZES = (250, 250, 500, 1000, 2000, 4000)  # repeated until the pages are used up
CHUNK, ROUNDS = 50, 5  # pages per interleaved step of the reading share; best of ROUNDS
_TITLE = re.compile(rb"<title>(.*?)</title>", re.S | re.I)
_BODY_START = re.compile(rb"<p[ >]", re.I)


def corpus_templates() -> list[bytes]:
    """The dev corpus's UTF-8 pages (other portals' templates), if it is on this machine."""
    if not CORPUS.is_dir():
        return []
    pages = []
    for path in sorted(CORPUS.glob("*.html")):
        content = path.read_bytes()
        if b".expected" not in path.name.encode() and _TITLE.search(content):
            try:
                content.decode("utf-8")
            except UnicodeDecodeError:
                continue
            pages.append(content)
    return pages


def page_bytes(n: int, pool: list, others: list[bytes]) -> bytes:
    """Article n: a gmw.cn page, or (every other one) a corpus portal's page made its own."""
    if not others or n % 2 == 0:
        return render(pool, n)
    own = f"{HEADLINES[n % len(HEADLINES)]}（第{n}号）".encode()
    content = _TITLE.sub(b"<title>" + own + b"</title>", others[n % len(others)], count=1)
    sentence = f"<p>本报讯 这是第{n}篇报道的独有段落，记录当日的最新进展。</p>".encode()
    found = _BODY_START.search(content)
    return content[: found.start()] + sentence + content[found.start() :] if found else content


def generate(folder: Path, pages: int) -> list[Path]:
    pool, others = build_pool(), corpus_templates()
    files, n, sizes = [], 0, iter(FILE_SIZES * 100)
    while n < pages:
        count = min(next(sizes), pages - n)
        path = folder / f"bench-{len(files):03d}-{count}.warc.gz"
        with open(path, "wb") as stream:
            writer = new_writer(stream, path.name)
            for k in range(n, n + count):
                url = f"http://news{k % 50}.example.cn/{k // 50}/{k}.html"
                write_capture(writer, Capture(url, page_bytes(k, pool, others),
                                              "2025-05-01T08:00:00+00:00", request_headers=[],
                                              headers=[("Content-Type", "text/html; charset=utf-8")]))  # fmt: skip
        files.append(path)
        n += count
    return files


def _pages_in(path: Path) -> int:
    """The page count in a generated file's name (bench-003-1000.warc.gz)."""
    return int(path.name.split("-")[2].split(".")[0])


def timed(func, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def read_only(files: list[Path]) -> int:
    return sum(1 for f in files for item in read_captures(str(f)) if isinstance(item, Capture))


def extract_only(captures: list[Capture]) -> int:
    """A shard task's work on captures already in memory: decode, extract, compress."""
    from scraper.pipeline.batch import _record

    return sum(1 for capture in captures if _record(capture) is not None)


def read_and_extract(path: Path) -> int:
    return sum(1 for item in shard_records(str(path), None, None) if isinstance(item, dict))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--reading", action="store_true",
        help="only reading alone, extraction alone and both (no archive or batch runs)",
    )  # fmt: skip
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    try:
        results = measure(work, args.pages, args.reading)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for key, value in results.items():
        print(f"{key:38} {value}")


def chunk_files(sample: list[Capture], folder: Path, size: int = CHUNK) -> list[Path]:
    """The sample's pages again as WARC files of `size` pages, for fine-grained interleaving."""
    folder.mkdir()
    paths = []
    for start in range(0, len(sample), size):
        path = folder / f"chunk-{start:05d}.warc.gz"
        with open(path, "wb") as stream:
            writer = new_writer(stream, path.name)
            for capture in sample[start : start + size]:  # with a request record, as generated
                write_capture(writer, dataclasses.replace(capture, request_headers=[]))
        paths.append(path)
    return paths


def reading_share(files: list[Path], sample: list[Capture], chunks: list[Path]) -> dict:
    """Reading alone (all files); extraction alone and reading + extraction of the sample, a
    chunk of each in turn, the best of ROUNDS per chunk: a load spike on a shared machine
    lasts long enough to land on both sides of a chunk, not on one side of the whole run."""
    read_s = float("inf")
    extract_s, both_s = [float("inf")] * len(chunks), [float("inf")] * len(chunks)
    articles = [0] * len(chunks)
    for _ in range(ROUNDS):
        seconds, records = timed(read_only, files)
        read_s = min(read_s, seconds)
        for n, path in enumerate(chunks):
            seconds, articles[n] = timed(extract_only, sample[n * CHUNK : (n + 1) * CHUNK])
            extract_s[n] = min(extract_s[n], seconds)
            seconds, both = timed(read_and_extract, path)
            both_s[n] = min(both_s[n], seconds)
            assert both == articles[n], "reading + extraction must give the same articles"
    return {
        "read_only_records_per_s": round(records / read_s),
        "extract_only_pages_per_s": round(sum(articles) / sum(extract_s)),
        "read_and_extract_pages_per_s": round(sum(articles) / sum(both_s)),
        "reading_share_of_speed": round(sum(extract_s) / sum(both_s), 3),
    }


def measure(work: Path, pages: int, reading_only: bool = False) -> dict:
    warcs = work / "warcs"
    warcs.mkdir()
    gen_s, files = timed(generate, warcs, pages)
    warc_bytes = sum(f.stat().st_size for f in files)
    # One 1,000-page file (or the largest smaller one) for the in-process comparisons.
    sample_file = max((f for f in files if _pages_in(f) <= 1000), key=_pages_in)
    sample = [c for c in read_captures(str(sample_file)) if isinstance(c, Capture)]
    results = {"pages": pages, "warc_files": len(files), "generate_s": round(gen_s, 1),
               "warc_bytes_per_article": round(warc_bytes / pages),
               **reading_share(files, sample, chunk_files(sample, work / "chunks"))}  # fmt: skip
    if reading_only:
        return results
    db = work / "single.db"
    single_s, _ = timed(subprocess.run, [sys.executable, "-m", "scraper", "archive",
                        str(sample_file), "--workers", "1", "-q", "--db", str(db)])  # fmt: skip
    results["single_process_archive_pages_per_s"] = round(len(sample) / single_s, 1)
    for workers in (1, 2):
        shards = work / f"shards-{workers}"
        batch_s, report = timed(run_batch, [str(f) for f in files], str(shards), workers)
        markers = [json.loads(m.read_text()) for m in sorted(shards.glob("*.done"))]
        results[f"batch_{workers}w_pages_per_s"] = round(report.articles / batch_s, 1)
        results[f"batch_{workers}w_wall_s"] = round(batch_s, 1)
        results[f"batch_{workers}w_worker_peak_rss_mb"] = max(
            m["worker_peak_rss_mb"] for m in markers
        )
        if workers == 1:
            parquet = sum(s.stat().st_size for s in shards.glob("*.parquet"))
            results["parquet_bytes_per_article"] = round(parquet / report.articles)
            results["peak_rss_mb_by_file_size"] = sorted(
                (_pages_in(Path(m["warc"])), m["worker_peak_rss_mb"]) for m in markers
            )
    results["speedup_2w_over_1w"] = round(
        results["batch_2w_pages_per_s"] / results["batch_1w_pages_per_s"], 2
    )
    return results


if __name__ == "__main__":
    main()
