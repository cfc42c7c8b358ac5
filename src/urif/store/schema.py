"""The tables of the store (SQLAlchemy Core) and the one ``metadata`` every table joins.

Owns ``metadata``, the ``events`` log table and ``fund_settings``.  Other areas add their
read-model tables to the same ``metadata`` in their own module (``ledger_tables.py``, ...)
and create them in their own Alembic revision; the migrations, not ``metadata.create_all``,
are what builds a database.  Column types are chosen to read back identically on SQLite and
PostgreSQL: dates and timestamps are ISO strings, the canonical event bytes are a BLOB/BYTEA.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

#: Constraint names are fixed so migrations on SQLite and PostgreSQL name things alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Bigint that is a real INTEGER on SQLite (so it can be the rowid primary key).
BigInt = BigInteger().with_variant(Integer(), "sqlite")

#: The append-only, hash-chained event log (UPDATE and DELETE are refused by triggers).
events = Table(
    "events",
    metadata,
    Column("seq", BigInt, primary_key=True, autoincrement=False),
    Column("id", String(200), nullable=False, unique=True),
    Column("type", String(40), nullable=False),
    Column("value_date", String(10), nullable=False),
    Column("canonical", LargeBinary, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

#: Fund-wide settings written by ``Store.init`` (``terms_version``, ``created_by``...).
fund_settings = Table(
    "fund_settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)
