"""Fixtures for the ledger tests: the signed terms and open gates."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ledger.ledger_builders import ApproveAll, ClearAll
from urif.ledger import Gates
from urif.terms import Terms, load_termset


@pytest.fixture(scope="session")
def terms() -> Terms:
    """The signed term set as in force on 2026-01-01."""
    return load_termset("signed-2025-04-30").at(dt.date(2026, 1, 1))


@pytest.fixture
def open_gates() -> Gates:
    """Gates that approve and clear everything."""
    return Gates(ApproveAll(), ClearAll())
