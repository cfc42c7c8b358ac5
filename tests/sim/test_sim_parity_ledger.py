"""Invariant 8 (DESIGN.md §6, issue 7 item 8): the simulator and the ledger agree to the cent.

The deterministic baseline (one path, every volatility zero, every probability 0 or 1)
runs in cents mode; ``parity_case`` turns it into DESIGN.md §3 events; the real ledger
ingests them through ``urif.actions.record`` (the code behind ``urif ingest``) on SQLite
and PostgreSQL; and the capital accounts and Ukraine's obligations the books report as of
each 31 December (the builders behind ``urif accounts --json`` and ``urif obligations
--json``, and the CLI itself for the last year) equal the simulator's, string for string.

The governance variant adds what needs the board and the compliance gate: investments,
fees and distributions after the reinvestment lock, each with an approved proposal, paid
to counterparties that the real screening path clears against the shipped list extracts
(OFAC SDN and the example policy list, loaded as ``urif lists load`` does). Without lists
the same file is refused: the gate is in the path, not bypassed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import urif.compliance
from urif.actions import books
from urif.actions.compliance import load_lists
from urif.actions.record import IngestReport, ingest_files
from urif.core.errors import Blocked, NotPermitted
from urif.sim.parity import ParityCase, deterministic_spec, parity_case
from urif.sim.scenario import ScenarioSpec
from urif.terms.model import Terms

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LISTS = Path(urif.compliance.__file__).parent / "data"
LIST_PATHS = (LISTS / "ofac-sdn-2024-06-extract", LISTS / "policy-states-example.csv")
ZERO = "0.00"


@pytest.fixture(scope="module")
def plain_case(baseline: ScenarioSpec, signed_terms: list[Terms]) -> ParityCase:
    """Contributions, agreed revenue, receipts and income; no fees, no distributions."""
    return parity_case(deterministic_spec(baseline), signed_terms)


@pytest.fixture(scope="module")
def governance_case(baseline: ScenarioSpec, signed_terms: list[Terms]) -> ParityCase:
    """Everything, with fees and distributions, and the board's approvals."""
    spec = deterministic_spec(baseline, fees=True, distributions=True)
    return parity_case(spec, signed_terms, governance=True)


def _ingest(url: str, case: ParityCase, tmp_path: Path) -> IngestReport:
    path = tmp_path / "parity.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in case.events), encoding="utf-8")
    return ingest_files(url, [path], "parity-test", AT)


def _load_lists(url: str) -> None:
    report = load_lists(
        url,
        list(LIST_PATHS),
        snapshot_date=None,
        loaded_on=dt.date(2025, 1, 1),
        recorded_by="parity-test",
        recorded_at=AT,
    )
    assert {s.list_id for s in report.loaded} == {"ofac-sdn", "policy"}


def _differences(case: ParityCase, url: str) -> list[str]:
    """Every figure where the books differ from the simulator, as readable lines."""
    found: list[str] = []
    for sim in case.years:
        as_of = dt.date.fromisoformat(sim["as_of"])
        accounts = books.accounts_json(books.accounts(url, as_of))
        by_partner = {p["partner"]: p for p in accounts["partners"]}
        for partner in sim["partners"]:
            ledger = by_partner.get(partner["partner"])
            if ledger is None:
                found.append(f"{as_of} {partner['partner']}: not in the books")
                continue
            found.extend(
                f"{as_of} {partner['partner']} {key}: simulator {value}, ledger {ledger[key]}"
                for key, value in partner.items()
                if ledger[key] != value
            )
        found.extend(
            f"{as_of} {key}: simulator {sim[key]}, ledger {accounts[key]}"
            for key in ("net_assets", "in_kind_reserve")
            if accounts[key] != sim[key]
        )
        ledger_years = {y["year"]: y for y in books.obligations(url, as_of).to_json()["years"]}
        sim_years = {o["year"]: o for o in sim["obligations"]}
        found.extend(
            f"{as_of} obligation {y}: only in the books" for y in set(ledger_years) - set(sim_years)
        )
        for year, row in sim_years.items():
            ledger_row = ledger_years.get(year)
            if ledger_row is None:  # the books list a year once something was received
                if any(row[k] != ZERO for k in ("receipts_usd", "due_usd", "received_usd")):
                    found.append(f"{as_of} obligation {year}: not in the books")
                continue
            found.extend(
                f"{as_of} obligation {year} {key}: simulator {value}, ledger {ledger_row[key]}"
                for key, value in row.items()
                if ledger_row[key] != value
            )
    return found


