"""Hand-computed scenarios (``tests/scenarios/*.yaml``) driven through the real CLI.

Each file names a term set, steps (a file of events to ingest, the exit code expected and
text the error output must contain) and checks (``urif accounts --json`` and ``urif
obligations --json`` as of a date, compared field by field to the cent).  Every scenario
runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from urif.terms import list_versions

HERE = Path(__file__).parent
SCENARIOS = sorted(HERE.glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: expected a mapping"
    return data


def _plain(value: Any) -> Any:
    """YAML values as JSON event fields: dates back to ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_scenario_file_is_well_formed() -> None:
    assert len(SCENARIOS) >= 6
    for path in SCENARIOS:
        data = _load(path)
        assert {"title", "terms", "steps", "checks"} <= set(data), path.name
        for step in data["steps"]:
            assert step["ingest"], f"{path.name}: a step without events"
            assert "exit" in step, f"{path.name}: a step without its exit code"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_matches_hand_computation(
    path: Path, db_url: str, tmp_path: Path, urif_cli: Any
) -> None:
    data = _load(path)
    assert str(data["terms"]) in list_versions(), (
        f"{path.name}: term set {data['terms']} not shipped"
    )
    code, _, err = urif_cli("--db", db_url, "init", "--terms", str(data["terms"]))
    assert code == 0, err
    for number, step in enumerate(data["steps"], start=1):
        events = tmp_path / f"step{number}.jsonl"
        events.write_text(
            "".join(json.dumps(_plain(e)) + "\n" for e in step["ingest"]), encoding="utf-8"
        )
        code, _, err = urif_cli("--db", db_url, "ingest", str(events))
        expected = step["exit"] if isinstance(step["exit"], list) else [step["exit"]]
        assert code in expected, f"step {number}: exit {code}, expected {expected}\n{err}"
        for text in step.get("stderr", []):
            assert text in _flat(err), f"step {number}: {text!r} not in error output:\n{err}"
    for check in data["checks"]:
        as_of = _plain(check["as_of"])
        if "accounts" in check:
            code, out, err = urif_cli("--db", db_url, "accounts", "--json", "--as-of", as_of)
            assert code == 0, err
            got = json.loads(out)
            assert got["as_of"] == as_of
            by_partner = {p["partner"]: p for p in got["partners"]}
            want = check["accounts"]
            for partner, fields in want.get("partners", {}).items():
                for key, value in fields.items():
                    assert by_partner[partner][key] == value, (
                        f"{partner}.{key} as of {as_of}: {by_partner[partner][key]} != {value}"
                    )
            if "net_assets" in want:
                assert got["net_assets"] == want["net_assets"]
            total = sum((Decimal(p["capital"]) for p in got["partners"]), Decimal("0.00"))
            assert total == Decimal(got["net_assets"]) + Decimal(got["in_kind_reserve"])
        if "obligations" in check:
            code, out, err = urif_cli("--db", db_url, "obligations", "--json", "--as-of", as_of)
            assert code == 0, err
            got = json.loads(out)
            years = {y["year"]: y for y in got["years"]}
            for want in check["obligations"]:
                row = years[want["year"]]
                for key, value in _plain(want).items():
                    assert row[key] == value, f"{want['year']}.{key}: {row[key]} != {value}"
