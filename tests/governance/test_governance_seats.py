"""Seats by value date, the board's over-seated sides after an amendment, and site
consent refused versus withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from urif.core.errors import NotPermitted
from urif.events import parse_event
from urif.governance import GovernanceState, apply, board_view
from urif.governance.consent import ConsentRecord, require_consent
from urif.terms.model import Terms


def _appoint(member: str, side: str, on: str = "2025-12-01") -> dict[str, Any]:
    return {
        "id": f"appoint-{member}-{on}",
        "type": "member_appointed",
        "on": on,
        "member": member,
        "name": member.upper(),
        "side": side,
        "body": "board",
    }


def _fold(state: GovernanceState, objs: list[dict[str, Any]], terms: Terms) -> None:
    for obj in objs:
        apply(state, parse_event(obj, "test"), terms)


def test_an_over_seated_side_after_an_amendment_is_a_breach_and_nobody_is_removed(
    signed: Terms, draft: Terms
) -> None:
    state = GovernanceState()
    _fold(state, [_appoint(f"u{n}", "us") for n in (1, 2, 3)], signed)
    _fold(state, [_appoint(f"a{n}", "ua") for n in (1, 2, 3)], signed)
    view = board_view(state, draft, dt.date(2026, 2, 1))
    sides = view["bodies"][0]["sides"]  # type: ignore[index]
    assert (sides["ua"]["filled"], sides["ua"]["seats"]) == (3, 2)
    (breach,) = view["breaches"]  # type: ignore[misc]
    assert (breach["body"], breach["side"], breach["rule"]) == ("board", "ua", "seat_ratio")
    assert "ua holds 3 seats" in breach["message"]
    assert board_view(state, signed, dt.date(2026, 2, 1))["breaches"] == []


def test_the_board_as_of_a_date_shows_who_sat_then(signed: Terms) -> None:
    state = GovernanceState()
    removal = {
        "id": "rm",
        "type": "member_removed",
        "on": "2026-01-08",
        "member": "a3",
        "body": "board",
    }
    _fold(state, [_appoint("a3", "ua"), removal], signed)
    before = board_view(state, signed, dt.date(2026, 1, 7))["bodies"][0]["sides"]  # type: ignore[index]
    after = board_view(state, signed, dt.date(2026, 1, 8))["bodies"][0]["sides"]  # type: ignore[index]
    assert (before["ua"]["filled"], after["ua"]["filled"]) == (1, 0)


def test_a_late_appointment_may_not_overfill_a_side_on_a_later_date(signed: Terms) -> None:
    state = GovernanceState()
    _fold(state, [_appoint(f"u{n}", "us", "2026-01-10") for n in (1, 2, 3)], signed)
    with pytest.raises(NotPermitted, match="seat ratio broken on 2026-01-10"):
        _fold(state, [_appoint("u4", "us", "2026-01-05")], signed)


def _consent(granted: bool, on: str, event: str) -> ConsentRecord:
    return ConsentRecord("dep-1", dt.date.fromisoformat(on), granted, "Cabinet", event)


def test_consent_never_granted_is_reported_as_refused_not_withdrawn() -> None:
    refused = {"dep-1": (_consent(False, "2026-01-05", "c1"),)}
    with pytest.raises(NotPermitted, match="was refused \\(never granted\\) on 2026-01-05"):
        require_consent(refused, "dep-1", dt.date(2026, 2, 1))
    withdrawn = {"dep-1": (_consent(True, "2026-01-01", "c0"), _consent(False, "2026-01-05", "c1"))}
    with pytest.raises(NotPermitted, match="was withdrawn on 2026-01-05"):
        require_consent(withdrawn, "dep-1", dt.date(2026, 2, 1))
