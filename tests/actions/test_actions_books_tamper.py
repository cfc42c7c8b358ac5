"""``urif verify`` on a database changed behind urif's back: problems with a seq, exit 5."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from tests.store.store_builders import RECORDED_AT, stream
from tests.store.test_store_tamper import (
    COUNT,
    drop_triggers,
    store_a_row_as_text,
    store_junk_as_a_row,
)
from urif.actions import books
from urif.store import Store


def _recorded(url: str) -> None:
    books.init_database(url, None)
    with Store.open(url) as opened, opened.writer() as writer:
        writer.append(stream(COUNT), "dave", RECORDED_AT)


@pytest.mark.parametrize("tamper", [store_a_row_as_text, store_junk_as_a_row])
def test_replaying_an_unreadable_row_names_its_seq(
    db_url: str, tamper: Callable[[sa.Connection], None]
) -> None:
    _recorded(db_url)
    with Store.open(db_url) as opened, opened.engine.begin() as conn:
        drop_triggers(conn)
        tamper(conn)
    report = books.verify(db_url)
    assert not report.ok
    assert report.first_bad_seq is not None
    assert report.first_bad_seq <= 3


def test_a_read_model_row_that_is_not_an_integer_is_a_problem(sqlite_url: str) -> None:
    _recorded(sqlite_url)
    books.replay(sqlite_url)
    with Store.open(sqlite_url) as opened, opened.engine.begin() as conn:
        conn.execute(sa.text("UPDATE ledger_balance_day SET amount = 'abc'"))
    report = books.verify(sqlite_url)
    assert not report.ok
    assert any("not an integer of minor units" in p.message for p in report.problems)
