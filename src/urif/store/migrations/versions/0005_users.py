"""API and dashboard users (``urif.store.users_tables``).

Revision ID: 0005_users
Revises: 0003_compliance
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_users"
down_revision = "0003_compliance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``users``."""
    op.create_table(
        "users",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_users"),
    )


def downgrade() -> None:
    """Drop ``users``."""
    op.drop_table("users")
