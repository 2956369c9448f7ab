"""Rows to model values and back: `Claim` ⇄ `claims` columns, `documents` row → StoredDocument;
and long value lists cut to the size of one `IN (...)`.

Pure functions, no queries (those live in `repository.py`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Final, TypeVar

from armstrace.models import Claim, Quantity, Source, Span
from armstrace.store.records import StoredDocument
from armstrace.store.tables import ClaimRow, DocumentRow

T = TypeVar("T")
# values bound in one IN (...): well under SQLite's parameter limit, few round trips
IN_LIST_SIZE: Final = 500


def in_lists(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most IN_LIST_SIZE, one `IN (...)` each."""
    for i in range(0, len(items), IN_LIST_SIZE):
        yield items[i : i + IN_LIST_SIZE]


def stored_document(row: DocumentRow, n_claims: int) -> StoredDocument:
    return StoredDocument(
        doc_id=row.doc_id, url=row.url, source_path=row.source_path, title=row.title,
        outlet=row.outlet, date=row.date, language=row.language, author=row.author,
        text=row.text, content_hash=row.content_hash, story_id=row.story_id,
        copy_of=row.copy_of, via=tuple(row.via or ()), version=row.version,
        superseded=bool(row.superseded), n_claims=n_claims, ingest_run_id=row.ingest_run_id,
        created_at=row.created_at,
    )


def claim_values(document_id: int, ordinal: int, c: Claim, pipeline_version: str | None,
                  lexicon_version: str | None) -> dict[str, Any]:
    """The `claims` row of one claim, as column values."""
    q = c.quantity
    return {
        "document_id": document_id, "ordinal": ordinal, "kind": c.kind,
        "supplier": c.supplier, "recipient": c.recipient, "actor": c.actor,
        "parties": sorted(c.parties) if c.parties is not None else None,
        "supplier_entity": c.supplier_entity, "recipient_entity": c.recipient_entity,
        "actor_entity": c.actor_entity, "item_text": c.item_text,
        "item_category": c.item_category,
        "quantity_value": float(q.value) if q else None,
        "quantity_qualifier": q.qualifier if q else None,
        "quantity_unit": q.unit if q else None, "stage": c.stage, "certainty": c.certainty,
        "polarity": c.polarity, "timing": c.timing, "source_name": c.source.name,
        "source_type": c.source.type, "source_affiliation": c.source.affiliation,
        "source_cue": c.source.cue, "source_via": list(c.source.via),
        "evidence": [[sp.start, sp.end] for sp in c.evidence],
        "trigger_start": c.trigger.start if c.trigger else None,
        "trigger_end": c.trigger.end if c.trigger else None,
        "confidence": c.confidence, "rules": list(c.rules), "lexicon_ids": list(c.lexicon_ids),
        "pipeline_version": pipeline_version, "lexicon_version": lexicon_version,
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def claim_from_row(r: ClaimRow) -> Claim:
    quantity = None
    if r.quantity_value is not None and r.quantity_qualifier is not None:
        quantity = Quantity(_number(r.quantity_value), r.quantity_qualifier, r.quantity_unit)
    trigger = None
    if r.trigger_start is not None and r.trigger_end is not None:
        trigger = Span(r.trigger_start, r.trigger_end)
    return Claim(
        kind=r.kind, item_text=r.item_text, item_category=r.item_category, stage=r.stage,
        certainty=r.certainty, polarity=r.polarity, timing=r.timing,
        source=Source(r.source_name, r.source_type, r.source_affiliation, r.source_cue,
                      tuple(r.source_via or ())),
        evidence=[Span(int(a), int(b)) for a, b in r.evidence],
        trigger=trigger, supplier=r.supplier, recipient=r.recipient, actor=r.actor,
        parties=list(r.parties) if r.parties is not None else None, quantity=quantity,
        confidence=r.confidence, supplier_entity=r.supplier_entity,
        recipient_entity=r.recipient_entity, actor_entity=r.actor_entity,
        rules=list(r.rules or ()), lexicon_ids=list(r.lexicon_ids or ()),
    )
