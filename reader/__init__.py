"""Corpus Reader: read and search a local archive of news articles."""

__version__ = "0.1.0"
