"""Stage 5, export: archived articles out to files (and the jsonl backup back in).

Takes Articles or archive records; gives txt, Markdown, JSON Lines and CSV (`formats`), one file
per article or one stream, with safe file names.
May import `scraper.article`, `scraper.store` and `scraper.search`; never pipeline, web or CLI.
"""
