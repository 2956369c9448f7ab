"""Dashboard, records list (filters and full-text search), record page, actor page."""

from __future__ import annotations

import re
from itertools import islice
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from armstrace import vocab
from armstrace.fuse.records import Record
from armstrace.store.accounts import User
from armstrace.web.auth import require_user, store_of
from armstrace.web.render import page, twin

router = APIRouter(tags=["browse"])
Viewer = Annotated[User, Depends(require_user)]

RECORD_REVIEW_STATES = ("unreviewed", "in_review", "reviewed")
ALL_STAGES = tuple(dict.fromkeys(s for stages in vocab.STAGES.values() for s in stages))
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ACTOR = re.compile(r"^(unknown|[A-Z]{2,6}|[a-z0-9]+(-[a-z0-9]+)*)$")
PAGE_SIZE = 100


def record_dict(r: Record) -> dict[str, Any]:
    return {**r.to_dict(), "n_carried": r.n_carried}


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise HTTPException(422, f"{name}: unknown value {value!r} (allowed: "
                                 f"{', '.join(allowed)})")
    return value


def _actor(name: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _ACTOR.match(value):
        raise HTTPException(422, f"{name}: not an actor id: {value!r} (e.g. PRK, hezbollah)")
    return value


def _date(name: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _DATE.match(value):
        raise HTTPException(422, f"{name}: not a date: {value!r} (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


@twin(router, "/")
def dashboard(request: Request, user: Viewer) -> Response:
    """Counts, the newest records and the records that still await review."""
    store = store_of(request)
    data = {
        "counts": {**store.counts(), "records": store.count_records()},
        "review": store.review_counts(),
        "newest": [record_dict(r) for r in store.newest_records(10)],
        "awaiting_review": [record_dict(r) for r in
                            store.newest_records(10, exclude_review="reviewed")],
    }
    return page(request, "dashboard.html", data)


@twin(router, "/records")
def records(
    request: Request, user: Viewer,
    supplier: str | None = None, recipient: str | None = None, actor: str | None = None,
    kind: str | None = None, category: str | None = None, certainty: str | None = None,
    stage: str | None = None, since: str | None = None, until: str | None = None,
    min_sources: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    review: str | None = None, q: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Records matching every filter given; `q` searches the documents' full text and keeps
    the records those documents back."""
    store = store_of(request)
    filters: dict[str, Any] = {
        "supplier": _actor("supplier", supplier), "recipient": _actor("recipient", recipient),
        "actor": _actor("actor", actor), "kind": _choice("kind", kind, vocab.KINDS),
        "category": _choice("category", category, vocab.CATEGORIES),
        "certainty": _choice("certainty", certainty, vocab.CERTAINTY),
        "stage": _choice("stage", stage, ALL_STAGES),
        "since": _date("since", since), "until": _date("until", until),
        "min_sources": min_sources,
        "review": _choice("review", review, RECORD_REVIEW_STATES),
    }
    hits: list[dict[str, Any]] = []
    record_ids: set[str] | None = None
    query = (q or "").strip()[:500]
    if query:
        found = store.search(query, limit=200)
        hits = [{"doc_id": h.doc_id, "title": h.title, "url": h.url, "snippet": h.snippet}
                for h in found]
        record_ids = store.record_ids_of_documents([h.doc_id for h in found])
    matching = store.iter_records(record_ids=record_ids, **filters)
    rows = [record_dict(r) for r in islice(matching, offset, offset + PAGE_SIZE + 1)]
    data = {
        "filters": {**filters, "q": query or None},
        "records": rows[:PAGE_SIZE], "offset": offset,
        "next_offset": offset + PAGE_SIZE if len(rows) > PAGE_SIZE else None,
        "documents": hits,
    }
    return page(request, "records.html", data)


@twin(router, "/records/{record_id}")
def record(request: Request, record_id: str, user: Viewer) -> Response:
    """One record: its claims as a timeline, its denials, the review history of its claims,
    and the merges and splits that made it (a merged record redirects to its target)."""
    store = store_of(request)
    found = list(store.iter_records(record_ids=[record_id]))
    if not found:
        into = store.merged_into(record_id)
        if into is not None:  # a merged record's links lead to the record it is part of now
            suffix = ".json" if request.url.path.endswith(".json") else ""
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(f"/records/{into}{suffix}{query}", status_code=303)
        raise HTTPException(404, f"no record {record_id!r}")
    claim_ids = [cid for _, cid in store.record_claims(record_id)]
    views = store.claim_views(claim_ids)
    merged_from = store.merged_from(record_id)
    data = {
        "record": record_dict(found[0]),
        "claims": [v.to_dict() for v in views],
        "denials": [v.claim_id for v in views if v.claim.polarity == "negated"],
        "audit": [e.to_dict() for e in store.audit_log(claim_ids)],
        "merged_from": merged_from,
        "record_audit": [e.to_dict() for e in store.record_audit([record_id, *merged_from])],
    }
    return page(request, "record.html", data)


@twin(router, "/actors/{actor_id}")
def actor_page(request: Request, actor_id: str, user: Viewer) -> Response:
    """Every record an actor appears in, by role."""
    store = store_of(request)
    _actor("actor", actor_id)
    parties = [r for r in store.iter_records(kind="agreement") if actor_id in (r.parties or ())]
    data = {
        "actor": actor_id,
        "as_supplier": [record_dict(r) for r in store.iter_records(supplier=actor_id)],
        "as_recipient": [record_dict(r) for r in store.iter_records(recipient=actor_id)],
        "as_developer": [record_dict(r) for r in store.iter_records(actor=actor_id)],
        "as_party": [record_dict(r) for r in parties],
    }
    return page(request, "actor.html", data)
