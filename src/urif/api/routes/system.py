"""Health (no token) and verify (administrators and auditors)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from urif.actions import books as books_actions
from urif.api.deps import context, require
from urif.api.roles import Permission
from urif.api.security import Principal
from urif.reports.jsonable import to_jsonable

router = APIRouter(tags=["system"])


@router.get(
    "/health",
    summary="Liveness",
    responses={
        200: {"content": {"application/json": {"example": {"status": "ok", "version": "0.1.0"}}}}
    },
)
async def health() -> dict[str, str]:
    """Liveness check; needs no token."""
    import urif

    return {"status": "ok", "version": urif.__version__}


@router.post(
    "/verify",
    summary="Verify the hash chain, invariants and read models",
    responses={
        200: {
            "content": {"application/json": {"example": {"ok": True, "events": 55, "problems": []}}}
        }
    },
)
def verify(
    request: Request,
    _: Annotated[Principal, Depends(require(Permission.RUN_VERIFY))],
) -> dict[str, Any]:
    """Run ``urif verify`` on the service's database; problems name the first bad seq."""
    report = books_actions.verify(context(request).settings.db)
    data: dict[str, Any] = to_jsonable(report.to_json())
    return data
