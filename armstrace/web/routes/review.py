"""The write actions on a claim: accept, correct, reject, note. Analysts and admins only,
with the session's CSRF token; each action is one audit entry (`Store.review_claim`).

A form post is answered with a redirect back to the claim page (303); a request that asks for
JSON (`?format=json` or `Accept: application/json`) gets the claim's new state. Accepting,
correcting or rejecting re-fuses the records the claim was in and the ones its reviewed values
put it in (`armstrace.fuse.refresh_claims`), so records always show reviewed values.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from armstrace.errors import ValidationError
from armstrace.fuse import refresh_claims
from armstrace.review import apply_overrides, parse_form
from armstrace.web.auth import require_writer, store_of

router = APIRouter(tags=["review"])
MAX_NOTE = 10_000


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _answer(request: Request, claim_id: int, result: dict[str, Any]) -> Response:
    if (request.query_params.get("format") == "json"
            or "application/json" in request.headers.get("accept", "")):
        return JSONResponse(result)
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


async def _act(request: Request, claim_id: int, action: str) -> Response:
    form = await _form(request)
    user = require_writer(request, form.pop("csrf_token", None))
    note = (form.pop("note", "") or "").strip()[:MAX_NOTE] or None
    store = store_of(request)
    view = await run_in_threadpool(store.claim_view, claim_id)
    if view is None:
        raise HTTPException(404, f"no claim {claim_id}")
    overrides: dict[str, Any] = {}
    if action == "correct":
        try:
            overrides = parse_form(view.claim, form)
            apply_overrides(view.original, {**view.overrides, **overrides})
        except ValidationError as e:
            raise HTTPException(422, f"correction refused: {e}") from e
        if not overrides:
            raise HTTPException(422, "correction refused: no field was changed")
    elif action == "note" and not note:
        raise HTTPException(422, "a note needs some text")
    after = await run_in_threadpool(
        lambda: store.review_claim(claim_id, user=user.name, action=action,
                                   overrides=overrides, note=note))
    if action != "note":
        await run_in_threadpool(refresh_claims, store, [claim_id])
    return _answer(request, claim_id, after.to_dict())


@router.post("/claims/{claim_id}/accept")
async def accept(request: Request, claim_id: int) -> Response:
    """Accept the claim as it stands (with any earlier corrections)."""
    return await _act(request, claim_id, "accept")


@router.post("/claims/{claim_id}/correct")
async def correct(request: Request, claim_id: int) -> Response:
    """Correct fields (form fields as in `armstrace.review.FIELDS`), checked against SPEC
    vocabularies: a bad value is a 422 naming it."""
    return await _act(request, claim_id, "correct")


@router.post("/claims/{claim_id}/reject")
async def reject(request: Request, claim_id: int) -> Response:
    """Reject the claim: it leaves the reviewed exports."""
    return await _act(request, claim_id, "reject")


@router.post("/claims/{claim_id}/note")
async def note(request: Request, claim_id: int) -> Response:
    """Add a note to the claim's audit log without changing it."""
    return await _act(request, claim_id, "note")
