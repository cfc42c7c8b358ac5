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


def test_the_dashboard_follower_reads_the_one_state_the_ingest_keeps(db_url: str) -> None:
    import threading

    from urif.actions.reports import FundFollower

    init_database(db_url, None)
    cache = StateCache()
    follower = FundFollower(cache)
    with Store.open(db_url) as store:
        record_events(store, (parse_objects(_batch(1), "b1"),), "test", AT, cache=cache)
        kept = follower.read(db_url, lambda state: state)
        assert kept.head_seq == store.head()[0]
        record_events(store, (parse_objects(_batch(2), "b2"),), "test", AT, cache=cache)
        again = follower.read(db_url, lambda state: state)
        assert again is kept  # folded in place by the ingest, not replayed for the reader
        assert (again.head_seq, again.head_hash) == store.head()
        assert state_accounts(again, dt.date(2026, 12, 31)) == state_accounts(
            replay_state(store), dt.date(2026, 12, 31)
        )
        # A reader waits while an ingest holds the cache: it never sees a call half done.
        seen: list[int] = []
        with cache.lock:
            reader = threading.Thread(
                target=lambda: seen.append(follower.read(db_url, lambda s: s.head_seq))
            )
            reader.start()
            reader.join(timeout=0.5)
            assert reader.is_alive()
            assert seen == []
        reader.join(timeout=30)
        assert seen == [store.head()[0]]


def test_a_reader_catches_up_with_another_writer_and_never_waits_on_its_lock(
    db_url: str,
) -> None:
    import threading

    from urif.actions.reports import FundFollower

    init_database(db_url, None)
    cache = StateCache()
    follower = FundFollower(cache)
    with Store.open(db_url) as store, Store.open(db_url) as other:
        record_events(store, (parse_objects(_batch(1), "b1"),), "test", AT, cache=cache)
        kept = follower.read(db_url, lambda state: state)
        # another process appends without this cache: the reader folds it, no replay
        record_events(other, (parse_objects(_batch(2), "b2"),), "test", AT)
        caught = follower.read(db_url, lambda state: state)
        assert caught is kept
        assert (caught.head_seq, caught.head_hash) == store.head()

        # While another connection holds the append lock, an ingest of this worker waits
        # for it without holding the cache, so the reader is not blocked behind both.
        before = store.head()[0]
        holding, done = threading.Event(), threading.Event()

        def hold() -> None:
            with other.writer():
                holding.set()
                done.wait(timeout=20)

        holder = threading.Thread(target=hold)
        holder.start()
        assert holding.wait(timeout=10)
        ingest = threading.Thread(
            target=record_events,
            args=(store, (parse_objects(_batch(3), "b3"),), "test", AT),
            kwargs={"cache": cache},
        )
        ingest.start()
        ingest.join(timeout=0.3)
        assert ingest.is_alive()  # waiting for the other connection's lock
        seen: list[int] = []
        reader = threading.Thread(
            target=lambda: seen.append(follower.read(db_url, lambda s: s.head_seq))
        )
        reader.start()
        reader.join(timeout=10)
        finished_first = not reader.is_alive()
        done.set()
        holder.join(timeout=20)
        ingest.join(timeout=60)
        reader.join(timeout=60)
        assert finished_first, "the reader waited for another connection's append lock"
        assert seen == [before]  # what was committed when it read
        assert follower.read(db_url, lambda s: s.head_seq) == store.head()[0] > before
