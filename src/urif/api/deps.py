"""Request dependencies: the app's context, the current principal and permission checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from urif.actions.fund_state import StateCache
from urif.api.roles import Permission, allows
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


async def current_principal(
    request: Request,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    """The principal of the bearer token; 401 when absent, invalid or expired."""
    principal = read_token(token, context(request).key) if token else None
    if principal is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="a valid bearer token is required: POST /api/token with username and password",
            headers={"WWW-Authenticate": "Bearer"},
        )
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
