"""The write actions on records: merge two or more records into one, split claims out of a
record into a new one. Analysts and admins only, with the session's CSRF token.

Both are stored as overrides that fusion applies (`armstrace.fuse.overrides`), never as edits
of the derived records, so the next ingest or `armstrace fuse` keeps them; the records they
touch are re-fused at once. Each is one entry in the records' audit log. A form post is
answered with a redirect to the resulting record (303); a request that asks for JSON gets the
audit entry and the record.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from armstrace.fuse import refresh_records
from armstrace.store import Store
from armstrace.store.review_ops import RecordAuditEntry, RecordOpError
from armstrace.web.auth import require_writer, store_of
from armstrace.web.routes.browse import record_dict

router = APIRouter(tags=["review"])
MAX_NOTE = 10_000
_RECORD_ID = re.compile(r"^r-[0-9a-f]{16}$")


def _record_ids(values: list[str], name: str = "record_id") -> list[str]:
    ids = [v.strip() for v in values if v.strip()]
    bad = [v for v in ids if not _RECORD_ID.match(v)]
    if bad:
        raise HTTPException(422, f"{name}: not a record id: {bad[0]!r} (r- and 16 hex digits)")
    return ids


def _answer(request: Request, store: Store, entry: RecordAuditEntry) -> Response:
    if (request.query_params.get("format") == "json"
            or "application/json" in request.headers.get("accept", "")):
        found = list(store.iter_records(record_ids=[entry.record_id]))
        return JSONResponse({"audit": entry.to_dict(),
                             "record": record_dict(found[0]) if found else None})
    return RedirectResponse(f"/records/{entry.record_id}", status_code=303)


async def _run(request: Request, store: Store, op: Any, involved: list[str]) -> Response:
    """Run the store operation `op`, map its errors to 404/422, re-fuse, answer."""
    try:
        entry: RecordAuditEntry = await run_in_threadpool(op)
    except KeyError as e:
        raise HTTPException(404, f"no record {e.args[0]!r}") from e
    except RecordOpError as e:
        raise HTTPException(422, str(e)) from e
    await run_in_threadpool(refresh_records, store, involved)
    return _answer(request, store, entry)


@router.post("/records/merge")
async def merge(request: Request) -> Response:
    """Merge the records named in the `record_id` fields (two or more) into `into` (default:
    the first): one record from then on, the claims of all of them behind it."""
    form = await request.form()
    user = require_writer(request, _text(form.get("csrf_token")))
    ids = _record_ids([v for v in form.getlist("record_id") if isinstance(v, str)])
    into = _record_ids([_text(form.get("into")) or ""], "into")
    note = _text(form.get("note")).strip()[:MAX_NOTE] or None
    store = store_of(request)
    target = into[0] if into else None
    return await _run(request, store, lambda: store.merge_records(
        ids, user=user.name, into=target, note=note), [*ids, *into])


@router.post("/records/{record_id}/split")
async def split(request: Request, record_id: str) -> Response:
    """Move the claims named in the `claim_id` fields out of the record into a new one."""
    form = await request.form()
    user = require_writer(request, _text(form.get("csrf_token")))
    _record_ids([record_id])
    try:
        claim_ids = [int(v) for v in form.getlist("claim_id") if isinstance(v, str) and v]
    except ValueError as e:
        raise HTTPException(422, "claim_id: not a claim id") from e
    note = _text(form.get("note")).strip()[:MAX_NOTE] or None
    store = store_of(request)
    return await _run(request, store, lambda: store.split_record(
        record_id, claim_ids, user=user.name, note=note), [record_id])


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
