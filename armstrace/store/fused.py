"""The store's queries on fused records (SPEC §10): read claims for fusion, replace a
partition's records, list records by filter.

A mixin of `Store` (`repository.py`), kept apart because records are their own concern: the
document and claim tables are written by ingest, the record tables only by `armstrace.fuse`.
A partition's records are replaced in one transaction, so a reader sees either the old records
of a pair or the new ones. Claims enter fusion with their reviewed values (rejected ones not at
all, `armstrace.fuse.reviewed`), and each record's `review` mark is worked out afresh from the
reviews of the claims it is fused from (a mark other than those, set by hand, is kept).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Table, and_, delete, func, insert, or_, select, true
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from armstrace.fuse.keys import partition_fields, partition_of
from armstrace.fuse.records import FuseInput, QuantityRange, Record, StageEntry
from armstrace.fuse.reviewed import reviewed_input
from armstrace.review import ACCEPTED_STATES
from armstrace.store.rows import in_lists
from armstrace.store.tables import (
    ClaimReviewRow,
    ClaimRow,
    DocumentRow,
    RecordClaimRow,
    RecordRow,
)

_DOCS: Table = DocumentRow.metadata.tables["documents"]
_CLAIMS: Table = ClaimRow.metadata.tables["claims"]
_RECORDS: Table = RecordRow.metadata.tables["records"]
_LINKS: Table = RecordClaimRow.metadata.tables["record_claims"]
_REVIEWS: Table = ClaimReviewRow.metadata.tables["claim_reviews"]
_CHUNK = 200
#: the record review marks fusion works out from the claims' reviews
DERIVED_MARKS = ("unreviewed", "in_review", "reviewed")


def _number(v: float | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def _fuse_input(r: Row[Any]) -> FuseInput:
    return FuseInput(
        doc_id=r.doc_id, kind=r.kind, item_category=r.item_category, stage=r.stage,
        certainty=r.certainty, polarity=r.polarity, source_name=r.source_name,
        source_type=r.source_type, date=r.date, story_id=r.story_id, outlet=r.outlet,
        supplier=r.supplier, recipient=r.recipient, actor=r.actor,
        parties=tuple(r.parties) if r.parties is not None else None, item_text=r.item_text,
        quantity_value=r.quantity_value, quantity_unit=r.quantity_unit,
        source_affiliation=r.source_affiliation, claim_id=r.id,
    )


def _reviewed(r: Row[Any]) -> FuseInput | None:
    """The fusion input of a row with its review applied (None: rejected)."""
    return reviewed_input(_fuse_input(r), r.review_state, r.review_values)


def _review_mark(claim_ids: Collection[int], reviewed: set[int]) -> str:
    """A record's review mark from how many of its claims a person has reviewed."""
    n = sum(1 for c in claim_ids if c in reviewed)
    return "reviewed" if claim_ids and n >= len(claim_ids) else "in_review" if n else "unreviewed"


def _partition_filter(partitions: Collection[str]) -> list[ColumnElement[bool]]:
    """SQL conditions that select (at least) the claims of `partitions`, in chunks."""
    conds: list[ColumnElement[bool]] = []
    agreements = False
    for p in partitions:
        f = partition_fields(p)
        if f[0] == "transfer":
            conds.append(and_(_CLAIMS.c.kind == "transfer", _CLAIMS.c.supplier == f[1],
                              _CLAIMS.c.recipient == f[2]))
        elif f[0] == "development":
            conds.append(and_(_CLAIMS.c.kind == "development", _CLAIMS.c.actor == f[1],
                              _CLAIMS.c.item_category == f[2], _CLAIMS.c.stage == f[3]))
        else:
            agreements = True
    if agreements:  # parties are JSON: select every agreement, the caller filters exactly
        conds.append(_CLAIMS.c.kind == "agreement")
    return [or_(*conds[i:i + _CHUNK]) for i in range(0, len(conds), _CHUNK)]


