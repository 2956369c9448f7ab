"""Indexes for browsing a large store (issue 5): the records list in its order, per filter.

The records list pages by key in the order (n_independent_sources, last_reported, record_id),
all descending: `ix_records_order` serves it directly (read backwards), and each
`ix_records_<facet>_order` serves the same order under one equality filter, which is also
what a narrow selection's facets count from. `ix_records_facets` holds every column a filter,
a facet or the network reads, so the facets and the network of a broad selection scan this
index instead of the wide record rows (their JSON lists make a table scan of 100,000 records
cost a quarter of a second per facet). `ix_records_fused_at` makes the data-version stamp the
web caches key on a single index lookup.

Revision ID: 0005_browse_indexes
Revises: 0004_review_ops
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_browse_indexes"
down_revision: str | None = "0004_review_ops"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER = ["n_independent_sources", "last_reported", "record_id"]
#: index name → leading filter column (None: the order alone)
INDEXES: dict[str, str | None] = {
    "ix_records_order": None,
    "ix_records_supplier_order": "supplier",
    "ix_records_recipient_order": "recipient",
    "ix_records_category_order": "item_category",
    "ix_records_certainty_order": "strongest_certainty",
    "ix_records_stage_order": "stage",
    "ix_records_review_order": "review",
}

#: every column the records filters, facets and network read (see armstrace/store/browse.py)
FACET_COLUMNS = ["kind", "last_reported", "first_reported", "n_independent_sources", "supplier",
                 "recipient", "actor", "item_category", "strongest_certainty", "stage", "review",
                 "n_claims"]


def upgrade() -> None:
    for name, lead in INDEXES.items():
        op.create_index(name, "records", ([lead] if lead else []) + ORDER)
    op.create_index("ix_records_facets", "records", FACET_COLUMNS)
    op.create_index("ix_records_fused_at", "records", ["fused_at"])


def downgrade() -> None:
    op.drop_index("ix_records_fused_at", table_name="records")
    op.drop_index("ix_records_facets", table_name="records")
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="records")
