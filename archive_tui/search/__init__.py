"""Chinese full-text search over the catalogue (tantivy): analysis, schema, indexer, query language, searcher."""

from .searcher import Hit, SearchResult, SearchService, search_service

__all__ = ["Hit", "SearchResult", "SearchService", "search_service"]
