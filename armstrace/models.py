"""Plain data classes that flow between the pipeline stages, and their SPEC §7 JSON form.

They are deliberately dumb: no ORM, no behaviour beyond (de)serialisation and validation, so
that ingest, extract, fuse and store can each be tested with hand-built values. Validation is
strict on the way *in* (a file naming an unknown category or actor id is an error, not a
silent pass-through), because a bad value that slips into a dataset is found by a reader months
later, far from its cause.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from armstrace import vocab
from armstrace.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets into a document's text (SPEC §6): Python indices, end exclusive."""

    start: int
    end: int

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Quantity:
    """How many of an item (SPEC §3); money is a quantity with unit "USD" or a currency word."""

    value: int | float
    qualifier: str
    unit: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "qualifier": self.qualifier, "unit": self.unit}


@dataclass(frozen=True, slots=True)
class Source:
    """Who asserts a claim (SPEC §5)."""

    name: str | None
    type: str
    affiliation: str | None = None
    cue: str | None = None
    via: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "affiliation": self.affiliation,
            "cue": self.cue,
            "via": list(self.via),
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """A lexicon hit in a text: the phrase, its offsets and the entry it resolved to.

    `value` is what the entry means in its lexicon (an actor id, a §3 category, a cue value);
    `role` is the entry's sub-type (an actor's role, a weapon entry's kind, a trigger's frame).
    """

    start: int
    end: int
    text: str
    lexicon: str
    entry_id: str
    value: str
    role: str
    stage: str = "-"


