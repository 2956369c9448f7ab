"""Review web UI, phase 2 (issue 5): record merges and claim pins that fusion applies, and the
append-only log of merges and splits.

Revision ID: 0004_review_ops
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_review_ops"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "record_merges",
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("into_record_id", sa.String(64), nullable=False),
        sa.Column("record_partition", sa.String(512), nullable=False),
        sa.Column("into_partition", sa.String(512), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_record_merges_into", "record_merges", ["into_record_id"])
    op.create_table(
        "claim_pins",
        sa.Column("claim_id", sa.Integer(), primary_key=True),
        sa.Column("group_id", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_claim_pins_claim_id",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_claim_pins_group_id", "claim_pins", ["group_id"])
    op.create_table(
        "record_audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(128), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_table(
        "record_audit_records",
        sa.Column("audit_id", sa.Integer(), primary_key=True),
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.ForeignKeyConstraint(["audit_id"], ["record_audit_log.id"],
                                name="fk_record_audit_records_audit_id", ondelete="CASCADE"),
    )
    op.create_index("ix_record_audit_records_record_id", "record_audit_records", ["record_id"])


def downgrade() -> None:
    op.drop_table("record_audit_records")
    op.drop_table("record_audit_log")
    op.drop_table("claim_pins")
    op.drop_table("record_merges")