def _record_values(r: Record, now: datetime) -> dict[str, Any]:
    q = r.quantity
    return {
        "record_id": r.record_id, "partition": r.partition, "kind": r.kind,
        "supplier": r.supplier, "recipient": r.recipient, "actor": r.actor,
        "parties": r.parties, "item_category": r.item_category,
        "designations": list(r.designations), "first_reported": r.first_reported,
        "last_reported": r.last_reported, "n_claims": r.n_claims, "n_documents": r.n_documents,
        "n_independent_sources": r.n_independent_sources, "n_carried": r.n_carried,
        "strongest_certainty": r.strongest_certainty, "stage": r.stage,
        "stage_history": [[s.stage, s.first_reported] for s in r.stage_history],
        "quantity_min": q.min if q else None, "quantity_max": q.max if q else None,
        "quantity_unit": q.unit if q else None, "denied_by": list(r.denied_by),
        "conflict": r.conflict, "sources": list(r.sources),
        "delivery_years": list(r.delivery_years), "review": r.review, "fused_at": now,
    }


def _record_from_row(r: Row[Any]) -> Record:
    quantity = None
    qmin, qmax = _number(r.quantity_min), _number(r.quantity_max)
    if qmin is not None and qmax is not None:
        quantity = QuantityRange(qmin, qmax, r.quantity_unit)
    return Record(
        record_id=r.record_id, kind=r.kind, partition=r.partition, supplier=r.supplier,
        recipient=r.recipient, actor=r.actor,
        parties=list(r.parties) if r.parties is not None else None,
        item_category=r.item_category, designations=list(r.designations or ()),
        first_reported=r.first_reported, last_reported=r.last_reported, n_claims=r.n_claims,
        n_documents=r.n_documents, n_independent_sources=r.n_independent_sources,
        n_carried=r.n_carried, strongest_certainty=r.strongest_certainty, stage=r.stage,
        stage_history=[StageEntry(s, d) for s, d in r.stage_history or ()],
        quantity=quantity, denied_by=list(r.denied_by or ()), conflict=bool(r.conflict),
        review=r.review, sources=list(r.sources or ()),
        delivery_years=list(r.delivery_years or ()),
    )


