"""Users of the API and dashboard: add, re-role, deactivate, authenticate (argon2 hashes only).

The role names live here so the CLI (``urif users add``) and the API agree on them; what
each role may do is the API's permission table (``urif.api.roles``).

Revocation: tokens and dashboard sessions name the user and carry the user's *stamp*, a
random value stored with them.  Every request reads the user again (``signed_in_user``)
and is refused when the user is gone, deactivated, or carries another stamp; the role it
is checked against is the stored one, so a role change applies on the next request.  A
password reset (``add_user`` on an existing user) and deactivation replace the stamp:
tokens and sessions issued before stop working at once, even after reactivation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from urif.core.errors import InvalidInput, NotFound
from urif.store import Store
from urif.store.users_tables import (
    UserRow,
    add_failed_login,
    failed_logins_since,
    forget_failed_logins,
    get_user,
    list_users,
    put_user,
    set_inactive,
    set_role,
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


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"role: expected one of {', '.join(ROLES)}, got {role!r}")


def _new_stamp() -> str:
    return secrets.token_hex(16)


def _no_such_user(name: str) -> NotFound:
    return NotFound(f"user {name!r}: no such user; see urif users list")


def add_user(
    url: str, name: str, role: str, password: str, *, created_by: str, created_at: dt.datetime
) -> bool:
    """Create ``name`` with ``role``, or reset an existing user; True when new.

    A reset sets the role and password, makes the user active again and ends every token
    and session issued before it (a new stamp).
    """
    clean = name.strip()
    if not clean or len(clean) > 100 or any(ch.isspace() for ch in clean):
        raise InvalidInput(f"user name: expected 1-100 characters without spaces, got {name!r}")
    _check_role(role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password: expected at least {MIN_PASSWORD_LENGTH} characters, got {len(password)}"
        )
    store = Store.open(url)
    store.init()
    row = UserRow(
        clean,
        role,
        hash_password(password),
        created_at.isoformat(),
        created_by,
        active=True,
        stamp=_new_stamp(),  # a reset password ends the sessions the old one opened
    )
    with store.writer() as writer:
        return put_user(writer.connection, row)


def change_role(target: str | Store, name: str, role: str) -> None:
    """Give ``name`` the role ``role``; their tokens and sessions carry it from the next request."""
    _check_role(role)
    with Store.using(target) as store, store.transaction() as conn:
        if not set_role(conn, name, role):
            raise _no_such_user(name)


def deactivate_user(target: str | Store, name: str) -> None:
    """Refuse ``name`` sign-in, and every token and session they hold, from the next request.

    ``urif users add`` with a new password makes them active again; tokens and sessions
    issued before stay refused (the stamp is replaced here).
    """
    with Store.using(target) as store, store.transaction() as conn:
        if not set_inactive(conn, name, _new_stamp()):
            raise _no_such_user(name)


def authenticate(store: Store, name: str, password: str) -> UserRow | None:
    """The user if they are active and ``password`` is theirs, else None (same work either way)."""
    with store.reader() as conn:
        row = get_user(conn, name)
    if row is None:
        verify_password(_DUMMY_HASH, password)
        return None
    return row if verify_password(row.password_hash, password) and row.active else None


def signed_in_user(store: Store, name: str, stamp: str) -> UserRow | None:
    """The current row of ``name`` when they are active and ``stamp`` is theirs, else None.

    One primary-key read, made on every authenticated request and dashboard page.
    """
    with store.reader() as conn:
        row = get_user(conn, name)
    if row is None or not row.active or row.stamp != stamp:
        return None
    return row


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
