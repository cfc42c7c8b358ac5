"""API and dashboard users: name, role and argon2 hash (never the password).

Owns the ``users`` table (Alembic revision ``0005_users``) and its SQL.  Roles are checked
by ``urif.api.roles``; this module stores strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Connection, String, Table, insert, select, update

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
