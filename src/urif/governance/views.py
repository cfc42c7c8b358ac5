"""Read models of governance: proposals with votes by side, the board's seats, opportunities.

Owns the plain, JSON-ready dictionaries the CLI and the API print (stable keys; Decimal
and dates are converted at the edge).  ``as_of`` is the end of that day: it hides what was
submitted, voted or decided after it, and shows a proposal whose deadline is on or before
it, with no decision recorded yet, as it stood when voting closed at the end of the
deadline day (its final outcome, pending its ``decision_recorded``): the same answer
whether or not a later event has recorded the lapse.  The board shows who was seated on
``as_of`` and reports a side holding more seats than the terms in force give it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from urif.governance.bodies import SIDES, Seat, seat_on, side_seats
from urif.governance.opportunities import Opportunity
from urif.governance.proposals import Proposal
from urif.governance.state import GovernanceState
from urif.governance.timeline import ballots_on, final_verdict, tally_on
from urif.governance.voting import Tally
from urif.terms.model import Terms

View = dict[str, object]


def _counts(t: Tally) -> View:
    return {
        c.side: {
            "seated": c.seated,
            "eligible": c.eligible,
            "conflicted": c.conflicted,
            "yes": c.yes,
            "no": c.no,
            "abstain": c.abstain,
            "not_voted": c.not_voted,
        }
        for c in t.sides
    }


def proposal_view(state: GovernanceState, proposal: Proposal, as_of: dt.date | None = None) -> View:
    """One proposal: subject, rule applied, votes by side, conflicts, outcome, usage."""
    decision = proposal.decision
    if decision is not None and as_of is not None and decision.on > as_of:
        decision = None
    decided_on = decision.on if decision else None
    reason = decision.reason if decision else None
    if decision is not None:
        status = decision.outcome.value
        t = decision.tally
    elif as_of is not None and proposal.deadline <= as_of:
        # Voting closed at the end of the deadline day: show the outcome the deadline
        # gives, whether or not a later-dated event has recorded it yet.
        v, t = final_verdict(state.seat_history, proposal)
        status = v.outcome.value if v.outcome else "lapsed"
        decided_on = proposal.deadline
        reason = f"{v.reason} [rule {proposal.rule.name}; {proposal.rule.basis}]"
    else:
        status = "open"
        t = tally_on(state.seat_history, proposal, as_of or dt.date.max)
    votes: dict[str, list[View]] = {s: [] for s in SIDES}
    for record in proposal.history:
        if as_of is not None and record.on > as_of:
            continue
        votes[record.side].append(
            {
                "member": record.member,
                "name": state.members.get(record.member, (record.member, ""))[0],
                "vote": record.vote,
                "conflict_declared": record.conflict_declared,
                "changed": record.changed,
                "on": record.on,
                "event": record.event,
            }
        )
    subject = proposal.subject
    view: View = {
        "proposal": proposal.proposal,
        "body": proposal.body,
        "kind": proposal.kind,
        "subject": {
            "project": subject.project,
            "counterparty": subject.counterparty,
            "amount": subject.amount,
            "currency": subject.currency,
            "title": subject.title,
        },
        "submitted_by": proposal.submitted_by,
        "submitted_on": proposal.submitted_on,
        "deadline": proposal.deadline,
        "terms_version": proposal.terms_version,
        "rule": proposal.rule.name,
        "rule_basis": proposal.rule.basis,
        "status": status,
        "decided_on": decided_on,
        "reason": reason,
        "counts": _counts(t),
        "votes": votes,
        "conflicts": [
            b.member
            for b in (proposal.ballots if as_of is None else ballots_on(proposal, as_of))
            if b.conflict_declared
        ],
        "illustrative": proposal.illustrative,
    }
    if subject.amount is not None and proposal.kind in {"investment", "distribution", "expense"}:
        uses = [u for u in state.usage.get(proposal.proposal, ()) if as_of is None or u.on <= as_of]
        used = sum((u.amount for u in uses), Decimal(0))
        view["usage"] = {
            "approved": subject.amount,
            "used": used,
            "remaining": subject.amount - used if status == "approved" else Decimal(0),
            "events": [u.event for u in uses],
        }
    return view


def proposals_view(
    state: GovernanceState, *, open_only: bool = False, as_of: dt.date | None = None
) -> list[View]:
    """Every proposal submitted on or before ``as_of``, in submission order."""
    out: list[View] = []
    for proposal in state.proposals.values():
        if as_of is not None and proposal.submitted_on > as_of:
            continue
        view = proposal_view(state, proposal, as_of)
        if open_only and view["status"] != "open":
            continue
        out.append(view)
    return out


def _seated(state: GovernanceState, body: str, side: str, as_of: dt.date | None) -> list[Seat]:
    """Seats of ``side`` on ``body`` held on ``as_of`` (None: after every change)."""
    if as_of is None:
        return [s for s in state.seated.values() if s.body == body and s.side == side]
    found = (seat_on(state.seat_history, m, b, as_of) for (m, b) in state.seat_history)
    return [s for s in found if s is not None and s.body == body and s.side == side]


def board_view(state: GovernanceState, terms: Terms, as_of: dt.date | None = None) -> View:
    """Seats per body and side from ``terms``, who fills them, vacancies, open items."""
    bodies: list[View] = []
    breaches: list[View] = []
    names = ["board", *(name for name, _ in terms.committee_seats)]
    for body in names:
        seats = terms.committee(body)
        sides: View = {}
        for side in SIDES:
            members = [
                {"member": s.member, "name": s.name, "appointed_on": s.appointed_on}
                for s in _seated(state, body, side, as_of)
            ]
            allowed = side_seats(seats, side)
            sides[side] = {
                "seats": allowed,
                "filled": len(members),
                "vacant": max(allowed - len(members), 0),
                "members": members,
            }
            if len(members) > allowed:
                # Terms amended to fewer seats leave the sitting members in place: the
                # board must see it and remove someone; urif removes nobody by itself.
                breaches.append(
                    {
                        "opportunity": None,
                        "body": body,
                        "side": side,
                        "on": as_of,
                        "rule": "seat_ratio",
                        "message": (
                            f"{body}: {side} holds {len(members)} seats, the terms "
                            f"{terms.version} in force give it {allowed} ({seats.us} US : "
                            f"{seats.ua} UA); remove {len(members) - allowed} to restore "
                            f"the ratio"
                        ),
                    }
                )
        bodies.append({"body": body, "seats_total": seats.total, "sides": sides})
    proposals = proposals_view(state, open_only=True, as_of=as_of)
    breaches += [
        {
            "opportunity": b.opportunity,
            "body": None,
            "side": None,
            "on": b.on,
            "rule": b.rule,
            "message": b.message,
        }
        for opp in state.opportunities.values()
        for b in opp.breaches
        if as_of is None or b.on <= as_of
    ]
    return {
        "terms_version": terms.version,
        "as_of": as_of,
        "us_veto": terms.us_veto,
        "investment_rule": terms.investment_rule,
        "critical_decisions": list(terms.critical_decisions),
        "ordinary_rule": terms.ordinary_rule,
        "quorum": terms.quorum,
        "bodies": bodies,
        "open_proposals": [p["proposal"] for p in proposals],
        "breaches": breaches,
    }


def _window(start: dt.date | None, end: dt.date | None, as_of: dt.date | None) -> View | None:
    if start is None:
        return None
    state = "open"
    if as_of is not None and end is not None and as_of >= end:
        state = "closed"
    return {"from": start, "until": end, "state": state if as_of else None}


def opportunity_view(opp: Opportunity, as_of: dt.date | None = None) -> View:
    """One opportunity with its windows and the breaches the board must see."""
    return {
        "opportunity": opp.opportunity,
        "holder": opp.holder,
        "kind": opp.kind,
        "right_holder": opp.right_holder,
        "notified_on": opp.notified_on,
        "third_parties_notified_on": opp.third_parties_notified_on,
        "resource": opp.resource,
        "deposit": opp.deposit,
        "amount": opp.amount,
        "currency": opp.currency,
        "first_look": {
            **(_window(opp.notified_on, opp.first_look_end, as_of) or {}),
            "status": opp.first_look_status,
        }
        if opp.first_look_end
        else None,
        "interest": {"on": opp.interest_on, "by": opp.interest_by} if opp.interest_on else None,
        "information_due": opp.information_due,
        "declined": {
            "on": opp.declined_on,
            "price": opp.declined_terms.price if opp.declined_terms else None,
            "cost_of_capital": opp.declined_terms.cost_of_capital if opp.declined_terms else None,
        }
        if opp.declined_on
        else None,
        "favourable_terms_protection": {
            **(_window(opp.declined_on, opp.protection_end, as_of) or {}),
            "no_time_limit": opp.protection_end is None,
            "status": opp.protection_status,
        }
        if opp.declined_on
        else None,
        "third_party_deals": [
            {
                "on": d.on,
                "counterparty": d.counterparty,
                "price": d.terms.price,
                "cost_of_capital": d.terms.cost_of_capital,
                "event": d.event,
            }
            for d in opp.deals
            if as_of is None or d.on <= as_of
        ],
        "breaches": [
            {
                "opportunity": b.opportunity,
                "on": b.on,
                "rule": b.rule,
                "event": b.event,
                "message": b.message,
                "status": b.status,
            }
            for b in opp.breaches
            if as_of is None or b.on <= as_of
        ],
        "illustrative": opp.illustrative,
    }


def opportunities_view(state: GovernanceState, as_of: dt.date | None = None) -> list[View]:
    """Every opportunity notified on or before ``as_of``."""
    return [
        opportunity_view(opp, as_of)
        for opp in state.opportunities.values()
        if as_of is None or opp.notified_on <= as_of
    ]
