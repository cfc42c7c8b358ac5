"""Dashboard pages without a browser: sign-in, CSRF, cookies, roles, downloads, headers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from urif.actions.books import init_database
from urif.actions.record import ingest_files
from urif.actions.users import add_user
from urif.api.app import create_app
from urif.api.dashboard.session import COOKIE, Session, decode, encode
from urif.api.roles import Role
from urif.api.settings import ServiceSettings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
ROLES = ("administrator", "board_us", "board_ua", "auditor", "analyst")
#: Page → roles that may see it (urif.api.roles).
ALLOWED = {
    "/": set(ROLES),
    "/statements?partner=dfc&period=2026Q2": {"administrator", "board_us", "board_ua", "auditor"},
    "/statements/dfc/2026Q2.pdf": {"administrator", "board_us", "board_ua", "auditor"},
    "/reports/overview.xlsx": {"administrator", "board_us", "board_ua", "auditor"},
    "/governance": {"administrator", "board_us", "board_ua", "auditor"},
    "/cases": {"administrator", "auditor"},
    "/simulations": set(ROLES),
    "/terms": set(ROLES),
    "/map": set(ROLES),
}


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory: pytest.TempPathFactory) -> ServiceSettings:
    folder = tmp_path_factory.mktemp("dashboard-pages")
    url = f"sqlite:///{folder / 'urif.db'}"
    init_database(url, None)
    files = [EXAMPLES / "fund-2025-2026.jsonl", EXAMPLES / "governance-2025-2027.jsonl"]
    ingest_files(url, files, "test", NOW).raise_for_problems()
    for role in ROLES:
        add_user(url, role, role, PASSWORD, created_by="test", created_at=NOW)
    return ServiceSettings(db=url, secret_key_file=folder / "secret.key", login_failures_allowed=3)


@pytest.fixture(scope="module")
def app_client(app_settings: ServiceSettings) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings)) as client:
        yield client


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "every form carries a CSRF token"
    return match.group(1)


def _sign_in(client: TestClient, user: str, password: str = PASSWORD) -> TestClient:
    client.cookies.clear()
    token = _csrf(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": user, "password": password, "csrf": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def test_pages_need_a_session_and_redirect_to_sign_in(app_client: TestClient) -> None:
    app_client.cookies.clear()
    response = app_client.get("/map", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/map"


@pytest.mark.parametrize("role", ROLES)
def test_each_page_follows_the_role_table(app_client: TestClient, role: str) -> None:
    _sign_in(app_client, role)
    for path, roles in ALLOWED.items():
        response = app_client.get(path, follow_redirects=False)
        assert response.status_code == (200 if role in roles else 403), (role, path)


def test_session_cookie_is_httponly_strict_and_signed(app_settings: ServiceSettings) -> None:
    with TestClient(create_app(app_settings)) as client:
        token = _csrf(client.get("/login").text)
        response = client.post(
            "/login",
            data={"username": "auditor", "password": PASSWORD, "csrf": token},
            follow_redirects=False,
        )
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()
        value = client.cookies[COOKIE]
        forged = encode(Session("x", "auditor", Role.ADMINISTRATOR, 2**40), "not-the-key")
        client.cookies.set(COOKIE, forged)
        assert client.get("/cases", follow_redirects=False).status_code == 303
        client.cookies.set(COOKIE, value)
        assert client.get("/cases", follow_redirects=False).status_code == 200


def test_expired_session_must_sign_in_again(app_client: TestClient) -> None:
    key = app_client.app.state.urif.key  # type: ignore[attr-defined]
    app_client.cookies.clear()
    app_client.cookies.set(COOKIE, encode(Session("n", "auditor", Role.AUDITOR, 1), key))
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_forms_without_the_csrf_token_are_refused(app_client: TestClient) -> None:
    app_client.cookies.clear()
    app_client.get("/login")
    refused = app_client.post(
        "/login", data={"username": "auditor", "password": PASSWORD, "csrf": "wrong"}
    )
    assert refused.status_code == 400
    _sign_in(app_client, "administrator")
    assert app_client.post("/logout", data={}, follow_redirects=False).status_code == 400
    run = app_client.post("/simulations", data={"paths": "100"}, follow_redirects=False)
    assert run.status_code == 400
    token = _csrf(app_client.get("/").text)
    out = app_client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_failed_sign_ins_are_limited_and_named_generically(
    app_settings: ServiceSettings,
) -> None:
    with TestClient(create_app(app_settings)) as client:
        statuses = []
        for _ in range(4):
            token = _csrf(client.get("/login").text)
            response = client.post(
                "/login", data={"username": "analyst", "password": "wrong!!!", "csrf": token}
            )
            statuses.append(response.status_code)
            assert "Wrong user name or password" in response.text or response.status_code == 429
        assert statuses == [401, 401, 401, 429]


def test_sign_in_never_redirects_off_site(app_client: TestClient) -> None:
    app_client.cookies.clear()
    token = _csrf(app_client.get("/login").text)
    response = app_client.post(
        "/login",
        data={"username": "auditor", "password": PASSWORD, "csrf": token,
              "next": "//evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.headers["location"] == "/"


def test_pages_carry_security_headers_and_no_inline_script_or_style(
    app_client: TestClient,
) -> None:
    _sign_in(app_client, "administrator")
    for path in ("/", "/map", "/simulations", "/terms", "/governance", "/login"):
        response = app_client.get(path)
        assert "default-src 'self'" in response.headers["content-security-policy"]
        html = response.text
        assert "<script>" not in html
        assert "<style" not in html
        assert " style=" not in html
        assert "http://" not in re.sub(r'href="https?://[^"]+"', "", html).replace(
            "http://www.w3.org/2000/svg", ""
        )


def test_statement_downloads_are_attachments(app_client: TestClient) -> None:
    _sign_in(app_client, "auditor")
    pdf = app_client.get("/statements/dfc/2026Q2.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    assert pdf.content.startswith(b"%PDF")
    bad = app_client.get("/statements/dfc/2026Q2.exe")
    assert bad.status_code == 422


def test_dashboard_routes_are_not_in_openapi(app_client: TestClient) -> None:
    paths = app_client.get("/api/openapi.json").json()["paths"]
    assert all(path.startswith("/api") for path in paths)


def test_session_round_trip_rejects_tampering() -> None:
    session = Session("nonce", "ann", Role.ANALYST, 123)
    value = encode(session, "k")
    assert decode(value, "k") == session
    body, mac = value.split(".")
    assert decode(body + "." + mac[:-1] + ("0" if mac[-1] != "0" else "1"), "k") is None
    assert decode("garbage", "k") is None


def test_a_worker_loads_every_term_set_before_its_first_page(
    api_db: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Start-up warms the dashboard: term sets parsed, the fund state's replay started."""
    import sys

    from urif.api.app import create_app
    from urif.api.settings import ServiceSettings
    from urif.terms.loader import _shipped_names, load_termset

    settings = ServiceSettings(db=api_db, secret_key_file=tmp_path_factory.mktemp("warm") / "key")
    load_termset.cache_clear()
    app = create_app(settings)
    assert load_termset.cache_info().currsize == 0
    with TestClient(app):
        assert load_termset.cache_info().currsize == len(_shipped_names())
        assert "urif.actions.simulation" in sys.modules
        # the fund state's replay was started (in the background) before anyone signed in
        assert api_db in app.state.dashboard.follower._warming
        # and the pages read the fund state the API's ingest keeps (one per worker)
        assert app.state.dashboard.follower.cache is app.state.urif.states
