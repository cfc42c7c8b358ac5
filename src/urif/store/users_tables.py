"""API and dashboard users: name, role and argon2 hash (never the password).

Owns the ``users`` table (Alembic revisions ``0005_users`` and ``0009_user_sessions``:
whether the user is active, and the stamp their tokens and sessions must carry), the
``failed_logins`` table (``0008_failed_logins``: one row per failed login, keyed by a
digest of what the caller limits on, so every server worker counts the same failures) and
their SQL.  Roles are checked by ``urif.api.roles``; this module stores strings and
numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    Index,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
    true,
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
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("stamp", String(64), nullable=False, server_default=""),
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
    active: bool
    stamp: str  # tokens and sessions carrying another stamp are refused


#: Built once: every authenticated request runs it, and building the statement per call
#: cost about as much as running it.
_USER_BY_NAME = select(users).where(users.c.name == bindparam("name"))


def get_user(conn: Connection, name: str) -> UserRow | None:
    """The user called ``name``, if any."""
    row = conn.execute(_USER_BY_NAME, {"name": name}).first()
    return UserRow(*row) if row is not None else None


def list_users(conn: Connection) -> tuple[UserRow, ...]:
    """Every user, by name."""
    return tuple(UserRow(*r) for r in conn.execute(select(users).order_by(users.c.name)))


def put_user(conn: Connection, row: UserRow) -> bool:
    """Insert ``row`` or replace the role, hash, state and stamp of a user; True when new."""
    if get_user(conn, row.name) is None:
        conn.execute(
            insert(users).values(
                name=row.name,
                role=row.role,
                password_hash=row.password_hash,
                created_at=row.created_at,
                created_by=row.created_by,
                active=row.active,
                stamp=row.stamp,
            )
        )
        return True
    conn.execute(
        update(users)
        .where(users.c.name == row.name)
        .values(role=row.role, password_hash=row.password_hash, active=row.active, stamp=row.stamp)
    )
    return False


def set_role(conn: Connection, name: str, role: str) -> bool:
    """Give ``name`` the role ``role``; False when there is no such user."""
    result = conn.execute(update(users).where(users.c.name == name).values(role=role))
    return result.rowcount == 1


def set_inactive(conn: Connection, name: str, stamp: str) -> bool:
    """Mark ``name`` inactive with a new ``stamp``; False when there is no such user."""
    result = conn.execute(
        update(users).where(users.c.name == name).values(active=False, stamp=stamp)
    )
    return result.rowcount == 1


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
