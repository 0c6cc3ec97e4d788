"""Stage 1½, warc: web-archive files in and out, the format archivists exchange captures in.

Takes WARC files (local paths or fsspec URLs such as s3://…) and HTTP captures; gives the HTML
captures a WARC holds, filtered before their payload is read (`reader`), and WARC/1.1 files of
request and response records, gzip per record, rotated by size (`writer`); `capture` is the
record both share.
May import `scraper.fetch` and the shared modules; never extract or anything after it.
"""
