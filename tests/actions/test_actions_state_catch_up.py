"""A cached fund state catches up with events another writer appended, and equals a replay."""

from __future__ import annotations

import datetime as dt

from urif.actions.books import init_database, state_accounts
from urif.actions.fund_state import StateCache, load_state, replay_state
from urif.actions.record import record_events
from urif.events import parse_objects
from urif.store import Store

AT = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def _batch(n: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"fx-{n}-{i}",
            "type": "fx_rate",
            "on": f"2026-0{1 + n % 9}-1{i}",
            "base": "USD",
            "quote": "UAH",
            "rate": f"4{n}.{i}0",
            "source": "NBU",
        }
        for i in range(3)
    ] + [
        {
            "id": f"cash-{n}",
            "type": "contribution",
            "on": f"2026-0{1 + n % 9}-15",
            "partner": "dfc",
            "kind": "cash",
            "amount": f"{n + 1}000000.00",
            "currency": "USD",
        }
    ]


def test_a_stale_cache_catches_up_instead_of_replaying(db_url: str) -> None:
    init_database(db_url, None)
    first, second = Store.open(db_url), Store.open(db_url)
    mine, theirs = StateCache(), StateCache()
    try:
        for n in range(4):
            writer, cache = (first, mine) if n % 2 == 0 else (second, theirs)
            report = record_events(
                writer, (parse_objects(_batch(n), f"b{n}"),), "t", AT, cache=cache
            )
            report.raise_for_problems()
        stale = mine.behind(db_url, first.head()[0])
        assert stale is not None  # the other writer appended after our last call
        caught = load_state(first, cache=mine)
        assert caught is stale  # caught up in place, not rebuilt
        fresh = replay_state(first)
        assert (caught.head_seq, caught.head_hash) == (fresh.head_seq, fresh.head_hash)
        day = dt.date(2026, 12, 31)
        assert state_accounts(caught, day) == state_accounts(fresh, day)
    finally:
        first.close()
        second.close()
