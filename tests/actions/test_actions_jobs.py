"""Simulation jobs in the store: any handle on the database sees a job another one runs."""

from __future__ import annotations

import datetime as dt

import pytest

from urif.actions.jobs import create_job, get_job, run_job
from urif.actions.simulation import run_simulation
from urif.core.errors import InvalidInput
from urif.reports.jsonable import to_jsonable
from urif.store import Store

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
REQUEST = {"terms": "signed-2025-04-30", "compare_with": None, "paths": 40, "seed": 3}


def _store(url: str) -> Store:
    store = Store.open(url)
    store.init()
    return store


def test_a_job_runs_to_the_result_of_urif_simulate_and_another_handle_sees_it(
    db_url: str,
) -> None:
    runner, reader = _store(db_url), Store.open(db_url)  # as two server workers would
    try:
        created = create_job(runner, "job-1", "analyst", REQUEST, NOW)
        assert created.summary()["status"] == "queued"
        queued = get_job(reader, "job-1")
        assert queued is not None
        assert (queued.status, queued.owner, queued.request) == ("queued", "analyst", REQUEST)
        assert queued.summary()["result_url"] is None

        run_job(runner, "job-1", lambda: NOW)

        done = get_job(reader, "job-1")
        assert done is not None
        assert (done.status, done.error) == ("done", None)
        assert done.done == done.total == 40
        assert done.summary()["result_url"] == "/api/simulations/job-1/result"
        direct = to_jsonable(
            run_simulation(
                terms_version="signed-2025-04-30", paths=40, seed=3, charts=False
            ).summary
        )
        assert isinstance(direct, dict)
        assert done.result is not None
        for key in ("partners", "ukraine_contributions", "fund", "paths", "seed"):
            assert done.result[key] == direct[key]
    finally:
        runner.close()
        reader.close()


def test_a_failing_job_records_why_instead_of_raising(sqlite_url: str) -> None:
    store = _store(sqlite_url)
    try:
        create_job(store, "job-2", "analyst", {**REQUEST, "terms": "no-such-terms"}, NOW)
        run_job(store, "job-2", lambda: NOW)
        failed = get_job(store, "job-2")
        assert failed is not None
        assert failed.status == "failed"
        assert failed.error is not None
        assert "no-such-terms" in failed.error
        assert failed.result is None
    finally:
        store.close()


def test_unknown_jobs_and_unknown_request_fields(sqlite_url: str) -> None:
    store = _store(sqlite_url)
    try:
        assert get_job(store, "nope") is None
        run_job(store, "nope", lambda: NOW)  # nothing recorded, nothing to run
        with pytest.raises(InvalidInput, match="unknown field"):
            create_job(store, "job-3", "analyst", {**REQUEST, "executor": "ray"}, NOW)
    finally:
        store.close()


def test_finished_jobs_are_dropped_a_week_later_when_a_job_starts(sqlite_url: str) -> None:
    store = _store(sqlite_url)
    try:
        create_job(store, "old", "analyst", REQUEST, NOW)
        run_job(store, "old", lambda: NOW)
        create_job(store, "queued-old", "analyst", REQUEST, NOW)  # never run: kept
        create_job(store, "recent", "analyst", REQUEST, NOW + dt.timedelta(days=6))
        assert get_job(store, "old") is not None
        create_job(store, "new", "analyst", REQUEST, NOW + dt.timedelta(days=8))
        assert get_job(store, "old") is None
        assert get_job(store, "queued-old") is not None
        assert get_job(store, "recent") is not None
    finally:
        store.close()


def test_serving_migrates_an_initialised_database_and_refuses_a_new_one(
    sqlite_url: str,
) -> None:
    from urif.actions.books import migrate_database
    from urif.core.errors import NotFound

    with pytest.raises(NotFound, match="urif init"):
        migrate_database(sqlite_url)
    store = _store(sqlite_url)
    store.close()
    before, after = migrate_database(sqlite_url)
    assert before == after


def test_a_job_nobody_has_written_for_ten_minutes_shows_as_failed(sqlite_url: str) -> None:
    store = _store(sqlite_url)
    try:
        create_job(store, "lost", "analyst", REQUEST, NOW)  # its worker never ran it
        fresh = get_job(store, "lost", NOW + dt.timedelta(minutes=9))
        assert fresh is not None
        assert fresh.status == "queued"
        stale = get_job(store, "lost", NOW + dt.timedelta(minutes=11))
        assert stale is not None
        assert stale.status == "failed"
        assert stale.error is not None
        assert "start the job again" in stale.error
        create_job(store, "done", "analyst", REQUEST, NOW)
        run_job(store, "done", lambda: NOW)
        finished = get_job(store, "done", NOW + dt.timedelta(days=1))
        assert finished is not None
        assert finished.status == "done"  # only unfinished jobs go stale
    finally:
        store.close()
