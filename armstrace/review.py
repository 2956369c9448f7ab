"""Reviewer corrections to a claim: which fields may change, how a form's text becomes SPEC §7
values, and how the corrected claim is checked (issue 5, Review).

A correction is an *overlay*: a dict of SPEC §7 keys (`quantity` and `source` as whole objects)
laid over the extractor's claim. The stored claim never changes, so the audit log can always
show what the machine read next to what a person decided; `apply_overrides` re-validates the
result with `claim_from_dict`, the same gate every SPEC §7 input passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from armstrace.errors import ValidationError
from armstrace.models import Claim, claim_from_dict

#: review states a claim can be in; "corrected" counts as accepted (a person vouched for it)
STATES: Final = ("unreviewed", "accepted", "corrected", "rejected")
ACCEPTED_STATES: Final = frozenset({"accepted", "corrected"})

#: form fields a reviewer may correct, in the order the form shows them
FIELDS: Final = (
    "kind", "supplier", "recipient", "actor", "parties", "item_text", "item_category",
    "quantity_value", "quantity_qualifier", "quantity_unit", "stage", "certainty", "polarity",
    "timing", "source_name", "source_type", "source_affiliation", "supplier_entity",
    "recipient_entity", "actor_entity",
)
_PLAIN: Final = frozenset({
    "kind", "supplier", "recipient", "actor", "item_text", "item_category", "stage",
    "certainty", "polarity", "timing", "supplier_entity", "recipient_entity", "actor_entity",
})
#: typed in a field, this clears an optional value (quantity, entity, affiliation)
CLEAR: Final = "none"


def _number(text: str) -> int | float:
    try:
        value = float(text)
    except ValueError as e:
        raise ValidationError(f"quantity_value: not a number: {text!r}") from e
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise ValidationError(f"quantity_value: not a usable number: {text!r}")
    return int(value) if value.is_integer() else value


def parse_form(base: Claim, form: Mapping[str, str]) -> dict[str, Any]:
    """The overlay a correction form asks for: only fields given and different from `base`.

    Unknown field names are an error (a typo must not be silently dropped); blank fields are
    left as they are.
    """
    unknown = sorted(set(form) - set(FIELDS))
    if unknown:
        raise ValidationError(f"cannot correct unknown field(s): {', '.join(unknown)}")
    given = {k: v.strip() for k, v in form.items() if v is not None and v.strip() != ""}
    current = base.to_dict(provenance=False)
    out: dict[str, Any] = {}
    for key in _PLAIN & set(given):
        value: Any = None if given[key].lower() == CLEAR and key.endswith("_entity") \
            else given[key]
        if current.get(key) != value:
            out[key] = value
    if "parties" in given:
        parties = sorted(p.strip() for p in given["parties"].split(",") if p.strip())
        if parties != current.get("parties"):
            out["parties"] = parties
    q_keys = {"quantity_value", "quantity_qualifier", "quantity_unit"} & set(given)
    if q_keys:
        quantity = dict(current.get("quantity") or {})
        if given.get("quantity_value", "").lower() == CLEAR:
            new_q: dict[str, Any] | None = None
        else:
            if "quantity_value" in given:
                quantity["value"] = _number(given["quantity_value"])
            if "quantity_qualifier" in given:
                quantity["qualifier"] = given["quantity_qualifier"]
            if "quantity_unit" in given:
                quantity["unit"] = given["quantity_unit"]
            quantity.setdefault("qualifier", "exact")
            quantity.setdefault("unit", None)
            if "value" not in quantity:
                raise ValidationError("quantity: give quantity_value with a qualifier or unit")
            new_q = quantity
        if new_q != current.get("quantity"):
            out["quantity"] = new_q
    s_keys = {"source_name", "source_type", "source_affiliation"} & set(given)
    if s_keys:
        source = dict(current["source"])
        for key in s_keys:
            value = given[key]
            source[key.removeprefix("source_")] = (
                None if value.lower() == CLEAR and key != "source_type" else value)
        if source != current["source"]:
            out["source"] = source
    return out


def apply_overrides(base: Claim, overrides: Mapping[str, Any]) -> Claim:
    """`base` with `overrides` laid over it, checked against the SPEC vocabularies.

    Raises `ValidationError` naming the bad value, e.g. "unknown certainty 'sure'".
    """
    if not overrides:
        return base
    obj = base.to_dict()
    obj.update(overrides)
    # evidence cannot be corrected, so a claim stored without offsets (one imported by hand)
    # must not make every correction of it fail
    return claim_from_dict(obj, "correction", require_evidence=False)
