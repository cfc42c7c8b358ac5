"""Screening-list snapshots and their entries (``urif.store.lists_tables``).

Revision ID: 0003_compliance
Revises: 0002_ledger
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_compliance"
down_revision = "0002_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``list_snapshots`` and ``list_entries``."""
    op.create_table(
        "list_snapshots",
        sa.Column("snapshot_id", sa.String(200), nullable=False),
        sa.Column("list_id", sa.String(100), nullable=False),
        sa.Column("snapshot_date", sa.String(10), nullable=False),
        sa.Column("dated_by", sa.String(10), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("licence", sa.Text(), nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("entities", sa.Integer(), nullable=False),
        sa.Column("loaded_on", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("snapshot_id", name="pk_list_snapshots"),
    )
    op.create_index("ix_list_snapshots_list_id", "list_snapshots", ["list_id", "snapshot_date"])
    op.create_table(
        "list_entries",
        sa.Column("snapshot_id", sa.String(200), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("programmes", sa.Text(), nullable=False),
        sa.Column("listing_date", sa.String(10), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("snapshot_id", "entity_id", name="pk_list_entries"),
    )


def downgrade() -> None:
    """Drop the list tables."""
    op.drop_table("list_entries")
    op.drop_index("ix_list_snapshots_list_id", table_name="list_snapshots")
    op.drop_table("list_snapshots")
