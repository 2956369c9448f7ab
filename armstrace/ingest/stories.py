"""Story assignment for the ingest service: which story a new document belongs to.

`story_assigner(store)` returns an object with one method, `assign(doc) -> StoryFields`. It is
the syndication index (`armstrace.ingest.syndication.StoryIndex`: exact copies by normalised
hash, edited copies by MinHash LSH) rebuilt from what the store holds, in storage order and
from the stored signatures, so a run that resumes after a crash assigns exactly what an
uninterrupted run would have. The index is built on the first `assign`, so a re-run that finds
every document stored already never pays for it.

A new version of a stored document (same id, changed text) stays in the story it was in: a
correction does not make an article another story.

`ExactCopyStories` is the fallback for a build without the syndication module: exact copies
only, with the same normalisation and hash.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from armstrace.models import Document
from armstrace.store.records import StoryEntry, StoryFields
from armstrace.store.repository import Store

if TYPE_CHECKING:
    from armstrace.ingest.syndication import StoryIndex


class StoryAssigner(Protocol):
    """What the ingest service needs of a syndication index."""

    def assign(self, doc: Document) -> StoryFields: ...


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalised_hash(text: str) -> str:
    """sha256 of the text case-folded with punctuation and whitespace runs made single spaces."""
    norm = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


class SyndicationStories:
    """`StoryIndex` over the store's current documents (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._index: StoryIndex | None = None

    def _built(self) -> StoryIndex:
        if self._index is None:
            from armstrace.ingest.syndication import StoryIndex, signature_bytes

            index = StoryIndex()
            for e in self._store.iter_story_entries():
                if e.doc_id in index:
                    continue
                try:
                    sig = e.signature or signature_bytes(e.text or "")
                    index.add_signature(e.doc_id, sig, e.date, story_id=e.story_id)
                except ValueError:  # a signature of another format: recompute it from text
                    doc = self._store.get_document(e.doc_id)
                    index.add_signature(e.doc_id, signature_bytes(doc.text if doc else ""),
                                        e.date, story_id=e.story_id)
            self._index = index
        return self._index

    def assign(self, doc: Document) -> StoryFields:
        from armstrace.ingest.syndication import Signature

        index = self._built()
        if doc.id in index:  # a new version keeps its story
            sig = Signature.of(doc.text)
            story = index.story_of(doc.id)
            earliest = index.earliest(story)
            return StoryFields(story, None if earliest == doc.id else earliest,
                               sig.content_hash, sig.to_bytes())
        a = index.add(doc.id, doc.text, doc.date)
        return StoryFields(a.story_id, a.copy_of, a.content_hash, a.signature or None,
                           a.supersedes)


class ExactCopyStories:
    """Fallback assigner: exact copies (same normalised text) share a story.

    The first stored document with a given normalised text is the story's original; every
    later one is `copy_of` it. The story id is derived from the hash, so it is the same on
    every backend and in every run.
    """

    def __init__(self, entries: Iterable[StoryEntry] = ()) -> None:
        self._origin: dict[str, str] = {}
        for e in entries:
            h = e.norm_hash or normalised_hash(e.text or "")
            self._origin.setdefault(h, e.doc_id)

    def assign(self, doc: Document) -> StoryFields:
        h = normalised_hash(doc.text)
        origin = self._origin.setdefault(h, doc.id)
        return StoryFields(
            story_id=f"s-{h[:16]}",
            copy_of=origin if origin != doc.id else None,
            norm_hash=h,
        )


def story_assigner(store: Store) -> StoryAssigner:
    """The syndication index over `store`, or exact copies only when that module is absent."""
    try:
        import armstrace.ingest.syndication  # noqa: F401  (present: use it)
    except ImportError:
        return ExactCopyStories(store.iter_story_entries())
    return SyndicationStories(store)
