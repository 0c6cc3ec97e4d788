"""The command line (`scraper …`, `python -m scraper …`): click verbs over the library.

Takes argv; gives exit codes (0 ok, 1 some failed, 2 usage, 130 interrupted), one-line errors
and the verbs: archive, parse, search, show, export, serve (`app`); stats, failures
(`reports`); import, reextract, reindex, dupes (`maintenance`); the shared options (`common`) and the archive run's progress
bar and summary (`progress`). Each verb is a thin wrapper over a library function.
May import every stage; nothing imports it.
"""
