"""Stage 3, store: the SQLite archive (archive.db) that keeps every Article and its raw page.

Takes Articles and raw pages; gives an `Archive` (`archive`: saves, reads, failures, reposts) over
the tables in `schema`, the jieba FTS5 index that every save updates (`index`, with the
segmenter `segment` and its word list `data/news_terms.txt`), near-duplicate fingerprints
(`dupes`), compressed raw pages (`raw_pages`) and the other URLs an article is known by
(`aliases`: redirects to it, its later pages); what an archive holds (`stats`) and its
file's errors as one line (`errors`). Searching that index is `scraper.search`'s job.
May import `scraper.article`, `scraper.clock`, `scraper.fetch` and `scraper.extract`; never
search, export, pipeline, web or CLI.
"""
