"""Dashboard, records list (filters, facets and full-text search), record page, actor page."""

from __future__ import annotations

import base64
import json
from collections.abc import Hashable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from armstrace.fuse.records import Record
from armstrace.store.accounts import User
from armstrace.store.browse import FACETS, Cursor, RecordFilters
from armstrace.web.auth import require_user, store_of
from armstrace.web.cache import AggregateCache
from armstrace.web.filters import Selection, record_filters
from armstrace.web.filters import actor_id as actor_id_param
from armstrace.web.render import page, twin, wants_json

router = APIRouter(tags=["browse"])
Viewer = Annotated[User, Depends(require_user)]

PAGE_SIZE = 50
#: claims listed on a record page at a time (a record may be reported thousands of times)
MAX_RECORD_CLAIMS = 50
FACET_TOP = 25
#: facet name → the `RecordFilters` field it sets
FACET_PARAMS = {name: name for name in FACETS}


def record_dict(r: Record) -> dict[str, Any]:
    return {**r.to_dict(), "n_carried": r.n_carried}


def encode_cursor(cursor: Cursor) -> str:
    """The `after` parameter of the next page: opaque to the reader, checked when read back."""
    return base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode().rstrip("=")


def decode_cursor(token: str) -> Cursor:
    try:
        n, latest, rid = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not (isinstance(n, int) and isinstance(rid, str)
                and (latest is None or isinstance(latest, str))):
            raise ValueError(token)
    except (ValueError, TypeError) as e:
        raise HTTPException(422, f"after: not a page cursor: {token[:40]!r}") from e
    return n, latest, rid


def aggregate(request: Request, name: Hashable, filters: RecordFilters, compute: Any) -> Any:
    """`compute()` through the app's aggregate cache, keyed by the store's data version."""
    store = store_of(request)
    cache: AggregateCache = request.app.state.aggregates
    return cache.get((name, filters, store.data_version()), compute)


def facets_of(request: Request, sel: Selection) -> dict[str, Any]:
    """Facet counts under the current selection, each value with the link that adds it to the
    filters (or, when it is the selected value, removes it); and the number of records.
    Cached whole, links included: building 150 links costs more than rendering them."""
    store = store_of(request)

    def compute() -> dict[str, Any]:
        counts = store.record_facets(sel.filters, top=FACET_TOP)
        out: dict[str, list[dict[str, Any]]] = {}
        for name, values in counts.items():
            current = getattr(sel.filters, FACET_PARAMS[name])
            out[name] = [{"value": v, "count": n, "selected": v == current,
                          "href": "/records" + sel.query(**{name: None if v == current else v},
                                                         after=None)}
                         for v, n in values]
        total = sum(n for _, n in counts["review"])  # every record has a review state
        return {"facets": out, "total": total}

    # the links carry `q`, which the filters (holding only the records it found) do not
    result: dict[str, Any] = aggregate(request, ("facets", sel.q), sel.filters, compute)
    return result


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
def records(request: Request, user: Viewer, sel: Annotated[Selection, Depends(record_filters)],
            after: str | None = None) -> Response:
    """Records matching every filter given, a page at a time (`after` is the cursor of the
    previous page's `next`), with facet counts under the same filters; `q` searches the
    documents' full text and keeps the records those documents back."""
    store = store_of(request)
    start = decode_cursor(after) if after else None
    # pages are cached like the facets: most readers open the same first pages

    def compute() -> tuple[list[dict[str, Any]], Cursor | None]:
        found, cursor = store.records_page(sel.filters, after=start, limit=PAGE_SIZE)
        return [record_dict(r) for r in found], cursor

    rows, cursor = aggregate(request, ("page", start, PAGE_SIZE), sel.filters, compute)
    data = {
        "filters": sel.as_dict(),
        **facets_of(request, sel),
        "records": rows,
        "next": ("/records" + sel.query(after=encode_cursor(cursor))) if cursor else None,
        "views": {"network": "/network" + sel.query(), "timeline": "/timeline" + sel.query()},
        "documents": sel.documents,
    }
    if wants_json(request):
        return page(request, "records.html", data)
    # the table and facets read only `data`, so they are rendered once per selection, page
    # and data version (escaped by Jinja like any page); only the frame is per reader
    env = request.app.state.templates
    # reviewers see a merge checkbox per row: theirs is a second rendering, not per reader
    select = "merge-form" if user.can_review and not request.app.state.read_only else None
    content = aggregate(request, ("records-html", sel.q, start, PAGE_SIZE, select), sel.filters,
                        lambda: Markup(env.get_template("_records_content.html")
                                       .render(data=data, select_form=select)))
    return page(request, "records.html", data, context={"content": content,
                                                        "merge": select is not None})


@twin(router, "/records/{record_id}")
def record(request: Request, record_id: str, user: Viewer,
           claims_from: Annotated[int, Query(ge=0)] = 0) -> Response:
    """One record: its claims as a timeline, `MAX_RECORD_CLAIMS` at a time from the
    `claims_from`-th (a record may have thousands), the denials among them, the review
    history of its claims, and the merges and splits that made it (a merged record redirects
    to its target)."""
    store = store_of(request)
    found = list(store.iter_records(record_ids=[record_id]))
    if not found:
        into = store.merged_into(record_id)
        if into is not None:  # a merged record's links lead to the record it is part of now
            suffix = ".json" if request.url.path.endswith(".json") else ""
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(f"/records/{into}{suffix}{query}", status_code=303)
        raise HTTPException(404, f"no record {record_id!r}")
    claim_ids, total = store.record_claim_ids(record_id, MAX_RECORD_CLAIMS, offset=claims_from)
    views = store.claim_views(claim_ids)
    merged_from = store.merged_from(record_id)
    base = f"/records/{record_id}"
    later = claims_from + MAX_RECORD_CLAIMS
    data = {
        "record": record_dict(found[0]),
        "claims": [v.to_dict() for v in views],
        "claims_from": claims_from, "claims_total": total,
        "earlier_claims": (f"{base}?claims_from={max(claims_from - MAX_RECORD_CLAIMS, 0)}"
                           if claims_from else None),
        "later_claims": f"{base}?claims_from={later}" if later < total else None,
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
    actor_id_param("actor", actor_id)
    parties = [r for r in store.iter_records(kind="agreement") if actor_id in (r.parties or ())]
    data = {
        "actor": actor_id,
        "as_supplier": [record_dict(r) for r in store.iter_records(supplier=actor_id)],
        "as_recipient": [record_dict(r) for r in store.iter_records(recipient=actor_id)],
        "as_developer": [record_dict(r) for r in store.iter_records(actor=actor_id)],
        "as_party": [record_dict(r) for r in parties],
    }
    return page(request, "actor.html", data)
