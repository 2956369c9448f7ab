"""Readers that turn files, pages and feeds into `Document`s, and syndication detection.

    from armstrace.ingest import read_sources, StoryIndex
    for item in read_sources(["examples/", "https://example.org/feed.xml"]):
        ...  # a Document, or an InputError naming the input and the problem

The heavy parts (trafilatura, feedparser, httpx) load on first use, so reading
plain text and JSON Lines stays as quick to start as it was.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from armstrace.ingest.files import read_paths
from armstrace.ingest.limits import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from armstrace.ingest.feeds import feed_documents, opml_feed_urls, read_feed_url
    from armstrace.ingest.fetch import Fetcher, FetchResult, FetchSettings, Validators
    from armstrace.ingest.html import html_document
    from armstrace.ingest.republication import parse_via
    from armstrace.ingest.sources import read_input, read_sources
    from armstrace.ingest.syndication import Assignment, StoryIndex, signature_bytes

_LAZY = {
    "feed_documents": "feeds", "opml_feed_urls": "feeds", "read_feed_url": "feeds",
    "FetchResult": "fetch", "Fetcher": "fetch", "FetchSettings": "fetch", "Validators": "fetch",
    "html_document": "html", "parse_via": "republication", "read_input": "sources",
    "read_sources": "sources", "Assignment": "syndication", "StoryIndex": "syndication",
    "signature_bytes": "syndication",
}

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Assignment",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "StoryIndex",
    "Validators",
    "feed_documents",
    "html_document",
    "opml_feed_urls",
    "parse_via",
    "read_feed_url",
    "read_input",
    "read_paths",
    "read_sources",
    "signature_bytes",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'armstrace.ingest' has no attribute {name!r}")
    value = getattr(import_module(f"armstrace.ingest.{module}"), name)
    globals()[name] = value
    return value
