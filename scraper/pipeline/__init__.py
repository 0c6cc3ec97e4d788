"""Stage 6, pipeline: the archive run and the jobs over a whole archive.

Takes inputs (URLs, URL lists, saved pages, folders: `inputs`); gives a run (`run`) that fetches
politely, extracts in a pool of worker processes (`workers`) and saves to the archive, with a
summary of what was added, skipped and failed; and the maintenance jobs over stored pages and
backups: re-extraction, re-indexing and import (`maintenance`); archiving from WARC files
(`warc_input`) and extraction over WARC files on a Dask cluster into Parquet shards (`batch`).
May import every stage below it (fetch, warc, extract, store, search, export); never web or CLI.
"""
