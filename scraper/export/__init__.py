"""Stage 5, export: archived articles out to files (and the jsonl backup back in).

Takes Articles or archive records; gives txt, Markdown, JSON Lines and CSV (`formats`), one file
per article or one stream, with safe file names; Parquet (`parquet`, also read back) and WARC
files of the stored raw pages (`archival`).
May import `scraper.article`, `scraper.warc`, `scraper.store` and `scraper.search`; never
pipeline, web or CLI.
"""