@dataclass(slots=True)
class Claim:
    """One assertion by one source about one event (SPEC §1).

    Role fields not used by a kind stay None; `to_dict` writes exactly the keys SPEC §7 lists
    for the kind. `rules` and `lexicon_ids` record why the claim was made (house style: every
    claim says which patterns and entries fired).
    """

    kind: str
    item_text: str | None
    item_category: str | None
    stage: str
    certainty: str
    polarity: str
    timing: str
    source: Source
    evidence: list[Span]
    trigger: Span | None = None
    supplier: str | None = None
    recipient: str | None = None
    actor: str | None = None
    parties: list[str] | None = None
    quantity: Quantity | None = None
    confidence: float | None = None
    supplier_entity: str | None = None
    recipient_entity: str | None = None
    actor_entity: str | None = None
    rules: list[str] = field(default_factory=list)
    lexicon_ids: list[str] = field(default_factory=list)

    def key(self) -> tuple[Any, ...]:
        """The SPEC §8 group key (kind-specific) plus polarity."""
        if self.kind == "transfer":
            k: tuple[Any, ...] = (self.kind, self.supplier, self.recipient, self.item_category)
        elif self.kind == "development":
            k = (self.kind, self.actor, self.item_category, self.stage)
        else:
            k = (self.kind, tuple(sorted(self.parties or [])))
        return (*k, self.polarity)

    def to_dict(self, *, provenance: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "transfer":
            out["supplier"] = self.supplier
            out["recipient"] = self.recipient
        elif self.kind == "development":
            out["actor"] = self.actor
        else:
            out["parties"] = sorted(self.parties or [])
        out["item_text"] = self.item_text
        out["item_category"] = self.item_category
        out["quantity"] = self.quantity.to_dict() if self.quantity else None
        out["stage"] = self.stage
        out["certainty"] = self.certainty
        out["polarity"] = self.polarity
        out["timing"] = self.timing
        out["source"] = self.source.to_dict()
        out["evidence"] = [s.to_dict() for s in self.evidence]
        out["trigger"] = self.trigger.to_dict() if self.trigger else None
        out["confidence"] = self.confidence
        for name in ("supplier_entity", "recipient_entity", "actor_entity"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if provenance:
            out["rules"] = list(self.rules)
            out["lexicon_ids"] = list(self.lexicon_ids)
        return out


@dataclass(frozen=True, slots=True)
class Document:
    """An article as the extractor sees it (SPEC §7 input)."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None
    outlet: str | None = None
    # what ingest learns about where the text came from (SPEC §11); extraction ignores these
    language: str | None = None
    author: str | None = None
    source_path: str | None = None
    via: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# validation on the way in


def _need(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise ValidationError(f"{where}: missing key {key!r}")
    return obj[key]


def _choice(value: Any, allowed: tuple[str, ...], what: str, where: str) -> str:
    if value not in allowed:
        raise ValidationError(f"{where}: unknown {what} {value!r} (allowed: {', '.join(allowed)})")
    return str(value)


def check_actor_id(value: Any, where: str, known: Callable[[str], bool] | None = None) -> str:
    """Accept a SPEC §2 actor id: a known uppercase id, a lowercase slug, or "unknown".

    Uppercase ids are checked against `known` (the actor lexicon) when given, because a typo
    such as "RUS " or "URK" is the mistake that slips through a shape check.
    """
    if not isinstance(value, str):
        raise ValidationError(f"{where}: actor id must be a string, got {value!r}")
    if value == "unknown" or vocab.ACTOR_SLUG_RE.match(value):
        return value
    if vocab.ACTOR_UPPER_RE.match(value):
        if value in vocab.BODIES or known is None or known(value):
            return value
        raise ValidationError(f"{where}: unknown actor id {value!r}")
    raise ValidationError(f"{where}: malformed actor id {value!r}")


def _span(obj: Any, where: str) -> Span:
    if not isinstance(obj, Mapping):
        raise ValidationError(f"{where}: span must be an object with start and end")
    start, end = _need(obj, "start", where), _need(obj, "end", where)
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end:
        raise ValidationError(f"{where}: bad span {start!r}..{end!r}")
    return Span(start, end)


def source_from_dict(obj: Any, where: str) -> Source:
    if not isinstance(obj, Mapping):
        raise ValidationError(f"{where}: source must be an object")
    via = obj.get("via") or []
    if not isinstance(via, list) or not all(isinstance(v, str) for v in via):
        raise ValidationError(f"{where}: source.via must be a list of strings")
    return Source(
        name=obj.get("name"),
        type=_choice(_need(obj, "type", where), vocab.SOURCE_TYPES, "source type", where),
        affiliation=obj.get("affiliation"),
        cue=obj.get("cue"),
        via=tuple(via),
    )


def quantity_from_dict(obj: Any, where: str) -> Quantity | None:
    if obj is None:
        return None
    if not isinstance(obj, Mapping):
        raise ValidationError(f"{where}: quantity must be null or an object")
    value = _need(obj, "value", where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{where}: quantity value must be a number, got {value!r}")
    qualifier = _choice(_need(obj, "qualifier", where), vocab.QUALIFIERS, "qualifier", where)
    return Quantity(value, qualifier, obj.get("unit"))


def claim_from_dict(
    obj: Any,
    where: str = "claim",
    *,
    known_actor: Callable[[str], bool] | None = None,
    require_evidence: bool = True,
) -> Claim:
    """Read one SPEC §7 claim object, refusing anything outside the SPEC vocabularies."""
    if not isinstance(obj, Mapping):
        raise ValidationError(f"{where}: claim must be an object")
    kind = _choice(_need(obj, "kind", where), vocab.KINDS, "kind", where)
    category = obj.get("item_category")
    if category is not None or kind != "agreement":
        category = _choice(category, vocab.CATEGORIES, "item_category", where)
    evidence = [_span(s, where) for s in obj.get("evidence") or []]
    if require_evidence and not evidence and not obj.get("evidence_text"):
        raise ValidationError(f"{where}: claim has no evidence (SPEC §6)")
    claim = Claim(
        kind=kind,
        item_text=obj.get("item_text"),
        item_category=category,
        stage=_choice(_need(obj, "stage", where), vocab.STAGES[kind], f"{kind} stage", where),
        certainty=_choice(_need(obj, "certainty", where), vocab.CERTAINTY, "certainty", where),
        polarity=_choice(_need(obj, "polarity", where), vocab.POLARITY, "polarity", where),
        timing=_choice(_need(obj, "timing", where), vocab.TIMING, "timing", where),
        source=source_from_dict(_need(obj, "source", where), where),
        evidence=evidence,
        trigger=_span(obj["trigger"], where) if obj.get("trigger") else None,
        quantity=quantity_from_dict(obj.get("quantity"), where),
        confidence=obj.get("confidence"),
        supplier_entity=obj.get("supplier_entity"),
        recipient_entity=obj.get("recipient_entity"),
        actor_entity=obj.get("actor_entity"),
        rules=list(obj.get("rules") or []),
        lexicon_ids=list(obj.get("lexicon_ids") or []),
    )
    if kind == "transfer":
        claim.supplier = check_actor_id(_need(obj, "supplier", where), where, known_actor)
        claim.recipient = check_actor_id(_need(obj, "recipient", where), where, known_actor)
    elif kind == "development":
        claim.actor = check_actor_id(_need(obj, "actor", where), where, known_actor)
    else:
        parties = _need(obj, "parties", where)
        if not isinstance(parties, list) or len(parties) < 2:
            raise ValidationError(f"{where}: agreement needs a list of 2+ parties")
        claim.parties = sorted(check_actor_id(p, where, known_actor) for p in parties)
    return claim


def document_from_dict(obj: Any, where: str = "document") -> Document:
    """Read one SPEC §7 input object (`id` and `text` required)."""
    if not isinstance(obj, Mapping):
        raise ValidationError(f"{where}: a document must be a JSON object")
    doc_id, text = obj.get("id"), obj.get("text")
    if doc_id is None or doc_id == "":
        raise ValidationError(f"{where}: document has no 'id'")
    if not isinstance(text, str):
        raise ValidationError(f"{where}: document has no 'text' string")

    def opt(key: str) -> str | None:
        value = obj.get(key)
        return None if value is None else str(value)

    return Document(
        id=str(doc_id),
        text=text,
        title=opt("title"),
        url=opt("url"),
        date=opt("date"),
        outlet=opt("outlet"),
    )
