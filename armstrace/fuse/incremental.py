"""Keep the store's records up to date: after an ingest run, re-fuse only the partitions its
documents touched; `refresh_all` re-fuses everything (`armstrace fuse`).

Both write the same records as fusing every claim from scratch would, because a partition's
records depend only on that partition's claims (`keys.py`) and ids only on keys. Reviewers'
merges and splits can tie partitions together, so a partition is re-fused with every partition
an override links to it (`overrides.linked_partitions`). Both read claims with their reviewed
values, and `refresh_claims` redoes the records a review of some claims changes. A run stopped
before its re-fusion leaves records behind the claims until the next ingest or `armstrace fuse`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from armstrace.fuse.fuser import fuse_claims
from armstrace.fuse.keys import partition_of
from armstrace.fuse.overrides import linked_partitions

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
    overrides = store.fuse_overrides()
    parts = set(partitions)
    if overrides:
        pinned = {x.claim_id: partition_of(x)
                  for x in store.iter_fuse_inputs(claim_ids=list(overrides.pins))
                  if x.claim_id is not None}
        parts = linked_partitions(parts, overrides, pinned)
    inputs = list(store.iter_fuse_inputs(parts))
    records = fuse_claims(inputs, overrides=overrides)
    store.replace_records(records, parts)
    return FuseSummary(len(parts), len(inputs), len(records))


def refresh_documents(store: Store, doc_ids: Collection[str]) -> FuseSummary:
    """Re-fuse the partitions the claims of `doc_ids` (every version) belong to."""
    return refresh_partitions(store, store.partitions_of_documents(doc_ids))


def refresh_run(store: Store, run_id: int) -> FuseSummary:
    """Re-fuse what one ingest run changed (the ingest service calls this at its end)."""
    return refresh_documents(store, store.documents_of_run(run_id))


def refresh_claims(store: Store, claim_ids: Collection[int]) -> FuseSummary:
    """Re-fuse the records a review of `claim_ids` changes: those the claims back now, and
    those their reviewed values put them in (call it after the review is stored)."""
    return refresh_partitions(store, store.partitions_of_claims(claim_ids))


def refresh_records(store: Store, record_ids: Collection[str]) -> FuseSummary:
    """Re-fuse the partitions of the stored records `record_ids` (after a merge or split)."""
    return refresh_partitions(store, set(store.record_partitions(record_ids).values()))


def refresh_all(store: Store) -> FuseSummary:
    """Re-fuse every claim and replace every record."""
    inputs = list(store.iter_fuse_inputs())
    records = fuse_claims(inputs, overrides=store.fuse_overrides())
    store.replace_records(records, None)
    return FuseSummary(len({r.partition for r in records}), len(inputs), len(records))
