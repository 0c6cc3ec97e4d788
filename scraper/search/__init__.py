"""Stage 4, search: queries over the archive's jieba FTS5 index.

Takes a query string (words, "phrases", OR, -exclusions, site:/source:/since:/until:, -site:/-source:, title:, AND/NOT) and an
open archive; gives ranked or dated hits with highlighted snippets, counts and id streams
(`engine`), through the query language (`query`). The index itself and the segmenter belong to
the store, which fills them on every save.
May import `scraper.store` and the stages below it; never export, pipeline, web or CLI.
"""
