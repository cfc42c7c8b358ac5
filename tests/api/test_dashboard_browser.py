"""Browser tests of the dashboard: Debian's Chromium (Playwright) against a real uvicorn.

One uvicorn process serves a demo database (the example chronology, one counterparty,
one user per role) on 127.0.0.1.  Each role signs in through the form, walks every page
its role may see, and the test checks what is shown against the JSON API, that pages the
role may not see are refused, that no counterparty data reaches an analyst, and that the
browser logs no console error.  Screenshots go to ``tmp_path``; set
``URIF_SCREENSHOTS=docs/img`` (or delete the PNGs there) to refresh the README's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from urif.actions.books import init_database
from urif.actions.record import ingest_files
from urif.actions.users import add_user
from urif.api.dashboard.views import run_small
from urif.reports.statement import money_text
from urif.sim.catalogue import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("dashboard_browser")]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"
AS_OF = "2026-12-31"
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
COUNTERPARTY_NAME = "Zhovti Vody Mining Services LLC"
USERS = {
    "admin": "administrator",
    "us-manager-2": "board_us",
    "ua-sobolev": "board_ua",
    "auditor": "auditor",
    "analyst": "analyst",
}
#: What each role sees in the navigation (the permission table of urif.api.roles).
EVERY_PAGE = ["/", "/statements", "/governance", "/cases", "/simulations", "/terms", "/map"]
PAGES = {
    "administrator": EVERY_PAGE,
    "auditor": EVERY_PAGE,
    "board_us": ["/", "/statements", "/governance", "/simulations", "/terms", "/map"],
    "board_ua": ["/", "/statements", "/governance", "/simulations", "/terms", "/map"],
    "analyst": ["/", "/simulations", "/terms", "/map"],
}


def _chromium_or_skip() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: run scripts/setup-system.sh (make setup)")
    pytest.skip(f"{CHROMIUM} not installed: run scripts/setup-system.sh (make setup) as root")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _build_db(url: str, folder: Path) -> None:
    init_database(url, None)
    extra = folder / "counterparty.jsonl"
    extra.write_text(
        json.dumps(
            {
                "id": "cp-zhovti-vody",
                "type": "counterparty_registered",
                "on": "2026-02-02",
                "counterparty": "cp-zhovti-vody",
                "name": COUNTERPARTY_NAME,
                "kind": "company",
                "country": "UA",
                "identifiers": {"edrpou": "40000001"},
                "owners": [],
            }
        )
        + "\n"
    )
    files = [EXAMPLES / "fund-2025-2026.jsonl", EXAMPLES / "governance-2025-2027.jsonl", extra]
    ingest_files(url, files, "test", NOW).raise_for_problems()
    for name, role in USERS.items():
        add_user(url, name, role, PASSWORD, created_by="test", created_at=NOW)
    # results where urif demo leaves them (beside the database), so every role sees charts
    # whichever test runs first; the administrator's test also runs one on demand
    summary, comparison = run_small("us-draft-2025-03", "signed-2025-04-30", 100, 3)
    for name, data in (("simulation", summary), ("compare", comparison)):
        (folder / name).mkdir()
        (folder / name / f"{name}.json").write_text(json.dumps(data))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn process serving the app on a demo database; yields its base URL."""
    _chromium_or_skip()
    folder = tmp_path_factory.mktemp("dashboard")
    url = f"sqlite:///{folder / 'urif.db'}"
    _build_db(url, folder)
    port = _free_port()
    env = {
        **os.environ,
        "URIF_DB": url,
        "URIF_SECRET_KEY_FILE": str(folder / "secret.key"),
        "URIF_LOGIN_FAILURES_ALLOWED": "50",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "urif.api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"uvicorn did not start: {output[-2000:]}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    """Debian's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def api(server: str) -> httpx.Client:
    """An API client with the administrator's bearer token."""
    token = httpx.post(
        f"{server}/api/token", data={"username": "admin", "password": PASSWORD}
    ).json()["access_token"]
    return httpx.Client(base_url=server, headers={"Authorization": f"Bearer {token}"})


class Session:
    """One role's browser context with a console-error collector."""

    def __init__(self, browser: Any, base: str, user: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{base}/")
        assert "/login" in self.page.url
        self.page.fill("input[name=username]", user)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{base}/")

    def go(self, path: str) -> Any:
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None
        assert response.status == 200, f"{path}: {response.status}"
        return self.page

    def figure(self, name: str) -> str:
        return str(self.page.locator(f'[data-figure="{name}"]').inner_text()).strip()

    def close(self) -> None:
        self.context.close()


def _money(value: str) -> str:
    return money_text(Decimal(value))


def _screenshot(page: Any, tmp_path: Path, name: str, *, full: bool) -> None:
    if name == "map":  # the map itself; the catalogue table below it is text
        page.locator("div.map-box").screenshot(path=str(tmp_path / f"{name}.png"))
    else:
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=full)
    target = os.environ.get("URIF_SCREENSHOTS")
    docs = ROOT / "docs" / "img" / f"dashboard-{name}.png"
    if target or (name in ("overview", "map") and not docs.exists()):
        out = ROOT / (target or "docs/img") / f"dashboard-{name}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / f"{name}.png", out)


def _check_overview(s: Session, api: httpx.Client) -> None:
    s.go(f"/?as_of={AS_OF}")
    accounts = api.get("/api/accounts", params={"as_of": AS_OF}).json()
    assert s.figure("net_assets") == _money(accounts["net_assets"])
    assert s.figure("in_kind_reserve") == _money(accounts["in_kind_reserve"])
    for p in accounts["partners"]:
        if Decimal(p["capital"]) == 0 and Decimal(p["commitment"]) == 0:
            continue
        for key in ("commitment", "paid_in", "contributed_cash", "contributed_in_kind",
                    "income_allocated", "capital"):  # fmt: skip
            assert s.figure(f"{p['partner']}.{key}") == _money(p[key]), (p["partner"], key)
    balances = api.get("/api/balances", params={"as_of": AS_OF}).json()
    for line in balances["accounts"]:
        if line["account"] == "assets:cash":
            assert s.figure(f"cash_{line['currency']}") == _money(line["balance"])
    obligations = api.get("/api/obligations", params={"as_of": AS_OF}).json()
    assert obligations["years"], "the examples record receipts from new licences"
    for y in obligations["years"]:
        for key in ("receipts_usd", "due_usd", "received_usd", "outstanding_usd"):
            assert s.figure(f"{y['year']}.{key}") == _money(y[key])


def _check_statement(s: Session, api: httpx.Client) -> None:
    page = s.go("/statements?partner=dfc&period=2026Q2")
    data = api.get("/api/statements/dfc", params={"period": "2026Q2"}).json()
    ending = [_money(c["ending"]) for c in data["columns"]]
    shown = [s.figure(f"{i}.Ending balance") for i in range(len(ending))]
    assert shown == ending
    assert s.figure("commitment") == _money(data["commitment"])
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        href = page.locator(f'[data-download="{fmt}"]').get_attribute("href")
        response = page.request.get(f"{s.base}{href}")
        assert response.status == 200
        assert response.body()[:4].startswith(magic)


def _check_governance(s: Session, api: httpx.Client) -> None:
    page = s.go(f"/governance?as_of={AS_OF}")
    proposals = api.get("/api/proposals", params={"as_of": AS_OF}).json()
    items = proposals if isinstance(proposals, list) else proposals["proposals"]
    assert page.locator("article.proposal").count() == len(items)
    for p in items:
        card = page.locator(f'article[data-proposal="{p["proposal"]}"]')
        for side, counts in p["counts"].items():
            row = card.locator(f'tr[data-side="{side}"]')
            assert row.locator('[data-votes="yes"]').inner_text() == str(counts["yes"])
            assert row.locator('[data-votes="no"]').inner_text() == str(counts["no"])


def _check_cases(s: Session, api: httpx.Client) -> None:
    page = s.go(f"/cases?as_of={AS_OF}")
    assert page.locator('tr[data-counterparty="cp-zhovti-vody"]').count() == 1
    assert COUNTERPARTY_NAME in page.content()
    cases = api.get("/api/cases").json()
    items = cases if isinstance(cases, list) else cases["cases"]
    assert page.locator("tr[data-case]").count() == len(items)


def _check_terms(s: Session, api: httpx.Client) -> None:
    s.go("/terms?a=us-draft-2025-03&b=signed-2025-04-30")
    changes = api.get("/api/terms/us-draft-2025-03/diff/signed-2025-04-30").json()
    items = changes if isinstance(changes, list) else changes["changes"]
    assert s.figure("changes") == str(len(items))
    assert s.page.locator("td.sources a").count() > 0


def _check_map(s: Session) -> None:
    page = s.go("/map")
    deposits = load_catalogue()
    placed = [d for d in deposits if d.lat is not None and d.lon is not None]
    assert page.locator("svg.map .deposit[data-deposit]").count() == len(placed)
    assert page.locator("tr[data-deposit]").count() == len(deposits)
    for territory in ("controlled", "frontline", "occupied"):
        count = sum(1 for d in deposits if d.territory == territory)
        assert s.figure(f"territory_{territory}") == str(count)


def _check_simulations(s: Session, run: bool, tmp_path: Path) -> None:
    page = s.go("/simulations")
    if run:
        page.fill("input[name=paths]", "200")
        page.click("button[data-run]")
        page.wait_for_selector('[data-chart="compare"]', timeout=30_000)
        assert "ran 200 paths" in page.content()
        page.screenshot(path=str(tmp_path / "simulations-run.png"), full_page=True)
    assert page.locator('[data-chart="fan"] svg').count() >= 2
    assert page.locator('[data-chart="compare"] svg').count() == 1


ORDER = ["admin", "analyst", "us-manager-2", "ua-sobolev", "auditor"]


@pytest.mark.parametrize("user", ORDER)
def test_each_role_walks_its_pages_and_sees_the_api_numbers(
    user: str, server: str, browser: Any, api: httpx.Client, tmp_path: Path
) -> None:
    role = USERS[user]
    s = Session(browser, server, user)
    try:
        nav = s.page.locator("header nav a")
        assert [nav.nth(i).get_attribute("href") for i in range(nav.count())] == PAGES[role]
        assert s.page.locator(f'[data-role="{role}"]').count() == 1
        for path in PAGES[role]:
            content = s.go(path).content()
            if role == "analyst":  # no counterparty data on any page an analyst sees
                assert COUNTERPARTY_NAME not in content
                assert "cp-zhovti-vody" not in content
            _screenshot(s.page, tmp_path, path.strip("/") or "overview", full=user == "admin")
        _check_overview(s, api)
        _check_terms(s, api)
        _check_map(s)
        _check_simulations(s, run=user == "admin", tmp_path=tmp_path)
        if "/statements" in PAGES[role]:
            _check_statement(s, api)
            _check_governance(s, api)
        if "/cases" in PAGES[role]:
            _check_cases(s, api)
        for path in set(EVERY_PAGE) - set(PAGES[role]):
            response = s.page.request.get(f"{server}{path}")
            assert response.status == 403, path
            assert COUNTERPARTY_NAME not in response.text()
        if role == "analyst":
            refused = s.page.request.get(f"{server}/statements/dfc/2026Q2.pdf")
            assert refused.status == 403
        s.page.click("form.who button")
        s.page.wait_for_url(f"{server}/login")
        assert s.page.request.get(f"{server}/", max_redirects=0).status == 303
        assert s.errors == [], s.errors
    finally:
        s.close()


def test_forms_refuse_a_missing_csrf_token_and_a_wrong_password(server: str, browser: Any) -> None:
    s = Session(browser, server, "admin")
    try:
        refused = s.page.request.post(f"{server}/logout", form={"csrf": "forged"})
        assert refused.status == 400
        assert s.page.request.get(f"{server}/", max_redirects=0).status == 200
        run = s.page.request.post(f"{server}/simulations", form={"paths": "100"})
        assert run.status == 400
        cookie = next(c for c in s.context.cookies() if c["name"] == "urif_session")
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Strict"
    finally:
        s.close()
    fresh = browser.new_context()
    page = fresh.new_page()
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert "Wrong user name or password" in page.content()
    assert "/login" in page.url
    fresh.close()


def test_dashboard_is_not_in_the_openapi_document(server: str) -> None:
    paths = httpx.get(f"{server}/api/openapi.json").json()["paths"]
    assert paths
    assert all(path.startswith("/api") for path in paths)
