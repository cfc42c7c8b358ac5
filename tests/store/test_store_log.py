"""The event log on SQLite and PostgreSQL: init, append, idempotency, chain, triggers."""

from __future__ import annotations

import dataclasses
import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.store.store_builders import RECORDED_AT, stream
from urif.core.errors import Conflict, NotFound
from urif.events import GENESIS_HASH, Commitment, canonical_bytes, chain_hash
from urif.store import DEFAULT_TERMS_VERSION, Store


@pytest.fixture
def store(db_url: str) -> Store:
    opened = Store.open(db_url)
    opened.init()
    yield opened  # type: ignore[misc]
    opened.close()


def test_init_is_idempotent_and_records_the_terms_version(db_url: str) -> None:
    with Store.open(db_url) as store:
        assert store.init("signed-2025-04-30") == "signed-2025-04-30"
        assert store.init() == "signed-2025-04-30"
        assert store.init("signed-2025-04-30") == "signed-2025-04-30"
        assert store.terms_version() == DEFAULT_TERMS_VERSION
        current, head = store.revision()
        assert current == head
        with pytest.raises(Conflict, match="initialised with terms signed-2025-04-30"):
            store.init("other-version")


def test_uninitialised_database_says_run_init(db_url: str) -> None:
    with Store.open(db_url) as store:
        with pytest.raises(NotFound, match="urif init"):
            store.head()
        with pytest.raises(NotFound, match="urif init"), store.writer():
            pass


def test_append_assigns_gap_free_seq_and_chains_hashes(store: Store) -> None:
    events = stream(5)
    with store.writer() as writer:
        assert writer.head() == (0, GENESIS_HASH)
        stored = writer.append(events[:3], "alice", RECORDED_AT)
        more = writer.append(events[3:], "alice", RECORDED_AT)
    assert [s.seq for s in (*stored, *more)] == [1, 2, 3, 4, 5]
    prev = GENESIS_HASH
    for record in (*stored, *more):
        assert record.prev_hash == prev
        assert record.hash == chain_hash(prev, canonical_bytes(record.event))
        prev = record.hash
    assert store.head() == (5, prev)
    read = list(store.iter_events(batch=2))
    assert [r.event for r in read] == events
    assert [r.hash for r in read] == [s.hash for s in (*stored, *more)]
    assert read[0].recorded_at == RECORDED_AT
    assert read[0].recorded_by == "alice"
    assert store.verify_chain() == ()


def test_existing_finds_duplicates_by_id_with_their_canonical_bytes(store: Store) -> None:
    events = stream(4)
    with store.writer() as writer:
        writer.append(events, "bob", RECORDED_AT)
    with store.writer() as writer:
        found = writer.existing([events[1].id, events[3].id, "absent"])
        fast = writer.existing_canonical([e.id for e in events] + ["absent"])
    assert set(found) == {events[1].id, events[3].id}
    assert found[events[1].id].event == events[1]
    assert found[events[1].id].seq == 2
    assert fast[events[2].id] == (3, canonical_bytes(events[2]))
    assert len(fast) == 4


def test_appending_a_stored_id_again_is_a_conflict_and_nothing_is_written(store: Store) -> None:
    events = stream(2)
    with store.writer() as writer:
        writer.append(events, "bob", RECORDED_AT)
    changed = dataclasses.replace(events[1], note="other")
    with pytest.raises(Conflict), store.writer() as writer:
        writer.append([stream(3, "z")[0], changed], "bob", RECORDED_AT)
    assert store.count() == 2
    assert store.verify_chain() == ()


def test_a_failed_transaction_appends_nothing(store: Store) -> None:
    def refused_file() -> None:
        with store.writer() as writer:
            writer.append(stream(3), "bob", RECORDED_AT)
            raise RuntimeError("a business rule refused the file")

    with pytest.raises(RuntimeError):
        refused_file()
    assert store.head() == (0, GENESIS_HASH)


@pytest.mark.parametrize("statement", ["UPDATE events SET type = 'x'", "DELETE FROM events"])
def test_triggers_refuse_update_and_delete_on_the_log(store: Store, statement: str) -> None:
    with store.writer() as writer:
        writer.append(stream(2), "bob", RECORDED_AT)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(sa.text(statement + " WHERE seq = 1"))
    assert store.count() == 2
    assert store.verify_chain() == ()


def test_postgres_refuses_truncate_of_the_log(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        store.init()
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text("TRUNCATE events"))


def test_same_stream_gives_identical_hashes_on_sqlite_and_postgres(
    sqlite_url: str, pg_url: str
) -> None:
    events = stream(60)
    heads = []
    hashes = []
    for url in (sqlite_url, pg_url):
        with Store.open(url) as store:
            store.init()
            with store.writer() as writer:
                writer.append(events[:25], "carol", RECORDED_AT)
            with store.writer() as writer:
                writer.append(events[25:], "carol", RECORDED_AT)
            heads.append(store.head())
            hashes.append([(r.seq, r.canonical, r.hash) for r in store.iter_events()])
    assert heads[0] == heads[1]
    assert hashes[0] == hashes[1]


def test_concurrent_writers_stay_gap_free(db_url: str) -> None:
    with Store.open(db_url) as setup:
        setup.init()
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            with Store.open(db_url) as store:
                for batch in range(5):
                    events = stream(4, prefix=f"w{worker}-b{batch}")
                    with store.writer() as writer:
                        seen = writer.existing_canonical([e.id for e in events])
                        assert not seen
                        writer.append(events, f"worker-{worker}", RECORDED_AT)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store.open(db_url) as store:
        seqs = [r.seq for r in store.iter_events()]
        assert seqs == list(range(1, 81))
        assert store.verify_chain() == ()


def test_amounts_survive_storage_exactly(store: Store) -> None:
    event = Commitment(
        "c-exact", stream(1)[0].on, partner="dfc", amount=Decimal("0.10"), currency="USD"
    )
    with store.writer() as writer:
        writer.append([event], "bob", RECORDED_AT)
    (stored,) = store.iter_events()
    assert isinstance(stored.event, Commitment)
    assert str(stored.event.amount) == "0.10"
