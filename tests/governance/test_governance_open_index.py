"""``GovernanceState.open_proposals`` is always exactly the open proposals, in order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.governance.test_governance_parity import SIDES, _board, _event
from urif.core.errors import UrifError
from urif.governance import GovernanceState, apply
from urif.governance.engine import advance
from urif.terms.model import Terms

MEMBERS = (*SIDES["us"], *SIDES["ua"], "nobody")
step = st.one_of(
    st.tuples(st.just("submit"), st.integers(0, 4), st.integers(0, 40)),
    st.tuples(
        st.sampled_from(("vote_cast", "vote_changed")),
        st.integers(0, 4),
        st.integers(0, len(MEMBERS) - 1),
        st.sampled_from(("yes", "no", "abstain")),
    ),
    st.tuples(st.just("advance"), st.integers(0, 120)),
)


def _check(state: GovernanceState) -> None:
    expected = [k for k, p in state.proposals.items() if p.is_open]
    assert list(state.open_proposals) == expected
    assert all(state.open_proposals[k] is state.proposals[k] for k in expected)


def _submit(n: int, pid: int, day: dt.date) -> dict[str, Any]:
    return {
        "id": f"s{n}",
        "type": "proposal_submitted",
        "on": day.isoformat(),
        "proposal": f"p{pid}",  # a repeated id is refused, which exercises the undo
        "body": "board",
        "kind": "ordinary",
        "subject": {"title": f"item {pid}"},
        "submitted_by": "us-1",
    }


@settings(max_examples=120, deadline=None)
@given(steps=st.lists(step, max_size=30))
def test_open_proposals_match_the_proposals_after_every_event(
    signed: Terms, steps: list[tuple[Any, ...]]
) -> None:
    state = GovernanceState()
    for obj in _board(SIDES):
        apply(state, _event(obj), signed)
    day = dt.date(2026, 2, 1)
    for n, item in enumerate(steps):
        kind = item[0]
        try:
            if kind == "submit":
                day += dt.timedelta(days=item[2] % 3)
                apply(state, _event(_submit(n, item[1], day)), signed)
            elif kind == "advance":
                day += dt.timedelta(days=item[1])
                advance(state, day, signed)
            else:
                vote = {
                    "id": f"v{n}",
                    "type": kind,
                    "on": day.isoformat(),
                    "proposal": f"p{item[1]}",
                    "member": MEMBERS[item[2]],
                    "vote": item[3],
                    "conflict_declared": False,
                }
                apply(state, _event(vote), signed)
        except UrifError:
            pass  # refused: the state must be as it was
        _check(state)
    copy = state.copy()
    _check(copy)
    other = GovernanceState()
    other.restore(copy)
    _check(other)


def test_a_decided_and_a_lapsed_proposal_leave_the_open_index(signed: Terms) -> None:
    state = GovernanceState()
    for obj in _board(SIDES):
        apply(state, _event(obj), signed)
    day = dt.date(2026, 2, 1)
    apply(state, _event(_submit(0, 0, day)), signed)
    apply(state, _event(_submit(1, 1, day)), signed)
    assert list(state.open_proposals) == ["p0", "p1"]
    for n, member in enumerate((*SIDES["us"], *SIDES["ua"])):
        if state.proposals["p0"].decision is not None:
            break  # resolved as soon as the outcome was certain
        vote = {
            "id": f"yes{n}",
            "type": "vote_cast",
            "on": day.isoformat(),
            "proposal": "p0",
            "member": member,
            "vote": "yes",
            "conflict_declared": False,
        }
        apply(state, _event(vote), signed)
    assert state.proposals["p0"].decision is not None
    assert list(state.open_proposals) == ["p1"]
    lapsed = advance(state, day + dt.timedelta(days=400), signed)
    assert [d.outcome.value for d in lapsed] == ["lapsed"]
    assert state.open_proposals == {}
    _check(state)
