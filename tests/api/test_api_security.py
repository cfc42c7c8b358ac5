"""Security and bad input at the API edge: problem details, limits, headers, tokens."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD
from urif.api.app import SECURITY_HEADERS, create_app
from urif.api.roles import Role
from urif.api.security import FailedLoginLimiter, Principal, issue_token, read_token
from urif.api.settings import ServiceSettings
from urif.store import Store


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _is_problem(response: object) -> bool:
    headers = response.headers  # type: ignore[attr-defined]
    return bool(headers["content-type"].startswith("application/problem+json"))


def test_oversized_body_is_413_before_it_is_read(
    client: TestClient, tokens: dict[str, str]
) -> None:
    limit = client.app.state.urif.settings.max_body_bytes  # type: ignore[attr-defined]
    response = client.post(
        "/api/events",
        content=b"[" + b" " * (limit + 1) + b"]",
        headers={**_auth(tokens["administrator"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert _is_problem(response)
    assert str(limit) in response.json()["detail"]


def test_malformed_json_wrong_types_and_unknown_fields_are_422_problems(
    client: TestClient, tokens: dict[str, str]
) -> None:
    headers = {**_auth(tokens["administrator"]), "Content-Type": "application/json"}
    malformed = client.post("/api/events", content=b"[{not json", headers=headers)
    assert malformed.status_code == 422
    assert _is_problem(malformed)
    wrong_type = client.post("/api/events", json={"id": "x"}, headers=headers)
    assert wrong_type.status_code == 422
    unknown_field = client.post(
        "/api/events",
        json=[
            {
                "id": "u-1",
                "type": "fx_rate",
                "on": "2026-01-02",
                "base": "USD",
                "quote": "UAH",
                "rate": "42.0",
                "source": "NBU",
                "colour": "red",
            }
        ],
        headers=headers,
    )
    assert unknown_field.status_code == 422
    body = unknown_field.json()
    assert body["title"] == "InvalidInput"
    assert any("colour" in e["message"] or "colour" in e["where"] for e in body["errors"])
    vote_extra = client.post(
        "/api/proposals/anything/votes",
        json={"vote": "yes", "colour": "red"},
        headers=_auth(tokens["board_us"]),
    )
    assert vote_extra.status_code == 422
    assert _is_problem(vote_extra)


def test_a_rejected_batch_records_nothing_and_lists_every_problem(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = client.get(
        "/api/events", params={"limit": 10_000}, headers=_auth(tokens["auditor"])
    ).json()["events"]
    batch = [
        {
            "id": "ok-1",
            "type": "fx_rate",
            "on": "2026-02-02",
            "base": "USD",
            "quote": "UAH",
            "rate": "42.10",
            "source": "NBU",
        },
        {
            "id": "bad-1",
            "type": "fx_rate",
            "on": "2026-13-02",
            "base": "USD",
            "quote": "UAH",
            "rate": "42.10",
            "source": "NBU",
        },
        {
            "id": "bad-2",
            "type": "contribution",
            "on": "2026-02-02",
            "partner": "nobody",
            "kind": "cash",
            "amount": 5,
            "currency": "USD",
        },
    ]
    response = client.post("/api/events", json=batch, headers=_auth(tokens["administrator"]))
    assert response.status_code == 422
    wheres = " ".join(e["where"] for e in response.json()["errors"])
    assert "item 2" in wheres
    assert "item 3" in wheres
    after = client.get(
        "/api/events", params={"limit": 10_000}, headers=_auth(tokens["auditor"])
    ).json()["events"]
    assert len(after) == len(before)


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/api/health", "/api/accounts", "/api/openapi.json", "/login", "/nope"):
        response = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (path, name)


def test_expired_and_forged_tokens_are_401() -> None:
    key = "k" * 40
    principal = Principal("alice", Role.AUDITOR)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    assert read_token(issue_token(principal, key, past, 30), key) is None
    fresh = issue_token(principal, key, dt.datetime.now(dt.UTC), 30)
    assert read_token(fresh, key) == principal
    assert read_token(fresh, "other" * 10) is None
    assert read_token(fresh[:-2] + "xx", key) is None


def test_an_expired_token_is_refused_by_the_app(client: TestClient) -> None:
    key = client.app.state.urif.key  # type: ignore[attr-defined]
    old = issue_token(
        Principal("admin", Role.ADMINISTRATOR),
        key,
        dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
        30,
    )
    response = client.get("/api/accounts", headers=_auth(old))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_only_failed_logins_are_rate_limited(api_db: str, tmp_path: object) -> None:
    settings = ServiceSettings(
        db=api_db, secret_key="s" * 40, login_failures_allowed=3, login_window_seconds=60
    )
    with TestClient(create_app(settings)) as fresh:
        for _ in range(5):
            ok = fresh.post("/api/token", data={"username": "auditor", "password": PASSWORD})
            assert ok.status_code == 200
        codes = [
            fresh.post("/api/token", data={"username": "auditor", "password": "wrong"}).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        limited = fresh.post("/api/token", data={"username": "auditor", "password": PASSWORD})
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        other = fresh.post("/api/token", data={"username": "analyst", "password": PASSWORD})
        assert other.status_code == 200


def test_limiter_window_slides(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    store.init()
    limiter = FailedLoginLimiter(allowed=2, window_seconds=10, store=store)
    limiter.record_failure("k", now=0.0)
    limiter.record_failure("k", now=1.0)
    assert limiter.blocked("k", now=5.0)
    assert not limiter.blocked("k", now=11.5)


def test_writes_record_who_made_them(client: TestClient, tokens: dict[str, str]) -> None:
    event = {
        "id": "who-1",
        "type": "fx_rate",
        "on": "2026-03-03",
        "base": "USD",
        "quote": "UAH",
        "rate": "41.90",
        "source": "NBU",
    }
    assert (
        client.post("/api/events", json=[event], headers=_auth(tokens["administrator"])).status_code
        == 200
    )
    rows = client.get(
        "/api/events", params={"limit": 10_000}, headers=_auth(tokens["auditor"])
    ).json()["events"]
    mine = [r for r in rows if r["event"]["id"] == "who-1"]
    assert mine
    assert mine[0]["recorded_by"] == "api:admin"


def test_a_chunked_body_without_length_is_cut_at_the_limit(
    client: TestClient, tokens: dict[str, str]
) -> None:
    limit = client.app.state.urif.settings.max_body_bytes  # type: ignore[attr-defined]

    def chunks() -> object:
        yield b"["
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536
        yield b"]"

    response = client.post(
        "/api/events",
        content=chunks(),  # type: ignore[arg-type]
        headers={**_auth(tokens["administrator"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert _is_problem(response)
    assert response.headers["x-frame-options"] == "DENY"


def test_an_out_of_range_cursor_is_422_not_a_crash(
    client: TestClient, tokens: dict[str, str]
) -> None:
    # Found by schemathesis: SQLite integers stop at 2**63 - 1.
    response = client.get("/api/events", params={"after": 2**63}, headers=_auth(tokens["auditor"]))
    assert response.status_code == 422
    assert _is_problem(response)


def test_limiter_window_slides_in_the_database(db_url: str) -> None:
    store = Store.open(db_url)
    store.init()
    try:
        limiter = FailedLoginLimiter(allowed=2, window_seconds=10, store=store)
        limiter.record_failure("k", now=100.0)
        limiter.record_failure("k", now=101.0)
        assert limiter.blocked("k", now=105.0)
        assert not limiter.blocked("other", now=105.0)
        assert limiter.retry_after("k", now=105.0) == 6
        assert not limiter.blocked("k", now=111.5)
        limiter.record_failure("k", now=120.0)  # the old failures are dropped on the way
        assert not limiter.blocked("k", now=120.5)
        assert limiter.retry_after("k", now=131.0) == 0
    finally:
        store.close()


def test_workers_of_one_server_count_failed_logins_together(api_db: str, tmp_path: Path) -> None:
    key = tmp_path / "secret.key"
    settings = ServiceSettings(db=api_db, secret_key_file=key, login_failures_allowed=3)
    first = TestClient(create_app(settings))
    second = TestClient(create_app(settings))
    # A name of its own: the failures are in the module's shared database now.
    wrong = {"username": "worker-test", "password": "not the password"}
    assert first.post("/api/token", data=wrong).status_code == 401
    assert second.post("/api/token", data=wrong).status_code == 401
    assert first.post("/api/token", data=wrong).status_code == 401
    limited = second.post("/api/token", data=wrong)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1


def test_a_database_the_service_cannot_open_is_503_without_its_details(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'urif.db'}"
    settings = ServiceSettings(db=url, secret_key_file=tmp_path / "key")
    client = TestClient(create_app(settings))  # no lifespan: nothing warmed
    response = client.post("/api/token", data={"username": "a", "password": "b"})
    assert response.status_code == 503
    assert _is_problem(response)
    assert "folder" not in response.text
    assert "sqlite" not in response.text
