"""A register-style CSV modelled on the SIPRI Arms Transfers Database trade register: one line
per reported transfer (issue 4 §5).

The SIPRI register lists what was ordered and delivered; armstrace lists what was *reported*,
so every line says how: `status` is the furthest stage reported ("delivered", "agreed"…),
`number` the reported quantity or range, `year_of_order` the year the agreement was first
reported, `years_of_delivery` the years deliveries were reported in, and `comments` the
certainty, denials and conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from armstrace.fuse.records import Record

REGISTER_COLUMNS: tuple[str, ...] = (
    "supplier", "recipient", "designation", "category", "number", "year_of_order",
    "years_of_delivery", "status", "comments", "sources", "record_id",
)


def _number(r: Record) -> str:
    q = r.quantity
    if q is None:
        return ""
    n = str(q.min) if q.min == q.max else f"{q.min}-{q.max}"
    return f"{n} {q.unit}" if q.unit else n


def _years(years: list[str]) -> str:
    if not years:
        return ""
    if len(years) > 1 and int(years[-1]) - int(years[0]) == len(years) - 1:
        return f"{years[0]}-{years[-1]}"
    return "; ".join(years)


def register_rows(records: Iterable[Record]) -> Iterator[dict[str, Any]]:
    """Register lines of the transfer records, in supplier, recipient, first report order."""
    transfers = sorted((r for r in records if r.kind == "transfer"),
                       key=lambda r: (r.supplier or "", r.recipient or "",
                                      r.first_reported or "", r.record_id))
    for r in transfers:
        agreed = next((s.first_reported for s in r.stage_history if s.stage == "agreed"), None)
        comments = [f"{r.n_independent_sources} independent sources "
                    f"({r.n_carried} carried, {r.n_documents} documents)",
                    f"strongest certainty {r.strongest_certainty}"]
        if r.stage_history:
            comments.append("reported " + ", ".join(
                f"{s.stage} {s.first_reported or 'undated'}" for s in r.stage_history))
        if r.denied_by:
            comments.append("denied by " + ", ".join(r.denied_by))
        if r.conflict:
            comments.append("conflicting reports")
        yield {
            "supplier": r.supplier, "recipient": r.recipient,
            "designation": "; ".join(r.designations), "category": r.item_category,
            "number": _number(r), "year_of_order": agreed[:4] if agreed else "",
            "years_of_delivery": _years(r.delivery_years),
            "status": r.stage,
            "comments": "; ".join(comments), "sources": "; ".join(r.sources),
            "record_id": r.record_id,
        }
