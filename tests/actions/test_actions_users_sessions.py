"""Users' standing: role changes, deactivation, resets, and the stamp sessions must match."""

from __future__ import annotations

import datetime as dt

import pytest

from urif.actions.users import (
    add_user,
    authenticate,
    change_role,
    deactivate_user,
    signed_in_user,
    users,
)
from urif.core.errors import InvalidInput, NotFound
from urif.store import Store

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


@pytest.fixture
def store(db_url: str) -> Store:
    add_user(db_url, "alice", "auditor", PASSWORD, created_by="test", created_at=NOW)
    opened = Store.open(db_url)
    yield opened  # type: ignore[misc]
    opened.close()


def test_a_signed_in_user_is_read_with_the_current_role(store: Store) -> None:
    user = authenticate(store, "alice", PASSWORD)
    assert user is not None
    assert user.active
    assert len(user.stamp) == 32
    change_role(store, "alice", "board_us")
    now = signed_in_user(store, "alice", user.stamp)
    assert now is not None
    assert now.role == "board_us"
    assert signed_in_user(store, "alice", "another stamp") is None
    assert signed_in_user(store, "nobody", user.stamp) is None


def test_deactivation_refuses_sign_in_and_every_stamp_until_a_reset(store: Store) -> None:
    before = authenticate(store, "alice", PASSWORD)
    assert before is not None
    deactivate_user(store, "alice")
    assert authenticate(store, "alice", PASSWORD) is None
    assert signed_in_user(store, "alice", before.stamp) is None
    (row,) = users(store.url)
    assert not row.active
    assert row.role == "auditor"
    assert not add_user(
        store.url, "alice", "analyst", "new password", created_by="t", created_at=NOW
    )
    after = authenticate(store, "alice", "new password")
    assert after is not None
    assert after.active
    assert after.role == "analyst"
    assert after.stamp != before.stamp
    assert signed_in_user(store, "alice", before.stamp) is None
    assert signed_in_user(store, "alice", after.stamp) == after


def test_a_password_reset_replaces_the_stamp(store: Store) -> None:
    before = authenticate(store, "alice", PASSWORD)
    assert before is not None
    add_user(store.url, "alice", "auditor", "other password", created_by="t", created_at=NOW)
    assert signed_in_user(store, "alice", before.stamp) is None


def test_unknown_users_and_roles_are_refused_with_what_to_do(store: Store) -> None:
    with pytest.raises(NotFound, match="user 'bob': no such user; see urif users list"):
        change_role(store, "bob", "auditor")
    with pytest.raises(NotFound, match="user 'bob': no such user"):
        deactivate_user(store.url, "bob")
    with pytest.raises(InvalidInput, match=r"role: expected one of administrator.*got 'king'"):
        change_role(store, "alice", "king")
    (row,) = users(store.url)
    assert row.role == "auditor"
