"""The ledger's read models: postings and per-day aggregates of balances, capital, obligations.

Revision ID: 0002_ledger
Revises: 0001_event_log
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_ledger"
down_revision = "0001_event_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the ledger read-model tables and their value-date indexes."""
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
    op.create_table(
        "ledger_balance_day",
        sa.Column("account", sa.String(300), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("value_date", sa.String(10), nullable=False),
        sa.Column("amount", big, nullable=False),
        sa.PrimaryKeyConstraint("account", "currency", "value_date", name="pk_ledger_balance_day"),
    )
    op.create_table(
        "ledger_capital_day",
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("value_date", sa.String(10), nullable=False),
        sa.Column("amount", big, nullable=False),
        sa.PrimaryKeyConstraint("owner", "measure", "value_date", name="pk_ledger_capital_day"),
    )
    op.create_table(
        "ledger_obligation_day",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value_date", sa.String(10), nullable=False),
        sa.Column("receipts", big, nullable=False),
        sa.Column("due", big, nullable=False),
        sa.Column("received", big, nullable=False),
        sa.PrimaryKeyConstraint("year", "value_date", name="pk_ledger_obligation_day"),
    )
    op.create_table(
        "ledger_balance_total",
        sa.Column("account", sa.String(300), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", big, nullable=False),
        sa.PrimaryKeyConstraint("account", "currency", name="pk_ledger_balance_total"),
    )
    op.create_table(
        "ledger_capital_total",
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("amount", big, nullable=False),
        sa.PrimaryKeyConstraint("owner", "measure", name="pk_ledger_capital_total"),
    )
    op.create_index("ix_ledger_balance_day_value_date", "ledger_balance_day", ["value_date"])
    op.create_index("ix_ledger_capital_day_value_date", "ledger_capital_day", ["value_date"])


def downgrade() -> None:
    """Drop the ledger read-model tables."""
    for table in (
        "ledger_obligation_day",
        "ledger_capital_day",
        "ledger_balance_day",
        "ledger_postings",
    ):
        op.drop_table(table)
