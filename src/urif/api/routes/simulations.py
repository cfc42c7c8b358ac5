"""Simulations as background jobs: start one, follow its progress, fetch its result."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from urif.actions.jobs import JobView, create_job, get_job, run_job
from urif.api.deps import context, require
from urif.api.roles import Permission
from urif.api.security import Principal
from urif.store import Store
from urif.terms import load_termset

router = APIRouter(prefix="/simulations", tags=["simulations"])
Runner = Annotated[Principal, Depends(require(Permission.RUN_SIMULATIONS))]


class SimulationRequest(BaseModel):
    """What to simulate: a term set, the number of paths and the seed."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"terms": "signed-2025-04-30", "paths": 2000, "seed": 1}]},
    )

    terms: str | None = Field(default=None, max_length=100)
    compare_with: str | None = Field(default=None, max_length=100)
    paths: int = Field(default=2000, ge=1, le=200_000)
    seed: int = Field(default=1, ge=0, le=2**32 - 1)


def _store(request: Request) -> Store:
    return context(request).store


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a simulation job",
    responses={
        202: {
            "content": {
                "application/json": {
                    "example": {
                        "id": "0f3c...",
                        "status": "queued",
                        "progress": {"done": 0, "total": 0},
                        "result_url": None,
                    }
                }
            }
        },
        404: {"description": "no such term set (terms or compare_with)"},
    },
)
def start(
    request: Request, body: SimulationRequest, principal: Runner, response: Response
) -> dict[str, Any]:
    """Start a simulation (or a comparison with ``compare_with``) in the background.

    The job is recorded in the database first, so every server worker can answer for it.
    """
    for version in (body.terms, body.compare_with):
        if version is not None:
            load_termset(version)  # an unknown term set is a 404 now, not a failed job later
    store = _store(request)
    job = create_job(store, uuid.uuid4().hex, principal.name, body.model_dump(), _now())
    threading.Thread(target=run_job, args=(store, job.id, _now), daemon=True).start()
    response.headers["Location"] = f"/api/simulations/{job.id}"
    return job.summary()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _job(request: Request, job_id: str) -> JobView:
    job = get_job(_store(request), job_id, _now())
    if job is None:
        raise HTTPException(status_code=404, detail=f"no simulation job {job_id!r}")
    return job


@router.get("/{job_id}", summary="A simulation job's status and progress")
def show(request: Request, job_id: str, _: Runner) -> dict[str, Any]:
    """Status, progress (paths done of total) and the result URL once done."""
    return _job(request, job_id).summary()


@router.get(
    "/{job_id}/result",
    summary="A finished simulation's headline figures",
    responses={409: {"description": "not finished yet"}},
)
def result(request: Request, job_id: str, _: Runner) -> dict[str, Any]:
    """The same JSON as ``urif simulate --json`` (per partner id)."""
    job = _job(request, job_id)
    if job.result is None:
        raise HTTPException(status_code=409, detail=f"job {job_id} is {job.status}")
    return job.result
