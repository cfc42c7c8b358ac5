"""Tampering behind the store's back (raw SQL, triggers dropped) is found by verify_chain."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from tests.store.store_builders import RECORDED_AT, stream
from urif.core.errors import IntegrityError
from urif.events import GENESIS_HASH
from urif.store import Store

COUNT = 8


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    opened.init()
    with opened.writer() as writer:
        writer.append(stream(COUNT), "dave", RECORDED_AT)
    assert opened.verify_chain() == ()
    yield opened
    opened.close()


def drop_triggers(conn: sa.Connection) -> None:
    """What an attacker with database access does first."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("DROP TRIGGER events_no_update_delete ON events"))
    else:
        conn.execute(sa.text("DROP TRIGGER events_no_update"))
        conn.execute(sa.text("DROP TRIGGER events_no_delete"))


def row(conn: sa.Connection, seq: int) -> sa.Row[tuple[bytes, str, str]]:
    return conn.execute(
        sa.text("SELECT canonical, prev_hash, hash FROM events WHERE seq = :s"), {"s": seq}
    ).one()


def set_row(conn: sa.Connection, seq: int, **values: object) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    conn.execute(
        sa.text(f"UPDATE events SET {assignments} WHERE seq = :seq"), {**values, "seq": seq}
    )


def flip_one_byte(conn: sa.Connection) -> None:
    canonical = bytearray(row(conn, 3).canonical)
    canonical[10] ^= 0x01
    set_row(conn, 3, canonical=bytes(canonical))


def change_an_amount(conn: sa.Connection) -> None:
    canonical = bytes(row(conn, 5).canonical)
    assert b'"amount":"4"' in canonical
    set_row(conn, 5, canonical=canonical.replace(b'"amount":"4"', b'"amount":"40"'))


def delete_a_row(conn: sa.Connection) -> None:
    conn.execute(sa.text("DELETE FROM events WHERE seq = 4"))


def reorder_two_rows(conn: sa.Connection) -> None:
    second, third = row(conn, 2), row(conn, 3)
    set_row(conn, 2, canonical=bytes(third.canonical), id="tmp-2")
    set_row(conn, 3, canonical=bytes(second.canonical), id="tmp-3")


def insert_a_forged_row(conn: sa.Connection) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO events (seq, id, type, value_date, canonical, prev_hash, hash, "
            "recorded_at, recorded_by) VALUES (:seq, 'forged', 'commitment', '2025-09-17', "
            ":c, :p, :h, '2026-01-01T00:00:00+00:00', 'mallory')"
        ),
        {
            "seq": COUNT + 1,
            "c": b'{"amount":"1","currency":"USD","id":"forged","on":"2025-09-17",'
            b'"partner":"mallory","type":"commitment"}',
            "p": GENESIS_HASH,
            "h": "f" * 64,
        },
    )


def rehash_a_changed_row(conn: sa.Connection) -> None:
    """Change seq 6 and recompute its own hash: the link from seq 7 still breaks."""
    import hashlib

    record = row(conn, 6)
    canonical = bytes(record.canonical).replace(b'"dfc"', b'"xyz"')
    if canonical == bytes(record.canonical):
        canonical = bytes(record.canonical).replace(b'"USD"', b'"EUR"')
    digest = hashlib.sha256(bytes.fromhex(record.prev_hash) + canonical).hexdigest()
    set_row(conn, 6, canonical=canonical, hash=digest)


def change_the_id_column(conn: sa.Connection) -> None:
    set_row(conn, 2, id="renamed")


@pytest.mark.parametrize(
    ("tamper", "first_bad"),
    [
        (flip_one_byte, "seq 3"),
        (change_an_amount, "seq 5"),
        (delete_a_row, "seq 4"),
        (reorder_two_rows, "seq 2"),
        (insert_a_forged_row, f"seq {COUNT + 1}"),
        (rehash_a_changed_row, "seq 7"),
        (change_the_id_column, "seq 2"),
    ],
)
def test_verify_names_the_first_bad_seq(
    store: Store, tamper: Callable[[sa.Connection], None], first_bad: str
) -> None:
    with store.engine.begin() as conn:
        drop_triggers(conn)
        tamper(conn)
    problems = store.verify_chain()
    assert problems, "tampering went unnoticed"
    assert problems[0].where == first_bad, problems
    with pytest.raises(IntegrityError, match=f"chain broken at {first_bad}"):
        store.verify_or_raise()


def store_a_row_as_text(conn: sa.Connection) -> None:
    """The canonical bytes of seq 3 rewritten as the same JSON, but text, not bytes."""
    text = bytes(row(conn, 3).canonical).decode()
    if conn.dialect.name == "postgresql":
        # BYTEA takes no text: the column itself is turned into text (no row trigger fires).
        conn.execute(
            sa.text(
                "ALTER TABLE events ALTER COLUMN canonical TYPE text "
                "USING convert_from(canonical, 'UTF8')"
            )
        )
        return
    set_row(conn, 3, canonical=text)


def store_junk_as_a_row(conn: sa.Connection) -> None:
    set_row(conn, 3, canonical=b"\xff\x00 not json")


def test_a_canonical_column_rewritten_as_text_is_named_by_its_seq(store: Store) -> None:
    with store.engine.begin() as conn:
        drop_triggers(conn)
        store_a_row_as_text(conn)
    problems = store.verify_chain()
    first = "seq 1" if store.backend == "postgresql" else "seq 3"  # PG: every row is text now
    assert problems[0].where == first
    assert "holds text" in problems[0].message
    assert "not the bytes" in problems[0].message
