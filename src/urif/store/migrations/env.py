"""Alembic environment: runs on the connection ``urif.store`` passes in (no ini file).

Importing this module outside an Alembic run (pytest's doctest collection) does nothing.
"""

from __future__ import annotations

from alembic import context


def run() -> None:
    """Run the migrations on the connection given in the Alembic config's attributes."""
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):
    run()
