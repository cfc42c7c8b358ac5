"""Request dependencies: the app's context, the current principal and permission checks.

Every authenticated request reads its user once (``urif.actions.users.signed_in_user``):
a token whose user is gone, deactivated or holds another stamp is refused with 401, and
permissions are checked against the role the user has now, not the one in the token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from urif.actions.fund_state import StateCache
from urif.actions.users import signed_in_user
from urif.api.roles import Permission, Role, allows
from urif.api.security import FailedLoginLimiter, Principal, read_token
from urif.api.settings import ServiceSettings
from urif.store import Store

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)


@dataclass(slots=True)
class AppContext:
    """What every request handler may reach: settings, key, limiter and the open store."""

    settings: ServiceSettings
    key: str
    limiter: FailedLoginLimiter
    store: Store  # one pool for the process's reads (actions accept a Store or a URL)
    states: StateCache  # the fund state between writes, caught up when another worker wrote


def context(request: Request) -> AppContext:
    """The application context stored on ``app.state``."""
    ctx = request.app.state.urif
    assert isinstance(ctx, AppContext)
    return ctx


class Unauthorised(HTTPException):
    """401 with ``WWW-Authenticate: Bearer``: no token, or one invalid, expired or revoked."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=detail,
            headers={"WWW-Authenticate": "Bearer"},
        )


# ``async`` although it reads the database: one primary-key read costs less on the event
# loop than the thread-pool hop a sync dependency takes (as for the aggregate routes).
async def current_principal(
    request: Request,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    """The bearer token's user with their current role; 401 when absent, invalid or revoked."""
    ctx = context(request)
    claimed = read_token(token, ctx.key) if token else None
    if claimed is None:
        raise Unauthorised(
            "a valid bearer token is required: POST /api/token with username and password"
        )
    user = signed_in_user(ctx.store, claimed.name, claimed.stamp)
    if user is None:
        raise Unauthorised(
            "the token is no longer valid (its user was deactivated or removed, or their "
            "password was reset): POST /api/token with username and password"
        )
    principal = Principal(user.name, Role(user.role), user.stamp)
    request.state.principal = principal
    return principal


def require(permission: Permission) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits only principals whose role holds ``permission``."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not allows(principal.role, permission):
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"role {principal.role.value} may not {permission.value.replace('_', ' ')}",
            )
        return principal

    return check
