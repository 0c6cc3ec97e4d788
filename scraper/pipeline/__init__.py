"""Stage 6, pipeline: the archive run and the jobs over a whole archive.

Takes inputs (URLs, URL lists, saved pages, folders: `inputs`); gives a run (`run`) that fetches
politely, extracts in a pool of worker processes (`workers`), keeps only articles (`checks`)
and saves to the archive, with a summary of what was added, already archived, not an article,
without a body or failed; the maintenance jobs over stored pages and backups: re-extraction,
re-indexing and import (`maintenance`); archiving from WARC files (`warc_input`) and extraction
over WARC files on a Dask cluster into Parquet shards (`batch`).
May import every stage below it (fetch, warc, extract, discover, store, search, export); never
web or CLI.
"""
