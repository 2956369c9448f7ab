"""Fused records (SPEC §10) and the claims each was fused from.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("partition", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("supplier", sa.String(64), nullable=True),
        sa.Column("recipient", sa.String(64), nullable=True),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("parties", sa.JSON(), nullable=True),
        sa.Column("item_category", sa.String(32), nullable=True),
        sa.Column("designations", sa.JSON(), nullable=False),
        sa.Column("first_reported", sa.String(64), nullable=True),
        sa.Column("last_reported", sa.String(64), nullable=True),
        sa.Column("n_claims", sa.Integer(), nullable=False),
        sa.Column("n_documents", sa.Integer(), nullable=False),
        sa.Column("n_independent_sources", sa.Integer(), nullable=False),
        sa.Column("n_carried", sa.Integer(), nullable=False),
        sa.Column("strongest_certainty", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("stage_history", sa.JSON(), nullable=False),
        sa.Column("quantity_min", sa.Float(), nullable=True),
        sa.Column("quantity_max", sa.Float(), nullable=True),
        sa.Column("quantity_unit", sa.String(64), nullable=True),
        sa.Column("denied_by", sa.JSON(), nullable=False),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("delivery_years", sa.JSON(), nullable=False),
        sa.Column("review", sa.String(32), nullable=False),
        sa.Column("fused_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_records_partition", "records", ["partition"])
    op.create_index("ix_records_transfer", "records",
                    ["kind", "supplier", "recipient", "item_category"])
    op.create_index("ix_records_actor", "records", ["actor"])
    op.create_table(
        "record_claims",
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("claim_id", sa.Integer(), primary_key=True),
        sa.ForeignKeyConstraint(["record_id"], ["records.record_id"],
                                name="fk_record_claims_record_id", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"],
                                name="fk_record_claims_claim_id", ondelete="CASCADE"),
    )
    op.create_index("ix_record_claims_claim_id", "record_claims", ["claim_id"])


def downgrade() -> None:
    op.drop_table("record_claims")
    op.drop_table("records")
