"""Ask the store for records (issue 4 §4): the filters `armstrace query` takes, as plain
`Record`s or, with the `pandas` extra installed, as a DataFrame.

    from armstrace.fuse import query
    with open_store() as store:
        for r in query(store, supplier="PRK", recipient="RUS", since="2024-01", min_sources=2):
            print(r.to_dict())

The stored records are fused from reviewed values already (rejected claims out, corrections
in, merges and splits applied). `accepted_only=True` goes further: the records are fused
afresh, in memory, from only the claims a person accepted or corrected, so every source they
count was vouched for; their ids are the stored records' ids wherever the keys agree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from armstrace.errors import ConfigError
from armstrace.fuse.fuser import fuse_claims
from armstrace.fuse.records import RECORD_KEYS, Record

if TYPE_CHECKING:
    import pandas

    from armstrace.store import Store


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """Filters on records; None (or 0) means no filter. Dates are ISO dates or prefixes."""

    kind: str | None = None
    supplier: str | None = None
    recipient: str | None = None
    actor: str | None = None
    category: str | None = None
    stage: str | None = None
    since: str | None = None
    until: str | None = None
    min_sources: int = 0
    #: the strongest certainty of the record's claims (the web UI's filter too)
    certainty: str | None = None
    #: unreviewed, in_review or reviewed
    review: str | None = None

    def matches(self, r: Record) -> bool:
        """Whether `r` passes every filter, as `Store.iter_records` applies them in SQL."""
        for want, have in ((self.kind, r.kind), (self.supplier, r.supplier),
                           (self.recipient, r.recipient), (self.actor, r.actor),
                           (self.category, r.item_category), (self.stage, r.stage)):
            if want is not None and want != have:
                return False
        if self.since and (r.last_reported is None or r.last_reported < self.since):
            return False
        if self.until and (r.first_reported is None
                           or r.first_reported > self.until + "\uffff"):
            return False
        return r.n_independent_sources >= self.min_sources


def accepted_records(store: Store) -> list[Record]:
    """Records fused from accepted and corrected claims alone (merges and splits applied),
    most independent sources first. Every one is marked "reviewed"."""
    records = fuse_claims(store.iter_fuse_inputs(accepted_only=True),
                          overrides=store.fuse_overrides())
    for r in records:
        r.review = "reviewed"
    records.sort(key=lambda r: (-r.n_independent_sources, r.first_reported or "", r.record_id))
    return records


def query(store: Store, q: RecordQuery | None = None, *, accepted_only: bool = False,
          **filters: Any) -> list[Record]:
    """Records matching `q` (or the same filters as keywords), most independent sources first;
    with `accepted_only`, fused from accepted claims alone (module docstring)."""
    if q is None:
        q = RecordQuery(**filters)
    elif filters:
        raise TypeError("give a RecordQuery or keyword filters, not both")
    if accepted_only:
        return [r for r in accepted_records(store) if q.matches(r)]
    return list(store.iter_records(**asdict(q)))


#: the DataFrame columns: SPEC §10 keys, then what the SPEC JSON leaves out
FRAME_COLUMNS: tuple[str, ...] = (*RECORD_KEYS, "n_carried", "sources", "delivery_years")


def records_frame(records: list[Record]) -> pandas.DataFrame:
    """Records as a DataFrame, one row each (needs the `pandas` extra)."""
    try:
        import pandas as pd
    except ImportError as e:
        raise ConfigError(
            "DataFrames need pandas: pip install 'armstrace[pandas]'") from e
    rows = []
    for r in records:
        row = r.to_dict()
        row.update(n_carried=r.n_carried, sources=list(r.sources),
                   delivery_years=list(r.delivery_years))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


def query_frame(store: Store, q: RecordQuery | None = None,
                **filters: Any) -> pandas.DataFrame:
    """`query` as a DataFrame (needs the `pandas` extra)."""
    return records_frame(query(store, q, **filters))
