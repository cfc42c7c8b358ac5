"""``record_events``: all or nothing, every problem at once, duplicates, cached state."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.source_checks import isinstance_classes
from urif.actions import books
from urif.actions.fund_state import COMPLIANCE_TYPES, StateCache, replay_state
from urif.actions.record import ingest_files, record_events
from urif.core.errors import Conflict, InvalidInput, NotPermitted
from urif.events import event_from_json, parse_lines
from urif.ledger import capital_accounts
from urif.store import Store

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _file(tmp_path: Path, name: str, events: list[dict[str, Any] | str]) -> Path:
    path = tmp_path / name
    path.write_text(
        "".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in events),
        encoding="utf-8",
    )
    return path


def _cash(eid: str, partner: str, amount: str, on: str = "2026-01-05") -> dict[str, Any]:
    return {
        "id": eid,
        "type": "contribution",
        "on": on,
        "partner": partner,
        "kind": "cash",
        "amount": amount,
        "currency": "USD",
    }


def _count(url: str) -> int:
    with Store.open(url) as store:
        return store.count()


def test_every_bad_line_is_reported_at_once_and_nothing_is_recorded(
    db_url: str, tmp_path: Path
) -> None:
    books.init_database(db_url, None)
    path = _file(
        tmp_path,
        "bad.jsonl",
        [
            _cash("ok-1", "dfc", "10.00"),
            "{not json",
            {**_cash("x-2", "dfc", "10.00"), "colour": "red"},
            _cash("x-3", "nobody", "10.00"),
            {**_cash("x-4", "dfc", "10.00"), "amount": 10.5},
        ],
    )
    report = ingest_files(db_url, [path], "test", AT)
    assert not report.ok
    assert report.appended == 0
    lines = {p.where.split(" of ")[0] for p in report.problems}
    assert {"line 2", "line 3", "line 4", "line 5"} <= lines
    assert "line 1" not in lines
    assert report.category is InvalidInput
    assert _count(db_url) == 0


def test_a_refusal_rejects_the_whole_file_with_category_not_permitted(
    sqlite_url: str, tmp_path: Path
) -> None:
    books.init_database(sqlite_url, None)
    distribution = {
        "id": "d-1",
        "type": "distribution",
        "on": "2030-01-01",
        "proposal": "p-1",
        "amount": "1.00",
        "currency": "USD",
    }
    path = _file(tmp_path, "f.jsonl", [_cash("c-1", "dfc", "10.00"), distribution])
    report = ingest_files(sqlite_url, [path], "test", AT)
    assert issubclass(report.category or object, NotPermitted)
    with pytest.raises(NotPermitted):
        report.raise_for_problems()
    assert _count(sqlite_url) == 0


def test_duplicates_and_conflicts_within_one_call(sqlite_url: str, tmp_path: Path) -> None:
    books.init_database(sqlite_url, None)
    same = _cash("c-1", "dfc", "10.00")
    report = ingest_files(sqlite_url, [_file(tmp_path, "a.jsonl", [same, same])], "test", AT)
    assert report.ok
    assert (report.appended, len(report.duplicates)) == (1, 1)
    clash = _cash("c-2", "dfc", "10.00"), _cash("c-2", "dfc", "11.00")
    report = ingest_files(sqlite_url, [_file(tmp_path, "b.jsonl", list(clash))], "test", AT)
    assert report.category is Conflict
    assert "amount" in report.problems[0].message
    assert _count(sqlite_url) == 1


def test_a_cached_state_stays_exact_after_a_rejected_call(sqlite_url: str) -> None:
    books.init_database(sqlite_url, None)
    cache = StateCache()
    store = Store.open(sqlite_url)

    def ingest(*lines: dict[str, Any]) -> Any:
        parsed = parse_lines([json.dumps(x) for x in lines], "call.jsonl")
        return record_events(store, [parsed], "test", AT, cache=cache)

    assert ingest(_cash("c-1", "dfc", "100.00"), _cash("c-2", "ppp_agency", "50.00")).ok
    rejected = ingest(
        _cash("c-3", "dfc", "7.00"),
        {
            "id": "i-1",
            "type": "project_income",
            "on": "2026-02-01",
            "project": "p",
            "amount": "3.00",
            "currency": "USD",
            "category": "interest",
        },
        {
            "id": "d-1",
            "type": "distribution",
            "on": "2030-01-01",
            "proposal": "p-1",
            "amount": "1.00",
            "currency": "USD",
        },
    )
    assert not rejected.ok
    assert ingest(_cash("c-4", "dfc", "1.00", on="2026-03-01")).ok
    head = store.head()
    cached = cache.get(store.url, *head)
    assert cached is not None
    fresh = replay_state(store)
    day = dt.date(2026, 12, 31)
    assert capital_accounts(cached.ledger, day) == capital_accounts(fresh.ledger, day)
    assert cached.events == fresh.events == 3
    store.close()


def test_compliance_event_types_match_the_compliance_module() -> None:
    from urif.actions.compliance import COMPLIANCE_EVENTS

    assert frozenset(COMPLIANCE_EVENTS) == COMPLIANCE_TYPES


def _licence(eid: str, on: str, lic: str, resource: str = "lithium") -> dict[str, Any]:
    return {
        "id": eid,
        "type": "licence_issued",
        "on": on,
        "licence": lic,
        "instrument": "licence",
        "resource": resource,
        "deposit": "d-1",
        "holder": "h-1",
        "developed_at_cutoff": False,
    }


def _receipt(eid: str, on: str, lic: str, amount: str) -> dict[str, Any]:
    return {
        "id": eid,
        "type": "state_receipt",
        "on": on,
        "licence": lic,
        "item": "royalty",
        "amount": amount,
        "currency": "USD",
    }


def _in_kind(eid: str, partner: str, on: str, delivered_on: str) -> dict[str, Any]:
    return {
        "id": eid,
        "type": "contribution",
        "on": on,
        "partner": partner,
        "kind": "in_kind",
        "amount": "1000.00",
        "currency": "USD",
        "category": "air_defence",
        "valuation": {"method": "assessed_value", "assessed_by": "MoD", "assessed_on": on},
        "agreed": True,
        "delivered_on": delivered_on,
    }


def test_an_lng_licence_feeds_ukraines_obligation(sqlite_url: str, tmp_path: Path) -> None:
    books.init_database(sqlite_url, None)
    path = _file(
        tmp_path,
        "lng.jsonl",
        [_licence("l-1", "2025-06-01", "L1", "lng"), _receipt("r-1", "2025-07-01", "L1", "400.00")],
    )
    assert ingest_files(sqlite_url, [path], "test", AT).ok
    (year,) = books.obligations(sqlite_url, dt.date(2025, 12, 31)).to_json()["years"]
    assert (year["year"], year["receipts_usd"], year["due_usd"]) == (2025, "400.00", "200.00")


def test_in_kind_credit_from_ukraines_partner_is_refused_whole_file(
    sqlite_url: str, tmp_path: Path
) -> None:
    books.init_database(sqlite_url, None)
    path = _file(
        tmp_path,
        "aid.jsonl",
        [
            _cash("c-1", "dfc", "10.00"),
            _in_kind("ik-1", "ppp_agency", "2025-10-01", "2025-09-01"),
            _in_kind("ik-2", "dfc", "2025-10-01", "2025-10-02"),
        ],
    )
    report = ingest_files(sqlite_url, [path], "test", AT)
    assert report.category is NotPermitted
    assert report.summary()["error"] == "NotPermitted"
    first, second = report.problems
    assert first.where == f"line 2 of {path}"
    assert "'ppp_agency' is on Ukraine's side" in first.message
    assert "in-kind credit is the US side's contribution" in first.message
    assert second.where == f"line 3 of {path}"
    assert "in-kind credit cannot precede delivery" in second.message
    assert _count(sqlite_url) == 0


def test_a_log_recorded_before_the_in_kind_checks_still_replays_and_verifies(
    sqlite_url: str,
) -> None:
    # appended behind the ingest checks, as a release before them recorded it
    books.init_database(sqlite_url, None)
    old = [
        event_from_json(_cash("c-1", "dfc", "10.00")),
        event_from_json(_in_kind("ik-1", "ppp_agency", "2025-10-01", "2025-09-01")),
        event_from_json(_in_kind("ik-2", "dfc", "2025-10-01", "2025-10-02")),
    ]
    with Store.open(sqlite_url) as store, store.writer() as writer:
        writer.append(old, "an earlier release", AT)
    assert books.replay(sqlite_url).events == 3
    report = books.verify(sqlite_url)
    assert report.ok, report.to_json()


def test_a_receipt_before_its_licence_line_is_a_refusal_that_names_the_order(
    sqlite_url: str, tmp_path: Path
) -> None:
    books.init_database(sqlite_url, None)
    path = _file(
        tmp_path,
        "order.jsonl",
        [_receipt("r-1", "2025-07-01", "L1", "400.00"), _licence("l-1", "2025-06-01", "L1")],
    )
    report = ingest_files(sqlite_url, [path], "test", AT)
    assert report.category is NotPermitted
    assert report.summary()["error"] == "NotPermitted"
    (problem,) = report.problems
    assert problem.where == f"line 1 of {path}"
    assert problem.message.startswith(
        f"state_receipt r-1: licence: 'L1' is issued by line 2 of {path} (dated 2025-06-01)"
    )
    assert "must be recorded before the receipt in the file or the log" in problem.message
    assert "on or before 2025-07-01" not in problem.message
    unknown = _file(tmp_path, "unknown.jsonl", [_receipt("r-2", "2025-07-01", "L9", "1.00")])
    report = ingest_files(sqlite_url, [unknown], "test", AT)
    assert report.category is NotPermitted
    assert "'L9' is not recorded" in report.problems[0].message
    assert _count(sqlite_url) == 0


def test_a_conflict_shows_the_stored_and_the_received_value(
    sqlite_url: str, tmp_path: Path
) -> None:
    books.init_database(sqlite_url, None)
    stored = _cash("c-1", "dfc", "100000.00")
    assert ingest_files(sqlite_url, [_file(tmp_path, "a.jsonl", [stored])], "test", AT).ok
    resent = {**stored, "amount": "100000", "on": "2026-01-06"}
    report = ingest_files(sqlite_url, [_file(tmp_path, "b.jsonl", [resent])], "test", AT)
    assert report.category is Conflict
    (problem,) = report.problems
    assert problem.message == (
        "event c-1 conflicts with the one recorded at seq 1: same id, different "
        'amount (stored "100000.00", received "100000"), '
        'on (stored "2026-01-05", received "2026-01-06")'
    )
    long_note = {**stored, "note": "x" * 500}
    report = ingest_files(sqlite_url, [_file(tmp_path, "c.jsonl", [long_note])], "test", AT)
    (problem,) = report.problems
    assert 'note (stored nothing, received "xxx' in problem.message
    assert len(problem.message) < 250
    clash = [_cash("c-2", "dfc", "10.00"), _cash("c-2", "dfc", "11.00")]
    report = ingest_files(sqlite_url, [_file(tmp_path, "d.jsonl", clash)], "test", AT)
    assert 'different amount (that line "10.00", this line "11.00")' in report.problems[0].message


def test_every_type_the_ingest_refusals_look_at_is_routed_to_them() -> None:
    # _fold_all calls _refusal only for types in _REFUSED_AT_INGEST: a refusal added for
    # another type must add the type too, or it would never run
    from urif.actions import record
    from urif.events import model

    names = isinstance_classes(record._refusal)
    assert names == {cls.__name__ for cls in record._REFUSAL_CLASSES}
    assert {getattr(model, name).type for name in names} == record._REFUSED_AT_INGEST
