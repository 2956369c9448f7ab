"""Fusion: claims across documents → records of reported transfers, programmes and agreements,
with independent sources counted, stages dated and denials named (SPEC §10, issue 4).

    from armstrace.fuse import fuse_claims, FuseInput, query, refresh_all

`fuse_claims` is the pure core (inputs → records); `refresh_*` keep the store's records up to
date (the ingest service calls `refresh_run` after every run); `query` reads them back.
"""

from armstrace.fuse.fuser import fuse_claims, fuse_partition
from armstrace.fuse.incremental import (
    FuseSummary,
    refresh_all,
    refresh_claims,
    refresh_documents,
    refresh_partitions,
    refresh_records,
    refresh_run,
)
from armstrace.fuse.keys import partition_of, record_id
from armstrace.fuse.overrides import Merge, Overrides
from armstrace.fuse.query import (
    RecordQuery,
    accepted_records,
    query,
    query_frame,
    records_frame,
)
from armstrace.fuse.records import RECORD_KEYS, FuseInput, QuantityRange, Record, StageEntry

__all__ = [
    "RECORD_KEYS",
    "FuseInput",
    "FuseSummary",
    "Merge",
    "Overrides",
    "QuantityRange",
    "Record",
    "RecordQuery",
    "StageEntry",
    "accepted_records",
    "fuse_claims",
    "fuse_partition",
    "partition_of",
    "query",
    "query_frame",
    "record_id",
    "records_frame",
    "refresh_all",
    "refresh_claims",
    "refresh_documents",
    "refresh_partitions",
    "refresh_records",
    "refresh_run",
]
