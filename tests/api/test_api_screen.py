"""GET /api/screen: the same object as ``urif screen --json``, from the database's lists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from urif.actions.books import init_database
from urif.actions.compliance import DATA_DIR, load_lists
from urif.actions.users import add_user
from urif.api.app import create_app
from urif.api.settings import ServiceSettings
from urif.cli.main import app as cli_app
from urif.core.errors import Blocked

NOW = dt.datetime(2026, 2, 2, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


def test_api_screen_answers_as_the_cli_does(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'urif.db'}"
    init_database(url, None)
    load_lists(
        url,
        [DATA_DIR / "eu-reg-833-2014-annexes-extract.csv"],
        snapshot_date=dt.date(2025, 12, 18),
        loaded_on=dt.date(2025, 12, 18),
        recorded_by="test",
        recorded_at=NOW,
    )
    add_user(url, "screener", "administrator", PASSWORD, created_by="test", created_at=NOW)
    settings = ServiceSettings(
        db=url, secret_key_file=tmp_path / "secret.key", cache_dir=tmp_path / "cache"
    )
    args = {"name": "Kalashnikov Concern", "kind": "company", "as_of": "2026-02-02"}
    with TestClient(create_app(settings)) as client:
        token = client.post(
            "/api/token", data={"username": "screener", "password": PASSWORD}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        first = client.get("/api/screen", params=args, headers=headers)
        again = client.get("/api/screen", params=args, headers=headers)
        kept = dict(client.app.state.screening_matchers)  # type: ignore[attr-defined]
    assert first.status_code == 200, first.text
    assert again.json() == first.json()
    assert len(kept) == 1  # the index is built once and kept for the next request

    command = ["--db", url, "screen", args["name"], "--kind", "company"]
    command.extend(["--as-of", args["as_of"], "--json"])
    result = CliRunner().invoke(
        cli_app,
        command,
        env={"URIF_CACHE_DIR": str(tmp_path / "cache")},
    )
    # the CLI prints the same result, then exits 4 for a blocked decision (Blocked)
    assert isinstance(result.exception, Blocked), result.output
    assert first.json() == json.loads(result.stdout)
    assert first.json()["decision"] == "blocked"
    assert first.json()["lists"] == [{"list": "eu-833", "snapshot_date": "2025-12-18"}]
