"""API fixtures: a demo database with one user per role, and a TestClient per test module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from urif.actions.books import init_database
from urif.actions.record import ingest_files
from urif.actions.users import add_user
from urif.api.app import create_app
from urif.api.settings import ServiceSettings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery"
#: user name → role; board users are named as their board member ids, so they vote as themselves.
USERS = {
    "admin": "administrator",
    "us-manager-2": "board_us",
    "ua-sobolev": "board_ua",
    "auditor": "auditor",
    "analyst": "analyst",
}
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def build_demo_db(url: str) -> None:
    """Init, ingest the main examples and add one user per role."""
    init_database(url, None)
    files = [EXAMPLES / "fund-2025-2026.jsonl", EXAMPLES / "governance-2025-2027.jsonl"]
    ingest_files(url, files, "test", NOW).raise_for_problems()
    for name, role in USERS.items():
        add_user(url, name, role, PASSWORD, created_by="test", created_at=NOW)


@pytest.fixture(scope="module")
def api_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite demo database shared by one test module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'urif.db'}"
    build_demo_db(url)
    return url


@pytest.fixture(scope="module")
def client(api_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A TestClient over the app on the demo database."""
    key_file = tmp_path_factory.mktemp("key") / "secret.key"
    settings = ServiceSettings(db=api_db, secret_key_file=key_file, login_failures_allowed=50)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def tokens(client: TestClient) -> dict[str, str]:
    """A bearer token per role."""
    out: dict[str, str] = {}
    for name, role in USERS.items():
        response = client.post("/api/token", data={"username": name, "password": PASSWORD})
        assert response.status_code == 200, response.text
        out[role] = response.json()["access_token"]
    return out
