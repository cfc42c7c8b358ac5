"""The role matrix: every API route, every role, and no token at all."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from urif.api.roles import GRANTS, Permission, Role

OPEN_PROPOSAL = {
    "id": "test-proposal-open",
    "type": "proposal_submitted",
    "on": "2026-11-20",
    "proposal": "ord-2026-11-test",
    "body": "board",
    "kind": "ordinary",
    "subject": {"title": "Adopt the 2027 work plan"},
    "submitted_by": "ua-sobolev",
    "illustrative": True,
}

# (method, path template, request kwargs, permission) — None: no token needed.
ROUTES: list[tuple[str, str, dict[str, Any], Permission | None]] = [
    ("GET", "/api/health", {}, None),
    ("GET", "/api/me", {}, Permission.READ_AGGREGATES),
    ("POST", "/api/verify", {}, Permission.RUN_VERIFY),
    ("GET", "/api/terms", {}, Permission.READ_AGGREGATES),
    ("GET", "/api/terms/signed-2025-04-30", {}, Permission.READ_AGGREGATES),
    ("GET", "/api/terms/us-draft-2025-03/diff/signed-2025-04-30", {}, Permission.READ_AGGREGATES),
    ("POST", "/api/events", {"json": []}, Permission.WRITE_EVENTS),
    ("GET", "/api/events", {}, Permission.READ_BOOKS),
    ("GET", "/api/accounts", {}, Permission.READ_AGGREGATES),
    ("GET", "/api/obligations", {}, Permission.READ_AGGREGATES),
    ("GET", "/api/balances", {}, Permission.READ_AGGREGATES),
    ("GET", "/api/statements/dfc", {"params": {"period": "2026Q1"}}, Permission.READ_BOOKS),
    ("GET", "/api/proposals", {}, Permission.READ_BOOKS),
    ("GET", "/api/proposals/inv-2026-dobra", {}, Permission.READ_BOOKS),
    (
        "POST",
        "/api/proposals/ord-2026-11-test/votes",
        {"json": {"vote": "yes", "on": "2026-11-21"}},
        Permission.VOTE,
    ),
    ("GET", "/api/board", {}, Permission.READ_BOOKS),
    ("GET", "/api/site-consents", {}, Permission.READ_BOOKS),
    ("GET", "/api/opportunities", {}, Permission.READ_BOOKS),
    ("GET", "/api/lists", {}, Permission.READ_AGGREGATES),
    ("GET", "/api/cases", {}, Permission.READ_COUNTERPARTIES),
    (
        "POST",
        "/api/cases/no-such-case/decision",
        {"json": {"decision": "false_positive", "reason": "test"}},
        Permission.DECIDE_CASES,
    ),
    ("GET", "/api/screen", {"params": {"name": "Ivan Petrov"}}, Permission.SCREEN),
    ("POST", "/api/simulations", {"json": {"paths": 20, "seed": 3}}, Permission.RUN_SIMULATIONS),
    ("GET", "/api/simulations/nope", {}, Permission.RUN_SIMULATIONS),
    ("GET", "/api/simulations/nope/result", {}, Permission.RUN_SIMULATIONS),
]


@pytest.fixture(scope="module", autouse=True)
def open_proposal(client: TestClient, tokens: dict[str, str]) -> None:
    """An open ordinary proposal the board roles can vote on."""
    response = client.post(
        "/api/events", json=[OPEN_PROPOSAL], headers=_auth(tokens["administrator"])
    )
    assert response.status_code == 200, response.text


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _template(path: str) -> str:
    return path


def test_matrix_covers_every_api_route(client: TestClient) -> None:
    declared = {
        (method, route.path)
        for route in client.app.routes  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and route.path.startswith("/api")
        for method in route.methods
    }
    covered: set[tuple[str, str]] = set()
    for method, path, _, _ in ROUTES:
        for route in client.app.routes:  # type: ignore[attr-defined]
            if isinstance(route, APIRoute) and method in route.methods:
                match, _ = route.matches({"type": "http", "path": path, "method": method})
                if match.name == "FULL":
                    covered.add((method, route.path))
    assert declared - covered == set()


@pytest.mark.parametrize(("method", "path", "kwargs", "permission"), ROUTES)
def test_no_token_is_401_on_protected_routes(
    client: TestClient,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    permission: Permission | None,
) -> None:
    response = client.request(method, path, **kwargs)
    if permission is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "kwargs", "permission"), ROUTES)
def test_each_role_gets_exactly_its_grants(
    client: TestClient,
    tokens: dict[str, str],
    role: Role,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    permission: Permission | None,
) -> None:
    response = client.request(method, path, headers=_auth(tokens[role.value]), **kwargs)
    allowed = permission is None or permission in GRANTS[role]
    if allowed:
        assert response.status_code not in (401, 403), (role, path, response.text)
        assert response.status_code < 500, response.text
    else:
        assert response.status_code == 403, (role, path, response.text)
        assert response.json()["title"] == "Forbidden"


def test_unauthorised_write_is_refused_whatever_the_body(
    client: TestClient, tokens: dict[str, str]
) -> None:
    for body in ([], [OPEN_PROPOSAL], "not json at all", [{"type": "nonsense"}]):
        kwargs: dict[str, Any] = {"json": body} if not isinstance(body, str) else {"content": body}
        assert client.post("/api/events", **kwargs).status_code == 401
        refused = client.post("/api/events", headers=_auth(tokens["auditor"]), **kwargs)
        assert refused.status_code == 403


@pytest.mark.parametrize(
    "path", ["/api/proposals/p1/votes", "/api/cases/c1/decision", "/api/simulations"]
)
def test_a_write_without_a_token_is_401_even_with_a_body_that_is_not_json(
    client: TestClient, tokens: dict[str, str], path: str
) -> None:
    headers = {"content-type": "application/json"}
    for auth in ({}, {"Authorization": "Bearer garbage"}):
        refused = client.post(path, content=b"[{", headers={**headers, **auth})
        assert refused.status_code == 401, (path, auth, refused.text)
    # with a valid token the body's problem is reported
    signed = {**headers, **_auth(tokens["administrator"])}
    assert client.post(path, content=b"[{", headers=signed).status_code == 422
    # a route without a body ignores it: still 401 without a token
    assert client.post("/api/verify", content=b"[{", headers=headers).status_code == 401
