"""Seat changes recorded after a decision they predate (DESIGN.md §3): a recorded approval or
rejection is final, so a late appointment or removal that would change it, or a late removal
that would annul a ballot already cast, is refused; one that changes nothing is kept."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urif.core.errors import NotPermitted, UrifError
from urif.events import parse_event
from urif.governance import GovernanceState, apply
from urif.governance.engine import counts_of
from urif.governance.timeline import final_verdict, first_certain
from urif.terms.model import Terms

US = ("u1", "u2", "u3")
UA = ("a1", "a2", "a3")


def _appoint(member: str, on: str = "2025-12-01") -> dict[str, Any]:
    return {
        "id": f"appoint-{member}-{on}",
        "type": "member_appointed",
        "on": on,
        "member": member,
        "name": member.upper(),
        "side": "us" if member.startswith("u") else "ua",
        "body": "board",
    }


def _remove(member: str, on: str) -> dict[str, Any]:
    return {
        "id": f"remove-{member}-{on}",
        "type": "member_removed",
        "on": on,
        "member": member,
        "body": "board",
    }


def _proposal(deadline: str = "2026-02-04") -> dict[str, Any]:
    return {
        "id": "submit-P1",
        "type": "proposal_submitted",
        "on": "2026-01-05",
        "proposal": "P1",
        "body": "board",
        "kind": "investment",
        "submitted_by": "u1",
        "deadline": deadline,
        "subject": {
            "project": "dep-1",
            "counterparty": "cp-1",
            "amount": "1000000.00",
            "currency": "USD",
        },
    }


def _vote(member: str, on: str, vote: str = "yes") -> dict[str, Any]:
    return {
        "id": f"vote-{member}-{on}",
        "type": "vote_cast",
        "on": on,
        "proposal": "P1",
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
    out: list[Any] = []
    for obj in objs:
        out += apply(state, parse_event(obj, "test"), terms)
    return out


def _refused(state: GovernanceState, obj: dict[str, Any], terms: Terms, match: str) -> None:
    before = state.copy()
    with pytest.raises(NotPermitted, match=match):
        _fold(state, [obj], terms)
    assert state == before


def _decision(state: GovernanceState) -> tuple[str, dt.date] | None:
    d = state.proposals["P1"].decision
    return None if d is None else (d.outcome.value, d.on)


APPROVED = [
    *(_appoint(m) for m in (*US, *UA)),
    _proposal(),
    *(_vote(m, "2026-01-10") for m in (*US, *UA)),
]


def test_a_late_removal_annulling_a_ballot_of_an_approval_is_refused(signed: Terms) -> None:
    state = GovernanceState()
    _fold(state, APPROVED, signed)
    _refused(
        state,
        _remove("a3", "2026-01-08"),
        signed,
        r"a3 voted yes on proposal P1 \(approved on 2026-01-10, decision:P1\) on 2026-01-10",
    )
    # the seat stays full, so the replacement of scenario A is refused too
    with pytest.raises(NotPermitted, match="seat ratio broken on 2026-01-08"):
        _fold(state, [_appoint("a4", "2026-01-08")], signed)
    assert _decision(state) == ("approved", dt.date(2026, 1, 10))


def test_a_late_appointment_to_a_vacant_seat_that_undoes_an_approval_is_refused(
    signed: Terms,
) -> None:
    state = GovernanceState()
    five = [
        *(_appoint(m) for m in (*US, "a1", "a2")),
        _proposal(),
        *(_vote(m, "2026-01-10") for m in (*US, "a1", "a2")),
    ]
    assert [e.outcome.value for e in _fold(state, five, signed)] == ["approved"]
    _refused(
        state,
        _appoint("a4", "2026-01-08"),
        signed,
        r"member_appointed appoint-a4-2026-01-08: proposal P1 already resolved \(approved on "
        r"2026-01-10, decision:P1\); this appointment of a4 to board, dated 2026-01-08",
    )
    assert _fold(state, [_appoint("a4", "2026-01-11")], signed) == []  # after the decision


def test_a_late_removal_of_a_rejecting_voter_is_refused(signed: Terms) -> None:
    state = GovernanceState()
    board = [*(_appoint(m) for m in (*US, *UA)), _proposal()]
    emitted = _fold(state, [*board, _vote("a3", "2026-01-09", vote="no")], signed)
    assert [(e.outcome.value, e.on) for e in emitted] == [("rejected", dt.date(2026, 1, 9))]
    _refused(state, _remove("a3", "2026-01-08"), signed, "would annul it")
    assert _decision(state) == ("rejected", dt.date(2026, 1, 9))


def test_a_late_removal_annulling_a_ballot_on_an_open_proposal_is_refused(signed: Terms) -> None:
    state = GovernanceState()
    _fold(
        state, [*(_appoint(m) for m in (*US, *UA)), _proposal(), _vote("a3", "2026-01-09")], signed
    )
    _refused(state, _remove("a3", "2026-01-09"), signed, r"P1 \(open\) on 2026-01-09")
    assert _fold(state, [_remove("a3", "2026-01-10")], signed) == []


def test_late_seat_changes_that_change_no_decision_are_kept(signed: Terms) -> None:
    state = GovernanceState()
    board = [*(_appoint(m) for m in (*US, "a1", "a2", "a3")), _proposal()]
    _fold(state, [*board, _vote("a1", "2026-01-09", vote="no")], signed)
    # a member who never voted leaves, another fills the seat: a1's no still rejects on 01-09
    assert _fold(state, [_remove("u3", "2026-01-07"), _appoint("u4", "2026-01-08")], signed) == []
    d = state.proposals["P1"].decision
    assert d is not None
    assert (d.outcome.value, d.on, counts_of(d.tally).ua_no) == ("rejected", dt.date(2026, 1, 9), 1)


def _ingest(urif_cli: Any, db: str, path: Path, lines: list[dict[str, Any]]) -> tuple[int, str]:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    code, _, err = urif_cli("--db", db, "ingest", str(path))
    return code, err


@pytest.mark.parametrize(
    ("votes", "late", "recorded"),
    [
        (  # scenario A: a3 replaced by a4 before the unanimous approval, recorded after it
            [_vote(m, "2026-01-10") for m in (*US, *UA)],
            [
                (_remove("a3", "2026-01-08"), "on proposal P1 (approved on 2026-01-10"),
                (_appoint("a4", "2026-01-08"), "seat ratio broken"),  # a3 was not removed
            ],
            ("approved", "2026-01-10"),
        ),
        (  # scenario B: the member whose no rejected P1 removed the day before it
            [_vote("a3", "2026-01-09", vote="no")],
            [(_remove("a3", "2026-01-08"), "on proposal P1 (rejected on 2026-01-09")],
            ("rejected", "2026-01-09"),
        ),
    ],
)
def test_ingest_refuses_a_late_seat_change_that_would_change_a_decision(
    urif_cli: Any,
    tmp_path: Path,
    votes: list[dict[str, Any]],
    late: list[tuple[dict[str, Any], str]],
    recorded: tuple[str, str],
) -> None:
    db = f"sqlite:///{tmp_path / 'urif.db'}"
    setup = [*(_appoint(m) for m in (*US, *UA)), _proposal(), *votes]
    assert urif_cli("--db", db, "init")[0] == 0
    assert _ingest(urif_cli, db, tmp_path / "a.jsonl", setup)[0] == 0
    for n, (line, why) in enumerate(late):
        code, err = _ingest(urif_cli, db, tmp_path / f"late-{n}.jsonl", [line])
        assert code == 4, err
        assert "".join(why.split()) in "".join(err.split()), err  # the console wraps lines
    code, out, _ = urif_cli("--db", db, "proposal", "show", "P1", "--json")
    assert (json.loads(out)["status"], json.loads(out)["decided_on"]) == recorded
    code, out, _ = urif_cli("--db", db, "board", "--as-of", "2026-01-09", "--json")
    ua = json.loads(out)["bodies"][0]["sides"]["ua"]["members"]
    assert sorted(m["name"] for m in ua) == ["A1", "A2", "A3"]


# --- property: recording order never leaves a decision the value dates do not give ----------

DAY0 = dt.date(2026, 1, 5)
#: Votes on even offsets, seat changes on odd ones: no same-day tie whose order would matter.
VOTE_DAYS = st.integers(0, 12).map(lambda n: DAY0 + dt.timedelta(2 * n))
SEAT_DAYS = st.integers(0, 12).map(lambda n: DAY0 + dt.timedelta(2 * n + 1))


def _outcomes(state: GovernanceState) -> dict[str, tuple[str, dt.date, object] | None]:
    return {
        pid: None
        if p.decision is None
        else (p.decision.outcome.value, p.decision.on, counts_of(p.decision.tally))
        for pid, p in state.proposals.items()
    }


def _value_dated(
    state: GovernanceState, last: dt.date
) -> dict[str, tuple[str, dt.date, object] | None]:
    """Each proposal's outcome read from the stored ballots' and seats' value dates."""
    out: dict[str, tuple[str, dt.date, object] | None] = {}
    for pid, p in state.proposals.items():
        found = first_certain(state.seat_history, p, p.submitted_on)
        if found is not None:
            day, v, t = found
        elif last > p.deadline:
            v, t = final_verdict(state.seat_history, p)
            day = p.deadline
        else:
            out[pid] = None
            continue
        assert v.outcome is not None
        out[pid] = (v.outcome.value, day, counts_of(t))
    return out


