"""Archive Chinese news articles: extract, store, search and export.

The package's public face: `scraper.extract`, `scraper.Article` and `scraper.Archive`. The stages
are sub-packages, lowest first: fetch, extract, store, search, export, pipeline, web, cli
(docs/architecture.md); this module sits on top of them all, so it may join them.
"""

from scraper.article import Article
from scraper.extract.page import extract
from scraper.search import engine as _search
from scraper.store.archive import Archive as _StoredArchive
from scraper.version import __version__


class Archive(_StoredArchive):
    """The archive, with search: the store cannot import the search stage, the facade can."""

    def search(self, query: str, **filters: object) -> list[_search.Hit]:
        return _search.search(self, query, **filters)


__all__ = ["Archive", "Article", "extract", "__version__"]
