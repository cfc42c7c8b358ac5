"""The dashboard's cookie session and CSRF tokens, signed with the app's key.

Owns ``Session`` (a random nonce, and once signed in the user, role, expiry and the user's
stamp, which ``routes`` compares with the stored one on every page), its
cookie encoding (``base64url(json).hmac``, HMAC-SHA256 under a key derived from the app's
signing key, so a session cookie is useless as an API token and vice versa) and the CSRF
token of a session (an HMAC of its nonce: every form carries it and every POST checks
it).  A fresh nonce is issued at sign-in, so a session fixed before login is worthless.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from urif.api.roles import Role

COOKIE = "urif_session"


def _derive(key: str, purpose: str) -> bytes:
    return hmac.new(key.encode("utf-8"), purpose.encode("utf-8"), hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class Session:
    """A browser session: anonymous (``user`` None) until sign-in."""

    nonce: str
    user: str | None = None
    role: Role | None = None
    expires: int = 0
    stamp: str = ""  # the user's stamp at sign-in; cookies from before 0009 have none

    @classmethod
    def anonymous(cls) -> Session:
        """A new session with a fresh nonce and nobody signed in."""
        return cls(secrets.token_urlsafe(18))

    def signed_in(self, now: float) -> bool:
        """True when a user is signed in and the session has not expired."""
        return self.user is not None and self.role is not None and now < self.expires


def encode(session: Session, key: str) -> str:
    """The cookie value of ``session``.

    >>> s = Session("n0nce", "ann", Role.AUDITOR, 100, "st4mp")
    >>> decode(encode(s, "k"), "k") == s, decode(encode(s, "k"), "other")
    (True, None)
    """
    payload = {
        "n": session.nonce,
        "u": session.user,
        "r": session.role,
        "e": session.expires,
        "s": session.stamp,
    }
    body = base64.urlsafe_b64encode(
        json.dumps(payload, separators=(",", ":")).encode("utf-8")
    ).decode("ascii")
    mac = hmac.new(_derive(key, "dashboard-session"), body.encode("ascii"), hashlib.sha256)
    return f"{body}.{mac.hexdigest()}"


def decode(value: str | None, key: str) -> Session | None:
    """The session in a cookie value, or None when absent, altered or malformed."""
    if not value or value.count(".") != 1:
        return None
    body, mac = value.split(".")
    expected = hmac.new(_derive(key, "dashboard-session"), body.encode("ascii"), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), mac):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body.encode("ascii")))
        role = Role(data["r"]) if data["r"] is not None else None
        return Session(str(data["n"]), data["u"], role, int(data["e"]), str(data.get("s", "")))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None


def csrf_token(session: Session, key: str) -> str:
    """The CSRF token every form of ``session`` carries.

    >>> s = Session("abc")
    >>> csrf_ok(s, "k", csrf_token(s, "k")), csrf_ok(s, "k", "forged"), csrf_ok(s, "k", None)
    (True, False, False)
    """
    return hmac.new(
        _derive(key, "dashboard-csrf"), session.nonce.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def csrf_ok(session: Session, key: str, token: str | None) -> bool:
    """True when ``token`` is the CSRF token of ``session``."""
    return token is not None and hmac.compare_digest(csrf_token(session, key), token)
