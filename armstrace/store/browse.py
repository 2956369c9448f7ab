"""The store's read queries for browsing (issue 5): what the dashboard, the records list's
full-text search and the actor page need beyond `RecordQueries`.

A mixin of `Store`; read-only.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Engine, Table, select

from armstrace.fuse.records import Record
from armstrace.store.fused import _record_from_row
from armstrace.store.tables import ClaimRow, DocumentRow, RecordClaimRow, RecordRow

_DOCS: Table = DocumentRow.metadata.tables["documents"]
_CLAIMS: Table = ClaimRow.metadata.tables["claims"]
_RECORDS: Table = RecordRow.metadata.tables["records"]
_LINKS: Table = RecordClaimRow.metadata.tables["record_claims"]


class BrowseQueries:
    """Browsing queries of `Store` (see the module docstring)."""

    engine: Engine

    def newest_records(self, limit: int = 10, *, review: str | None = None,
                       exclude_review: str | None = None) -> list[Record]:
        """Records by latest report, newest first (optionally of, or not of, a review state)."""
        stmt = select(_RECORDS)
        if review is not None:
            stmt = stmt.where(_RECORDS.c.review == review)
        if exclude_review is not None:
            stmt = stmt.where(_RECORDS.c.review != exclude_review)
        stmt = stmt.order_by(_RECORDS.c.last_reported.desc(), _RECORDS.c.record_id).limit(limit)
        with self.engine.connect() as conn:
            return [_record_from_row(r) for r in conn.execute(stmt)]

    def record_ids_of_documents(self, doc_ids: Collection[str]) -> set[str]:
        """Records backed by a claim of the current version of any of `doc_ids`."""
        ids = list(doc_ids)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                found.update(conn.scalars(
                    select(_LINKS.c.record_id).distinct()
                    .join(_CLAIMS, _CLAIMS.c.id == _LINKS.c.claim_id)
                    .join(_DOCS, _DOCS.c.id == _CLAIMS.c.document_id)
                    .where(_DOCS.c.doc_id.in_(ids[i:i + 500]),
                           _DOCS.c.superseded.is_(False))))
        return found

    def records_of_claims(self, claim_ids: Collection[int]) -> dict[int, list[str]]:
        """For each claim row id, the records it backs."""
        out: dict[int, list[str]] = {}
        ids = list(claim_ids)
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for cid, rid in conn.execute(
                        select(_LINKS.c.claim_id, _LINKS.c.record_id)
                        .where(_LINKS.c.claim_id.in_(ids[i:i + 500]))
                        .order_by(_LINKS.c.record_id)):
                    out.setdefault(cid, []).append(rid)
        return out
