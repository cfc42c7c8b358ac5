"""Failed logins in the database: digests of any length of key, and expired rows dropped."""

from __future__ import annotations

from sqlalchemy import func, select

from urif.actions.users import login_failures, record_login_failure
from urif.store import Store
from urif.store.users_tables import failed_logins


def test_failed_logins_of_any_key_are_counted_and_expire_for_every_key(db_url: str) -> None:
    store = Store.open(db_url)
    store.init()
    try:
        long_key = "x" * 5_000 + "|203.0.113.7"  # longer than any column: stored as a digest
        record_login_failure(store, long_key, 100.0, 60)
        record_login_failure(store, "other|127.0.0.1", 110.0, 60)
        assert login_failures(store, long_key, 0.0) == (100.0,)
        assert login_failures(store, "other|127.0.0.1", 0.0) == (110.0,)
        with store.reader() as conn:
            keys = [k for (k,) in conn.execute(select(failed_logins.c.key))]
        assert all(len(k) == 64 for k in keys)  # no user names or addresses in the table
        record_login_failure(store, "third|127.0.0.1", 200.0, 60)  # both others expired
        with store.reader() as conn:
            left = conn.execute(select(func.count()).select_from(failed_logins)).scalar_one()
        assert left == 1
    finally:
        store.close()
