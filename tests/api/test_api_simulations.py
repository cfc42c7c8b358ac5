"""Simulation jobs through the API, served by two workers on one database."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD
from urif.api.app import create_app
from urif.api.settings import ServiceSettings


def test_a_job_started_on_one_worker_is_followed_and_fetched_on_another(
    api_db: str, tmp_path: Path
) -> None:
    key = tmp_path / "secret.key"  # the workers of one server share their signing key
    first = TestClient(create_app(ServiceSettings(db=api_db, secret_key_file=key)))
    second = TestClient(create_app(ServiceSettings(db=api_db, secret_key_file=key)))
    token = first.post("/api/token", data={"username": "analyst", "password": PASSWORD})
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

    started = first.post("/api/simulations", json={"paths": 30, "seed": 2}, headers=headers)
    assert started.status_code == 202, started.text
    job = started.json()
    assert started.headers["location"] == f"/api/simulations/{job['id']}"

    deadline = time.monotonic() + 120
    seen = second.get(f"/api/simulations/{job['id']}", headers=headers)
    while seen.status_code == 200 and seen.json()["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the job did not finish in two minutes"
        time.sleep(0.1)
        seen = second.get(f"/api/simulations/{job['id']}", headers=headers)
    assert seen.status_code == 200, seen.text
    status = seen.json()
    assert status["status"] == "done", status
    assert status["progress"] == {"done": 30, "total": 30}
    assert status["request"]["paths"] == 30

    result = second.get(status["result_url"], headers=headers)
    assert result.status_code == 200, result.text
    assert result.json()["paths"] == 30
    assert set(result.json()["partners"]) >= {"dfc", "ppp_agency"}
    assert second.get("/api/simulations/nope", headers=headers).status_code == 404


def test_an_unknown_term_set_is_refused_before_a_job_is_made(api_db: str, tmp_path: Path) -> None:
    client = TestClient(create_app(ServiceSettings(db=api_db, secret_key_file=tmp_path / "k")))
    token = client.post("/api/token", data={"username": "analyst", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    for body in ({"terms": "nope"}, {"compare_with": "nope"}):
        refused = client.post("/api/simulations", json={**body, "paths": 10}, headers=headers)
        assert refused.status_code == 404, refused.text
        assert "nope" in refused.text
        assert "location" not in refused.headers
