"""The records filters, parsed once for every view that takes them.

The records list, the network and the timeline take the same query parameters (supplier,
recipient, actor, kind, category, certainty, stage, since, until, min_sources, review, q), so a
link from one view to another keeps the selection. `record_filters` is the FastAPI dependency
that checks them (a bad value is a 422 naming it) and runs the full-text search `q`; the
records it finds narrow every view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import HTTPException, Query, Request

from armstrace import vocab
from armstrace.store.browse import RecordFilters
from armstrace.web.auth import store_of

RECORD_REVIEW_STATES = ("unreviewed", "in_review", "reviewed")
ALL_STAGES = tuple(dict.fromkeys(s for stages in vocab.STAGES.values() for s in stages))
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ACTOR = re.compile(r"^(unknown|[A-Z]{2,6}|[a-z0-9]+(-[a-z0-9]+)*)$")
MAX_QUERY = 500
SEARCH_LIMIT = 200


def choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise HTTPException(422, f"{name}: unknown value {value!r} (allowed: "
                                 f"{', '.join(allowed)})")
    return value


def actor_id(name: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _ACTOR.match(value):
        raise HTTPException(422, f"{name}: not an actor id: {value!r} (e.g. PRK, hezbollah)")
    return value


def date_prefix(name: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _DATE.match(value):
        raise HTTPException(422, f"{name}: not a date: {value!r} (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


@dataclass(frozen=True)
class Selection:
    """What a records view shows: the filters, the search text and the documents it found."""

    filters: RecordFilters
    q: str | None = None
    documents: list[dict[str, Any]] = field(default_factory=list)

    def params(self, **changes: Any) -> dict[str, Any]:
        """The query parameters of this selection, with `changes` applied (None removes)."""
        out = {**self.filters.params(), **({"q": self.q} if self.q else {})}
        for k, v in changes.items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = v
        return out

    def query(self, **changes: Any) -> str:
        """`params(**changes)` as a query string ("" when empty, else starting with "?")."""
        p = self.params(**changes)
        return "?" + urlencode(p) if p else ""

    def as_dict(self) -> dict[str, Any]:
        return {**{k: getattr(self.filters, k) for k in RecordFilters.__dataclass_fields__
                   if k != "record_ids"}, "q": self.q}


def record_filters(
    request: Request,
    supplier: str | None = None, recipient: str | None = None, actor: str | None = None,
    kind: str | None = None, category: str | None = None, certainty: str | None = None,
    stage: str | None = None, since: str | None = None, until: str | None = None,
    min_sources: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    review: str | None = None, q: str | None = None,
) -> Selection:
    """The selection the query parameters ask for (a dependency of every records view)."""
    record_ids: tuple[str, ...] | None = None
    documents: list[dict[str, Any]] = []
    text = (q or "").strip()[:MAX_QUERY]
    if text:
        store = store_of(request)
        found = store.search(text, limit=SEARCH_LIMIT)
        documents = [{"doc_id": h.doc_id, "title": h.title, "url": h.url, "snippet": h.snippet}
                     for h in found]
        record_ids = tuple(sorted(store.record_ids_of_documents([h.doc_id for h in found])))
    filters = RecordFilters(
        supplier=actor_id("supplier", supplier), recipient=actor_id("recipient", recipient),
        actor=actor_id("actor", actor), kind=choice("kind", kind, vocab.KINDS),
        category=choice("category", category, vocab.CATEGORIES),
        certainty=choice("certainty", certainty, vocab.CERTAINTY),
        stage=choice("stage", stage, ALL_STAGES),
        since=date_prefix("since", since), until=date_prefix("until", until),
        min_sources=min_sources, review=choice("review", review, RECORD_REVIEW_STATES),
        record_ids=record_ids)
    return Selection(filters, text or None, documents)
