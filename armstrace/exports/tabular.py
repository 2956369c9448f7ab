"""Flat rows of claims, records and documents, and the CSV / JSON Lines writers for them.

JSON Lines keeps the SPEC objects as they are (§7 claims with their `doc_id`, §10 records, §11
documents); CSV needs one value per cell, so lists are joined with "; " and nested objects
spread over columns (`quantity_min`, `source_name`…). Spreadsheets and `csv.DictReader` read
the CSV back with the columns named here.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from armstrace.fuse.records import RECORD_KEYS, Record
from armstrace.models import Claim
from armstrace.store.records import EXPORT_KEYS, StoredDocument

LIST_SEP = "; "

CLAIM_COLUMNS: tuple[str, ...] = (
    "doc_id", "kind", "supplier", "recipient", "actor", "parties", "item_text",
    "item_category", "quantity_value", "quantity_qualifier", "quantity_unit", "stage",
    "certainty", "polarity", "timing", "source_name", "source_type", "source_affiliation",
    "source_cue", "source_via", "evidence", "trigger", "confidence",
)

RECORD_COLUMNS: tuple[str, ...] = (
    "record_id", "kind", "supplier", "recipient", "actor", "parties", "item_category",
    "designations", "first_reported", "last_reported", "n_claims", "n_documents",
    "n_independent_sources", "n_carried", "strongest_certainty", "stage", "stage_history",
    "quantity_min", "quantity_max", "quantity_unit", "denied_by", "conflict", "sources",
    "review",
)

DOCUMENT_COLUMNS: tuple[str, ...] = EXPORT_KEYS


def _join(values: Iterable[Any] | None) -> str | None:
    return None if values is None else LIST_SEP.join(str(v) for v in values)


def claim_row(doc_id: str, c: Claim) -> dict[str, Any]:
    q = c.quantity
    return {
        "doc_id": doc_id, "kind": c.kind, "supplier": c.supplier, "recipient": c.recipient,
        "actor": c.actor, "parties": _join(c.parties), "item_text": c.item_text,
        "item_category": c.item_category, "quantity_value": q.value if q else None,
        "quantity_qualifier": q.qualifier if q else None,
        "quantity_unit": q.unit if q else None, "stage": c.stage, "certainty": c.certainty,
        "polarity": c.polarity, "timing": c.timing, "source_name": c.source.name,
        "source_type": c.source.type, "source_affiliation": c.source.affiliation,
        "source_cue": c.source.cue, "source_via": _join(c.source.via),
        "evidence": _join(f"{s.start}-{s.end}" for s in c.evidence),
        "trigger": f"{c.trigger.start}-{c.trigger.end}" if c.trigger else None,
        "confidence": c.confidence,
    }


def claim_object(doc_id: str, c: Claim) -> dict[str, Any]:
    """The JSON Lines form of a claim: its SPEC §7 object with the `doc_id` first."""
    return {"doc_id": doc_id, **c.to_dict()}


def record_row(r: Record) -> dict[str, Any]:
    q = r.quantity
    return {
        "record_id": r.record_id, "kind": r.kind, "supplier": r.supplier,
        "recipient": r.recipient, "actor": r.actor, "parties": _join(r.parties),
        "item_category": r.item_category, "designations": _join(r.designations),
        "first_reported": r.first_reported, "last_reported": r.last_reported,
        "n_claims": r.n_claims, "n_documents": r.n_documents,
        "n_independent_sources": r.n_independent_sources, "n_carried": r.n_carried,
        "strongest_certainty": r.strongest_certainty, "stage": r.stage,
        "stage_history": _join(f"{s.stage}:{s.first_reported or ''}" for s in r.stage_history),
        "quantity_min": q.min if q else None, "quantity_max": q.max if q else None,
        "quantity_unit": q.unit if q else None, "denied_by": _join(r.denied_by),
        "conflict": r.conflict, "sources": _join(r.sources), "review": r.review,
    }


def document_row(d: StoredDocument) -> dict[str, Any]:
    row = d.to_export_dict()
    row["via"] = _join(row["via"])
    return row


def write_jsonl(objects: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """One compact JSON object a line; returns how many were written."""
    n = 0
    for obj in objects:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: IO[str]) -> int:
    """A header and one line per row (None as an empty cell); returns the rows written."""
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in columns})
        n += 1
    return n


assert set(RECORD_KEYS) - {"quantity"} <= set(RECORD_COLUMNS)
