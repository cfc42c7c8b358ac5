"""Failed logins, shared by every server worker (``urif.store.users_tables``).

Revision ID: 0008_failed_logins
Revises: 0007_simulation_jobs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_failed_logins"
down_revision = "0007_simulation_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``failed_logins`` and its (key, time) index."""
    op.create_table(
        "failed_logins",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
    )
    op.create_index("ix_failed_logins_key_at", "failed_logins", ["key", "at"])


def downgrade() -> None:
    """Drop ``failed_logins``."""
    op.drop_index("ix_failed_logins_key_at", table_name="failed_logins")
    op.drop_table("failed_logins")
