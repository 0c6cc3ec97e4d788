"""The package version, importable by any stage without loading the whole package."""

__version__ = "0.1.0"
