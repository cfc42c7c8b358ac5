"""Revocation: role changes, deactivation and removal apply on the next request.

Tokens and dashboard sessions stay signed and unexpired throughout; what changes is the
user as stored (``urif.actions.users``), which every request reads again.  Each test
gets its own database on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert

from urif.actions.books import init_database
from urif.actions.users import add_user, change_role, deactivate_user, hash_password
from urif.api.app import create_app
from urif.api.settings import ServiceSettings
from urif.store import Store
from urif.store.database import upgrade
from urif.store.users_tables import users

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
#: alice and bob are changed by the tests; carol never is.
USERS = {"alice": "auditor", "bob": "analyst", "carol": "auditor"}


def _client(url: str, key_file: Path) -> TestClient:
    # No lifespan: nothing here reads the fund state the warm-up replays.
    return TestClient(create_app(ServiceSettings(db=url, secret_key_file=key_file)))


@pytest.fixture
def service(db_url: str, tmp_path: Path) -> Iterator[tuple[str, TestClient]]:
    """A database with three users and a client over the app on it."""
    init_database(db_url, None)
    for name, role in USERS.items():
        add_user(db_url, name, role, PASSWORD, created_by="test", created_at=NOW)
    client = _client(db_url, tmp_path / "secret.key")
    try:
        yield db_url, client
    finally:
        client.app.state.urif.store.close()  # type: ignore[attr-defined]


def _token(client: TestClient, name: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/token", data={"username": name, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _is_unauthorised_problem(response: Any) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail"}
    assert (body["type"], body["title"], body["status"]) == (
        "https://urif.invalid/problems/unauthorised",
        "Unauthorised",
        401,
    )


def test_a_demoted_user_loses_the_old_rights_on_the_next_request(
    service: tuple[str, TestClient],
) -> None:
    url, client = service
    auth = _token(client, "alice")
    assert client.get("/api/cases", headers=auth).status_code == 200
    change_role(url, "alice", "analyst")
    refused = client.get("/api/cases", headers=auth)
    assert refused.status_code == 403
    assert "role analyst may not read counterparties" in refused.json()["detail"]
    assert client.get("/api/me", headers=auth).json() == {"name": "alice", "role": "analyst"}
    assert client.get("/api/accounts", headers=auth).status_code == 200  # analysts may


def test_a_promoted_user_gets_the_new_rights_on_the_next_request(
    service: tuple[str, TestClient],
) -> None:
    url, client = service
    auth = _token(client, "bob")
    assert client.get("/api/events", headers=auth).status_code == 403
    change_role(url, "bob", "administrator")
    assert client.get("/api/events", headers=auth).status_code == 200
    written = client.post("/api/events", json=[], headers=auth)
    assert written.status_code == 200, written.text


def test_a_deactivated_user_is_401_on_the_next_request_and_cannot_sign_in(
    service: tuple[str, TestClient],
) -> None:
    url, client = service
    auth = _token(client, "alice")
    assert client.get("/api/accounts", headers=auth).status_code == 200
    deactivate_user(url, "alice")
    for method, path in (("GET", "/api/accounts"), ("GET", "/api/me"), ("POST", "/api/events")):
        refused = client.request(method, path, headers=auth, json=[])
        _is_unauthorised_problem(refused)
        assert "POST /api/token" in refused.json()["detail"]
    # The same shape as a token that was never valid.
    _is_unauthorised_problem(client.get("/api/accounts", headers={"Authorization": "Bearer x"}))
    login = client.post("/api/token", data={"username": "alice", "password": PASSWORD})
    assert login.status_code == 401
    assert login.json()["detail"] == "wrong user name or password"  # nothing about the state


def test_a_removed_user_is_401_on_the_next_request(service: tuple[str, TestClient]) -> None:
    url, client = service
    auth = _token(client, "alice")
    assert client.get("/api/accounts", headers=auth).status_code == 200
    with Store.using(url) as store, store.transaction() as conn:
        conn.execute(delete(users).where(users.c.name == "alice"))
    _is_unauthorised_problem(client.get("/api/accounts", headers=auth))


def test_a_password_reset_ends_earlier_tokens_even_after_reactivation(
    service: tuple[str, TestClient],
) -> None:
    url, client = service
    before = _token(client, "alice")
    deactivate_user(url, "alice")
    add_user(url, "alice", "auditor", "a new password", created_by="test", created_at=NOW)
    _is_unauthorised_problem(client.get("/api/accounts", headers=before))
    after = _token(client, "alice", "a new password")
    assert client.get("/api/accounts", headers=after).status_code == 200
    assert client.post("/api/token", data={"username": "alice", "password": PASSWORD}).json()[
        "detail"
    ] == ("wrong user name or password")


def test_users_who_did_not_change_are_unaffected(service: tuple[str, TestClient]) -> None:
    url, client = service
    carol = _token(client, "carol")
    first = client.get("/api/cases", headers=carol)
    change_role(url, "alice", "analyst")
    deactivate_user(url, "bob")
    add_user(url, "alice", "auditor", "a new password", created_by="test", created_at=NOW)
    again = client.get("/api/cases", headers=carol)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert client.get("/api/me", headers=carol).json() == {"name": "carol", "role": "auditor"}


def test_tokens_issued_before_the_upgrade_keep_working(db_url: str, tmp_path: Path) -> None:
    # A database at the revision before users had a stamp, with a user added then.
    with Store.open(db_url) as store:
        with store.engine.begin() as conn:
            upgrade(conn, "0008_failed_logins")
            conn.execute(
                insert(users).values(
                    name="dora",
                    role="auditor",
                    password_hash=hash_password(PASSWORD),
                    created_at=NOW.isoformat(),
                    created_by="test",
                )
            )
        store.migrate()
    client = _client(db_url, tmp_path / "secret.key")
    try:
        key = client.app.state.urif.key  # type: ignore[attr-defined]
        issued = dt.datetime.now(dt.UTC)
        old_claims = {  # what issue_token wrote before revision 0009: no stamp
            "sub": "dora",
            "role": "auditor",
            "iat": int(issued.timestamp()),
            "exp": int((issued + dt.timedelta(minutes=30)).timestamp()),
        }
        auth = {"Authorization": f"Bearer {jwt.encode(old_claims, key, algorithm='HS256')}"}
        assert client.get("/api/me", headers=auth).json() == {"name": "dora", "role": "auditor"}
        deactivate_user(db_url, "dora")
        _is_unauthorised_problem(client.get("/api/me", headers=auth))
    finally:
        client.app.state.urif.store.close()  # type: ignore[attr-defined]


# --- the dashboard ------------------------------------------------------------------------


def _sign_in(client: TestClient, user: str) -> None:
    client.cookies.clear()
    match = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert match, "the sign-in form carries a CSRF token"
    response = client.post(
        "/login",
        data={"username": user, "password": PASSWORD, "csrf": match.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def test_a_deactivated_user_is_signed_out_of_the_dashboard_on_the_next_page(
    service: tuple[str, TestClient],
) -> None:
    url, client = service
    _sign_in(client, "alice")
    assert client.get("/terms").status_code == 200
    deactivate_user(url, "alice")
    page = client.get("/terms", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/terms"
    form = client.get("/login", follow_redirects=False)
    assert form.status_code == 200  # the sign-in form, not a redirect into the dashboard
    assert "alice" not in form.text
    match = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert match
    again = client.post(
        "/login",
        data={"username": "alice", "password": PASSWORD, "csrf": match.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert again.status_code == 401


def test_a_role_change_applies_to_the_dashboard_on_the_next_page(
    service: tuple[str, TestClient],
) -> None:
    url, client = service
    _sign_in(client, "alice")
    assert client.get("/cases").status_code == 200
    change_role(url, "alice", "analyst")
    refused = client.get("/cases")
    assert refused.status_code == 403
    assert "your role (analyst) may not see this page" in refused.text
    assert 'href="/cases"' not in client.get("/terms").text  # the navigation follows too
    change_role(url, "alice", "administrator")
    assert client.get("/cases").status_code == 200
