"""Archive Chinese news articles: extract, store, search and export."""

__version__ = "0.1.0"

from scraper.article import Article
from scraper.extract import extract
from scraper.store import Archive

__all__ = ["Archive", "Article", "extract", "__version__"]
