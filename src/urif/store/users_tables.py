"""API and dashboard users: name, role and argon2 hash (never the password).

Owns the ``users`` table (Alembic revision ``0005_users``), the ``failed_logins`` table
(``0008_failed_logins``: one row per failed login, keyed by a digest of what the caller
limits on, so every server worker counts the same failures) and their SQL.  Roles are checked by
``urif.api.roles``; this module stores strings and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Float,
    Index,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)

from urif.store.schema import metadata

users = Table(
    "users",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(40), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
)

failed_logins = Table(
    "failed_logins",
    metadata,
    Column("key", String(300), nullable=False),
    Column("at", Float, nullable=False),  # seconds since the epoch
)
Index("ix_failed_logins_key_at", failed_logins.c.key, failed_logins.c.at)


@dataclass(frozen=True, slots=True)
class UserRow:
    """One stored user."""

    name: str
    role: str
    password_hash: str
    created_at: str
    created_by: str


def get_user(conn: Connection, name: str) -> UserRow | None:
    """The user called ``name``, if any."""
    row = conn.execute(select(users).where(users.c.name == name)).first()
    return UserRow(*row) if row is not None else None


def list_users(conn: Connection) -> tuple[UserRow, ...]:
    """Every user, by name."""
    return tuple(UserRow(*r) for r in conn.execute(select(users).order_by(users.c.name)))


def put_user(conn: Connection, row: UserRow) -> bool:
    """Insert ``row`` or replace the role and hash of an existing user; True when new."""
    if get_user(conn, row.name) is None:
        conn.execute(
            insert(users).values(
                name=row.name,
                role=row.role,
                password_hash=row.password_hash,
                created_at=row.created_at,
                created_by=row.created_by,
            )
        )
        return True
    conn.execute(
        update(users)
        .where(users.c.name == row.name)
        .values(role=row.role, password_hash=row.password_hash)
    )
    return False


def add_failed_login(conn: Connection, key: str, at: float) -> None:
    """Record one failed login for ``key`` at ``at`` (seconds since the epoch)."""
    conn.execute(insert(failed_logins).values(key=key, at=at))


def failed_logins_since(conn: Connection, key: str, since: float) -> tuple[float, ...]:
    """When ``key`` failed to log in after ``since``, oldest first."""
    query = (
        select(failed_logins.c.at)
        .where(failed_logins.c.key == key, failed_logins.c.at > since)
        .order_by(failed_logins.c.at)
    )
    return tuple(float(at) for (at,) in conn.execute(query))


def forget_failed_logins(conn: Connection, before: float) -> None:
    """Drop every failure at or before ``before`` (outside every window), whatever its key."""
    conn.execute(delete(failed_logins).where(failed_logins.c.at <= before))
