"""Plain values that come out of (and go into) the store, so callers never touch ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

#: the SPEC §11 keys of an exported document, in the order they are written
EXPORT_KEYS: tuple[str, ...] = (
    "doc_id", "url", "source_path", "title", "outlet", "date", "language", "text",
    "content_hash", "story_id", "copy_of", "via",
)

Outcome = Literal["new", "duplicate", "updated"]


@dataclass(frozen=True, slots=True)
class StoryFields:
    """What the syndication step decided for one document (SPEC §11 `story_id`, `copy_of`).

    `norm_hash` is the hash of the normalised text (exact copies share it) and `signature` the
    serialised MinHash the index keeps; both are stored so a later run can rebuild the index.
    """

    story_id: str | None = None
    copy_of: str | None = None
    norm_hash: str | None = None
    signature: bytes | None = None
    #: set when this document is earlier than the story's former earliest copy (named here):
    #: every other member of the story then becomes a copy of this one
    supersedes: str | None = None


@dataclass(frozen=True, slots=True)
class AddResult:
    """What `Store.add_document_with_claims` did with one document."""

    outcome: Outcome
    doc_id: str
    version: int
    claims: int


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """One stored document version, as read back from the store."""

    doc_id: str
    url: str | None
    source_path: str | None
    title: str | None
    outlet: str | None
    date: str | None
    language: str | None
    author: str | None
    text: str
    content_hash: str
    story_id: str | None
    copy_of: str | None
    via: tuple[str, ...]
    version: int
    superseded: bool
    n_claims: int
    ingest_run_id: int | None
    created_at: datetime

    def to_export_dict(self) -> dict[str, Any]:
        """The SPEC §11 object: exactly `EXPORT_KEYS`, in that order."""
        return {
            "doc_id": self.doc_id,
            "url": self.url,
            "source_path": self.source_path,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date,
            "language": self.language,
            "text": self.text,
            "content_hash": self.content_hash,
            "story_id": self.story_id,
            "copy_of": self.copy_of,
            "via": list(self.via),
        }


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """A stored current document as the syndication index needs it to be rebuilt.

    `text` is given only when no `signature` was stored (it must then be recomputed).
    """

    doc_id: str
    text: str | None
    date: str | None
    story_id: str | None
    copy_of: str | None
    norm_hash: str | None
    signature: bytes | None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result; `rank` is higher for better matches on both backends."""

    doc_id: str
    title: str | None
    url: str | None
    snippet: str
    rank: float


@dataclass(slots=True)
class RunCounts:
    """Per-run document and claim counts, as the ingest summary reports them."""

    new: int = 0
    duplicate: int = 0
    updated: int = 0
    failed: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """Conditional-GET validators stored for one URL."""

    url: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
