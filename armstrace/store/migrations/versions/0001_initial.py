"""Initial schema: ingest runs, documents, claims, fetch cache and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: keep in step with armstrace.store.repository.PG_INDEXED_CHARS
PG_INDEXED_CHARS = 300_000

SQLITE_FTS = [
    # external-content FTS5 index over documents(title, text), kept in sync by triggers
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    "title, text, content='documents', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]

PG_FTS = [
    # title weighs more than body (A vs B); the body is capped because a tsvector is <= 1 MB
    "ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('english', left(coalesce(text, ''), {PG_INDEXED_CHARS})), 'B')"
    ") STORED",
    "CREATE INDEX ix_documents_search ON documents USING GIN (search_vector)",
]


def upgrade() -> None:
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("pipeline_version", sa.String(32), nullable=True),
        sa.Column("lexicon_version", sa.String(64), nullable=True),
        sa.Column("n_new", sa.Integer(), nullable=False),
        sa.Column("n_duplicate", sa.Integer(), nullable=False),
        sa.Column("n_updated", sa.Integer(), nullable=False),
        sa.Column("n_failed", sa.Integer(), nullable=False),
        sa.Column("n_claims", sa.Integer(), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("doc_id", sa.String(1024), nullable=False),
        sa.Column("url", sa.String(2048), nullable=True),
        sa.Column("source_path", sa.String(2048), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(512), nullable=True),
        sa.Column("date", sa.String(64), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("author", sa.String(512), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("norm_hash", sa.String(64), nullable=True),
        sa.Column("story_id", sa.String(128), nullable=True),
        sa.Column("copy_of", sa.String(1024), nullable=True),
        sa.Column("via", sa.JSON(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.Column("ingest_run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ingest_run_id"], ["ingest_runs.id"],
                                name="fk_documents_ingest_run_id"),
        sa.UniqueConstraint("doc_id", "version", name="uq_documents_doc_id_version"),
    )
    op.create_index("ix_documents_doc_id_current", "documents", ["doc_id", "superseded"])
    op.create_index("ix_documents_url", "documents", ["url"])
    op.create_index("ix_documents_content_hash", "documents", ["content_hash"])
    op.create_index("ix_documents_story_id", "documents", ["story_id"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("supplier", sa.String(64), nullable=True),
        sa.Column("recipient", sa.String(64), nullable=True),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("parties", sa.JSON(), nullable=True),
        sa.Column("supplier_entity", sa.String(512), nullable=True),
        sa.Column("recipient_entity", sa.String(512), nullable=True),
        sa.Column("actor_entity", sa.String(512), nullable=True),
        sa.Column("item_text", sa.Text(), nullable=True),
        sa.Column("item_category", sa.String(32), nullable=True),
        sa.Column("quantity_value", sa.Float(), nullable=True),
        sa.Column("quantity_qualifier", sa.String(16), nullable=True),
        sa.Column("quantity_unit", sa.String(64), nullable=True),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("polarity", sa.String(16), nullable=False),
        sa.Column("timing", sa.String(16), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=True),
        sa.Column("source_type", sa.String(16), nullable=False),
        sa.Column("source_affiliation", sa.Text(), nullable=True),
        sa.Column("source_cue", sa.String(64), nullable=True),
        sa.Column("source_via", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("trigger_start", sa.Integer(), nullable=True),
        sa.Column("trigger_end", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("lexicon_ids", sa.JSON(), nullable=False),
        sa.Column("pipeline_version", sa.String(32), nullable=True),
        sa.Column("lexicon_version", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name="fk_claims_document_id", ondelete="CASCADE"),
    )
    op.create_index("ix_claims_document_id", "claims", ["document_id"])
    op.create_index("ix_claims_transfer_key", "claims",
                    ["kind", "supplier", "recipient", "item_category"])
    op.create_index("ix_claims_actor", "claims", ["actor"])
    op.create_table(
        "fetch_cache",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("etag", sa.String(512), nullable=True),
        sa.Column("last_modified", sa.String(128), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    )
    dialect = op.get_bind().dialect.name
    for stmt in SQLITE_FTS if dialect == "sqlite" else PG_FTS if dialect == "postgresql" else []:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("documents_fts_au", "documents_fts_ad", "documents_fts_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    op.drop_table("fetch_cache")
    op.drop_table("claims")
    op.drop_table("documents")
    op.drop_table("ingest_runs")
