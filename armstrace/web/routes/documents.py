"""The article page (text with every claim's evidence highlighted) and the claim page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from armstrace.store.accounts import User
from armstrace.web.auth import require_user, store_of
from armstrace.web.highlight import highlight
from armstrace.web.render import page, twin, wants_json

router = APIRouter(tags=["documents"])
Viewer = Annotated[User, Depends(require_user)]


@twin(router, "/document")
def document(request: Request, id: str, user: Viewer) -> Response:
    """One article (by `?id=`, since document ids may hold any character), current version."""
    store = store_of(request)
    doc = store.get_document(id)
    if doc is None:
        raise HTTPException(404, f"no document {id!r}")
    views = store.document_claim_views(id)
    spans = [(v.claim_id, s.start, s.end) for v in views for s in v.claim.evidence]
    body = doc.to_export_dict()
    data = {
        "document": body,
        "claims": [v.to_dict() for v in views],
        "highlights": [{"claim_id": c, "start": s, "end": e} for c, s, e in spans],
    }
    if wants_json(request):
        return page(request, "document.html", data)
    return page(request, "document.html", {**data, "html_text": highlight(doc.text, spans)})


@twin(router, "/claims/{claim_id}")
def claim(request: Request, claim_id: int, user: Viewer) -> Response:
    """One claim: reviewed and extracted values, its records, the review form and audit log."""
    store = store_of(request)
    view = store.claim_view(claim_id)
    if view is None:
        raise HTTPException(404, f"no claim {claim_id}")
    data = {
        "claim": view.to_dict(),
        "original": view.original.to_dict(),
        "records": store.records_of_claims([claim_id]).get(claim_id, []),
        "audit": [e.to_dict() for e in store.audit_log([claim_id])],
    }
    return page(request, "claim.html", data)
