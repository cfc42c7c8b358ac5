"""The approval gate on expenses and corrections, replay checks of stored decisions, and
the all-or-nothing contract of ``apply``."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from urif.core.errors import IntegrityError, NotPermitted
from urif.events import parse_event
from urif.events.model import DecisionOutcome
from urif.governance import GovernanceApprovalGate, GovernanceState, apply
from urif.terms.model import Terms

BOARD = [
    {
        "id": f"a-{m}",
        "type": "member_appointed",
        "on": "2025-09-01",
        "member": m,
        "name": m,
        "side": m[:2],
        "body": "board",
    }
    for m in ("us-1", "us-2", "us-3", "ua-1", "ua-2", "ua-3")
]


def _fold(state: GovernanceState, objs: list[dict[str, Any]], terms: Terms) -> list[Any]:
    out: list[Any] = []
    for obj in objs:
        out += apply(state, parse_event(obj, "test", allow_system=True), terms)
    return out


def _approved_expense(state: GovernanceState, terms: Terms) -> list[Any]:
    objs = [
        *BOARD,
        {
            "id": "p",
            "type": "proposal_submitted",
            "on": "2026-01-05",
            "proposal": "exp-1",
            "body": "board",
            "kind": "expense",
            "submitted_by": "us-1",
            "subject": {"counterparty": "admin-co", "amount": "400000.00", "currency": "USD"},
        },
        *[
            {
                "id": f"v-{m}",
                "type": "vote_cast",
                "on": "2026-01-06",
                "proposal": "exp-1",
                "member": m,
                "vote": "yes",
            }
            for m in ("us-1", "us-2", "ua-1", "ua-2")
        ],
    ]
    return _fold(state, objs, terms)


def _expense(amount: str, currency: str = "USD", proposal: str | None = None) -> Any:
    obj: dict[str, Any] = {
        "id": f"e-{amount}-{currency}",
        "type": "expense",
        "on": "2026-02-01",
        "counterparty": "admin-co",
        "amount": amount,
        "currency": currency,
        "category": "administrator",
    }
    if proposal:
        obj["proposal"] = proposal
    return parse_event(obj, "test")


def test_expense_above_threshold_needs_a_named_approved_proposal(signed: Terms) -> None:
    terms = signed
    state = GovernanceState()
    decided = _approved_expense(state, terms)
    assert [d.outcome for d in decided] == [DecisionOutcome.APPROVED]  # ordinary majority
    gate = GovernanceApprovalGate(state)
    gate.check(_expense("1000.00"), terms)  # below the threshold: no approval needed
    big = str(terms.expense_approval_threshold_usd + 1)
    with pytest.raises(NotPermitted, match="proposal named"):
        gate.check(_expense(big), terms)
    with pytest.raises(NotPermitted, match="no USD rate for UAH"):
        gate.check(_expense("1000.00", "UAH"), terms)


def test_a_correction_may_rebook_an_expense_within_its_approval(signed: Terms) -> None:
    state = GovernanceState()
    _approved_expense(state, signed)
    first = _expense("400000.00", proposal="exp-1")
    apply(state, first, signed)
    again = _expense("300000.00", proposal="exp-1")
    with pytest.raises(NotPermitted, match="not used up"):
        GovernanceApprovalGate(state).check(again, signed)
    correction = parse_event(
        {
            "id": "c1",
            "type": "correction",
            "on": "2026-02-02",
            "corrects": first.id,
            "reason": "wrong amount",
            "replacement": {
                "type": "expense",
                "on": "2026-02-01",
                "counterparty": "admin-co",
                "amount": "350000.00",
                "currency": "USD",
                "category": "administrator",
                "proposal": "exp-1",
            },
        },
        "test",
    )
    GovernanceApprovalGate(state).check(correction, signed)
    apply(state, correction, signed)
    assert state.used("exp-1") == 350000


def test_a_stored_decision_that_replay_does_not_derive_is_an_integrity_error(signed: Terms) -> None:
    state = GovernanceState()
    (decision,) = _approved_expense(state, signed)
    apply(state, decision, signed)  # the same decision met on replay: accepted silently
    forged = dataclasses.replace(decision, outcome=DecisionOutcome.REJECTED)
    with pytest.raises(IntegrityError, match="replaying the votes gives approved"):
        apply(state, forged, signed)


def test_a_refused_event_leaves_the_state_unchanged_even_after_a_lapse(signed: Terms) -> None:
    state = GovernanceState()
    _fold(
        state,
        [
            *BOARD,
            {
                "id": "p",
                "type": "proposal_submitted",
                "on": "2026-01-05",
                "proposal": "o-1",
                "body": "board",
                "kind": "ordinary",
                "submitted_by": "us-1",
                "subject": {"title": "t"},
                "deadline": "2026-01-10",
            },
        ],
        signed,
    )
    before = state.copy()
    late_vote = parse_event(
        {
            "id": "v",
            "type": "vote_cast",
            "on": "2026-01-20",
            "proposal": "o-1",
            "member": "us-1",
            "vote": "yes",
        },
        "test",
    )
    with pytest.raises(NotPermitted, match="lapsed"):
        apply(state, late_vote, signed)
    assert state == before
    assert state.proposals["o-1"].is_open
