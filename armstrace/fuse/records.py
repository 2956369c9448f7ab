"""The values fusion takes in and gives out: `FuseInput` (one claim in its document's context)
and `Record` (SPEC §10), plain dataclasses so the fuser can be fed by hand, by the store or by a
generator (bench/fuse.py) alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from armstrace.models import Claim

#: the SPEC §10 keys of a record, in the order `Record.to_dict` writes them
RECORD_KEYS: tuple[str, ...] = (
    "record_id", "kind", "supplier", "recipient", "actor", "parties", "item_category",
    "designations", "first_reported", "last_reported", "n_claims", "n_documents",
    "n_independent_sources", "strongest_certainty", "stage", "stage_history", "quantity",
    "denied_by", "conflict", "review",
)


@dataclass(frozen=True, slots=True)
class FuseInput:
    """One claim with what fusion needs of its document: where, when, which story.

    Flat on purpose: a million of these must fit in memory (bench/fuse.py), and the store
    builds them straight from rows without making `Claim` objects first.
    """

    doc_id: str
    kind: str
    item_category: str | None
    stage: str
    certainty: str
    polarity: str
    source_name: str | None
    source_type: str
    date: str | None = None
    story_id: str | None = None
    outlet: str | None = None
    supplier: str | None = None
    recipient: str | None = None
    actor: str | None = None
    parties: tuple[str, ...] | None = None
    item_text: str | None = None
    quantity_value: float | None = None
    quantity_unit: str | None = None
    source_affiliation: str | None = None
    claim_id: int | None = None

    @classmethod
    def of(cls, claim: Claim, doc_id: str, *, date: str | None = None,
           story_id: str | None = None, outlet: str | None = None,
           claim_id: int | None = None) -> FuseInput:
        """A fusion input from a SPEC §7 claim and its document's fields."""
        q = claim.quantity
        return cls(
            doc_id=doc_id, kind=claim.kind, item_category=claim.item_category,
            stage=claim.stage, certainty=claim.certainty, polarity=claim.polarity,
            source_name=claim.source.name, source_type=claim.source.type, date=date,
            story_id=story_id, outlet=outlet, supplier=claim.supplier,
            recipient=claim.recipient, actor=claim.actor,
            parties=tuple(sorted(claim.parties)) if claim.parties is not None else None,
            item_text=claim.item_text,
            quantity_value=float(q.value) if q is not None else None,
            quantity_unit=q.unit if q is not None else None,
            source_affiliation=claim.source.affiliation, claim_id=claim_id,
        )


@dataclass(frozen=True, slots=True)
class StageEntry:
    """A stage a record reached, and the date it was first reported at."""

    stage: str
    first_reported: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "first_reported": self.first_reported}


@dataclass(frozen=True, slots=True)
class QuantityRange:
    """The smallest and largest quantity reported, in the record's most reported unit."""

    min: int | float
    max: int | float
    unit: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "unit": self.unit}


@dataclass(slots=True)
class Record:
    """One reported transfer, programme or agreement fused from many claims (SPEC §10).

    Besides the SPEC fields it keeps what the CSV, table and register views show and the SPEC
    JSON does not: `n_carried` (how many times the independent sources were carried, counting
    every document), `sources` (their names), `delivery_years`, and the claims and documents
    behind it.
    """

    record_id: str
    kind: str
    partition: str
    supplier: str | None = None
    recipient: str | None = None
    actor: str | None = None
    parties: list[str] | None = None
    item_category: str | None = None
    designations: list[str] = field(default_factory=list)
    first_reported: str | None = None
    last_reported: str | None = None
    n_claims: int = 0
    n_documents: int = 0
    n_independent_sources: int = 0
    n_carried: int = 0
    strongest_certainty: str = "possible"
    stage: str = "unspecified"
    stage_history: list[StageEntry] = field(default_factory=list)
    quantity: QuantityRange | None = None
    denied_by: list[str] = field(default_factory=list)
    conflict: bool = False
    review: str = "unreviewed"
    sources: list[str] = field(default_factory=list)
    delivery_years: list[str] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The SPEC §10 object: exactly `RECORD_KEYS`, in that order."""
        return {
            "record_id": self.record_id,
            "kind": self.kind,
            "supplier": self.supplier,
            "recipient": self.recipient,
            "actor": self.actor,
            "parties": list(self.parties) if self.parties is not None else None,
            "item_category": self.item_category,
            "designations": list(self.designations),
            "first_reported": self.first_reported,
            "last_reported": self.last_reported,
            "n_claims": self.n_claims,
            "n_documents": self.n_documents,
            "n_independent_sources": self.n_independent_sources,
            "strongest_certainty": self.strongest_certainty,
            "stage": self.stage,
            "stage_history": [s.to_dict() for s in self.stage_history],
            "quantity": self.quantity.to_dict() if self.quantity is not None else None,
            "denied_by": list(self.denied_by),
            "conflict": self.conflict,
            "review": self.review,
        }
