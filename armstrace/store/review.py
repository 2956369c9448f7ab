"""The store's queries on review: one claim in its document's context, review decisions and
the append-only audit log (issue 5, Review).

A mixin of `Store`. A decision and its audit entry are written in one transaction, so the log
never misses a change and never records one that did not happen. The audit table is only ever
inserted into. Records linked to a reviewed claim get their `review` column updated
("unreviewed", "in_review" or "reviewed") so the records list can filter on it. The records
themselves are derived from the reviewed values: call `armstrace.fuse.refresh_claims` after a
decision to re-fuse them (the web UI does).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, update
from sqlalchemy.orm import Session

from armstrace.models import Claim
from armstrace.review import ACCEPTED_STATES, apply_overrides
from armstrace.store import rows
from armstrace.store.tables import (
    AuditRow,
    ClaimReviewRow,
    ClaimRow,
    DocumentRow,
    RecordClaimRow,
    RecordRow,
)

_REVIEWS: Table = ClaimReviewRow.metadata.tables["claim_reviews"]
_AUDIT: Table = AuditRow.metadata.tables["audit_log"]
_LINKS: Table = RecordClaimRow.metadata.tables["record_claims"]
_RECORDS: Table = RecordRow.metadata.tables["records"]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: datetime
    user: str
    claim_id: int
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "user": self.user,
                "claim_id": self.claim_id, "action": self.action, "before": self.before,
                "after": self.after, "note": self.note}


@dataclass(slots=True)
class ClaimView:
    """A stored claim with its document's fields and its review: what the UI shows.

    `claim` carries the reviewed values (the extractor's `original` with the corrections laid
    over it); `state` is unreviewed, accepted, corrected or rejected.
    """

    claim_id: int
    doc_id: str
    doc_title: str | None
    doc_date: str | None
    doc_outlet: str | None
    doc_url: str | None
    original: Claim
    claim: Claim
    state: str = "unreviewed"
    overrides: dict[str, Any] = field(default_factory=dict)
    reviewed_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id, "doc_id": self.doc_id, "doc_title": self.doc_title,
            "doc_date": self.doc_date, "doc_outlet": self.doc_outlet, "doc_url": self.doc_url,
            "review": self.state, "reviewed_by": self.reviewed_by,
            "corrected_fields": sorted(self.overrides), "claim": self.claim.to_dict(),
        }

    def snapshot(self) -> dict[str, Any]:
        """What the audit log keeps as `before` / `after`: state and reviewed values."""
        return {"review": self.state, "claim": self.claim.to_dict(provenance=False)}


def _view(doc: DocumentRow, row: ClaimRow, review: ClaimReviewRow | None) -> ClaimView:
    original = rows.claim_from_row(row)
    overrides = dict(review.values or {}) if review is not None else {}
    try:
        claim = apply_overrides(original, overrides)
    except Exception:  # a vocabulary change made an old correction invalid: show the original
        claim = original
    return ClaimView(
        claim_id=row.id, doc_id=doc.doc_id, doc_title=doc.title, doc_date=doc.date,
        doc_outlet=doc.outlet, doc_url=doc.url, original=original, claim=claim,
        state=review.state if review is not None else "unreviewed", overrides=overrides,
        reviewed_by=review.updated_by if review is not None else None,
    )


def _claim_select() -> Any:
    return (select(DocumentRow, ClaimRow, ClaimReviewRow)
            .join(DocumentRow, ClaimRow.document_id == DocumentRow.id)
            .outerjoin(ClaimReviewRow, ClaimReviewRow.claim_id == ClaimRow.id))


def _refresh_record_review(conn: Connection, claim_id: int) -> None:
    """Set `review` on every record the claim backs, from how many of its claims are reviewed."""
    record_ids = list(conn.scalars(select(_LINKS.c.record_id)
                                   .where(_LINKS.c.claim_id == claim_id)))
    for rid in record_ids:
        total, reviewed = conn.execute(
            select(func.count(_LINKS.c.claim_id), func.count(_REVIEWS.c.claim_id))
            .select_from(_LINKS.outerjoin(_REVIEWS, _REVIEWS.c.claim_id == _LINKS.c.claim_id))
            .where(_LINKS.c.record_id == rid)).one()
        state = "reviewed" if reviewed >= total else "in_review" if reviewed else "unreviewed"
        conn.execute(update(_RECORDS).where(_RECORDS.c.record_id == rid).values(review=state))


class ReviewQueries:
    """Review queries of `Store` (see the module docstring)."""

    engine: Engine
    _write_engine: Engine

    def claim_views(self, claim_ids: Collection[int]) -> list[ClaimView]:
        """The claims with these row ids, by document date then position (a timeline)."""
        ids = list(claim_ids)
        out: list[ClaimView] = []
        with Session(self.engine) as s:
            for chunk in rows.in_lists(ids):
                stmt = _claim_select().where(ClaimRow.id.in_(chunk))
                out.extend(_view(d, c, r) for d, c, r in s.execute(stmt))
        out.sort(key=lambda v: (v.doc_date or "", v.doc_id, v.claim_id))
        return out

    def claim_view(self, claim_id: int) -> ClaimView | None:
        found = self.claim_views([claim_id])
        return found[0] if found else None

    def document_claim_views(self, doc_id: str) -> list[ClaimView]:
        """The claims of the current version of `doc_id`, in extraction order."""
        with Session(self.engine) as s:
            stmt = (_claim_select()
                    .where(DocumentRow.doc_id == doc_id, DocumentRow.superseded.is_(False))
                    .order_by(ClaimRow.ordinal))
            return [_view(d, c, r) for d, c, r in s.execute(stmt)]

    def review_claim(self, claim_id: int, *, user: str, action: str,
                     overrides: Mapping[str, Any] | None = None,
                     note: str | None = None) -> ClaimView:
        """Accept, correct or reject a claim, or add a note, and log it (one transaction).

        `overrides` (for "correct") must already be checked with `apply_overrides`; they are
        merged into earlier corrections. Raises KeyError for an unknown claim.
        """
        if action not in ("accept", "correct", "reject", "note"):
            raise ValueError(f"unknown review action {action!r}")
        now = datetime.now(UTC)
        with Session(self._write_engine) as s, s.begin():
            found = s.execute(_claim_select().where(ClaimRow.id == claim_id)).first()
            if found is None:
                raise KeyError(claim_id)
            doc, row, review = found
            before = _view(doc, row, review)
            values = dict(before.overrides)
            state = before.state
            if action == "accept":
                state = "corrected" if values else "accepted"
            elif action == "reject":
                state = "rejected"
            elif action == "correct":
                values.update(overrides or {})
                state = "corrected"
            after = replace(before, state=state, overrides=values, reviewed_by=user,
                            claim=apply_overrides(before.original, values))
            if action != "note":
                if review is None:
                    s.add(ClaimReviewRow(claim_id=claim_id, state=state, values=values,
                                         updated_by=user, updated_at=now))
                else:
                    review.state, review.values = state, values
                    review.updated_by, review.updated_at = user, now
            s.flush()
            s.execute(insert(_AUDIT).values(
                at=now, user_name=user, claim_id=claim_id, action=action,
                before=before.snapshot(), after=after.snapshot() if action != "note" else None,
                note=note or None))
            _refresh_record_review(s.connection(), claim_id)
        return after if action != "note" else before

    def audit_log(self, claim_ids: Collection[int] | None = None,
                  limit: int = 1000) -> list[AuditEntry]:
        """Audit entries (of `claim_ids`, or all), oldest first."""
        stmt = select(_AUDIT).order_by(_AUDIT.c.id)
        if claim_ids is not None:
            stmt = stmt.where(_AUDIT.c.claim_id.in_(list(claim_ids)))
        with self.engine.connect() as conn:
            return [AuditEntry(r.id, r.at, r.user_name, r.claim_id, r.action, r.before,
                               r.after, r.note) for r in conn.execute(stmt.limit(limit))]

    def review_counts(self) -> dict[str, int]:
        """How many claims are in each review state (unreviewed: claims of current documents
        without a decision)."""
        with self.engine.connect() as conn:
            counts = {s: int(n) for s, n in conn.execute(
                select(_REVIEWS.c.state, func.count()).group_by(_REVIEWS.c.state))}
            total = int(conn.scalar(
                select(func.count()).select_from(ClaimRow)
                .join(DocumentRow, ClaimRow.document_id == DocumentRow.id)
                .where(DocumentRow.superseded.is_(False))) or 0)
        counts["unreviewed"] = max(0, total - sum(counts.values()))
        return counts

    def iter_reviewed_claims(self, *, accepted_only: bool = False,
                             batch: int = 500) -> Iterator[tuple[str, ClaimView]]:
        """(doc_id, view) for every claim of current documents with reviewed values, rejected
        claims left out; with `accepted_only`, only accepted and corrected claims."""
        stmt = (_claim_select().where(DocumentRow.superseded.is_(False))
                .order_by(DocumentRow.id, ClaimRow.ordinal).execution_options(yield_per=batch))
        with Session(self.engine) as s:
            for d, c, r in s.execute(stmt):
                v = _view(d, c, r)
                if v.state == "rejected" or (accepted_only and v.state not in ACCEPTED_STATES):
                    continue
                yield v.doc_id, v
