"""The store's queries on record merges and splits (issue 5, Review): the overrides fusion
applies (`armstrace.fuse.overrides`) and their append-only audit log.

A mixin of `Store`. A merge or split and its audit entry are written in one transaction; the
records themselves are derived, so the caller re-fuses them afterwards
(`armstrace.fuse.refresh_records`), and every later re-fusion applies the same decision.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, insert, select

from armstrace.fuse.keys import record_id as key_id
from armstrace.fuse.overrides import Merge, Overrides
from armstrace.fuse.records import Record
from armstrace.store.fused import _record_from_row
from armstrace.store.tables import (
    ClaimPinRow,
    RecordAuditLinkRow,
    RecordAuditRow,
    RecordClaimRow,
    RecordMergeRow,
    RecordRow,
)

_MERGES: Table = RecordMergeRow.metadata.tables["record_merges"]
_PINS: Table = ClaimPinRow.metadata.tables["claim_pins"]
_OPS: Table = RecordAuditRow.metadata.tables["record_audit_log"]
_OP_LINKS: Table = RecordAuditLinkRow.metadata.tables["record_audit_records"]
_RECORDS: Table = RecordRow.metadata.tables["records"]
_LINKS: Table = RecordClaimRow.metadata.tables["record_claims"]


class RecordOpError(ValueError):
    """A merge or split that cannot be made (the message says why, for the reviewer)."""


@dataclass(frozen=True, slots=True)
class RecordAuditEntry:
    """One merge or split in the log: `record_id` is where the claims went."""

    id: int
    at: datetime
    user: str
    action: str
    record_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "user": self.user,
                "action": self.action, "record_id": self.record_id, "before": self.before,
                "after": self.after, "note": self.note}


def _snapshot(conn: Connection, record_ids: Sequence[str]) -> dict[str, tuple[Record, list[int]]]:
    """The stored records among `record_ids` with their claim ids (what `before` shows)."""
    found: dict[str, tuple[Record, list[int]]] = {}
    for r in conn.execute(select(_RECORDS).where(_RECORDS.c.record_id.in_(list(record_ids)))):
        claims = sorted(conn.scalars(select(_LINKS.c.claim_id)
                                     .where(_LINKS.c.record_id == r.record_id)))
        found[r.record_id] = (_record_from_row(r), claims)
    return found


def _before(found: dict[str, tuple[Record, list[int]]], order: Sequence[str]) -> dict[str, Any]:
    return {"records": [{**found[rid][0].to_dict(), "claim_ids": found[rid][1]}
                        for rid in order]}


def _log(conn: Connection, *, user: str, action: str, record_id: str, involved: Collection[str],
         before: dict[str, Any], after: dict[str, Any], note: str | None,
         now: datetime) -> RecordAuditEntry:
    key = conn.execute(insert(_OPS).values(
        at=now, user_name=user, action=action, record_id=record_id, before=before, after=after,
        note=note or None)).inserted_primary_key
    assert key is not None  # an insert always has one
    op_id = int(key[0])
    conn.execute(insert(_OP_LINKS), [{"audit_id": op_id, "record_id": rid}
                                     for rid in sorted(set(involved))])
    return RecordAuditEntry(op_id, now, user, action, record_id, before, after, note or None)


class RecordOpsQueries:
    """Merge and split queries of `Store` (see the module docstring)."""

    engine: Engine
    _write_engine: Engine

    def fuse_overrides(self) -> Overrides:
        """Every merge and pin in force, as fusion applies them."""
        with self.engine.connect() as conn:
            merges = {r.record_id: Merge(r.record_id, r.into_record_id, r.record_partition,
                                         r.into_partition)
                      for r in conn.execute(select(_MERGES))}
            pins = {int(c): str(g) for c, g in conn.execute(
                select(_PINS.c.claim_id, _PINS.c.group_id))}
        return Overrides(merges=merges, pins=pins)

    def merged_into(self, record_id: str) -> str | None:
        """The record `record_id` was merged into (following later merges), or None."""
        overrides = self.fuse_overrides()
        target = overrides.target(record_id)
        return target if target != record_id else None

    def merged_from(self, record_id: str) -> list[str]:
        """The records merged into `record_id`, directly or through earlier merges."""
        overrides = self.fuse_overrides()
        return sorted(rid for rid in overrides.merges if overrides.target(rid) == record_id)

    def merge_records(self, record_ids: Sequence[str], *, user: str,
                      into: str | None = None, note: str | None = None) -> RecordAuditEntry:
        """Merge `record_ids` into `into` (default: the first of them), and log it.

        Raises KeyError for a record that does not exist, `RecordOpError` for fewer than two
        records or records of different kinds.
        """
        order = list(dict.fromkeys(record_ids))
        into = into or (order[0] if order else None)
        if into is not None and into not in order:
            order.insert(0, into)
        if into is None or len(order) < 2:
            raise RecordOpError("choose at least two records to merge")
        now = datetime.now(UTC)
        with self._write_engine.begin() as conn:
            found = _snapshot(conn, order)
            missing = [rid for rid in order if rid not in found]
            if missing:
                raise KeyError(missing[0])
            kinds = {found[rid][0].kind for rid in order}
            if len(kinds) > 1:
                raise RecordOpError("records of different kinds cannot be merged: "
                                    + ", ".join(sorted(kinds)))
            sources = [rid for rid in order if rid != into]
            # the target stays a record of its own: a merge of it made earlier is undone
            conn.execute(delete(_MERGES).where(_MERGES.c.record_id.in_([into, *sources])))
            conn.execute(insert(_MERGES), [{
                "record_id": rid, "into_record_id": into,
                "record_partition": found[rid][0].partition,
                "into_partition": found[into][0].partition, "created_by": user,
                "created_at": now} for rid in sources])
            claims = sorted({c for rid in order for c in found[rid][1]})
            return _log(conn, user=user, action="merge", record_id=into, involved=order,
                        before=_before(found, order),
                        after={"record_id": into, "merged": sources, "claim_ids": claims},
                        note=note, now=now)

    def split_record(self, record_id: str, claim_ids: Collection[int], *, user: str,
                     note: str | None = None) -> RecordAuditEntry:
        """Move `claim_ids` out of `record_id` into a new record, and log it.

        The new record's id is derived from the split (the record and the claims), so the same
        split made twice names the same record. Raises KeyError for an unknown record,
        `RecordOpError` when a claim is not the record's, or none or all of them are chosen.
        """
        chosen = sorted(set(claim_ids))
        now = datetime.now(UTC)
        with self._write_engine.begin() as conn:
            found = _snapshot(conn, [record_id])
            if record_id not in found:
                raise KeyError(record_id)
            have = found[record_id][1]
            strangers = [c for c in chosen if c not in have]
            if strangers:
                raise RecordOpError(f"claim {strangers[0]} is not in record {record_id}")
            if not chosen:
                raise RecordOpError("choose the claims to split off")
            if len(chosen) >= len(have):
                raise RecordOpError("leave at least one claim in the record")
            new_id = key_id(("split", record_id, *map(str, chosen)))
            # the same split made again after a merge back: the new record stands alone again
            conn.execute(delete(_MERGES).where(_MERGES.c.record_id == new_id))
            conn.execute(delete(_PINS).where(_PINS.c.claim_id.in_(chosen)))
            conn.execute(insert(_PINS), [{"claim_id": c, "group_id": new_id,
                                          "created_by": user, "created_at": now}
                                         for c in chosen])
            return _log(conn, user=user, action="split", record_id=new_id,
                        involved=[record_id, new_id], before=_before(found, [record_id]),
                        after={"record_id": new_id, "from": record_id, "claim_ids": chosen,
                               "kept": [c for c in have if c not in chosen]},
                        note=note, now=now)

    def record_audit(self, record_ids: Collection[str],
                     limit: int = 1000) -> list[RecordAuditEntry]:
        """Merges and splits that involved any of `record_ids`, oldest first."""
        stmt = (select(_OPS).where(_OPS.c.id.in_(
            select(_OP_LINKS.c.audit_id).where(_OP_LINKS.c.record_id.in_(list(record_ids)))))
            .order_by(_OPS.c.id).limit(limit))
        with self.engine.connect() as conn:
            return [RecordAuditEntry(r.id, r.at, r.user_name, r.action, r.record_id, r.before,
                                     r.after, r.note) for r in conn.execute(stmt)]
