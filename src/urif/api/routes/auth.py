"""``POST /api/token``: the OAuth2 password flow; only failed logins are rate limited."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from urif.actions.users import authenticate
from urif.api.deps import context, current_principal
from urif.api.roles import Role
from urif.api.security import Principal, issue_token

router = APIRouter(tags=["auth"])


class TokenResponse(BaseModel):
    """An OAuth2 bearer token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiIs...",
                    "token_type": "bearer",
                    "expires_in": 1800,
                    "role": "auditor",
                }
            ]
        }
    }


class WhoAmI(BaseModel):
    """The authenticated user."""

    name: str
    role: str

    model_config = {"json_schema_extra": {"examples": [{"name": "alice", "role": "auditor"}]}}


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="Log in (OAuth2 password flow)",
    responses={
        401: {"description": "wrong user name or password"},
        429: {"description": "too many failed logins; see Retry-After"},
    },
)
def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenResponse:
    """Exchange a user name and password for a bearer token that expires."""
    ctx = context(request)
    client = request.client.host if request.client else "unknown"
    key = f"{form.username}|{client}"
    if ctx.limiter.blocked(key):
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail="too many failed logins; wait before trying again",
            headers={"Retry-After": str(ctx.limiter.retry_after(key))},
        )
    user = authenticate(ctx.store, form.username, form.password)
    if user is None:
        ctx.limiter.record_failure(key)
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="wrong user name or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = Principal(user.name, Role(user.role), user.stamp)
    minutes = ctx.settings.token_minutes
    access = issue_token(principal, ctx.key, dt.datetime.now(dt.UTC), minutes)
    return TokenResponse(access_token=access, expires_in=minutes * 60, role=user.role)


@router.get("/me", response_model=WhoAmI, summary="Who the token belongs to")
def me(principal: Annotated[Principal, Depends(current_principal)]) -> WhoAmI:
    """The user of the bearer token and the role they have now."""
    return WhoAmI(name=principal.name, role=principal.role.value)
