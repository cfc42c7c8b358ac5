"""``urif screen`` through the real entry point: exit codes (DESIGN.md §5: 4 for a blocked
decision, 2 for usage, 1 for invalid input) and the lists it screens against."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from urif.actions.compliance import DATA_DIR

Cli = Callable[..., tuple[int, str, str]]
OFAC_EXTRACT = DATA_DIR / "ofac-sdn-2024-06-extract"


@pytest.fixture
def absent_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """No database (so no loaded lists): the screen falls back to a sanctions folder holding
    the shipped OFAC extract, plus the shipped policy list."""
    folder = tmp_path / "sanctions"
    shutil.copytree(OFAC_EXTRACT, folder / "ofac-sdn-2024-06")
    monkeypatch.setenv("URIF_SANCTIONS_DIR", str(folder))
    monkeypatch.setenv("URIF_CACHE_DIR", str(tmp_path / "cache"))
    return f"sqlite:///{tmp_path / 'absent.db'}"


def test_a_blocked_name_exits_4_with_the_result_on_stdout(urif_cli: Cli, absent_db: str) -> None:
    code, out, err = urif_cli(
        "--db", absent_db, "screen", "Kirill Aleksandrovich Dmitriev", "--json"
    )
    data = json.loads(out)
    assert data["decision"] == "blocked", data
    assert code == 4, err
    assert "blocked" in err
    assert "DMITRIEV" in err


def test_a_clear_name_exits_0(urif_cli: Cli, absent_db: str) -> None:
    code, out, err = urif_cli("--db", absent_db, "screen", "Olena Kovalenko", "--json")
    assert code == 0, err
    assert json.loads(out)["decision"] == "clear"


def test_the_policy_list_ships_with_the_fallback(urif_cli: Cli, absent_db: str) -> None:
    code, out, err = urif_cli(
        "--db", absent_db, "screen", "Russian Federation", "--kind", "state", "--json"
    )
    data = json.loads(out)
    assert code == 4, err
    assert data["hits"][0]["list"] == "policy"
    assert {x["list"] for x in data["lists"]} == {"ofac-sdn", "policy"}


def test_an_unknown_list_is_an_error_not_a_clear(urif_cli: Cli, absent_db: str) -> None:
    code, out, err = urif_cli(
        "--db", absent_db, "screen", "Kirill Aleksandrovich Dmitriev", "--lists", "nope"
    )
    assert code == 1
    assert out == ""
    assert "no snapshot of nope" in err
    assert "ofac-sdn" in err


@pytest.mark.parametrize("args", [(), ("Kirill Aleksandrovich Dmitriev", "--file", "x.csv")])
def test_name_and_file_are_one_or_the_other_usage_2(
    urif_cli: Cli, absent_db: str, args: tuple[str, ...]
) -> None:
    code, _, err = urif_cli("--db", absent_db, "screen", *args)
    assert code == 2
    assert "NAME or --file" in err


def test_a_batch_with_a_blocked_row_exits_4_after_every_row(
    urif_cli: Cli, absent_db: str, tmp_path: Path
) -> None:
    batch = tmp_path / "batch.csv"
    batch.write_text("id,name\na,Olena Kovalenko\nb,Kirill Aleksandrovich Dmitriev\nc,John Smith\n")
    code, out, err = urif_cli("--db", absent_db, "screen", "--file", str(batch), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert [r["decision"] for r in rows] == ["clear", "blocked", "clear"]
    assert code == 4
    assert "1 of 3 row(s) blocked" in err


def test_lists_missing_from_the_database_are_an_error(
    urif_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("URIF_CACHE_DIR", str(tmp_path / "cache"))
    db = f"sqlite:///{tmp_path / 'lists.db'}"
    assert urif_cli("--db", db, "init")[0] == 0
    code, _, err = urif_cli("--db", db, "lists", "load", str(OFAC_EXTRACT))
    assert code == 0, err
    code, _, err = urif_cli("--db", db, "screen", "Iran", "--lists", "policy")
    assert code == 1
    assert "no snapshot of policy in the database; available: ofac-sdn" in err
    code, out, err = urif_cli("--db", db, "screen", "Kirill Aleksandrovich Dmitriev", "--json")
    assert code == 4, err
    assert json.loads(out)["lists"][0]["list"] == "ofac-sdn"


def test_a_review_decision_exits_0(urif_cli: Cli, absent_db: str) -> None:
    # the patronymic left out caps the score in the review band
    code, out, err = urif_cli("--db", absent_db, "screen", "Kirill Dmitriev", "--json")
    assert code == 0, err
    assert json.loads(out)["decision"] == "review"
