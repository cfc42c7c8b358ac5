"""``urif proposals``, ``proposal show``, ``board`` and ``opportunities`` on a real store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from urif.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_demo_governance_is_readable_from_the_store(db_url: str) -> None:
    _run(db_url, "init")
    _run(
        db_url,
        "ingest",
        str(EXAMPLES / "fund-2025-2026.jsonl"),
        str(EXAMPLES / "governance-2025-2027.jsonl"),
    )
    listing = json.loads(_run(db_url, "proposals", "--json"))
    status = {p["proposal"]: p["status"] for p in listing["proposals"]}
    assert status == {
        "ord-2025-12-defence-sector": "rejected",
        "inv-2026-dobra": "approved",
        "dist-2027-01": "approved",
    }
    dobra = json.loads(_run(db_url, "proposal", "show", "inv-2026-dobra", "--json"))
    assert dobra["conflicts"] == ["us-manager-1"]
    assert dobra["counts"]["us"]["yes"] == 2
    assert dobra["counts"]["ua"]["yes"] == 3
    assert dobra["rule"] == "unanimous"
    assert dobra["illustrative"] is True
    board = json.loads(_run(db_url, "board", "--as-of", "2026-03-01", "--json"))
    seats = board["bodies"][0]["sides"]
    assert (seats["us"]["filled"], seats["ua"]["filled"]) == (3, 3)
    assert {m["name"] for m in seats["ua"]["members"]} == {
        "Oleksiy Sobolev",
        "Yehor Perelyhin",
        "Oleksandr Karasevich",
    }
    opps = json.loads(_run(db_url, "opportunities", "--as-of", "2026-12-31", "--json"))
    assert opps["opportunities"][0]["first_look"]["until"] == "2026-09-01"
    assert json.loads(_run(db_url, "proposals", "--open", "--json"))["proposals"] == []
