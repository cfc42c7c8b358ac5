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


def test_a_repeated_key_in_posted_events_is_refused_as_by_ingest(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = (
        b'[{"id":"n","id":"m","type":"fx_rate","on":"2026-07-03","base":"USD",'
        b'"quote":"UAH","rate":"41.1","source":"t"}]'
    )
    headers = {**_auth(tokens["administrator"]), "content-type": "application/json"}
    refused = client.post("/api/events", content=body, headers=headers)
    assert refused.status_code == 422, refused.text
    assert "field id: expected each key once per JSON object" in refused.text
    # a colon inside a value is not a repeated key
    fine = body.replace(b'"id":"n",', b"").replace(
        b'"source":"t"', b'"source":"https://bank.gov.ua"'
    )
    accepted = client.post("/api/events", content=fine, headers=headers)
    assert accepted.status_code == 200, accepted.text


def test_list_resources_say_which_date_they_answer_for(
    client: TestClient, tokens: dict[str, str]
) -> None:
    headers = _auth(tokens["administrator"])
    for path, key in (
        ("/api/proposals", "proposals"),
        ("/api/opportunities", "opportunities"),
        ("/api/cases", "cases"),
        ("/api/lists", "snapshots"),
    ):
        dated = client.get(path, params={"as_of": "2026-01-01"}, headers=headers)
        assert dated.status_code == 200, (path, dated.text)
        assert dated.json()["as_of"] == "2026-01-01"
        assert isinstance(dated.json()[key], list)
        assert client.get(path, headers=headers).json()["as_of"] is None
