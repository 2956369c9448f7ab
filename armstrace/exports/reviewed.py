"""Claims and records as reviewers left them: corrected values applied, rejected claims left
out, and optionally only claims a person accepted (issue 5: exports use the reviewed values)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from armstrace.exports.tabular import CLAIM_COLUMNS, claim_row
from armstrace.fuse.query import query
from armstrace.fuse.records import Record

if TYPE_CHECKING:
    from armstrace.store import Store

#: the claims CSV columns, then the claim's row id and its review state
REVIEWED_CLAIM_COLUMNS: tuple[str, ...] = (*CLAIM_COLUMNS, "claim_id", "review")


def reviewed_claim_rows(store: Store, *, accepted_only: bool = False) -> Iterator[dict[str, Any]]:
    """CSV rows (`REVIEWED_CLAIM_COLUMNS`) of every non-rejected claim, reviewed values."""
    for doc_id, view in store.iter_reviewed_claims(accepted_only=accepted_only):
        yield {**claim_row(doc_id, view.claim), "claim_id": view.claim_id, "review": view.state}


def reviewed_claim_objects(store: Store, *,
                           accepted_only: bool = False) -> Iterator[dict[str, Any]]:
    """SPEC §7 claim objects with `doc_id`, `claim_id` and `review`, reviewed values."""
    for doc_id, view in store.iter_reviewed_claims(accepted_only=accepted_only):
        yield {"doc_id": doc_id, **view.claim.to_dict(), "claim_id": view.claim_id,
               "review": view.state}


def reviewed_records(store: Store, *, accepted_only: bool = False) -> list[Record]:
    """The records from reviewed values: the stored records (fusion already reads reviewed
    values and applies merges and splits), or, with `accepted_only`, records fused afresh
    from the claims a person accepted or corrected (`armstrace.fuse.query`)."""
    return query(store, accepted_only=accepted_only)
