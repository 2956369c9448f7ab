"""The store's read queries for browsing (issue 5): what the dashboard, the records list (one
page at a time, with facet counts), the network and timeline views, full-text search and the
actor page need beyond `RecordQueries`.

A mixin of `Store`; read-only. The records list, its facets, the network and the timeline all
take one `RecordFilters`, so the four views always agree on which records they speak of.

The list is paged by key, not by offset: a page is "the next `limit` records after this one" in
the order (independent sources, latest report, record id), all descending, which an index of
migration 0004 serves directly (SQLite and PostgreSQL scan it backwards), so page 500 costs what
page 1 costs and no request counts a million rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from typing import Any, Final

from sqlalchemy import Connection, Engine, Select, Table, and_, func, null, or_, select
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.sql.elements import ColumnElement

from armstrace.fuse.records import Record
from armstrace.store.fused import _record_from_row
from armstrace.store.rows import in_lists
from armstrace.store.tables import ClaimRow, DocumentRow, RecordClaimRow, RecordRow

_DOCS: Table = DocumentRow.metadata.tables["documents"]
_CLAIMS: Table = ClaimRow.metadata.tables["claims"]
_RECORDS: Table = RecordRow.metadata.tables["records"]
_LINKS: Table = RecordClaimRow.metadata.tables["record_claims"]

#: the facets of the records list: name → records column
FACETS: Final = {"supplier": "supplier", "recipient": "recipient", "category": "item_category",
                 "certainty": "strongest_certainty", "stage": "stage", "review": "review"}
#: a cursor into the records list: (n_independent_sources, last_reported, record_id)
Cursor = tuple[int, str | None, str]


@dataclass(frozen=True, slots=True)
class RecordFilters:
    """Filters on records; None (or 0) means no filter. Hashable, so a cache can key on it.

    `since` and `until` take ISO dates or prefixes ("2024", "2024-01"): a record matches when it
    was reported at or after `since` (its latest report) and at or before `until` (its first).
    `record_ids` (sorted) narrows to those records, e.g. the ones a full-text search found.
    """

    kind: str | None = None
    supplier: str | None = None
    recipient: str | None = None
    actor: str | None = None
    category: str | None = None
    certainty: str | None = None
    stage: str | None = None
    since: str | None = None
    until: str | None = None
    min_sources: int = 0
    review: str | None = None
    record_ids: tuple[str, ...] | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """The SQL conditions on `records` (the same semantics as `iter_records`)."""
        t = _RECORDS.c
        conds: list[ColumnElement[bool]] = []
        for column, value in ((t.kind, self.kind), (t.supplier, self.supplier),
                              (t.recipient, self.recipient), (t.actor, self.actor),
                              (t.item_category, self.category), (t.stage, self.stage),
                              (t.strongest_certainty, self.certainty), (t.review, self.review)):
            if value is not None:
                conds.append(column == value)
        if self.since:
            conds.append(t.last_reported >= self.since)
        if self.until:
            # "2024" includes every day of 2024: compare against the prefix's last string
            conds.append(t.first_reported <= self.until + "\uffff")
        if self.min_sources:
            conds.append(t.n_independent_sources >= self.min_sources)
        if self.record_ids is not None:
            conds.append(t.record_id.in_(list(self.record_ids)))
        return conds

    def params(self) -> dict[str, Any]:
        """The filters that are set, as query parameters (`record_ids` is not one)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "record_ids" and getattr(self, f.name) not in (None, 0, "")}


@dataclass(frozen=True, slots=True)
class Edge:
    """Transfer records from one supplier to one recipient, by category."""

    supplier: str
    recipient: str
    records: int
    claims: int
    #: category → (records, claims), most claims first
    categories: dict[str, tuple[int, int]]

    @property
    def category(self) -> str:
        """The category with the most claims: what the edge is coloured by."""
        return next(iter(self.categories), "weapons_unspecified")


#: columns the records list leaves unread (their values come back empty)
_LIST_SKIPS: Final = ("sources", "delivery_years")
#: filters selective enough that their own index beats a scan of `ix_records_facets`
_SELECTIVE: Final = ("supplier", "recipient", "actor", "record_ids")


