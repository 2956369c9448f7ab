"""CSV downloads of the reviewed dataset: claims with reviewed values, rejected claims left
out, and records fused from reviewed values; optionally only accepted (and corrected) claims,
and records fused from those alone."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from armstrace.exports.reviewed import (
    REVIEWED_CLAIM_COLUMNS,
    reviewed_claim_rows,
    reviewed_records,
)
from armstrace.exports.tabular import RECORD_COLUMNS, record_row, write_csv
from armstrace.store.accounts import User
from armstrace.web.auth import require_user, store_of

router = APIRouter(tags=["exports"])


@router.get("/export/claims.csv")
def export_claims(request: Request, user: Annotated[User, Depends(require_user)],
                  accepted_only: bool = False) -> Response:
    """Every claim of current documents as CSV, reviewed values applied."""
    out = io.StringIO()
    write_csv(reviewed_claim_rows(store_of(request), accepted_only=accepted_only),
              REVIEWED_CLAIM_COLUMNS, out)
    name = "claims-accepted.csv" if accepted_only else "claims-reviewed.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/export/records.csv")
def export_records(request: Request, user: Annotated[User, Depends(require_user)],
                   accepted_only: bool = False) -> Response:
    """Every record as CSV, fused from reviewed values; with `accepted_only`, fused from the
    accepted and corrected claims alone."""
    out = io.StringIO()
    records = reviewed_records(store_of(request), accepted_only=accepted_only)
    write_csv((record_row(r) for r in records), RECORD_COLUMNS, out)
    name = "records-accepted.csv" if accepted_only else "records-reviewed.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
