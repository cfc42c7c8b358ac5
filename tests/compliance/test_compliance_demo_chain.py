"""End to end through the real CLI: lists, the Dobra winner, an Annex IV chain, the gate.

The issue's "done when": the Dobra winner is cleared (so the hypothetical investment
books), a counterparty owned 60% through one intermediary by a company on EU Reg.
833/2014 Annex IV is blocked with its ownership path, and a payment to it is refused with
exit 4, the hit and the path in the message.  On SQLite and PostgreSQL (``db_url``), and
through ``urif demo``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from urif.actions.compliance import DATA_DIR, DEMO_LIST_PATHS, fold_compliance
from urif.store import Store

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
BOOKS = [EXAMPLES / "fund-2025-2026.jsonl", EXAMPLES / "governance-2025-2027.jsonl"]
DOBRA = EXAMPLES / "governance-investment-2026.jsonl"
CHAIN = EXAMPLES / "compliance-2026.jsonl"
PAYMENT = EXAMPLES / "compliance-payment-2026.jsonl"
CONTRACTOR = "illustrative-drilling-services"

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def urif(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run ``urif ARGS...`` through the console entry point; (exit code, stdout, stderr)."""
    from urif.cli.main import run

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["urif", *args])
        try:
            run()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def _flat(text: str) -> str:
    return " ".join(text.split())


def _head(urif: Cli, url: str) -> int:
    code, out, err = urif("--db", url, "verify", "--json")
    assert code == 0, err
    head = json.loads(out)["head_seq"]
    assert isinstance(head, int)
    return head


def test_annex_iv_chain_is_blocked_with_its_path_and_never_paid(db_url: str, urif: Cli) -> None:
    assert urif("--db", db_url, "init")[0] == 0
    code, _, err = urif("--db", db_url, "ingest", *map(str, BOOKS))
    assert code == 0, err

    # Without lists the Dobra winner cannot be shown clear, so its investment is refused.
    code, _, err = urif("--db", db_url, "ingest", str(DOBRA))
    assert code == 4
    assert "no screening lists loaded" in _flat(err)

    lists = [str(DATA_DIR / name) for name in DEMO_LIST_PATHS]
    code, out, err = urif(
        "--db", db_url, "lists", "load", *lists, "--snapshot-date", "2025-12-18", "--json"
    )
    assert code == 0, err
    assert {s["list"] for s in json.loads(out)["loaded"]} == {
        "ofac-sdn",
        "eu-833",
        "eu-269",
        "policy",
    }

    # With them, the winner is clear and the investment books.
    code, out, err = urif("--db", db_url, "ingest", "--json", str(DOBRA))
    assert code == 0, err
    assert json.loads(out)["appended"] == 2

    code, _, err = urif("--db", db_url, "ingest", str(CHAIN))
    assert code == 0, err
    with Store.open(db_url) as store:
        state = fold_compliance(store)
    day = state.counterparties[CONTRACTOR].registered_on
    status = {}
    for cp in state.counterparties:
        entry = state.status_on(cp, day)
        assert entry is not None, cp
        status[cp] = entry
    assert status["dobra-lithium-holdings-jv"].status == "clear"
    for cp in ("jsc-kalashnikov", "illustrative-intermediary-holding", CONTRACTOR):
        assert status[cp].status == "blocked", cp
    assert "eu-833-iv-4" in status["jsc-kalashnikov"].note
    contractor_note = status[CONTRACTOR].note
    assert "aggregate 60%" in contractor_note
    assert "-60%->" in contractor_note

    before = _head(urif, db_url)
    code, _, err = urif("--db", db_url, "ingest", str(PAYMENT))
    assert code == 4
    message = _flat(err)
    assert f"payment to {CONTRACTOR}" in message
    assert "blocked" in message
    assert "eu-833 eu-833-iv-4 'JSC Kalashnikov'" in message  # the hit
    # one explanation for both rules, the whole chain from the listed party down, once
    assert "OFAC 50% rule and EU 50%-or-control apply to" in message
    assert "aggregate 60%; path: JSC Kalashnikov" in message
    assert "-100%->" in message
    assert (
        "Illustrative Intermediary Holding Ltd [illustrative-intermediary-holding] -60%->"
        in message
    )
    assert message.count("JSC Kalashnikov (blocked") == 1
    assert _head(urif, db_url) == before  # nothing recorded

    code, out, err = urif("--db", db_url, "cases", "--open", "--json")
    assert code == 0, err
    assert json.loads(out)["cases"] == []

    code, out, err = urif(
        "--db", db_url, "screen", "Kalashnikov Concern", "--kind", "company", "--json"
    )
    assert code == 4, err  # blocked
    screened = json.loads(out)
    assert screened["decision"] == "blocked"
    assert screened["hits"][0]["entity_id"] == "eu-833-iv-4"
    assert {x["list"] for x in screened["lists"]} == {"ofac-sdn", "eu-833", "eu-269", "policy"}


def test_demo_clears_dobra_blocks_the_chain_and_refuses_the_payment(
    tmp_path: Path, urif: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo loads the lists shipped with the package, whatever the environment says.
    monkeypatch.setenv("URIF_SANCTIONS_DIR", str(tmp_path / "nowhere"))
    code, out, err = urif("demo", "--out", str(tmp_path / "demo"))
    assert code == 0, err
    text = _flat(out)
    assert "governance-investment-2026.jsonl: recorded 2 events" in text
    assert "ownership path of illustrative-drilling-services: JSC Kalashnikov" in text
    assert "-100%-> Illustrative Intermediary Holding Ltd -60%-> Illustrative Drilling" in text
    assert "compliance-payment-2026.jsonl: refused as it must be (`urif ingest` exits 4" in text
    assert "read models agree" in text
    url = f"sqlite:///{tmp_path / 'demo' / 'urif-demo.db'}"
    with Store.open(url) as store:
        events = [stored.event for stored in store.iter_events()]
    ids = {str(e.id) for e in events}
    assert "investment-inv-2026-dobra-1" in ids
    assert "expense-illustrative-drilling-2026-03" not in ids
    assert sum(1 for e in events if e.type == "list_snapshot_loaded") == 4
    assert _head(urif, url) == len(events)
