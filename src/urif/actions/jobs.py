"""Simulation jobs: record one, run it, read it (``POST /api/simulations`` and friends).

Owns ``JobView`` and the use cases ``create_job``, ``run_job`` and ``get_job``.  A job's
request, status, progress and result live in the store (``simulation_jobs``), so whichever
server worker answers a poll sees the job that another worker runs.  The caller decides
where ``run_job`` runs (the API starts a thread); ``run_job`` itself blocks until done.

Progress is written when it crosses each twentieth of the total, so a long run costs at
most about twenty small writes; every write stamps the job with the caller's clock.  A
queued or running job whose stamp is older than ``STALE_AFTER`` is shown as failed: the
worker that ran it stopped (a restart, a crash), and nobody else will finish it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from urif.core.errors import InvalidInput
from urif.reports.jsonable import to_jsonable
from urif.store import Store
from urif.store.jobs_tables import JobRow, delete_finished_jobs, insert_job, update_job
from urif.store.jobs_tables import get_job as _get_row

#: The request fields a job accepts (the API validates their types and ranges).
REQUEST_FIELDS = ("terms", "compare_with", "paths", "seed")
#: A comparison with no base term set compares against the March 2025 US draft.
DEFAULT_BASE = "us-draft-2025-03"
#: Finished jobs (and their results) are kept this long, then dropped when a job starts.
KEEP_FINISHED = dt.timedelta(days=7)
#: A queued or running job not written for this long is shown as failed (see above).
STALE_AFTER = dt.timedelta(minutes=10)
_STEPS = 20


@dataclass(frozen=True, slots=True)
class JobView:
    """One job as its owner sees it: request, status, progress, result or error."""

    id: str
    owner: str
    request: dict[str, Any]
    status: str
    done: int
    total: int
    result: dict[str, Any] | None
    error: str | None

    def summary(self) -> dict[str, Any]:
        """Status, progress and where the result is (the API's job resource)."""
        return {
            "id": self.id,
            "status": self.status,
            "progress": {"done": self.done, "total": self.total},
            "request": self.request,
            "result_url": f"/api/simulations/{self.id}/result" if self.status == "done" else None,
            "error": self.error,
        }


def _view(row: JobRow, now: dt.datetime | None = None) -> JobView:
    result = orjson.loads(row.result) if row.result is not None else None
    status, error = row.status, row.error
    if (
        now is not None
        and status in ("queued", "running")
        and dt.datetime.fromisoformat(row.updated_at) < now - STALE_AFTER
    ):
        status = "failed"
        error = (
            f"no progress since {row.updated_at}: the server worker running it stopped; "
            "start the job again"
        )
    return JobView(
        row.id,
        row.owner,
        orjson.loads(row.request),
        status,
        row.done,
        row.total,
        result,
        error,
    )


def create_job(
    store: Store, job_id: str, owner: str, request: Mapping[str, Any], created_at: dt.datetime
) -> JobView:
    """Record a queued job for ``request`` (``terms``, ``compare_with``, ``paths``, ``seed``)."""
    unknown = sorted(set(request) - set(REQUEST_FIELDS))
    if unknown:
        raise InvalidInput(f"simulation job: unknown field(s) {', '.join(unknown)}")
    row = JobRow(
        job_id,
        owner,
        orjson.dumps(dict(request)).decode(),
        "queued",
        0,
        0,
        None,
        None,
        created_at.isoformat(),
        created_at.isoformat(),
    )
    with store.transaction() as conn:
        delete_finished_jobs(conn, (created_at - KEEP_FINISHED).isoformat())
        insert_job(conn, row)
    return _view(row)


def get_job(store: Store, job_id: str, now: dt.datetime | None = None) -> JobView | None:
    """The job ``job_id`` as stored, if any; with ``now``, a stale one shows as failed."""
    with store.reader() as conn:
        row = _get_row(conn, job_id)
    return _view(row, now) if row is not None else None


def run_job(store: Store, job_id: str, clock: Callable[[], dt.datetime]) -> None:
    """Run a recorded job to the end, writing its progress and its result or error.

    Every failure is recorded on the job (status ``failed`` with the error), never raised:
    nobody waits on this call but the job's readers.  ``clock`` stamps every write.
    """
    from urif.actions.simulation import run_comparison, run_simulation

    job = get_job(store, job_id)
    if job is None:
        return
    written = [-1]

    def _set(**values: str | int | None) -> None:
        # Beside the log: no append lock, so a job's progress never waits for an ingest.
        with store.transaction() as conn:
            update_job(conn, job_id, updated_at=clock().isoformat(), **values)

    def progress(done: int, total: int, *_: object) -> None:
        step = done * _STEPS // total if total else 0
        if step != written[0]:
            written[0] = step
            _set(done=done, total=total)

    try:
        _set(status="running")
        req = job.request
        if req.get("compare_with"):
            run = run_comparison(
                req.get("terms") or DEFAULT_BASE,
                req["compare_with"],
                paths=req["paths"],
                seed=req["seed"],
                charts=False,
                progress=progress,
            )
        else:
            run = run_simulation(
                terms_version=req.get("terms"),
                paths=req["paths"],
                seed=req["seed"],
                charts=False,
                progress=progress,
            )
        result = orjson.dumps(to_jsonable(run.summary)).decode()
        _set(status="done", result=result)
    except Exception as error:  # a failed job reports its error instead of dying silently
        # If even that fails the database itself is gone, and there is nobody to tell.
        with contextlib.suppress(Exception):
            _set(status="failed", error=f"{type(error).__name__}: {error}")


__all__ = ["JobView", "create_job", "get_job", "run_job"]
