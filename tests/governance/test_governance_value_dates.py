"""Governance checks by value date, whatever order events are recorded in (DESIGN.md §3):
decisions dated when their outcome became certain, seats on the vote's date, late votes
before a deadline, and the deadline day on both sides of a recorded lapse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urif.core.errors import InvalidInput, NotPermitted, UrifError
from urif.events import parse_event
from urif.governance import GovernanceApprovalGate, GovernanceState, apply, proposals_view
from urif.governance.voting import Outcome
from urif.terms.model import Terms

US = ("u1", "u2", "u3")
UA = ("a1", "a2", "a3")


def _appoint(member: str, on: str = "2025-12-01", body: str = "board") -> dict[str, Any]:
    side = "us" if member.startswith("u") else "ua"
    return {
        "id": f"appoint-{member}-{body}-{on}",
        "type": "member_appointed",
        "on": on,
        "member": member,
        "name": member.upper(),
        "side": side,
        "body": body,
    }


def _remove(member: str, on: str, body: str = "board") -> dict[str, Any]:
    return {
        "id": f"remove-{member}-{on}",
        "type": "member_removed",
        "on": on,
        "member": member,
        "body": body,
    }


def _investment_proposal(
    pid: str = "P1", on: str = "2026-01-05", deadline: str | None = None
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": f"submit-{pid}",
        "type": "proposal_submitted",
        "on": on,
        "proposal": pid,
        "body": "board",
        "kind": "investment",
        "submitted_by": "u1",
        "subject": {
            "project": "dep-1",
            "counterparty": "cp-1",
            "amount": "1000000.00",
            "currency": "USD",
        },
    }
    if deadline:
        obj["deadline"] = deadline
    return obj


def _vote(member: str, on: str, pid: str = "P1", vote: str = "yes") -> dict[str, Any]:
    return {
        "id": f"vote-{pid}-{member}-{on}",
        "type": "vote_cast",
        "on": on,
        "proposal": pid,
        "member": member,
        "vote": vote,
    }


def _fx(on: str) -> dict[str, Any]:
    return {
        "id": f"fx-{on}",
        "type": "fx_rate",
        "on": on,
        "base": "USD",
        "quote": "UAH",
        "rate": "41.30",
        "source": "NBU",
    }


def _fold(state: GovernanceState, objs: list[dict[str, Any]], terms: Terms) -> list[Any]:
    gate = GovernanceApprovalGate(state)
    out: list[Any] = []
    for obj in objs:
        event = parse_event(obj, "test")
        gate.check(event, terms)
        out += apply(state, event, terms)
    return out


def _board() -> list[dict[str, Any]]:
    return [_appoint(m) for m in (*US, *UA)]


def test_a_decision_is_dated_when_unanimity_was_reached_not_by_the_last_recorded_vote(
    signed: Terms,
) -> None:
    state = GovernanceState()
    emitted = _fold(
        state,
        [
            *_board(),
            _investment_proposal(),
            *(_vote(m, "2026-01-10") for m in ("u1", "u2", "u3", "a1", "a2")),
            _vote("a3", "2026-01-06"),
            {
                "id": "consent",
                "type": "site_consent",
                "on": "2026-01-05",
                "deposit": "dep-1",
                "granted": True,
                "authority": "Cabinet of Ministers of Ukraine",
            },
        ],
        signed,
    )
    assert [(e.outcome.value, e.on) for e in emitted] == [("approved", dt.date(2026, 1, 10))]
    investment = {
        "id": "i1",
        "type": "investment",
        "on": "2026-01-07",
        "proposal": "P1",
        "project": "dep-1",
        "counterparty": "cp-1",
        "amount": "1000000.00",
        "currency": "USD",
    }
    with pytest.raises(NotPermitted, match="not decided on or before 2026-01-07"):
        _fold(state, [investment], signed)
    _fold(state, [{**investment, "id": "i2", "on": "2026-01-10"}], signed)


def test_a_rejection_is_dated_by_the_earliest_decisive_no(signed: Terms) -> None:
    state = GovernanceState()
    emitted = _fold(
        state,
        [
            *_board(),
            _investment_proposal(),
            _vote("u1", "2026-01-12"),
            _vote("a1", "2026-01-09", vote="no"),
        ],
        signed,
    )
    assert [(e.outcome.value, e.on) for e in emitted] == [("rejected", dt.date(2026, 1, 9))]


def test_a_vote_dated_before_the_member_was_appointed_is_refused(signed: Terms) -> None:
    state = GovernanceState()
    board = [_appoint(m) for m in (*US, "a1", "a2")]
    _fold(state, [*board, _investment_proposal(), _appoint("a3", "2026-01-20")], signed)
    with pytest.raises(NotPermitted, match="a3 was not yet seated on board on 2026-01-10"):
        _fold(state, [_vote("a3", "2026-01-10")], signed)
    _fold(state, [_vote("a3", "2026-01-20")], signed)


def test_a_late_vote_dated_before_the_members_removal_counts(signed: Terms) -> None:
    state = GovernanceState()
    _fold(state, [*_board(), _investment_proposal(), _remove("a3", "2026-01-08")], signed)
    _fold(state, [_vote("a3", "2026-01-07")], signed)
    assert [r.member for r in state.proposals["P1"].history] == ["a3"]
    with pytest.raises(NotPermitted, match=r"no longer holds a seat on board on 2026-01-09"):
        _fold(state, [_vote("a3", "2026-01-09", pid="P1") | {"id": "late"}], signed)


def test_a_late_vote_that_leaves_the_recorded_decision_as_it_was_is_kept(signed: Terms) -> None:
    state = GovernanceState()
    votes = [_vote(m, "2026-01-10") for m in (*US, "a1", "a2")]
    emitted = _fold(
        state, [*_board(), _investment_proposal(), _remove("a3", "2026-01-08"), *votes], signed
    )
    assert [(e.outcome.value, e.on) for e in emitted] == [("approved", dt.date(2026, 1, 10))]
    assert _fold(state, [_vote("a3", "2026-01-07")], signed) == []
    decision = state.proposals["P1"].decision
    assert decision is not None
    assert (decision.outcome, decision.on) == (Outcome.APPROVED, dt.date(2026, 1, 10))


def test_a_late_vote_that_would_change_a_recorded_decision_is_refused(signed: Terms) -> None:
    state = GovernanceState()
    votes = [_vote(m, "2026-01-10") for m in (*US, "a1", "a2")]
    _fold(state, [*_board(), _investment_proposal(), _remove("a3", "2026-01-08"), *votes], signed)
    with pytest.raises(NotPermitted, match="would change it and a recorded decision is final"):
        _fold(state, [_vote("a3", "2026-01-07", vote="no")], signed)


def test_a_removal_dated_before_a_recorded_vote_is_refused_as_out_of_order_only_for_the_seat(
    signed: Terms,
) -> None:
    state = GovernanceState()
    _fold(state, [*_board(), _remove("a3", "2026-01-20")], signed)
    with pytest.raises(Exception, match="a later change of this seat is already recorded"):
        _fold(state, [_remove("a3", "2026-01-08")], signed)


@pytest.mark.parametrize("vote_on", ["2026-01-20", "2026-02-04"])
def test_an_unrelated_later_event_does_not_shut_out_a_vote_dated_before_the_deadline(
    signed: Terms, vote_on: str
) -> None:
    setup = [*_board(), _investment_proposal("P3", "2026-01-05", deadline="2026-02-04")]
    with_fx, without_fx = GovernanceState(), GovernanceState()
    first = _fold(with_fx, [*setup, _fx("2026-03-01")], signed)
    assert [(e.proposal, e.outcome.value) for e in first] == [("P3", "lapsed")]
    _fold(with_fx, [_vote("u1", vote_on, pid="P3")], signed)
    _fold(without_fx, [*setup, _vote("u1", vote_on, pid="P3"), _fx("2026-03-01")], signed)
    for state in (with_fx, without_fx):
        (view,) = proposals_view(state)
        assert (view["status"], view["decided_on"]) == ("lapsed", dt.date(2026, 2, 4))
        assert view["counts"]["us"]["yes"] == 1  # type: ignore[index]


def test_a_late_vote_that_completes_a_lapsed_proposal_records_the_approval(
    signed: Terms,
) -> None:
    state = GovernanceState()
    votes = [_vote(m, "2026-01-20", pid="P3") for m in (*US, "a1", "a2")]
    setup = [*_board(), _investment_proposal("P3", deadline="2026-02-04"), *votes]
    _fold(state, [*setup, _fx("2026-03-01")], signed)
    (late,) = _fold(state, [_vote("a3", "2026-02-03", pid="P3")], signed)
    assert (late.id, late.outcome.value, late.on) == (
        "decision:P3:vote-P3-a3-2026-02-03",
        "approved",
        dt.date(2026, 2, 3),
    )
    assert "replaces decision:P3, lapsed on 2026-02-04" in late.reason
    with pytest.raises(NotPermitted, match=r"already resolved \(approved on 2026-02-03\)"):
        _fold(state, [_vote("a3", "2026-02-05", pid="P3") | {"id": "again"}], signed)


def test_a_vote_after_the_deadline_is_refused_as_resolved(signed: Terms) -> None:
    state = GovernanceState()
    _fold(state, [*_board(), _investment_proposal("P3", deadline="2026-02-04")], signed)
    with pytest.raises(NotPermitted, match=r"already resolved \(lapsed on 2026-02-04\)"):
        _fold(state, [_vote("u1", "2026-02-05", pid="P3")], signed)


@pytest.mark.parametrize("recorded", [False, True])
def test_the_deadline_day_reads_the_same_whether_or_not_the_lapse_is_recorded(
    signed: Terms, recorded: bool
) -> None:
    state = GovernanceState()
    events = [*_board(), _investment_proposal("P3", deadline="2026-02-04")]
    _fold(state, [*events, *([_fx("2026-03-01")] if recorded else [])], signed)
    day = dt.date(2026, 2, 4)
    (on_deadline,) = proposals_view(state, as_of=day)
    (before,) = proposals_view(state, as_of=day - dt.timedelta(days=1))
    assert (on_deadline["status"], on_deadline["decided_on"]) == ("lapsed", day)
    assert (before["status"], before["decided_on"]) == ("open", None)


def test_a_vote_predating_a_resolved_proposal_says_so(signed: Terms) -> None:
    state = GovernanceState()
    _fold(state, [*_board(), _investment_proposal(), _vote("u1", "2026-01-06", vote="no")], signed)
    with pytest.raises(InvalidInput, match="before proposal P1 was submitted on 2026-01-05"):
        _fold(state, [_vote("u2", "2026-01-01")], signed)


def test_a_proposal_to_an_empty_committee_waits_for_members_and_quorum(signed: Terms) -> None:
    state = GovernanceState()
    proposal = {
        "id": "submit-o1",
        "type": "proposal_submitted",
        "on": "2026-01-05",
        "proposal": "O1",
        "body": "audit",
        "kind": "ordinary",
        "submitted_by": "nobody-yet",
        "subject": {"title": "Appoint the auditor"},
    }
    assert _fold(state, [proposal], signed) == []
    emitted = _fold(
        state,
        [
            _appoint("u1", "2026-01-10", body="audit"),
            _appoint("a1", "2026-01-10", body="audit"),
            _vote("u1", "2026-01-11", pid="O1"),
            _vote("a1", "2026-01-12", pid="O1"),
        ],
        signed,
    )
    assert [(e.outcome.value, e.on) for e in emitted] == [("approved", dt.date(2026, 1, 12))]


def test_a_proposal_without_quorum_at_its_deadline_lapses(signed: Terms) -> None:
    state = GovernanceState()
    proposal = {
        "id": "submit-o1",
        "type": "proposal_submitted",
        "on": "2026-01-05",
        "proposal": "O1",
        "body": "audit",
        "kind": "ordinary",
        "submitted_by": "u1",
        "subject": {"title": "Appoint the auditor"},
        "deadline": "2026-01-31",
    }
    emitted = _fold(state, [proposal, _fx("2026-02-01")], signed)
    assert [e.outcome.value for e in emitted] == ["lapsed"]
    assert "no quorum: 0 present, 2 needed" in emitted[0].reason


# --- properties ----------------------------------------------------------------------------

DAYS = st.integers(min_value=0, max_value=29).map(lambda n: dt.date(2026, 1, 5) + dt.timedelta(n))
BALLOTS = st.lists(
    st.tuples(st.sampled_from((*US, *UA)), DAYS, st.sampled_from(("yes", "yes", "yes", "no"))),
    min_size=1,
    max_size=6,
    unique_by=lambda b: b[0],
)


@settings(max_examples=60, deadline=None)
@given(ballots=BALLOTS)
def test_the_decision_date_never_precedes_the_votes_that_made_it_certain(
    ballots: list[tuple[str, dt.date, str]],
) -> None:
    from tests.governance.conftest import terms_of

    terms = terms_of("signed-2025-04-30")
    state = GovernanceState()
    _fold(state, [*_board(), _investment_proposal(deadline="2026-02-28")], terms)
    accepted: list[tuple[str, dt.date, str]] = []
    for member, on, vote in ballots:
        try:
            _fold(state, [_vote(member, on.isoformat(), vote=vote)], terms)
        except NotPermitted:
            assert state.proposals["P1"].decision is not None
            continue
        accepted.append((member, on, vote))
    decision = state.proposals["P1"].decision
    if decision is None:
        assert len(accepted) < 6
        assert all(v == "yes" for _, _, v in accepted)
        return
    if decision.outcome is Outcome.APPROVED:
        assert decision.on == max(on for _, on, _ in accepted)
    else:
        assert decision.on == min(on for _, on, v in accepted if v == "no")
    assert decision.on >= min(on for _, on, _ in accepted)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_recording_order_of_independent_events_does_not_change_the_outcome(
    data: st.DataObject,
) -> None:
    from tests.governance.conftest import terms_of

    terms = terms_of("signed-2025-04-30")
    first = data.draw(
        st.lists(st.tuples(st.sampled_from((*US, *UA)), DAYS), unique_by=lambda b: b[0])
    )
    second = data.draw(
        st.lists(st.tuples(st.sampled_from((*US, *UA)), DAYS), unique_by=lambda b: b[0])
    )
    streams = [
        [_vote(m, on.isoformat(), pid="A") for m, on in first],
        [_vote(m, on.isoformat(), pid="B", vote="no" if m == "a3" else "yes") for m, on in second],
        [_fx(day) for day in ("2026-02-10", "2026-03-01")],
    ]
    setup = [
        *_board(),
        _investment_proposal("A", deadline="2026-02-04"),
        _investment_proposal("B", deadline="2026-02-04"),
    ]
    picks = data.draw(st.permutations([i for i, stream in enumerate(streams) for _ in stream]))
    interleaved: list[dict[str, Any]] = []
    cursor = [0, 0, 0]
    for i in picks:
        interleaved.append(streams[i][cursor[i]])
        cursor[i] += 1
    in_order = [*streams[0], *streams[1], *streams[2]]
    outcomes = []
    for events in (in_order, interleaved):
        state = GovernanceState()
        _fold(state, setup, terms)
        refused = set()
        for obj in [*events, _fx("2026-04-01")]:
            try:
                _fold(state, [obj], terms)
            except UrifError:
                refused.add(obj["id"])
        views = proposals_view(state)
        outcomes.append(
            (refused, [(v["proposal"], v["status"], v["decided_on"], v["counts"]) for v in views])
        )
    assert outcomes[0] == outcomes[1]
