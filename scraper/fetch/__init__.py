"""Stage 1, fetch: from a URL to the bytes of a page, politely, and from bytes to text.

Takes URLs (and saved files' bytes); gives `RawPage`-ready answers (`engine`), robots.txt
verdicts (`robots`), canonical URLs (`urls`) and decoded text with its charset (`decode`).
May import only the standard library, third-party packages and `scraper.clock`/`scraper.version`:
it is the bottom of the pipeline.
"""
