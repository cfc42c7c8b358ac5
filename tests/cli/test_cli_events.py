"""``urif ingest`` exit codes for refusals (DESIGN.md §3, §5): the audit's hand-checked cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def cli(urif_cli):  # type: ignore[no-untyped-def]
    """Run ``urif ARGS`` through the real entry point: (exit code, stdout, stderr)."""
    return urif_cli


def _write(tmp_path: Path, name: str, *events: dict[str, object]) -> str:
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return str(path)


RECEIPT = {
    "id": "r-1",
    "type": "state_receipt",
    "on": "2025-07-01",
    "licence": "L-unknown",
    "item": "royalty",
    "amount": "400.00",
    "currency": "USD",
}
IN_KIND_UA = {
    "id": "ik-1",
    "type": "contribution",
    "on": "2025-10-01",
    "partner": "ppp_agency",
    "kind": "in_kind",
    "amount": "1000.00",
    "currency": "USD",
    "category": "air_defence",
    "valuation": {"method": "assessed_value", "assessed_by": "MoD", "assessed_on": "2025-10-01"},
    "agreed": True,
    "delivered_on": "2025-09-01",
}
UNKNOWN_PARTNER = {
    "id": "c-1",
    "type": "contribution",
    "on": "2025-10-01",
    "partner": "nobody",
    "kind": "cash",
    "amount": "1.00",
    "currency": "USD",
}


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        (RECEIPT, "'L-unknown' is not recorded"),
        (UNKNOWN_PARTNER, "'nobody' is not a partner"),
        (IN_KIND_UA, "'ppp_agency' is on Ukraine's side"),
    ],
)
def test_an_unknown_licence_is_refused_like_an_unknown_partner(
    event: dict[str, object],
    fragment: str,
    sqlite_url: str,
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    assert cli("--db", sqlite_url, "init")[0] == 0
    code, out, _ = cli("--db", sqlite_url, "ingest", _write(tmp_path, "f.jsonl", event), "--json")
    assert code == 4
    report = json.loads(out)
    assert report["error"] == "NotPermitted"
    assert report["appended"] == 0
    (problem,) = report["problems"]
    assert fragment in problem["message"]


def test_events_schema_accepts_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("events", "schema", "--json")
    assert code == 0, err
    assert json.loads(out)["$schema"].startswith("https://json-schema.org/")
