"""The durable store: documents with their claims, ingest runs, full-text search.

    from armstrace.store import open_store
    with open_store("postgresql://localhost/armstrace") as store:
        for hit in store.search('"artillery shells" Russia', limit=5):
            print(hit.doc_id, hit.snippet)

`open_store()` resolves the URL (default `$ARMSTRACE_DB` or `./armstrace.db`) and migrates the
schema; `Store` (in `repository.py`) holds every query.
"""

from armstrace.store.engine import DEFAULT_URL, migrate, open_store, resolve_url
from armstrace.store.records import (
    EXPORT_KEYS,
    AddResult,
    CacheEntry,
    RunCounts,
    SearchHit,
    StoredDocument,
    StoryEntry,
    StoryFields,
)
from armstrace.store.repository import Store, content_hash, fts5_query

__all__ = [
    "DEFAULT_URL",
    "EXPORT_KEYS",
    "AddResult",
    "CacheEntry",
    "RunCounts",
    "SearchHit",
    "Store",
    "StoredDocument",
    "StoryEntry",
    "StoryFields",
    "content_hash",
    "fts5_query",
    "migrate",
    "open_store",
    "resolve_url",
]