def _cli_accounts(url: str, as_of: str, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Any:
    """``urif --db URL accounts --json --as-of DATE`` through the real entry point."""
    from urif.cli.main import run

    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["urif", "--db", url, "accounts", "--json", "--as-of", as_of])
    with pytest.raises(SystemExit) as done:
        run()
    assert done.value.code in (0, None)
    return json.loads(capsys.readouterr().out)


def _assert_parity(case: ParityCase, url: str, check_cli: Callable[[str, str], Any]) -> None:
    problems = _differences(case, url)
    assert not problems, f"{len(problems)} difference(s):\n" + "\n".join(problems[:40])
    last = case.years[-1]
    cli = {p["partner"]: p for p in check_cli(url, last["as_of"])["partners"]}
    for partner in last["partners"]:
        assert cli[partner["partner"]]["capital"] == partner["capital"]


def test_ledger_books_the_deterministic_scenario_to_the_cent_each_year(
    db_url: str,
    tmp_path: Path,
    plain_case: ParityCase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    books.init_database(db_url, None)
    report = _ingest(db_url, plain_case, tmp_path)
    assert report.ok, report.problems[:5]
    assert report.appended == len(plain_case.events)
    last = plain_case.years[-1]
    assert any(p["income_allocated"] != ZERO for p in last["partners"])
    assert any(o["received_usd"] != ZERO for o in last["obligations"])
    _assert_parity(plain_case, db_url, lambda url, on: _cli_accounts(url, on, monkeypatch, capsys))


def test_ledger_matches_with_investments_fees_and_distributions_after_the_lock(
    db_url: str,
    tmp_path: Path,
    governance_case: ParityCase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kinds = {e["type"] for e in governance_case.events}
    assert {"investment", "expense", "distribution"} <= kinds
    lock_end = min(e["on"] for e in governance_case.events if e["type"] == "distribution")
    assert lock_end >= "2035-05-23"
    books.init_database(db_url, None)
    _load_lists(db_url)
    report = _ingest(db_url, governance_case, tmp_path)
    assert report.ok, report.problems[:5]
    assert report.appended == len(governance_case.events)
    last = governance_case.years[-1]
    assert all(p["distributions"] != ZERO for p in last["partners"])
    _assert_parity(
        governance_case, db_url, lambda url, on: _cli_accounts(url, on, monkeypatch, capsys)
    )


def test_without_screening_lists_the_gate_refuses_every_payment(
    sqlite_url: str, tmp_path: Path, governance_case: ParityCase
) -> None:
    books.init_database(sqlite_url, None)
    report = _ingest(sqlite_url, governance_case, tmp_path)
    assert not report.ok
    assert report.appended == 0
    assert report.category in (Blocked, NotPermitted)
    refused = {p.where for p in report.problems if "screening" in p.message}
    payments = sum(
        1 for e in governance_case.events if e["type"] in ("investment", "expense", "distribution")
    )
    assert refused
    assert len(refused) <= payments


def test_a_one_cent_difference_is_reported(
    sqlite_url: str, tmp_path: Path, plain_case: ParityCase
) -> None:
    events = list(plain_case.events)
    i = next(i for i, e in enumerate(events) if e["type"] == "contribution")
    events[i] = {**events[i], "amount": str(Decimal(events[i]["amount"]) + Decimal("0.01"))}
    books.init_database(sqlite_url, None)
    assert _ingest(sqlite_url, replace(plain_case, events=tuple(events)), tmp_path).ok
    problems = _differences(plain_case, sqlite_url)
    assert any(f"{events[i]['partner']} capital" in p for p in problems)
