"""The store's tables, as SQLAlchemy 2 typed declarative models.

These classes describe rows; they are not the objects the pipeline passes around
(`armstrace.models` has those) and nothing outside `armstrace.store` should import them.
Queries live in `repository.py`; the schema itself is created by the Alembic migrations in
`migrations/versions/`, which must be kept in step with this file (a test compares them).

Values are stored the way SPEC §7 and §11 write them: dates as ISO 8601 strings (a report may
give only a year or a month), actor ids and vocabulary values as plain strings, lists as JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class IngestRun(Base):
    """One `armstrace ingest` (or one `watch` cycle): when, with what, and what it did."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: running, finished or failed; a run killed mid-way stays "running" for good
    status: Mapped[str] = mapped_column(String(16), default="running")
    args: Mapped[list[str]] = mapped_column(JSON, default=list)
    pipeline_version: Mapped[str | None] = mapped_column(String(32))
    lexicon_version: Mapped[str | None] = mapped_column(String(64))
    n_new: Mapped[int] = mapped_column(Integer, default=0)
    n_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    n_updated: Mapped[int] = mapped_column(Integer, default=0)
    n_failed: Mapped[int] = mapped_column(Integer, default=0)
    n_claims: Mapped[int] = mapped_column(Integer, default=0)


class DocumentRow(Base):
    """One version of one document (SPEC §11). A changed text under the same id is a new row."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("doc_id", "version", name="uq_documents_doc_id_version"),
        Index("ix_documents_doc_id_current", "doc_id", "superseded"),
        Index("ix_documents_url", "url"),
        Index("ix_documents_content_hash", "content_hash"),
        Index("ix_documents_story_id", "story_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(1024))
    url: Mapped[str | None] = mapped_column(String(2048))
    source_path: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(512))
    date: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(16))
    author: Mapped[str | None] = mapped_column(String(512))
    text: Mapped[str] = mapped_column(Text)
    #: sha256 of the exact text: what idempotency and SPEC §6 offsets depend on
    content_hash: Mapped[str] = mapped_column(String(64))
    #: hash of the normalised text, as the syndication index computed it (exact copies share it)
    norm_hash: Mapped[str | None] = mapped_column(String(64))
    story_id: Mapped[str | None] = mapped_column(String(128))
    copy_of: Mapped[str | None] = mapped_column(String(1024))
    via: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the MinHash signature the syndication index keeps, so a later run can rebuild the index
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    ingest_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_runs.id", name="fk_documents_ingest_run_id")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    claims: Mapped[list[ClaimRow]] = relationship(
        back_populates="document", order_by="ClaimRow.ordinal", cascade="all, delete-orphan"
    )


class ClaimRow(Base):
    """One SPEC §7 claim of one document version, with why it was made and by which pipeline."""

    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_document_id", "document_id"),
        Index("ix_claims_transfer_key", "kind", "supplier", "recipient", "item_category"),
        Index("ix_claims_actor", "actor"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", name="fk_claims_document_id", ondelete="CASCADE")
    )
    #: position of the claim in the extractor's output for its document
    ordinal: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    supplier: Mapped[str | None] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(64))
    parties: Mapped[list[str] | None] = mapped_column(JSON)
    supplier_entity: Mapped[str | None] = mapped_column(String(512))
    recipient_entity: Mapped[str | None] = mapped_column(String(512))
    actor_entity: Mapped[str | None] = mapped_column(String(512))
    item_text: Mapped[str | None] = mapped_column(Text)
    item_category: Mapped[str | None] = mapped_column(String(32))
    quantity_value: Mapped[float | None] = mapped_column(Float)
    quantity_qualifier: Mapped[str | None] = mapped_column(String(16))
    quantity_unit: Mapped[str | None] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    certainty: Mapped[str] = mapped_column(String(16))
    polarity: Mapped[str] = mapped_column(String(16))
    timing: Mapped[str] = mapped_column(String(16))
    source_name: Mapped[str | None] = mapped_column(Text)
    source_type: Mapped[str] = mapped_column(String(16))
    source_affiliation: Mapped[str | None] = mapped_column(Text)
    source_cue: Mapped[str | None] = mapped_column(String(64))
    source_via: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: SPEC §6 evidence spans as [[start, end], ...]
    evidence: Mapped[list[list[int]]] = mapped_column(JSON)
    trigger_start: Mapped[int | None] = mapped_column(Integer)
    trigger_end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float | None] = mapped_column(Float)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    lexicon_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    pipeline_version: Mapped[str | None] = mapped_column(String(32))
    lexicon_version: Mapped[str | None] = mapped_column(String(64))

    document: Mapped[DocumentRow] = relationship(back_populates="claims")


class FetchCacheRow(Base):
    """Conditional-GET validators per URL (feeds), so `watch` re-downloads only what changed."""

    __tablename__ = "fetch_cache"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


#: the records list's order (all descending; indexes are read backwards), see migration 0004
_RECORD_ORDER = ("n_independent_sources", "last_reported", "record_id")


class RecordRow(Base):
    """One fused record (SPEC §10), rebuilt by `armstrace.fuse` whenever its claims change.

    `record_id` is derived from the record's key, never from insertion order, so a re-fusion
    writes the same ids; `partition` names the group of claims the record was fused from, which
    is what an incremental re-fusion replaces as a whole.
    """

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_partition", "partition"),
        Index("ix_records_transfer", "kind", "supplier", "recipient", "item_category"),
        Index("ix_records_actor", "actor"),
        # migration 0004: the records list's order, alone and under each facet's filter
        Index("ix_records_order", *_RECORD_ORDER),
        Index("ix_records_supplier_order", "supplier", *_RECORD_ORDER),
        Index("ix_records_recipient_order", "recipient", *_RECORD_ORDER),
        Index("ix_records_category_order", "item_category", *_RECORD_ORDER),
        Index("ix_records_certainty_order", "strongest_certainty", *_RECORD_ORDER),
        Index("ix_records_stage_order", "stage", *_RECORD_ORDER),
        Index("ix_records_review_order", "review", *_RECORD_ORDER),
        Index("ix_records_facets", "kind", "last_reported", "first_reported",
              "n_independent_sources", "supplier", "recipient", "actor", "item_category",
              "strongest_certainty", "stage", "review", "n_claims"),
        Index("ix_records_fused_at", "fused_at"),
    )

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    partition: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(16))
    supplier: Mapped[str | None] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(64))
    parties: Mapped[list[str] | None] = mapped_column(JSON)
    item_category: Mapped[str | None] = mapped_column(String(32))
    designations: Mapped[list[str]] = mapped_column(JSON)
    first_reported: Mapped[str | None] = mapped_column(String(64))
    last_reported: Mapped[str | None] = mapped_column(String(64))
    n_claims: Mapped[int] = mapped_column(Integer)
    n_documents: Mapped[int] = mapped_column(Integer)
    n_independent_sources: Mapped[int] = mapped_column(Integer)
    n_carried: Mapped[int] = mapped_column(Integer)
    strongest_certainty: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16))
    #: [[stage, first_reported], ...] in stage order
    stage_history: Mapped[list[list[str | None]]] = mapped_column(JSON)
    quantity_min: Mapped[float | None] = mapped_column(Float)
    quantity_max: Mapped[float | None] = mapped_column(Float)
    quantity_unit: Mapped[str | None] = mapped_column(String(64))
    denied_by: Mapped[list[str]] = mapped_column(JSON)
    conflict: Mapped[bool] = mapped_column(Boolean)
    sources: Mapped[list[str]] = mapped_column(JSON)
    delivery_years: Mapped[list[str]] = mapped_column(JSON)
    review: Mapped[str] = mapped_column(String(32), default="unreviewed")
    fused_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecordClaimRow(Base):
    """Which stored claims a record was fused from (a claim may back several records)."""

    __tablename__ = "record_claims"
    __table_args__ = (Index("ix_record_claims_claim_id", "claim_id"),)

    record_id: Mapped[str] = mapped_column(
        ForeignKey("records.record_id", name="fk_record_claims_record_id", ondelete="CASCADE"),
        primary_key=True,
    )
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", name="fk_record_claims_claim_id", ondelete="CASCADE"),
        primary_key=True,
    )


class UserRow(Base):
    """A local account of the review web UI (issue 5): viewer, analyst or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    #: an argon2id hash (PHC string); the password itself is never stored
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """A server-side login session. Only the sha256 of the cookie's token is kept, so a copy of
    the database does not hand out live sessions; `csrf` is the token its forms must echo."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user_id", "user_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_sessions_user_id", ondelete="CASCADE")
    )
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginFailureRow(Base):
    """One failed login, by user name and client address: what rate limiting counts."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_name_ip", "name", "ip", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClaimReviewRow(Base):
    """The current review decision on one claim: its state and the corrected field values.

    `values` holds only the fields a reviewer changed (SPEC §7 keys, `quantity` and `source` as
    whole objects); the extractor's claim row stays as it was, so a correction can always be
    compared with what the machine read.
    """

    __tablename__ = "claim_reviews"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", name="fk_claim_reviews_claim_id", ondelete="CASCADE"),
        primary_key=True,
    )
    #: accepted, corrected or rejected (a claim without a row is unreviewed)
    state: Mapped[str] = mapped_column(String(16))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """One review action, append-only: who did what to which claim, before and after.

    No foreign key on `claim_id`: the log must outlive the claim it speaks of.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_claim_id", "claim_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_name: Mapped[str] = mapped_column(String(128))
    claim_id: Mapped[int] = mapped_column(Integer)
    #: accept, correct, reject or note
    action: Mapped[str] = mapped_column(String(16))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class RecordMergeRow(Base):
    """A reviewer's decision that two records are one transfer (issue 5, merge): the claims
    fusion puts in `record_id` go to `into_record_id` instead, on every re-fusion, including
    claims ingested after the decision.

    The partitions are those of both records when the merge was made: incremental re-fusion
    re-fuses linked partitions together (`armstrace.fuse.overrides`).
    """

    __tablename__ = "record_merges"
    __table_args__ = (Index("ix_record_merges_into", "into_record_id"),)

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    into_record_id: Mapped[str] = mapped_column(String(64))
    record_partition: Mapped[str] = mapped_column(String(512))
    into_partition: Mapped[str] = mapped_column(String(512))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClaimPinRow(Base):
    """A claim a reviewer split out of its record (issue 5, split): fusion puts it in the
    record `group_id` whatever its key says, on every re-fusion."""

    __tablename__ = "claim_pins"
    __table_args__ = (Index("ix_claim_pins_group_id", "group_id"),)

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", name="fk_claim_pins_claim_id", ondelete="CASCADE"),
        primary_key=True,
    )
    group_id: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecordAuditRow(Base):
    """One merge or split of records, append-only: who, when, the records before and the
    decision after. No foreign keys: the log outlives the (derived) records it names."""

    __tablename__ = "record_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_name: Mapped[str] = mapped_column(String(128))
    #: merge or split
    action: Mapped[str] = mapped_column(String(16))
    #: the record the claims went to (the merge target, or the new record of a split)
    record_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class RecordAuditLinkRow(Base):
    """Every record a merge or split involved, so each record page finds its entries."""

    __tablename__ = "record_audit_records"
    __table_args__ = (Index("ix_record_audit_records_record_id", "record_id"),)

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("record_audit_log.id", name="fk_record_audit_records_audit_id",
                   ondelete="CASCADE"),
        primary_key=True,
    )
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
