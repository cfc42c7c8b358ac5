"""Users of the API and dashboard: add one, authenticate one (argon2 hashes only).

The role names live here so the CLI (``urif users add``) and the API agree on them; what
each role may do is the API's permission table (``urif.api.roles``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from urif.core.errors import InvalidInput
from urif.store import Store
from urif.store.users_tables import (
    UserRow,
    add_failed_login,
    failed_logins_since,
    forget_failed_logins,
    get_user,
    list_users,
    put_user,
)

ROLES: tuple[str, ...] = ("administrator", "board_us", "board_ua", "auditor", "analyst")
MIN_PASSWORD_LENGTH = 8

_HASHER = PasswordHasher()
#: Verified against when a user does not exist, so timing does not reveal names.
_DUMMY_HASH = _HASHER.hash("urif-no-such-user")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def add_user(
    url: str, name: str, role: str, password: str, *, created_by: str, created_at: dt.datetime
) -> bool:
    """Create ``name`` with ``role`` (or reset role and password); True when new."""
    clean = name.strip()
    if not clean or len(clean) > 100 or any(ch.isspace() for ch in clean):
        raise InvalidInput(f"user name: expected 1-100 characters without spaces, got {name!r}")
    if role not in ROLES:
        raise InvalidInput(f"role: expected one of {', '.join(ROLES)}, got {role!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password: expected at least {MIN_PASSWORD_LENGTH} characters, got {len(password)}"
        )
    store = Store.open(url)
    store.init()
    row = UserRow(clean, role, hash_password(password), created_at.isoformat(), created_by)
    with store.writer() as writer:
        return put_user(writer.connection, row)


def authenticate(store: Store, name: str, password: str) -> UserRow | None:
    """The user if ``password`` is theirs, else None (same work either way)."""
    with store.reader() as conn:
        row = get_user(conn, name)
    if row is None:
        verify_password(_DUMMY_HASH, password)
        return None
    return row if verify_password(row.password_hash, password) else None


def users(url: str) -> tuple[UserRow, ...]:
    """Every user (names and roles; hashes stay inside)."""
    store = Store.open(url)
    with store.reader() as conn:
        return list_users(conn)


def record_login_failure(store: Store, key: str, at: float, window_seconds: float) -> None:
    """Count a failed login of ``key`` at ``at``; failures older than the window are dropped.

    Keys are stored as SHA-256 digests: fixed length whatever the user name a caller
    sends, and no user names or addresses kept in the table.
    """
    with store.transaction() as conn:
        forget_failed_logins(conn, at - window_seconds)
        add_failed_login(conn, _digest(key), at)


def login_failures(store: Store, key: str, since: float) -> tuple[float, ...]:
    """When ``key`` failed to log in after ``since`` (seconds since the epoch), oldest first."""
    with store.reader() as conn:
        return failed_logins_since(conn, _digest(key), since)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
