"""Drop ``ledger_postings``: journal entries are derived from the log, not stored twice.

The table held every posting of every booking but nothing read it and ``urif verify``
never compared it with a replay, so a wrong row could sit there unnoticed.  The event log
is the audit trail; the journal is a pure function of the log and the terms (``book``),
recomputed by every replay and ``verify``.  Writing it cost about a tenth of an ingest.

Revision ID: 0006_drop_postings
Revises: 0005_users
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_drop_postings"
down_revision = "0005_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop ``ledger_postings``."""
    op.drop_table("ledger_postings")


def downgrade() -> None:
    """Recreate ``ledger_postings`` empty (``urif replay`` under the old code refills it)."""
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "ledger_postings",
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("entry", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("value_date", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("account", sa.String(300), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", big, nullable=False),
        sa.PrimaryKeyConstraint("event_id", "entry", "line", name="pk_ledger_postings"),
    )
