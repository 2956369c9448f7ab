"""Ask the store for records (issue 4 §4): the filters `armstrace query` takes, as plain
`Record`s or, with the `pandas` extra installed, as a DataFrame.

    from armstrace.fuse import query
    with open_store() as store:
        for r in query(store, supplier="PRK", recipient="RUS", since="2024-01", min_sources=2):
            print(r.to_dict())
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from armstrace.errors import ConfigError
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


def query(store: Store, q: RecordQuery | None = None, **filters: Any) -> list[Record]:
    """Records matching `q` (or the same filters as keywords), most independent sources first."""
    if q is None:
        q = RecordQuery(**filters)
    elif filters:
        raise TypeError("give a RecordQuery or keyword filters, not both")
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
