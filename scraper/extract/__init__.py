"""Stage 2, extract: from a page's text (HTML or a text capture) to an `Article`.

Takes decoded text (or bytes, decoded with `scraper.fetch.decode`) and an optional URL; gives an
`Article`: title, 来源, 作者, 责编, published_at and body paragraphs, with the portal's
boilerplate removed. `page.extract` (also `scraper.extract`) is the entry point; `html` and
`text_capture` are the two paths; `blocks`, `meta`, `meta_lines`, `fields` and `boilerplate`
read the page's text blocks and credit lines; `pagination` finds an article's later pages.
Knowledge of portals is data beside the code: `sites/*.toml` (templates that cover many pages)
and `data/boilerplate.toml`.
May import `scraper.article` and `scraper.fetch`; never the archive, search, web or CLI.
"""
