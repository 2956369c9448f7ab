"""Keep the store's records up to date: after an ingest run, re-fuse only the partitions its
documents touched; `refresh_all` re-fuses everything (`armstrace fuse`).

Both write the same records as fusing every claim from scratch would, because a partition's
records depend only on that partition's claims (`keys.py`) and ids only on keys. A run stopped
before its re-fusion leaves records behind the claims until the next ingest or `armstrace fuse`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from armstrace.fuse.fuser import fuse_claims

if TYPE_CHECKING:
    from armstrace.store import Store


@dataclass(frozen=True, slots=True)
class FuseSummary:
    """What a re-fusion did: partitions re-fused, claims read, records written."""

    partitions: int
    claims: int
    records: int


def refresh_partitions(store: Store, partitions: Collection[str]) -> FuseSummary:
    """Re-fuse `partitions` from the store's current claims and replace their records."""
    if not partitions:
        return FuseSummary(0, 0, 0)
    inputs = list(store.iter_fuse_inputs(partitions))
    records = fuse_claims(inputs)
    store.replace_records(records, partitions)
    return FuseSummary(len(partitions), len(inputs), len(records))


def refresh_documents(store: Store, doc_ids: Collection[str]) -> FuseSummary:
    """Re-fuse the partitions the claims of `doc_ids` (every version) belong to."""
    return refresh_partitions(store, store.partitions_of_documents(doc_ids))


def refresh_run(store: Store, run_id: int) -> FuseSummary:
    """Re-fuse what one ingest run changed (the ingest service calls this at its end)."""
    return refresh_documents(store, store.documents_of_run(run_id))


def refresh_all(store: Store) -> FuseSummary:
    """Re-fuse every claim and replace every record."""
    inputs = list(store.iter_fuse_inputs())
    records = fuse_claims(inputs)
    store.replace_records(records, None)
    return FuseSummary(len({r.partition for r in records}), len(inputs), len(records))
