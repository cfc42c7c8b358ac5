"""Simulations as background jobs: start one, follow its progress, fetch its result."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from urif.api.deps import require
from urif.api.roles import Permission
from urif.api.security import Principal
from urif.reports.jsonable import to_jsonable

router = APIRouter(prefix="/simulations", tags=["simulations"])
Runner = Annotated[Principal, Depends(require(Permission.RUN_SIMULATIONS))]

MAX_JOBS = 100


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


@dataclass(slots=True)
class Job:
    """One simulation job and its progress."""

    id: str
    owner: str
    request: SimulationRequest
    status: str = "queued"
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = None
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def view(self) -> dict[str, Any]:
        """Status, progress and where the result is."""
        return {
            "id": self.id,
            "status": self.status,
            "progress": {"done": self.done, "total": self.total},
            "request": self.request.model_dump(),
            "result_url": f"/api/simulations/{self.id}/result" if self.result else None,
            "error": self.error,
        }


def _jobs(request: Request) -> dict[str, Job]:
    jobs = getattr(request.app.state, "simulation_jobs", None)
    if jobs is None:
        jobs = {}
        request.app.state.simulation_jobs = jobs
    assert isinstance(jobs, dict)
    return jobs


def _run(job: Job) -> None:
    from urif.actions.simulation import run_comparison, run_simulation

    def progress(done: int, total: int, *_: object) -> None:
        job.done, job.total = done, total

    job.status = "running"
    try:
        req = job.request
        if req.compare_with:
            base = req.terms or "us-draft-2025-03"
            run = run_comparison(
                base,
                req.compare_with,
                paths=req.paths,
                seed=req.seed,
                charts=False,
                progress=progress,
            )
        else:
            run = run_simulation(
                terms_version=req.terms,
                paths=req.paths,
                seed=req.seed,
                charts=False,
                progress=progress,
            )
        job.result = to_jsonable(run.summary)
        job.status = "done"
    except Exception as error:  # a failed job reports its error instead of dying silently
        job.error = f"{type(error).__name__}: {error}"
        job.status = "failed"


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
        }
    },
)
def start(
    request: Request, body: SimulationRequest, principal: Runner, response: Response
) -> dict[str, Any]:
    """Start a simulation (or a comparison with ``compare_with``) in the background."""
    jobs = _jobs(request)
    if len(jobs) >= MAX_JOBS:
        for key in [k for k, j in jobs.items() if j.status in ("done", "failed")][:10]:
            del jobs[key]
    job = Job(id=uuid.uuid4().hex, owner=principal.name, request=body)
    jobs[job.id] = job
    threading.Thread(target=_run, args=(job,), daemon=True).start()
    response.headers["Location"] = f"/api/simulations/{job.id}"
    return job.view()


def _job(request: Request, job_id: str) -> Job:
    job = _jobs(request).get(job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"no simulation job {job_id!r}")
    return job


@router.get("/{job_id}", summary="A simulation job's status and progress")
def show(request: Request, job_id: str, _: Runner) -> dict[str, Any]:
    """Status, progress (paths done of total) and the result URL once done."""
    return _job(request, job_id).view()


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
