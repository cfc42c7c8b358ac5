"""``record_events``: all or nothing, every problem at once, duplicates, cached state."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from urif.actions import books
from urif.actions.fund_state import COMPLIANCE_TYPES, StateCache, replay_state
from urif.actions.record import ingest_files, record_events
from urif.core.errors import Conflict, InvalidInput, NotPermitted
from urif.events import parse_lines
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
