"""Bearer tokens (signed JWT with expiry) and failed-login limits.

Password hashing (argon2) lives with the users use case in ``urif.actions.users``.  A
token's signature and expiry are checked here; whether its user is still active, still
holds the token's stamp, and which role they have now is checked on every request by
``urif.api.deps.current_principal`` (revocation, see ``urif.actions.users``).  The role
claim is what the user had when the token was issued, kept for clients to read.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import jwt

from urif.actions.users import login_failures, record_login_failure
from urif.api.roles import Role
from urif.store import Store

_ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user as the API sees them."""

    name: str
    role: Role
    stamp: str = ""  # the user's stamp when signed in; tokens from before 0009 have none


def issue_token(principal: Principal, key: str, now: dt.datetime, minutes: int) -> str:
    """A signed token for ``principal`` that expires ``minutes`` after ``now``."""
    claims = {
        "sub": principal.name,
        "role": principal.role.value,
        "stamp": principal.stamp,
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(minutes=minutes)).timestamp()),
    }
    return jwt.encode(claims, key, algorithm=_ALGORITHM)


def read_token(token: str, key: str) -> Principal | None:
    """The principal a valid, unexpired token names (role as issued), else None."""
    try:
        claims = jwt.decode(token, key, algorithms=[_ALGORITHM], options={"require": ["exp"]})
        return Principal(
            name=str(claims["sub"]),
            role=Role(str(claims["role"])),
            stamp=str(claims.get("stamp", "")),
        )
    except (jwt.PyJWTError, KeyError, ValueError):
        return None


class FailedLoginLimiter:
    """Counts failed logins per key in a sliding window; successes are never limited.

    The failures are kept in the database, so the workers of one server count them
    together (each worker keeping its own count would multiply the attempts an attacker
    gets by the number of workers).  Times are seconds since the epoch (``time.time()``),
    comparable across processes.
    """

    def __init__(self, allowed: int, window_seconds: int, store: Store) -> None:
        self._allowed = allowed
        self._window = window_seconds
        self._store = store

    def _recent(self, key: str, now: float) -> tuple[float, ...]:
        return login_failures(self._store, key, now - self._window)

    def blocked(self, key: str, now: float | None = None) -> bool:
        """True when ``key`` has used up its failed attempts in the window."""
        moment = time.time() if now is None else now
        return len(self._recent(key, moment)) >= self._allowed

    def record_failure(self, key: str, now: float | None = None) -> None:
        """Count one failed login for ``key``."""
        moment = time.time() if now is None else now
        record_login_failure(self._store, key, moment, self._window)

    def retry_after(self, key: str, now: float | None = None) -> int:
        """Seconds until ``key`` may try again."""
        moment = time.time() if now is None else now
        failures = self._recent(key, moment)
        if not failures:
            return 0
        return max(1, int(self._window - (moment - failures[0])) + 1)
