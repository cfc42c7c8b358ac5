"""The books' CLI contract (DESIGN.md §5): JSON-only stdout, keys, exit codes, defaults."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "fund-2025-2026.jsonl"


@pytest.fixture
def cli(urif_cli):  # type: ignore[no-untyped-def]
    """Run ``urif ARGS`` through the real entry point: (exit code, stdout, stderr)."""
    return urif_cli


@pytest.fixture
def demo_db(sqlite_url: str, cli) -> str:  # type: ignore[no-untyped-def]
    assert cli("--db", sqlite_url, "init")[0] == 0
    assert cli("--db", sqlite_url, "ingest", str(DEMO))[0] == 0
    return sqlite_url


def test_read_commands_print_only_json_with_the_contract_keys(demo_db: str, cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--db", demo_db, "accounts", "--json", "--as-of", "2026-12-31")
    assert code == 0
    accounts = json.loads(out)
    assert {"as_of", "currency", "partners", "net_assets"} <= set(accounts)
    keys = {
        "partner",
        "contributed_cash",
        "contributed_in_kind",
        "contributed_agreed_revenue",
        "contributed_total",
        "income_allocated",
        "distributions",
        "capital",
        "ownership_share",
        "commitment",
        "paid_in",
        "unfunded",
    }
    assert all(keys <= set(p) for p in accounts["partners"])
    assert all(isinstance(p["capital"], str) for p in accounts["partners"])
    code, out, _ = cli("--db", demo_db, "obligations", "--json", "--as-of", "2026-12-31")
    year = json.loads(out)["years"][0]
    assert set(year) == {
        "year",
        "receipts_usd",
        "due_usd",
        "due_on",
        "received_usd",
        "outstanding_usd",
        "overdue",
    }
    for command in ("balances", "verify", "replay"):
        code, out, err = cli("--db", demo_db, command, "--json")
        assert code == 0, err
        json.loads(out)


def test_reads_default_to_today(demo_db: str, cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--db", demo_db, "accounts", "--json")
    assert code == 0
    assert json.loads(out)["as_of"] == dt.date.today().isoformat()


def test_global_db_option_and_command_db_option_agree(demo_db: str, cli) -> None:  # type: ignore[no-untyped-def]
    a = cli("--db", demo_db, "accounts", "--json", "--as-of", "2026-06-30")[1]
    b = cli("accounts", "--db", demo_db, "--json", "--as-of", "2026-06-30")[1]
    assert a == b


def test_statement_text_and_json(demo_db: str, cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(
        "--db", demo_db, "statement", "--partner", "dfc", "--period", "2026Q2", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    labels = [c["label"] for c in data["columns"]]
    assert labels == ["period", "quarter_to_date", "year_to_date", "inception_to_date"]
    period = data["columns"][0]
    assert period["beginning"] == "62500000.00"
    assert period["contributions_cash"] == "25000000.00"
    assert period["allocations"] == "221963.99"
    assert period["ending"] == "87721963.99"
    code, out, err = cli("--db", demo_db, "statement", "--partner", "dfc", "--period", "2026Q2")
    assert code == 0, err
    assert "87,721,963.99" in out


def test_statement_as_of_shows_nothing_after_the_date(demo_db: str, cli) -> None:  # type: ignore[no-untyped-def]
    def columns(*extra: str) -> tuple[dict[str, str], list[dict[str, str]]]:
        code, out, err = cli(
            "--db", demo_db, "statement", "--partner", "dfc", "--period", "2026Q2", "--json",
            *extra,
        )  # fmt: skip
        assert code == 0, err
        data = json.loads(out)
        return data, data["columns"]

    full, whole = columns()
    assert full["as_of"] == full["end"] == "2026-06-30"
    first, early = columns("--as-of", "2026-04-01")
    assert first["as_of"] == first["end"] == "2026-04-01"
    assert [c["end"] for c in early] == ["2026-04-01"] * 4
    # the quarter's contributions and allocations came after 1 April
    assert early[0]["beginning"] == whole[0]["beginning"] == "62500000.00"
    assert early[0]["contributions_cash"] == "0.00"
    assert early[0]["allocations"] == "0.00"
    assert early[0]["ending"] == "62500000.00"
    # an as-of date after the period changes nothing; one before it is refused
    assert columns("--as-of", "2026-09-30")[1] == whole
    code, _out, err = cli(
        "--db", demo_db, "statement", "--partner", "dfc", "--period", "2026Q2",
        "--as-of", "2026-03-31",
    )  # fmt: skip
    assert code == 1
    assert "before the period 2026Q2 starts" in err


def test_usage_and_input_errors_have_their_exit_codes(
    sqlite_url: str,
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    code, _, err = cli("--db", sqlite_url, "init", "--terms", "no-such-terms")
    assert code == 1
    assert "signed-2025-04-30" in err
    assert cli("--db", sqlite_url, "init")[0] == 0
    code, _, err = cli("--db", sqlite_url, "ingest", str(tmp_path / "missing.jsonl"))
    assert code == 1
    assert "missing.jsonl" in err
    code, _, _ = cli("--db", sqlite_url, "accounts", "--as-of", "31/12/2026")
    assert code == 1


def test_ingest_json_summary_on_rejection_is_json_with_exit_code(
    sqlite_url: str,
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    assert cli("--db", sqlite_url, "init")[0] == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "type": "nope", "on": "2026-01-01"}\n')
    code, out, _ = cli("--db", sqlite_url, "ingest", "--json", str(bad))
    assert code == 1
    summary = json.loads(out)
    assert summary["appended"] == 0
    assert summary["rejected"] == 1
    assert summary["problems"][0]["where"].startswith("line 1 of")


def test_a_database_that_cannot_be_opened_is_one_clear_line_and_exit_1(
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    missing_folder = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'urif.db'}"
    for command in ("init", "accounts", "verify"):
        code, out, err = cli("--db", missing_folder, command)
        assert code == 1, (command, err)
        assert "cannot open it" in err
        assert "Traceback" not in err
        assert out == ""


def test_a_postgresql_database_that_is_not_there_is_named_with_its_password_masked(
    cli,  # type: ignore[no-untyped-def]
) -> None:
    from tests.conftest import PG_URL

    base, _, _ = PG_URL.rpartition("/")
    scheme, _, rest = base.partition("://")
    user_host = rest.split("@", 1)
    with_password = f"{scheme}://{user_host[0]}:s3cret@{user_host[-1]}/urif_no_such_db"
    code, _, err = cli("--db", with_password, "accounts")
    assert code == 1, err
    assert "cannot open it" in err or "not initialised" in err
    assert "s3cret" not in err
    assert "***" in err


def test_an_output_file_in_a_missing_folder_is_one_clear_line_and_exit_1(
    demo_db: str,
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    target = tmp_path / "no" / "such" / "statement.xlsx"
    code, out, err = cli(
        "--db", demo_db, "statement", "--partner", "dfc", "--period", "2026Q2",
        "--format", "xlsx", "--out", str(target),
    )  # fmt: skip
    assert code == 1
    assert err.startswith("error: ")
    assert str(target) in err
    assert "Traceback" not in err
    assert out == ""


def test_reads_without_as_of_include_events_dated_after_today(
    sqlite_url: str,
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    later = dt.date.today() + dt.timedelta(days=400)
    lines = [
        {"id": "c1", "type": "contribution", "on": "2025-10-01", "partner": "dfc",
         "kind": "cash", "amount": "100.00", "currency": "USD"},
        {"id": "c2", "type": "contribution", "on": later.isoformat(), "partner": "dfc",
         "kind": "cash", "amount": "50.00", "currency": "USD"},
    ]  # fmt: skip
    events = tmp_path / "late.jsonl"
    events.write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert cli("--db", sqlite_url, "init")[0] == 0
    assert cli("--db", sqlite_url, "ingest", str(events))[0] == 0
    code, out, err = cli("--db", sqlite_url, "accounts", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of"] == later.isoformat()  # the books' end, later than today
    dfc = next(p for p in data["partners"] if p["partner"] == "dfc")
    assert dfc["contributed_cash"] == "150.00"
    code, out, _ = cli("--db", sqlite_url, "accounts", "--json", "--as-of", "2026-01-01")
    assert json.loads(out)["as_of"] == "2026-01-01"
    for command in ("balances", "obligations"):
        code, out, err = cli("--db", sqlite_url, command, "--json")
        assert code == 0, err
        assert json.loads(out)["as_of"] == later.isoformat()


def test_reads_without_as_of_default_to_today_when_the_books_end_earlier(
    demo_db: str,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    code, out, err = cli("--db", demo_db, "accounts", "--json")
    assert code == 0, err
    assert json.loads(out)["as_of"] == max(dt.date.today(), dt.date(2026, 6, 30)).isoformat()


def test_a_read_or_ingest_on_a_missing_sqlite_file_does_not_create_it(
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "absent.db"
    for command in (["accounts"], ["proposals"], ["verify"], ["cases"], ["lists", "list"]):
        code, out, err = cli("--db", f"sqlite:///{path}", *command, "--json")
        assert code == 1, (command, err)
        assert "not initialised" in err
        assert out == ""
        assert not path.exists(), command
    events = tmp_path / "one.jsonl"
    events.write_text(
        '{"id":"c1","type":"commitment","on":"2025-10-01","partner":"dfc",'
        '"amount":"1.00","currency":"USD"}\n'
    )
    code, _, err = cli("--db", f"sqlite:///{path}", "ingest", str(events))
    assert code == 1
    assert "not initialised" in err
    assert not path.exists()
