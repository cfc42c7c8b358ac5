"""Snapshots in the database: load, list, idempotence, conflicts, bad files, re-screening, diff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from urif.actions.compliance import (
    decide_case,
    diff_json,
    diff_lists,
    fold_compliance,
    list_cases,
    list_snapshots,
    load_lists,
)
from urif.core.errors import Conflict, InvalidInput
from urif.core.ids import CounterpartyId, EventId
from urif.events.model import CounterpartyKind, CounterpartyRegistered, CountryCode, OwnerShare
from urif.store import Store

AT = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
OLD = b'306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
NEW = OLD + (
    b'9001,"KOVALENKO, Dmytro Ivanovych",individual,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,'
    b'-0- ,-0- ,-0- ,"DOB 10 Dec 1968; nationality Russia."\r\n'
)


def write(tmp: Path, name: str, data: bytes) -> Path:
    folder = tmp / name
    folder.mkdir()
    (folder / "sdn.csv").write_bytes(data)
    return folder


def load(url: str, path: Path, day: str) -> object:
    return load_lists(
        url,
        [path],
        snapshot_date=dt.date.fromisoformat(day),
        loaded_on=dt.date(2026, 4, 1),
        recorded_by="test",
        recorded_at=AT,
    )


def register(url: str, cp: str, name: str, owners: tuple[tuple[str, str], ...] = ()) -> None:
    event = CounterpartyRegistered(
        id=EventId(f"reg-{cp}"),
        on=dt.date(2025, 1, 1),
        counterparty=CounterpartyId(cp),
        name=name,
        kind=CounterpartyKind.PERSON if not owners else CounterpartyKind.COMPANY,
        country=CountryCode("UA"),
        owners=tuple(OwnerShare(CounterpartyId(o), Decimal(s)) for o, s in owners),
    )
    with Store.open(url) as store, store.writer() as writer:
        writer.append([event], "test", AT)


@pytest.fixture
def url(db_url: str) -> str:
    with Store.open(db_url) as store:
        store.init()
    return db_url


def test_load_list_and_reload_is_idempotent(url: str, tmp_path: Path) -> None:
    folder = write(tmp_path, "ofac-2021", OLD)
    first = load(url, folder, "2021-07-01")
    again = load(url, folder, "2021-07-01")
    assert len(first.loaded) == 1  # type: ignore[attr-defined]
    assert len(again.already) == 1  # type: ignore[attr-defined]
    snaps = list_snapshots(url)
    assert [(s.list_id, s.snapshot_date, s.dated_by, s.entities) for s in snaps] == [
        ("ofac-sdn", dt.date(2021, 7, 1), "option", 1)
    ]
    with Store.open(url) as store:
        types = [s.event.type for s in store.iter_events()]
    assert types == ["list_snapshot_loaded"]


def test_other_content_for_the_same_list_and_date_is_a_conflict(url: str, tmp_path: Path) -> None:
    load(url, write(tmp_path, "a", OLD), "2021-07-01")
    with pytest.raises(Conflict, match="already loaded"):
        load(url, write(tmp_path, "b", NEW), "2021-07-01")


def test_malformed_file_leaves_the_previous_snapshot_in_force(url: str, tmp_path: Path) -> None:
    load(url, write(tmp_path, "a", OLD), "2021-07-01")
    with pytest.raises(InvalidInput):
        load(url, write(tmp_path, "b", NEW.replace(b"9001", b"x")), "2024-06-01")
    assert len(list_snapshots(url)) == 1


def test_new_snapshot_rescreens_counterparties_and_their_dependents(
    url: str, tmp_path: Path
) -> None:
    load(url, write(tmp_path, "a", OLD), "2021-07-01")
    register(url, "cp-kov", "Dmytro Kovalenko")
    register(url, "cp-firm", "Kovalenko Trading", owners=(("cp-kov", "0.75"),))
    report = load(url, write(tmp_path, "b", NEW), "2024-06-01")
    decisions = {e["counterparty"]: e["decision"] for e in report.to_json()["rescreened"]}  # type: ignore[attr-defined]
    assert decisions["cp-kov"] in ("blocked", "review")
    assert decisions["cp-firm"] != "clear"
    with Store.open(url) as store:
        state = fold_compliance(store)
    firm = state.status_on("cp-firm", dt.date(2025, 1, 1))
    assert firm is not None
    assert "Kovalenko" in firm.note
    # nothing was screened before the counterparties were registered
    assert state.status_on("cp-kov", dt.date(2024, 12, 31)) is None
    if decisions["cp-kov"] == "review":
        case = next(c for c in list_cases(url, open_only=True) if c.counterparty == "cp-kov")
        decide_case(
            url,
            case.case,
            "confirm",
            "same person",
            on=dt.date(2025, 2, 1),
            decided_by="reviewer",
            recorded_at=AT,
        )
        with Store.open(url) as store:
            state = fold_compliance(store)
        assert state.status_on("cp-kov", dt.date(2025, 2, 1)).status == "blocked"  # type: ignore[union-attr]
        firm = state.status_on("cp-firm", dt.date(2025, 2, 1))
        assert firm is not None
        assert firm.status == "blocked"
        assert "-75%->" in firm.note


def test_diff_between_folders(tmp_path: Path) -> None:
    diff = diff_lists(None, str(write(tmp_path, "a", OLD)), str(write(tmp_path, "b", NEW)))
    data = diff_json(diff)
    assert data["counts"] == {"added": 1, "removed": 0, "changed": 0}
    assert data["added"][0]["entity_id"] == "ofac-sdn-9001"


def test_ofac_2021_vs_2024_diff() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip("no shared data")
    base = SHARED_DATA / "sanctions"
    diff = diff_lists(None, str(base / "ofac-sdn-2021-07"), str(base / "ofac-sdn-2024-06"))
    assert len(diff.added) > 6000
    assert len(diff.removed) > 100
    assert len(diff.changed) > 500
    assert len(diff.added) - len(diff.removed) == 15402 - 8976
