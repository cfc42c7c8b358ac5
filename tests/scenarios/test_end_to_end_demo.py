"""End to end through the real CLI: the demo chronology, verify, tamper, idempotency.

The demo file's capital accounts, reconciled by hand (USD, as of 2026-12-31):

* dfc: cash 3 × 25,000,000.00 = 75,000,000.00; in kind (air defence) 12,500,000.00;
  contributed 87,500,000.00.
* ppp_agency: cash UAH 1,056,202,500.00 / 42.2481 = 25,000,000.00, plus 2 × 25,000,000.00
  = 75,000,000.00; agreed revenue for 2025: 50,000.00; contributed 75,050,000.00.
* income 412,345.67 on 2026-06-30, by contributed capital 87,500,000 : 75,050,000:
  exact 221,963.987… and 190,381.682…; floors 221,963.98 + 190,381.68 = 412,345.66, the
  last cent to the larger remainder (dfc): 221,963.99 and 190,381.68.
* capital: dfc 87,721,963.99; ppp_agency 75,240,381.68; Σ 162,962,345.67.
* net assets = cash 150,050,000.00 + income 412,345.67 = 150,462,345.67; in-kind reserve
  12,500,000.00; Σ capital = net assets + reserve.
* obligations (strict reading): 2025: the graphite permit fee UAH 4,214,820.00 / 42.1482
  = 100,000.00 counts (the 2019 and 2024 titanium permits do not), due 50,000.00 on
  2026-04-01, received 50,000.00; 2026: the Dobra signing bonus UAH 86,151,400.00 /
  43.0757 = 2,000,000.00, due 1,000,000.00 on 2027-04-01.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "fund-2025-2026.jsonl"
AS_OF = "2026-12-31"

EXPECTED = {
    "dfc": {
        "commitment": "75000000.00",
        "paid_in": "75000000.00",
        "unfunded": "0.00",
        "contributed_cash": "75000000.00",
        "contributed_in_kind": "12500000.00",
        "contributed_agreed_revenue": "0.00",
        "contributed_total": "87500000.00",
        "income_allocated": "221963.99",
        "distributions": "0.00",
        "capital": "87721963.99",
    },
    "ppp_agency": {
        "commitment": "75000000.00",
        "paid_in": "75000000.00",
        "unfunded": "0.00",
        "contributed_cash": "75000000.00",
        "contributed_in_kind": "0.00",
        "contributed_agreed_revenue": "50000.00",
        "contributed_total": "75050000.00",
        "income_allocated": "190381.68",
        "distributions": "0.00",
        "capital": "75240381.68",
    },
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _ingest_demo(cli: Any, url: str) -> None:
    assert cli("--db", url, "init")[0] == 0
    code, _, err = cli("--db", url, "ingest", str(DEMO))
    assert code == 0, err


def test_demo_accounts_reconcile_by_hand(db_url: str, urif_cli: Any) -> None:
    _ingest_demo(urif_cli, db_url)
    code, out, err = urif_cli("--db", db_url, "accounts", "--json", "--as-of", AS_OF)
    assert code == 0, err
    got = json.loads(out)
    partners = {p["partner"]: p for p in got["partners"]}
    for partner, fields in EXPECTED.items():
        for key, value in fields.items():
            assert partners[partner][key] == value, (partner, key)
    assert got["net_assets"] == "150462345.67"
    assert got["in_kind_reserve"] == "12500000.00"
    code, out, err = urif_cli("--db", db_url, "obligations", "--json", "--as-of", AS_OF)
    assert code == 0, err
    years = {y["year"]: y for y in json.loads(out)["years"]}
    assert years[2025] == {
        "year": 2025,
        "receipts_usd": "100000.00",
        "due_usd": "50000.00",
        "due_on": "2026-04-01",
        "received_usd": "50000.00",
        "outstanding_usd": "0.00",
        "overdue": False,
    }
    assert years[2026]["due_usd"] == "1000000.00"
    assert years[2026]["due_on"] == "2027-04-01"
    assert years[2026]["outstanding_usd"] == "1000000.00"


def test_reingest_is_all_duplicates_and_changes_nothing(db_url: str, urif_cli: Any) -> None:
    _ingest_demo(urif_cli, db_url)
    before = urif_cli("--db", db_url, "accounts", "--json", "--as-of", AS_OF)[1]
    code, out, err = urif_cli("--db", db_url, "ingest", "--json", str(DEMO))
    assert code == 0, err
    summary = json.loads(out)
    assert summary["appended"] == 0
    assert summary["duplicates"] == sum(1 for line in DEMO.read_text().splitlines() if line)
    assert summary["head_seq"] == summary["duplicates"]
    assert urif_cli("--db", db_url, "accounts", "--json", "--as-of", AS_OF)[1] == before


def test_conflicting_duplicate_exits_3_naming_the_field(
    db_url: str, urif_cli: Any, tmp_path: Path
) -> None:
    _ingest_demo(urif_cli, db_url)
    line = next(x for x in DEMO.read_text().splitlines() if '"commitment-dfc' in x)
    changed = tmp_path / "changed.jsonl"
    changed.write_text(line.replace('"75000000.00"', '"76000000.00"') + "\n")
    code, _, err = urif_cli("--db", db_url, "ingest", str(changed))
    assert code == 3
    assert "commitment-dfc-2025-09-17" in _flat(err)
    assert "amount" in _flat(err)


def test_verify_passes_then_names_the_seq_of_a_changed_byte(sqlite_url: str, urif_cli: Any) -> None:
    _ingest_demo(urif_cli, sqlite_url)
    code, _, err = urif_cli("--db", sqlite_url, "verify")
    assert code == 0, err
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER events_no_update")
        (canonical,) = raw.execute("SELECT canonical FROM events WHERE seq = 7").fetchone()
        data = bytes(canonical)
        index = data.index(b"75000000.00")
        tampered = data[:index] + b"8" + data[index + 1 :]
        raw.execute("UPDATE events SET canonical = ? WHERE seq = 7", (tampered,))
    code, _, err = urif_cli("--db", sqlite_url, "verify")
    assert code == 5
    assert "first bad seq 7" in _flat(err)
    assert "seq 7" in _flat(err)


def test_replay_rebuilds_read_models_identically(db_url: str, urif_cli: Any) -> None:
    _ingest_demo(urif_cli, db_url)
    before = urif_cli("--db", db_url, "balances", "--json", "--as-of", AS_OF)[1]
    code, out, err = urif_cli("--db", db_url, "replay", "--json")
    assert code == 0, err
    assert json.loads(out)["head_seq"] == 22
    assert urif_cli("--db", db_url, "balances", "--json", "--as-of", AS_OF)[1] == before
    code, out, err = urif_cli("--db", db_url, "verify", "--json")
    assert code == 0, err
    assert json.loads(out)["ok"] is True


def test_sqlite_and_postgres_give_identical_hashes_and_accounts(
    sqlite_url: str, pg_url: str, urif_cli: Any
) -> None:
    results = []
    for url in (sqlite_url, pg_url):
        assert urif_cli("--db", url, "init")[0] == 0
        code, out, err = urif_cli("--db", url, "ingest", "--json", str(DEMO))
        assert code == 0, err
        head = json.loads(out)["head_hash"]
        accounts = urif_cli("--db", url, "accounts", "--json", "--as-of", AS_OF)[1]
        balances = urif_cli("--db", url, "balances", "--json", "--as-of", AS_OF)[1]
        results.append((head, accounts, balances))
    assert results[0] == results[1]


def test_demo_prints_the_reconciled_books(tmp_path: Path, urif_cli: Any) -> None:
    code, out, err = urif_cli("demo", "--out", str(tmp_path / "demo"))
    assert code == 0, err
    text = _flat(out)
    assert "87,721,963.99" in text
    assert "75,240,381.68" in text
    assert "1,000,000.00" in text  # Ukraine's 2026 obligation
    assert "read models agree" in text
    assert (tmp_path / "demo" / "urif-demo.db").is_file()
