"""SPEC §7 JSON in and out of the model, with strict validation (unknown values are errors)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from armstrace.errors import ValidationError
from armstrace.extract.lexicon import default_lexicons
from armstrace.models import claim_from_dict, document_from_dict

CLAIM: dict[str, Any] = {
    "kind": "transfer",
    "supplier": "PRK",
    "recipient": "RUS",
    "item_text": "artillery shells",
    "item_category": "ammunition",
    "quantity": {"value": 10000, "qualifier": "at_least", "unit": "shells"},
    "stage": "delivered",
    "certainty": "certain",
    "polarity": "affirmed",
    "timing": "past",
    "source": {
        "name": "Bruce Klingner",
        "type": "analyst",
        "affiliation": "Heritage Foundation",
        "cue": "said",
        "via": [],
    },
    "evidence": [{"start": 10, "end": 50}],
    "trigger": {"start": 20, "end": 28},
    "confidence": 0.8,
}


def test_round_trip_keeps_every_spec_key() -> None:
    claim = claim_from_dict(CLAIM, known_actor=default_lexicons().is_actor)
    out = claim.to_dict(provenance=False)
    assert out == CLAIM
    assert json.loads(json.dumps(out)) == CLAIM


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("item_category",), "lasers", "unknown item_category 'lasers'"),
        (("supplier",), "XYZ", "unknown actor id 'XYZ'"),
        (("supplier",), "North Korea", "malformed actor id"),
        (("stage",), "test", "unknown transfer stage 'test'"),
        (("certainty",), "sure", "unknown certainty 'sure'"),
        (("polarity",), "denied", "unknown polarity"),
        (("timing",), "soon", "unknown timing"),
        (("source", "type"), "blog", "unknown source type 'blog'"),
        (("quantity", "qualifier"), "roughly", "unknown qualifier"),
        (("quantity", "value"), "many", "quantity value must be a number"),
        (("kind",), "sale", "unknown kind 'sale'"),
        (("evidence",), [], "claim has no evidence"),
    ],
)
def test_values_outside_the_spec_are_errors(
    path: tuple[str, ...], value: Any, message: str
) -> None:
    bad = copy.deepcopy(CLAIM)
    target = bad
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError) as err:
        claim_from_dict(bad, "gold.jsonl:3", known_actor=default_lexicons().is_actor)
    assert message in str(err.value)
    assert "gold.jsonl:3" in str(err.value)


def test_kind_specific_keys() -> None:
    dev = {**CLAIM, "kind": "development", "actor": "PRK", "stage": "test"}
    del dev["supplier"], dev["recipient"]
    out = claim_from_dict(dev).to_dict(provenance=False)
    assert "actor" in out and "supplier" not in out
    agr = {
        **CLAIM,
        "kind": "agreement",
        "parties": ["RUS", "PRK"],
        "stage": "ratified",
        "item_category": None,
    }
    out = claim_from_dict(agr).to_dict(provenance=False)
    assert out["parties"] == ["PRK", "RUS"] and out["item_category"] is None
    with pytest.raises(ValidationError, match="2\\+ parties"):
        claim_from_dict({**agr, "parties": ["PRK"]})


def test_slug_and_unknown_actor_ids_are_accepted() -> None:
    c = claim_from_dict(
        {**CLAIM, "supplier": "unknown", "recipient": "wagner-group"},
        known_actor=default_lexicons().is_actor,
    )
    assert (c.supplier, c.recipient) == ("unknown", "wagner-group")


def test_document_requires_id_and_text() -> None:
    d = document_from_dict({"id": 7, "text": "x", "outlet": "Wire", "date": "2024-01-02"})
    assert (d.id, d.outlet, d.date) == ("7", "Wire", "2024-01-02")
    with pytest.raises(ValidationError, match="no 'text'"):
        document_from_dict({"id": "a", "text": None})
