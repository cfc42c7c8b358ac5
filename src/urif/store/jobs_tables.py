"""Simulation jobs started through the API: request, status, progress and result.

Owns the ``simulation_jobs`` table (Alembic revision ``0007_simulation_jobs``) and its
SQL.  Jobs live in the database rather than in a server process so that every worker of
``urif serve --workers N`` answers for every job, whichever worker runs it.  Request and
result are JSON text; this module stores strings and integers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from urif.store.schema import metadata

simulation_jobs = Table(
    "simulation_jobs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("request", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("result", Text, nullable=True),
    Column("error", Text, nullable=True),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),  # the last write by its runner
)


@dataclass(frozen=True, slots=True)
class JobRow:
    """One stored simulation job."""

    id: str
    owner: str
    request: str
    status: str
    done: int
    total: int
    result: str | None
    error: str | None
    created_at: str
    updated_at: str


def insert_job(conn: Connection, row: JobRow) -> None:
    """Store a new job."""
    conn.execute(
        insert(simulation_jobs).values(
            id=row.id,
            owner=row.owner,
            request=row.request,
            status=row.status,
            done=row.done,
            total=row.total,
            result=row.result,
            error=row.error,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
    )


def update_job(conn: Connection, job_id: str, **values: str | int | None) -> None:
    """Change some of a job's columns (status, done, total, result, error)."""
    conn.execute(update(simulation_jobs).where(simulation_jobs.c.id == job_id).values(**values))


def get_job(conn: Connection, job_id: str) -> JobRow | None:
    """The job ``job_id``, if any."""
    row = conn.execute(select(simulation_jobs).where(simulation_jobs.c.id == job_id)).first()
    return JobRow(*row) if row is not None else None


def delete_finished_jobs(conn: Connection, created_before: str) -> int:
    """Drop done and failed jobs created before ``created_before`` (ISO time); how many."""
    result = conn.execute(
        delete(simulation_jobs).where(
            simulation_jobs.c.status.in_(("done", "failed")),
            simulation_jobs.c.created_at < created_before,
        )
    )
    return int(result.rowcount or 0)
