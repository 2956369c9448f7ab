"""What a record says, read off its claims: stage history, strongest certainty, quantity range,
denials and conflict (SPEC §10).

Only affirmed claims move a record along its stages or give it a quantity: "Moscow denied the
delivery" is a denial, not a delivery. The strongest certainty is that of the affirmed claims
(of all claims when every one is a denial).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from armstrace import vocab
from armstrace.fuse.independence import source_key
from armstrace.fuse.records import FuseInput, QuantityRange, StageEntry

#: stage order per kind; "unspecified" is not a stage reached, so it is left out
STAGE_ORDER: dict[str, tuple[str, ...]] = {
    "transfer": ("requested", "offered", "approved", "agreed", "delivered"),
    "development": vocab.STAGES["development"],
    "agreement": vocab.STAGES["agreement"],
}


def report_date(raw: str | None) -> str | None:
    """The date part of an ISO 8601 value ("2024-11-02T10:00Z" → "2024-11-02"), or None."""
    if not raw:
        return None
    return raw[:10]


def stage_history(kind: str, claims: Sequence[FuseInput]) -> list[StageEntry]:
    """Each stage the affirmed claims reached, in stage order, with its first report date."""
    order = STAGE_ORDER[kind]
    first: dict[str, str | None] = {}
    for x in claims:
        if x.polarity != "affirmed" or x.stage not in order:
            continue
        d = report_date(x.date)
        if x.stage not in first:
            first[x.stage] = d
        else:
            have = first[x.stage]
            if d is not None and (have is None or d < have):
                first[x.stage] = d
    return [StageEntry(s, first[s]) for s in order if s in first]


def current_stage(kind: str, history: Sequence[StageEntry],
                  claims: Sequence[FuseInput]) -> str:
    """The furthest stage reached; for a transfer never staged, "unspecified"."""
    if history:
        return history[-1].stage
    if kind == "transfer":
        return "unspecified"
    order = STAGE_ORDER[kind]
    staged = [x.stage for x in claims if x.stage in order]
    return max(staged, key=order.index) if staged else order[0]


def strongest_certainty(claims: Sequence[FuseInput]) -> str:
    affirmed = [x.certainty for x in claims if x.polarity == "affirmed"]
    pool = affirmed or [x.certainty for x in claims]
    return max(pool, key=lambda c: vocab.CERTAINTY_RANK.get(c, -1))


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def quantity_range(claims: Sequence[FuseInput]) -> QuantityRange | None:
    """Min and max of the affirmed quantities in the most reported unit (ties: by name)."""
    found = [(x.quantity_unit, x.quantity_value) for x in claims
             if x.polarity == "affirmed" and x.quantity_value is not None]
    if not found:
        return None
    units = Counter(u for u, _ in found)
    top = max(units.values())
    unit = min((u for u, n in units.items() if n == top), key=lambda u: (u is None, u or ""))
    values = [v for u, v in found if u == unit and v is not None]
    return QuantityRange(_number(min(values)), _number(max(values)), unit)


def denier(x: FuseInput) -> str:
    """Who is behind a negated claim: the actor id of the source's affiliation or name when it
    is one (SPEC §2), else the source's name as written."""
    for value in (x.source_affiliation, x.source_name):
        if value and (vocab.ACTOR_UPPER_RE.match(value) or value in vocab.BODIES):
            return value
    return x.source_name or "unknown"


def denied_by(claims: Sequence[FuseInput]) -> list[str]:
    return sorted({denier(x) for x in claims if x.polarity == "negated"})


def conflict(claims: Sequence[FuseInput]) -> bool:
    """True when the record holds affirmed and negated claims from different sources."""
    affirmed = {source_key(x) for x in claims if x.polarity == "affirmed"}
    negated = {source_key(x) for x in claims if x.polarity == "negated"}
    return bool(affirmed and negated) and len(affirmed | negated) > 1


def delivery_years(claims: Sequence[FuseInput]) -> list[str]:
    """Years in which a delivery was reported (the register's "years of delivery")."""
    return sorted({x.date[:4] for x in claims
                   if x.polarity == "affirmed" and x.stage == "delivered" and x.date})
