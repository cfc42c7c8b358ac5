"""The per-test database fixture really reaches both backends."""

from __future__ import annotations

import sqlalchemy as sa


def test_each_backend_gives_an_empty_database(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE probe (x INTEGER)"))
        conn.execute(sa.text("INSERT INTO probe VALUES (1)"))
        assert conn.execute(sa.text("SELECT count(*) FROM probe")).scalar_one() == 1
    engine.dispose()
