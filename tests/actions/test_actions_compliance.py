"""Compliance read actions as of a date: ``urif cases --as-of`` and ``urif lists list --as-of``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from urif.actions.compliance import DATA_DIR, case_on, list_snapshots, load_lists
from urif.compliance.cases import Case
from urif.core.ids import CaseId
from urif.store import Store

AT = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
Cli = Callable[..., tuple[int, str, str]]


def test_a_case_decided_later_is_open_as_of_an_earlier_day() -> None:
    opened = Case(CaseId("c1"), "cp", "ofac-sdn", "e1", Decimal("0.9"), dt.date(2026, 1, 5))
    decided = opened.decide("false_positive", "other person", "reviewer", dt.date(2026, 2, 1))
    assert case_on(decided, dt.date(2026, 1, 31)) == opened
    assert case_on(decided, dt.date(2026, 2, 1)) == decided
    assert case_on(opened, dt.date(2026, 3, 1)) == opened


def test_snapshots_as_of_are_those_dated_by_then(sqlite_url: str, urif_cli: Cli) -> None:
    with Store.open(sqlite_url) as store:
        store.init()
    load_lists(
        sqlite_url,
        [DATA_DIR / "ofac-sdn-2024-06-extract"],
        snapshot_date=dt.date(2024, 6, 1),
        loaded_on=dt.date(2026, 4, 1),
        recorded_by="test",
        recorded_at=AT,
    )
    assert [s.list_id for s in list_snapshots(sqlite_url)] == ["ofac-sdn"]
    # dated 1 June 2024, loaded 1 April 2026: as screening chooses, by its own date
    assert list_snapshots(sqlite_url, dt.date(2024, 5, 31)) == ()
    assert len(list_snapshots(sqlite_url, dt.date(2024, 6, 1))) == 1
    code, out, err = urif_cli(
        "--db", sqlite_url, "lists", "list", "--json", "--as-of", "2024-05-31"
    )
    assert code == 0, err
    assert json.loads(out) == {"as_of": "2024-05-31", "snapshots": []}
    code, out, err = urif_cli("--db", sqlite_url, "cases", "--json", "--as-of", "2026-03-31")
    assert code == 0, err
    assert json.loads(out) == {"as_of": "2026-03-31", "cases": []}


def test_as_of_must_be_a_date(sqlite_url: str, urif_cli: Cli, tmp_path: Path) -> None:
    with Store.open(sqlite_url) as store:
        store.init()
    for command in (["cases"], ["lists", "list"]):
        code, _, err = urif_cli("--db", sqlite_url, *command, "--as-of", "31/03/2026")
        assert code == 1
        assert "--as-of" in err