@st.composite
def _event_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    ballots = draw(
        st.lists(
            st.tuples(
                st.sampled_from((*US, *UA)), VOTE_DAYS, st.sampled_from(("yes",) * 4 + ("no",))
            ),
            min_size=3,
            max_size=6,
            unique_by=lambda b: b[0],
        )
    )
    events = [_vote(m, on.isoformat(), vote) for m, on, vote in ballots]
    # the removed member is most often one who voted: the case a late removal can break
    voted_ua = [m for m, _, _ in ballots if m in UA]
    if draw(st.integers(0, 3)):
        removed = draw(st.sampled_from(voted_ua or UA))
        events.append(_remove(removed, draw(SEAT_DAYS).isoformat()))
        if draw(st.booleans()):
            appointed_on = draw(SEAT_DAYS)
            events.append(_appoint("a4", appointed_on.isoformat()))
            if draw(st.booleans()):
                vote_on = appointed_on + dt.timedelta(days=draw(st.integers(1, 6)))
                events.append(
                    _vote("a4", vote_on.isoformat(), draw(st.sampled_from(("yes", "no"))))
                )
    if draw(st.booleans()):
        events.append(_fx("2026-02-20"))  # passes the deadline: a lapse may be recorded
    return events


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_recording_order_gives_the_value_dated_decisions_or_refuses_an_event(
    data: st.DataObject,
) -> None:
    from tests.governance.conftest import terms_of

    terms = terms_of("signed-2025-04-30")
    events = data.draw(_event_sets())
    order = data.draw(st.permutations(events))
    setup = [*(_appoint(m) for m in (*US, *UA)), _proposal()]
    results = []
    for recorded in (sorted(events, key=lambda e: str(e["on"])), order):
        state = GovernanceState()
        _fold(state, setup, terms)
        refused = False
        for obj in recorded:
            try:
                _fold(state, [obj], terms)
            except UrifError:
                refused = True
        results.append((refused, state))
    (by_date_refused, by_date), (refused, state) = results
    if refused:
        return
    last = max([dt.date.fromisoformat(str(e["on"])) for e in events], default=DAY0)
    assert _outcomes(state) == _value_dated(state, last)
    if not by_date_refused:  # both hold the whole set: the same value-dated decisions
        assert _outcomes(state) == _outcomes(by_date)
