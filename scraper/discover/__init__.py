"""Discovery: find article URLs by themselves, from feeds, sitemaps, list pages and editions.

Takes source URLs (a feed, a sitemap or robots.txt, a section/list page, a date-templated
e-paper edition) and a polite Fetcher; gives canonical article URLs with date hints.
May import: fetch (the polite engine, URL canonicalisation, decoding) and extract (the pager
of a list page is found like an article's next page). Never the store: what is already
archived is the archive run's business, which skips it.
"""
