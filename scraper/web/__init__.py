"""The web app (`scraper serve`): search and read the archive in a browser, on top of the stages.

Takes an archive path; gives a Starlette app (`app`: routes, security headers, `serve`) whose
pages are rendered from `templates/` with `static/style.css`, what they show (`views`: request
parameters, results, pagers, charts, exports), the state every page shares (`state`), and, with
`--allow-archive`, archiving from the browser (`jobs` run in the background, `archive_pages`).
May import every stage below it (fetch … pipeline); never the CLI.
"""