class RecordQueries:
    """Record queries of `Store` (see the module docstring)."""

    engine: Engine
    _write_engine: Engine

    def _fuse_select(self, *, superseded: bool = False) -> Any:
        stmt = select(
            _CLAIMS.c.id, _CLAIMS.c.kind, _CLAIMS.c.supplier, _CLAIMS.c.recipient,
            _CLAIMS.c.actor, _CLAIMS.c.parties, _CLAIMS.c.item_text, _CLAIMS.c.item_category,
            _CLAIMS.c.quantity_value, _CLAIMS.c.quantity_unit, _CLAIMS.c.stage,
            _CLAIMS.c.certainty, _CLAIMS.c.polarity, _CLAIMS.c.source_name,
            _CLAIMS.c.source_type, _CLAIMS.c.source_affiliation, _DOCS.c.doc_id, _DOCS.c.date,
            _DOCS.c.story_id, _DOCS.c.outlet, _REVIEWS.c.state.label("review_state"),
            _REVIEWS.c["values"].label("review_values"),
        ).join(_DOCS, _CLAIMS.c.document_id == _DOCS.c.id)\
            .outerjoin(_REVIEWS, _REVIEWS.c.claim_id == _CLAIMS.c.id)
        if not superseded:
            stmt = stmt.where(_DOCS.c.superseded.is_(False))
        return stmt

    def iter_fuse_inputs(self, partitions: Collection[str] | None = None, *,
                         accepted_only: bool = False,
                         claim_ids: Collection[int] | None = None) -> Iterator[FuseInput]:
        """Claims of current documents as fusion inputs, with reviewed values: all, those of
        `partitions` (by reviewed values), or those with `claim_ids`. Rejected claims are left
        out; with `accepted_only`, every claim a person has not accepted or corrected too."""
        wanted = set(partitions) if partitions is not None else None
        conds: list[ColumnElement[bool]] = [true()]
        if wanted is not None:
            # a correction can move a claim into a partition its extracted columns are not in
            conds = [*_partition_filter(wanted), _REVIEWS.c.state == "corrected"]
        if claim_ids is not None:
            ids = sorted(claim_ids)
            conds = [_CLAIMS.c.id.in_(chunk) for chunk in in_lists(ids)]
        if accepted_only:
            conds = [and_(c, _REVIEWS.c.state.in_(sorted(ACCEPTED_STATES))) for c in conds]
        seen: set[int] = set()
        dedupe = len(conds) > 1  # a claim may match two conditions; one condition: no copies
        with self.engine.connect() as conn:
            for cond in conds:
                stmt = self._fuse_select().where(cond).order_by(_CLAIMS.c.id)
                for r in conn.execution_options(yield_per=2000).execute(stmt):
                    x = _reviewed(r)
                    if x is None or (dedupe and r.id in seen):
                        continue
                    if wanted is not None and partition_of(x) not in wanted:
                        continue
                    if dedupe:
                        seen.add(r.id)
                    yield x

    def partitions_of_documents(self, doc_ids: Collection[str]) -> set[str]:
        """The partitions of every claim of every version of `doc_ids` (a new version's and
        the superseded one's alike: both sets of records change), by extracted and by reviewed
        values (a corrected claim's record is in the latter)."""
        found: set[str] = set()
        ids = list(doc_ids)
        with self.engine.connect() as conn:
            for chunk in in_lists(ids):
                stmt = self._fuse_select(superseded=True).where(_DOCS.c.doc_id.in_(chunk))
                for r in conn.execute(stmt):
                    found.add(partition_of(_fuse_input(r)))
                    if (x := _reviewed(r)) is not None:
                        found.add(partition_of(x))
        return found

    def partitions_of_claims(self, claim_ids: Collection[int]) -> set[str]:
        """Where the claims are now (the partitions of the records they back) and where their
        reviewed values put them: what a review of them makes fusion redo."""
        ids = list(claim_ids)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in in_lists(ids):
                found.update(conn.scalars(
                    select(_RECORDS.c.partition).distinct()
                    .join(_LINKS, _LINKS.c.record_id == _RECORDS.c.record_id)
                    .where(_LINKS.c.claim_id.in_(chunk))))
        found.update(partition_of(x) for x in self.iter_fuse_inputs(claim_ids=ids))
        return found

    def record_partitions(self, record_ids: Collection[str]) -> dict[str, str]:
        """record id → partition, for the stored records among `record_ids`."""
        ids = list(record_ids)
        with self.engine.connect() as conn:
            return {rid: p for chunk in in_lists(ids) for rid, p in conn.execute(
                select(_RECORDS.c.record_id, _RECORDS.c.partition)
                .where(_RECORDS.c.record_id.in_(chunk)))}

    def documents_of_run(self, run_id: int) -> list[str]:
        """doc ids of the document versions an ingest run stored."""
        with self.engine.connect() as conn:
            return list(conn.scalars(
                select(_DOCS.c.doc_id).where(_DOCS.c.ingest_run_id == run_id).distinct()))

    def replace_records(self, records: Sequence[Record],
                        partitions: Collection[str] | None = None) -> None:
        """Make `records` the records of `partitions` (of every partition when None)."""
        try:
            self._replace(records, partitions)
        except IntegrityError:  # a concurrent re-fusion of the same partition won: redo ours
            self._replace(records, partitions)

    def _replace(self, records: Sequence[Record], partitions: Collection[str] | None) -> None:
        now = datetime.now(UTC)
        parts = list(partitions) if partitions is not None else None
        with self._write_engine.begin() as conn:
            scopes: list[ColumnElement[bool]] = [true()]
            if parts is not None:
                scopes = [_RECORDS.c.partition.in_(some) for some in in_lists(parts)]
            marks: dict[str, str] = {}  # set by hand, not derived from claim reviews: kept
            for scope in scopes:
                marks.update((rid, rev) for rid, rev in conn.execute(
                    select(_RECORDS.c.record_id, _RECORDS.c.review)
                    .where(scope, _RECORDS.c.review.not_in(DERIVED_MARKS))).all())
                conn.execute(delete(_LINKS).where(_LINKS.c.record_id.in_(
                    select(_RECORDS.c.record_id).where(scope))))
                conn.execute(delete(_RECORDS).where(scope))
            # a record an override moved to another partition is replaced wherever it was
            ids = [r.record_id for r in records]
            for some in in_lists(ids) if parts is not None else ():
                conn.execute(delete(_LINKS).where(_LINKS.c.record_id.in_(some)))
                conn.execute(delete(_RECORDS).where(_RECORDS.c.record_id.in_(some)))
            reviewed = set(conn.scalars(select(_REVIEWS.c.claim_id)
                                        .where(_REVIEWS.c.state != "rejected")))
            for i in range(0, len(records), 1000):
                chunk = records[i:i + 1000]
                for r in chunk:
                    r.review = marks.get(r.record_id) or _review_mark(r.claim_ids, reviewed)
                conn.execute(insert(_RECORDS), [_record_values(r, now) for r in chunk])
                links = [{"record_id": r.record_id, "claim_id": c}
                         for r in chunk for c in r.claim_ids]
                for j in range(0, len(links), 5000):
                    conn.execute(insert(_LINKS), links[j:j + 5000])

    def iter_records(
        self, *, kind: str | None = None, supplier: str | None = None,
        recipient: str | None = None, actor: str | None = None, category: str | None = None,
        since: str | None = None, until: str | None = None, min_sources: int = 0,
        stage: str | None = None, record_ids: Collection[str] | None = None,
        certainty: str | None = None, review: str | None = None,
    ) -> Iterator[Record]:
        """Records matching every filter given, most independent sources first.

        `since` and `until` take ISO dates or prefixes ("2024", "2024-01"): a record matches
        when it was reported at or after `since` (its latest report) and at or before `until`
        (its first report).
        """
        t = _RECORDS.c
        stmt = select(_RECORDS)
        for column, value in ((t.kind, kind), (t.supplier, supplier), (t.recipient, recipient),
                              (t.actor, actor), (t.item_category, category), (t.stage, stage),
                              (t.strongest_certainty, certainty), (t.review, review)):
            if value is not None:
                stmt = stmt.where(column == value)
        if since:
            stmt = stmt.where(t.last_reported >= since)
        if until:
            # "2024" includes every day of 2024: compare against the prefix's last string
            stmt = stmt.where(t.first_reported <= until + "\uffff")
        if min_sources:
            stmt = stmt.where(t.n_independent_sources >= min_sources)
        if record_ids is not None:
            stmt = stmt.where(t.record_id.in_(list(record_ids)))
        stmt = stmt.order_by(t.n_independent_sources.desc(), t.first_reported, t.record_id)
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=1000).execute(stmt):
                yield _record_from_row(r)

    def record_claims(self, record_id: str) -> list[tuple[str, int]]:
        """(doc_id, claim row id) of the claims a record was fused from, in storage order."""
        with self.engine.connect() as conn:
            return [(d, i) for d, i in conn.execute(
                select(_DOCS.c.doc_id, _CLAIMS.c.id)
                .join(_CLAIMS, _CLAIMS.c.document_id == _DOCS.c.id)
                .join(_LINKS, _LINKS.c.claim_id == _CLAIMS.c.id)
                .where(_LINKS.c.record_id == record_id).order_by(_CLAIMS.c.id)).all()]

    def count_records(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(_RECORDS)) or 0)