class _SQLiteHints(SQLiteCompiler):
    """SQLite's compiler, writing `with_hint` texts after their table (SQLAlchemy's own
    SQLite compiler drops them): how `INDEXED BY` reaches the query."""

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def _aggregate(conn: Connection, stmt: Select[Any], filters: RecordFilters) -> Iterable[Any]:
    """Rows of an aggregate over the matching records. On SQLite a broad selection reads the
    covering `ix_records_facets` (migration 0004): the planner would rather take an index that
    spares the GROUP BY its sort and then read every wide record row (their JSON lists), which
    is several times slower. PostgreSQL plans this well alone. A selective filter (one actor, a
    search's records) keeps its own index, and no filter at all lets each facet count from its
    own narrow index."""
    if (conn.dialect.name != "sqlite" or not filters.conditions()
            or any(getattr(filters, f) for f in _SELECTIVE)):
        return conn.execute(stmt)
    hinted = stmt.with_hint(_RECORDS, "INDEXED BY ix_records_facets", dialect_name="sqlite")
    compiled = _SQLiteHints(conn.dialect, hinted)
    params = compiled.construct_params()
    return conn.exec_driver_sql(compiled.string,
                                tuple(params[k] for k in compiled.positiontup or ()))


def _after(cursor: Cursor, nulls_last: bool) -> ColumnElement[bool]:
    """Records after `cursor` in the list order (all descending). A NULL latest report sorts
    last on SQLite and first on PostgreSQL (each scans the same index backwards)."""
    t = _RECORDS.c
    n, latest, rid = cursor
    if latest is None:
        tie = (and_(t.last_reported.is_(None), t.record_id < rid) if nulls_last
               else or_(t.last_reported.is_not(None), t.record_id < rid))
    else:
        same = and_(t.last_reported == latest, t.record_id < rid)
        tie = (or_(t.last_reported < latest, t.last_reported.is_(None), same) if nulls_last
               else or_(t.last_reported < latest, same))
    # the redundant `n <= ...` bounds the index scan; the OR alone would start at the top
    return and_(t.n_independent_sources <= n,
                or_(t.n_independent_sources < n, and_(t.n_independent_sources == n, tie)))


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
            for chunk in in_lists(ids):
                found.update(conn.scalars(
                    select(_LINKS.c.record_id).distinct()
                    .join(_CLAIMS, _CLAIMS.c.id == _LINKS.c.claim_id)
                    .join(_DOCS, _DOCS.c.id == _CLAIMS.c.document_id)
                    .where(_DOCS.c.doc_id.in_(chunk),
                           _DOCS.c.superseded.is_(False))))
        return found

    def records_of_claims(self, claim_ids: Collection[int]) -> dict[int, list[str]]:
        """For each claim row id, the records it backs."""
        out: dict[int, list[str]] = {}
        ids = list(claim_ids)
        with self.engine.connect() as conn:
            for chunk in in_lists(ids):
                for cid, rid in conn.execute(
                        select(_LINKS.c.claim_id, _LINKS.c.record_id)
                        .where(_LINKS.c.claim_id.in_(chunk))
                        .order_by(_LINKS.c.record_id)):
                    out.setdefault(cid, []).append(rid)
        return out

    def records_page(self, filters: RecordFilters, *, after: Cursor | None = None,
                     limit: int = 100) -> tuple[list[Record], Cursor | None]:
        """One page of the records list and the cursor of the next page (None on the last).

        Order: most independent sources first, then latest report, then record id, all
        descending; one more row than asked for tells whether there is a next page.
        """
        t = _RECORDS.c
        conds = filters.conditions()
        if after is not None:
            conds.append(_after(after, nulls_last=self.engine.dialect.name == "sqlite"))
        # the list never shows a record's sources or delivery years, and a record reported
        # thousands of times carries thousands of sources: leave those JSON lists unread
        columns = [c for c in _RECORDS.c if c.name not in _LIST_SKIPS]
        nothing = [null().label(name) for name in _LIST_SKIPS]
        stmt = (select(*columns, *nothing).where(*conds)
                .order_by(t.n_independent_sources.desc(), t.last_reported.desc(),
                          t.record_id.desc()).limit(limit + 1))
        with self.engine.connect() as conn:
            rows = [_record_from_row(r) for r in conn.execute(stmt)]
        if len(rows) <= limit:
            return rows, None
        last = rows[limit - 1]
        return rows[:limit], (last.n_independent_sources, last.last_reported, last.record_id)

    def record_facets(self, filters: RecordFilters,
                      top: int = 25) -> dict[str, list[tuple[str, int]]]:
        """For each facet, its `top` values by how many matching records have them."""
        out: dict[str, list[tuple[str, int]]] = {}
        conds = filters.conditions()
        with self.engine.connect() as conn:
            for name, column in FACETS.items():
                col = _RECORDS.c[column]
                n = func.count().label("n")
                stmt = (select(col, n).where(*conds, col.is_not(None)).group_by(col)
                        .order_by(n.desc(), col).limit(top))
                out[name] = [(str(v), int(c)) for v, c in _aggregate(conn, stmt, filters)]
        return out

    def count_matching(self, filters: RecordFilters) -> int:
        """How many records match (a COUNT: callers cache it)."""
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(_RECORDS)
                                   .where(*filters.conditions())) or 0)

    def transfer_edges(self, filters: RecordFilters) -> list[Edge]:
        """Who supplies whom among the matching transfer records: one edge per pair, most
        records first, with its records and claims by category."""
        t = _RECORDS.c
        stmt = (select(t.supplier, t.recipient, t.item_category, func.count(),
                       func.sum(t.n_claims))
                .where(*filters.conditions(), t.kind == "transfer", t.supplier.is_not(None),
                       t.recipient.is_not(None))
                .group_by(t.supplier, t.recipient, t.item_category))
        pairs: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
        with self.engine.connect() as conn:
            for sup, rec, cat, n, claims in _aggregate(conn, stmt, filters):
                pairs.setdefault((sup, rec), {})[cat or "weapons_unspecified"] = (
                    int(n), int(claims or 0))
        edges = []
        for (sup, rec), cats in pairs.items():
            ordered = dict(sorted(cats.items(), key=lambda kv: (-kv[1][1], kv[0])))
            edges.append(Edge(sup, rec, sum(n for n, _ in cats.values()),
                              sum(c for _, c in cats.values()), ordered))
        edges.sort(key=lambda e: (-e.records, -e.claims, e.supplier, e.recipient))
        return edges

    def claims_per_month(self, filters: RecordFilters,
                         by: str = "category") -> dict[str, dict[str, int]]:
        """month (YYYY-MM) → series → claims of the matching records reported that month, by
        the record's category or the claim's certainty. Undated documents are left out."""
        series = _RECORDS.c.item_category if by == "category" else _CLAIMS.c.certainty
        month = func.substr(_DOCS.c.date, 1, 7)
        stmt = (select(month, series, func.count())
                .select_from(_RECORDS.join(_LINKS, _LINKS.c.record_id == _RECORDS.c.record_id)
                             .join(_CLAIMS, _CLAIMS.c.id == _LINKS.c.claim_id)
                             .join(_DOCS, _DOCS.c.id == _CLAIMS.c.document_id))
                .where(*filters.conditions(), func.length(_DOCS.c.date) >= 7)
                .group_by(month, series))
        out: dict[str, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for m, s, n in conn.execute(stmt):
                out.setdefault(m, {})[s or "weapons_unspecified"] = int(n)
        return dict(sorted(out.items()))

    def data_version(self) -> tuple[Any, ...]:
        """A stamp that changes whenever records are re-fused or a claim is reviewed: what the
        web layer's caches key on. Two index lookups, never a scan."""
        audit = ClaimRow.metadata.tables["audit_log"]
        with self.engine.connect() as conn:
            row = conn.execute(select(
                select(func.max(_RECORDS.c.fused_at)).scalar_subquery(),
                select(func.max(audit.c.id)).scalar_subquery())).one()
        return (str(row[0]), row[1])

    def record_claim_ids(self, record_id: str, limit: int,
                         offset: int = 0) -> tuple[list[int], int]:
        """Up to `limit` claim row ids of a record from the `offset`-th, earliest report first,
        and how many claims it has."""
        with self.engine.connect() as conn:
            total = int(conn.scalar(select(func.count()).select_from(_LINKS)
                                    .where(_LINKS.c.record_id == record_id)) or 0)
            ids = list(conn.scalars(
                select(_CLAIMS.c.id)
                .join(_LINKS, _LINKS.c.claim_id == _CLAIMS.c.id)
                .join(_DOCS, _DOCS.c.id == _CLAIMS.c.document_id)
                .where(_LINKS.c.record_id == record_id)
                .order_by(_DOCS.c.date, _CLAIMS.c.id).limit(limit).offset(offset)))
        return ids, total
