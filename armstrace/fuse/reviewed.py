"""Fusion from reviewed values (issue 5): a claim enters fusion as reviewers left it.

A rejected claim does not enter at all, so it no longer counts towards any record's sources,
certainty, denials or dates. A corrected claim enters with its corrections laid over what the
extractor read, so a claim whose recipient or category was corrected fuses with the record its
corrected key belongs to. The overlay is the one `armstrace.review` stores (SPEC §7 keys,
`quantity` and `source` as whole objects), already validated when it was saved; here it is
mapped onto the flat `FuseInput` without building a `Claim`, because fusion reads many claims.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from armstrace.fuse.records import FuseInput

#: SPEC §7 keys that map one to one onto `FuseInput` fields
_PLAIN: Final = ("kind", "supplier", "recipient", "actor", "item_text", "item_category",
                 "stage", "certainty", "polarity")


def reviewed_input(x: FuseInput, state: str | None,
                   values: Mapping[str, Any] | None) -> FuseInput | None:
    """`x` with a review applied: None when rejected, the corrections laid over it otherwise."""
    if state == "rejected":
        return None
    if not values:
        return x
    changes: dict[str, Any] = {k: values[k] for k in _PLAIN if k in values}
    if "parties" in values:
        parties = values["parties"]
        changes["parties"] = tuple(sorted(parties)) if parties is not None else None
    if "quantity" in values:
        q = values["quantity"]
        changes["quantity_value"] = float(q["value"]) if q else None
        changes["quantity_unit"] = q.get("unit") if q else None
    if values.get("source"):
        s = values["source"]
        changes["source_name"] = s.get("name")
        changes["source_type"] = s.get("type", x.source_type)
        changes["source_affiliation"] = s.get("affiliation")
    return replace(x, **changes) if changes else x
