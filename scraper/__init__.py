"""Archive Chinese news articles: extract, store, search and export."""

from scraper.article import Article
from scraper.extract.page import extract
from scraper.store.archive import Archive
from scraper.version import __version__

__all__ = ["Archive", "Article", "extract", "__version__"]
