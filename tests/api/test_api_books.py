"""The books through the API agree with the actions (and so with the CLI's JSON)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from urif.actions import books as books_actions


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_accounts_and_obligations_equal_the_cli_json(
    client: TestClient, tokens: dict[str, str], api_db: str
) -> None:
    day = dt.date(2026, 12, 31)
    got = client.get(
        "/api/accounts", params={"as_of": day.isoformat()}, headers=_auth(tokens["analyst"])
    )
    assert got.status_code == 200
    assert got.json() == books_actions.accounts_json(books_actions.accounts(api_db, day))
    owed = client.get(
        "/api/obligations", params={"as_of": day.isoformat()}, headers=_auth(tokens["analyst"])
    )
    assert owed.json() == books_actions.obligations(api_db, day).to_json()


def test_statement_downloads_in_every_format(client: TestClient, tokens: dict[str, str]) -> None:
    magic = {"pdf": b"%PDF", "xlsx": b"PK\x03\x04", "text": b"Capital", "json": b"{"}
    for fmt, start in magic.items():
        response = client.get(
            "/api/statements/dfc",
            params={"period": "2026Q1", "format": fmt},
            headers=_auth(tokens["auditor"]),
        )
        assert response.status_code == 200, response.text
        assert response.content.startswith(start)
        if fmt in ("pdf", "xlsx"):
            disposition = response.headers["content-disposition"]
            assert disposition == f'attachment; filename="statement-dfc-2026Q1.{fmt}"'
    unknown = client.get(
        "/api/statements/nobody", params={"period": "2026Q1"}, headers=_auth(tokens["auditor"])
    )
    assert unknown.status_code == 404
    assert unknown.json()["title"] == "NotFound"
