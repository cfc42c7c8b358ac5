"""Parity: under the signed terms one side alone never approves a critical decision, while
the March 2025 draft let US votes alone approve the same proposal (issue 5, "Done when")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urif.core.errors import UrifError
from urif.events import parse_event
from urif.governance import GovernanceState, apply, proposals_view
from urif.governance.engine import advance
from urif.terms.model import Terms

SIDES = {"us": ("us-1", "us-2", "us-3"), "ua": ("ua-1", "ua-2", "ua-3")}
CRITICAL = ("investment", "distribution", "admit_partner", "amend_terms")


def _event(obj: dict[str, Any]) -> Any:
    return parse_event(obj, "test")


def _board(members: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"appoint-{m}",
            "type": "member_appointed",
            "on": "2025-09-01",
            "member": m,
            "name": m.upper(),
            "side": side,
            "body": "board",
        }
        for side, names in members.items()
        for m in names
    ]


def _proposal(kind: str) -> dict[str, Any]:
    subject: dict[str, str] = {"title": "critical item"}
    if kind == "investment":
        subject = {
            "project": "dobra",
            "counterparty": "dobra-jv",
            "amount": "12000000.00",
            "currency": "USD",
        }
    elif kind == "distribution":
        subject = {"amount": "1000000.00", "currency": "USD"}
    return {
        "id": "submit-p",
        "type": "proposal_submitted",
        "on": "2026-02-01",
        "proposal": "p",
        "body": "board",
        "kind": kind,
        "subject": subject,
        "submitted_by": "us-1",
    }


def _fold(state: GovernanceState, objs: list[dict[str, Any]], terms: Terms) -> list[Any]:
    out: list[Any] = []
    for obj in objs:
        try:
            out += apply(state, _event(obj), terms)
        except UrifError:
            continue  # a refused vote (second cast, change without a vote) changes nothing
    return out


ballot = st.tuples(
    st.sampled_from(("vote_cast", "vote_changed")),
    st.integers(0, 2),
    st.sampled_from(("yes", "no", "abstain")),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(CRITICAL),
    side=st.sampled_from(("us", "ua")),
    ballots=st.lists(ballot, max_size=12),
    empty_rule=st.sampled_from(("cannot_approve", "other_side_decides")),
)
def test_one_side_alone_never_approves_a_critical_proposal(
    signed: Terms,
    kind: str,
    side: str,
    ballots: list[tuple[str, int, str, bool]],
    empty_rule: str,
) -> None:
    import dataclasses

    terms = dataclasses.replace(signed, conflict_empty_side=empty_rule)
    state = GovernanceState()
    objs = [*_board(SIDES), _proposal(kind)]
    for n, (etype, who, vote, conflict) in enumerate(ballots):
        objs.append(
            {
                "id": f"b{n}",
                "type": etype,
                "on": "2026-02-02",
                "proposal": "p",
                "member": SIDES[side][who],
                "vote": vote,
                "conflict_declared": conflict,
            }
        )
    emitted = _fold(state, objs, terms)
    emitted += advance(state, dt.date(2026, 12, 31), terms)
    assert all(e.outcome.value != "approved" for e in emitted)
    assert state.proposals["p"].decision is not None
    assert state.proposals["p"].decision.outcome.value != "approved"


def _us_alone(kind: str) -> list[dict[str, Any]]:
    board = _board({"us": SIDES["us"], "ua": ("ua-1", "ua-2")})  # valid under both term sets
    votes = [
        {
            "id": f"v-{m}",
            "type": "vote_cast",
            "on": "2026-02-02",
            "proposal": "p",
            "member": m,
            "vote": "yes",
        }
        for m in SIDES["us"]
    ]
    return [*board, _proposal(kind), *votes]


def test_us_votes_alone_approve_under_the_march_draft(draft: Terms) -> None:
    state = GovernanceState()
    emitted = _fold(state, _us_alone("investment"), draft)
    assert [(e.proposal, e.outcome.value) for e in emitted] == [("p", "approved")]
    view = proposals_view(state)[0]
    assert view["rule"] == "majority+us_consent"


def test_us_votes_alone_do_not_approve_under_the_signed_terms(signed: Terms) -> None:
    state = GovernanceState()
    emitted = _fold(state, _us_alone("investment"), signed)
    assert emitted == []
    assert proposals_view(state, open_only=True)[0]["proposal"] == "p"
    lapsed = advance(state, dt.date(2026, 3, 10), signed)
    assert [(e.proposal, e.outcome.value) for e in lapsed] == [("p", "lapsed")]
    assert "ua" in lapsed[0].reason


def test_the_draft_board_refuses_a_third_ukrainian_manager(draft: Terms) -> None:
    state = GovernanceState()
    _fold(state, _board({"ua": ("ua-1", "ua-2")}), draft)
    with pytest.raises(UrifError, match="seat ratio broken"):
        apply(state, _event(_board({"ua": ("ua-3",)})[0]), draft)
