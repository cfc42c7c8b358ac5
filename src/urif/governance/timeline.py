"""A proposal on a value date: the ballots and seats in force then, and when it was decided.

Owns the value-date reading of a proposal (DESIGN.md §3: value dates need not arrive in
order, and each check uses what was recorded so far with a value date on or before its
own): ``tally_on`` counts each member's latest ballot dated on or before a day against the
members seated on the body that day; ``first_certain`` finds the first day on which the
outcome was certain (so a decision is dated by the votes that made it, whatever order they
were recorded in); ``final_verdict`` is the outcome at the end of the deadline day, the
last day votes count.
"""

from __future__ import annotations

import datetime as dt

from urif.governance.bodies import SeatHistory, change_days, electorate
from urif.governance.proposals import BallotRecord, Proposal
from urif.governance.voting import Ballot, Outcome, Tally, Verdict, Vote, tally, verdict


def ballots_on(proposal: Proposal, day: dt.date) -> tuple[Ballot, ...]:
    """Each member's latest ballot on ``proposal`` dated on or before ``day``."""
    latest: dict[str, BallotRecord] = {}
    for record in proposal.history:  # one member's records are in date order
        if record.on <= day:
            latest[record.member] = record
    return tuple(
        Ballot(r.member, r.side, Vote(r.vote), r.conflict_declared) for r in latest.values()
    )


def tally_on(history: SeatHistory, proposal: Proposal, day: dt.date) -> Tally:
    """The tally of ``proposal`` on ``day``: ballots and seats in force on that day."""
    return tally(
        electorate(history, proposal.body, day), ballots_on(proposal, day), proposal.seats_total
    )


def first_certain(
    history: SeatHistory, proposal: Proposal, start: dt.date
) -> tuple[dt.date, Verdict, Tally] | None:
    """The first day from ``start`` to the deadline on which the outcome is certain."""
    # Only days on which a ballot or a seat of the body changed can move the verdict, so
    # only those are tried; callers pass the date of the change just folded (before it
    # nothing changed and the proposal was open), so in-order recording tries one day.
    start = max(start, proposal.submitted_on)
    if start > proposal.deadline:
        return None
    days = {start}
    days.update(r.on for r in proposal.history if start < r.on <= proposal.deadline)
    days.update(d for d in change_days(history, proposal.body) if start < d <= proposal.deadline)
    for day in sorted(days):
        t = tally_on(history, proposal, day)
        v = verdict(proposal.rule, t)
        if v.outcome is not None:
            return day, v, t
    return None


def final_verdict(history: SeatHistory, proposal: Proposal) -> tuple[Verdict, Tally]:
    """The outcome at the end of the deadline day (approved, rejected or lapsed)."""
    t = tally_on(history, proposal, proposal.deadline)
    v = verdict(proposal.rule, t, final=True)
    assert v.outcome is not None
    if v.outcome is Outcome.LAPSED:
        v = Verdict(Outcome.LAPSED, f"deadline {proposal.deadline} passed: {v.reason}")
    return v, t
