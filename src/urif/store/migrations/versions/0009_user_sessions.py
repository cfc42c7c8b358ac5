"""Users can be deactivated, and each carries the stamp their tokens and sessions must match.

``active`` false refuses sign-in and every token and dashboard session of the user;
``stamp`` is replaced when a password is reset or a user deactivated, which ends the
tokens and sessions issued before (``urif.actions.users``).  Existing users stay active
with the empty stamp, the stamp tokens issued before this revision are read with, so
nobody is signed out by the upgrade.

Revision ID: 0009_user_sessions
Revises: 0008_failed_logins
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_user_sessions"
down_revision = "0008_failed_logins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``users.active`` (true) and ``users.stamp`` (empty)."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("stamp", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop ``users.active`` and ``users.stamp``."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("stamp")
        batch.drop_column("active")
