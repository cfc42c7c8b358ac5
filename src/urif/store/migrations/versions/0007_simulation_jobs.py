"""Simulation jobs started through the API (``urif.store.jobs_tables``).

Revision ID: 0007_simulation_jobs
Revises: 0006_drop_postings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_simulation_jobs"
down_revision = "0006_drop_postings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``simulation_jobs``."""
    op.create_table(
        "simulation_jobs",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_simulation_jobs"),
    )


def downgrade() -> None:
    """Drop ``simulation_jobs``."""
    op.drop_table("simulation_jobs")
