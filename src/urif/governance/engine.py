"""Governance transitions: fold one event into ``GovernanceState``, emit decisions.

Owns ``apply(state, event, terms)``: appointments and removals, proposals and votes
(resolving a proposal as soon as its outcome is certain), lapses at the deadline (when an
event dated after it arrives: ``advance``), site consent, opportunity rights, and the
usage of approvals by money events.  Returns the ``DecisionRecorded`` system events to
append right after ``event`` on the same chain.  A refusal raises ``NotPermitted``,
``InvalidInput``, ``NotFound`` or ``Conflict`` with the reason and leaves the state as it
was.  A stored ``DecisionRecorded`` met on replay must match the decision derived here,
else ``IntegrityError``.

Every check reads the state on the event's own value date (seats, ballots), so late
recording changes nothing but what was recorded: a decision is dated on the day its outcome
became certain, and a lapse gives way to a vote or seat change dated on or before the
deadline that is recorded after it (a new decision replaces it), while a recorded
approval or rejection is final: a late vote or seat change that would change it, or a late
removal that would annul a ballot already cast, is refused.  Call ``apply`` for every
event in log order (not only governance ones), so that lapses are emitted when time
passes a deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from urif.core.errors import (
    Conflict,
    IntegrityError,
    InvalidInput,
    NotFound,
    NotPermitted,
    UrifError,
)
from urif.core.ids import EventId, ProposalId
from urif.events.model import (
    Correction,
    DecisionOutcome,
    DecisionRecorded,
    Distribution,
    Event,
    Expense,
    FxRate,
    InterestExpressed,
    Investment,
    MemberAppointed,
    MemberRemoved,
    OfferDeclined,
    OpportunityNotified,
    ProposalSubmitted,
    SiteConsent,
    ThirdPartyTerms,
    VoteCast,
    VoteChanged,
    VoteCounts,
)
from urif.governance import opportunities as opp_rules
from urif.governance.approval import check_money
from urif.governance.bodies import (
    Seat,
    SeatChange,
    check_appointment,
    check_removal,
    not_seated,
    seat_on,
    seats_of,
    with_change,
)
from urif.governance.consent import ConsentRecord
from urif.governance.proposals import (
    BallotRecord,
    Decision,
    Proposal,
    Subject,
    article,
    check_subject,
)
from urif.governance.state import GovernanceState, Usage
from urif.governance.timeline import final_verdict, first_certain, tally_on
from urif.governance.voting import (
    BOARD_ONLY,
    Ballot,
    Outcome,
    Tally,
    Verdict,
    Vote,
    rule_for,
)
from urif.terms.model import Terms

GOVERNANCE_TYPES: frozenset[str] = frozenset(
    {
        "member_appointed",
        "member_removed",
        "proposal_submitted",
        "vote_cast",
        "vote_changed",
        "site_consent",
        "opportunity_notified",
        "interest_expressed",
        "offer_declined",
        "third_party_terms",
    }
)


def decision_id(proposal: str, after: str | None = None) -> EventId:
    """The id of a ``decision_recorded`` event of ``proposal``.

    The first decision is ``decision:<proposal>``; one that replaces a lapse (a late vote
    or seat change dated on or before the deadline) names the event ``after`` that caused it.

    >>> decision_id("p-7")
    'decision:p-7'
    >>> decision_id("p-7", after="v-9")
    'decision:p-7:v-9'
    """
    return EventId(f"decision:{proposal}" if after is None else f"decision:{proposal}:{after}")


def counts_of(t: Tally) -> VoteCounts:
    """The counted votes per side of a tally, as the event records them."""
    us, ua = t.side("us"), t.side("ua")
    return VoteCounts(
        us_yes=us.yes,
        us_no=us.no,
        us_abstain=us.abstain,
        ua_yes=ua.yes,
        ua_no=ua.no,
        ua_abstain=ua.abstain,
        conflicted=us.conflicted + ua.conflicted,
    )


def current_tally(state: GovernanceState, proposal: Proposal, day: dt.date) -> Tally:
    """The tally of ``proposal`` on ``day`` (ballots and seats in force that day)."""
    return tally_on(state.seat_history, proposal, day)


def _decide(
    state: GovernanceState,
    proposal: Proposal,
    v: Verdict,
    t: Tally,
    on: dt.date,
    *,
    after: str | None = None,
) -> DecisionRecorded:
    assert v.outcome is not None
    reason = f"{v.reason} [rule {proposal.rule.name}; {proposal.rule.basis}]"
    event_id = decision_id(proposal.proposal, after)
    if after is not None and proposal.decision is not None:
        reason += (
            f" (replaces {proposal.decision.event}, {proposal.decision.outcome.value} on "
            f"{proposal.decision.on}: {after} was recorded after it, dated on or before "
            f"the deadline)"
        )
    decision = Decision(v.outcome, on, reason, t, event_id)
    state.put_proposal(proposal.decided(decision))
    return DecisionRecorded(
        id=event_id,
        on=on,
        proposal=ProposalId(proposal.proposal),
        outcome=DecisionOutcome(v.outcome.value),
        reason=reason,
        counts=counts_of(t),
        illustrative=proposal.illustrative,
    )


def _evaluate(
    state: GovernanceState, proposal: Proposal, start: dt.date
) -> DecisionRecorded | None:
    """Decide an open ``proposal`` if its outcome became certain on or after ``start``."""
    # Dated by the ballots' and seats' value dates, not by whichever was recorded last:
    # money dated between the two would otherwise go out before the approval.
    found = first_certain(state.seat_history, proposal, start)
    if found is None:
        return None
    day, v, t = found
    return _decide(state, proposal, v, t, day)


def _reopens(proposal: Proposal, on: dt.date) -> bool:
    """True when a change dated ``on`` can still move a lapsed ``proposal``."""
    # A lapse is recorded by whatever later-dated event passes the deadline; if it shut out
    # a vote dated on or before the deadline, an unrelated event would decide whether the
    # vote counts.  Approvals and rejections stay final: money may already rely on them.
    d = proposal.decision
    return d is not None and d.outcome is Outcome.LAPSED and on <= proposal.deadline


def _rederive(
    state: GovernanceState, proposal: Proposal, start: dt.date, after: str
) -> DecisionRecorded | None:
    """Decide a lapsed ``proposal`` again after a late change; a new decision if it moved."""
    found = first_certain(state.seat_history, proposal, start)
    if found is not None:
        day, v, t = found
    else:
        v, t = final_verdict(state.seat_history, proposal)
        day = proposal.deadline
    old = proposal.decision
    assert old is not None
    if (old.outcome, old.on, counts_of(old.tally)) == (v.outcome, day, counts_of(t)):
        return None
    return _decide(state, proposal, v, t, day, after=after)


def advance(state: GovernanceState, on: dt.date, terms: Terms) -> tuple[DecisionRecorded, ...]:
    """Lapse (or finally decide) every open proposal whose deadline is before ``on``."""
    del terms  # the rule and the quorum base were fixed at submission
    out: list[DecisionRecorded] = []
    for proposal in list(state.open_proposals.values()):
        if proposal.deadline < on:
            v, t = final_verdict(state.seat_history, proposal)
            out.append(_decide(state, proposal, v, t, proposal.deadline))
    return tuple(out)


def apply(state: GovernanceState, event: Event, terms: Terms) -> tuple[DecisionRecorded, ...]:
    """Fold ``event`` into ``state``; return the decisions to append after it.

    All or nothing: on a refusal the state is left as it was and the error propagates.
    """
    state.begin()
    try:
        emitted = list(advance(state, event.on, terms))
        emitted += _handle(state, event, terms)
    except UrifError:
        state.undo()
        raise
    finally:
        state.end()
    if event.type in GOVERNANCE_TYPES:
        state.owned[event.id] = event.type
    return tuple(emitted)


def _handle(state: GovernanceState, event: Event, terms: Terms) -> list[DecisionRecorded]:
    if isinstance(event, MemberAppointed):
        return _appoint(state, event, terms)
    if isinstance(event, MemberRemoved):
        return _remove(state, event, terms)
    if isinstance(event, ProposalSubmitted):
        return _submit(state, event, terms)
    if isinstance(event, (VoteCast, VoteChanged)):
        return _vote(state, event, terms)
    if isinstance(event, SiteConsent):
        _consent(state, event)
    elif isinstance(
        event, (OpportunityNotified, InterestExpressed, OfferDeclined, ThirdPartyTerms)
    ):
        _opportunity(state, event, terms)
    elif isinstance(event, (Investment, Distribution, Expense)):
        _use(state, event, terms, event.id)
    elif isinstance(event, Correction):
        _correct(state, event, terms)
    elif isinstance(event, FxRate):
        state.add_rate(str(event.base), str(event.quote), event.on, event.rate)
    elif isinstance(event, DecisionRecorded):
        _check_recorded(state, event)
    return []


def _appoint(
    state: GovernanceState, event: MemberAppointed, terms: Terms
) -> list[DecisionRecorded]:
    seat = Seat(
        member=event.member,
        name=event.name,
        side=event.side.value,
        body=event.body.value,
        appointed_on=event.on,
        appointed_by_event=event.id,
        illustrative=event.illustrative,
    )
    known = state.members.get(event.member)
    if known is not None and known[1] != seat.side:
        raise NotPermitted(
            f"member_appointed {event.id}: member {event.member} was appointed for "
            f"{known[1]} before; a member sits for one side only"
        )
    check_appointment(state.seat_history, seat, terms)
    _record_change(state, SeatChange(event.on, True, seat, event.id))
    state.put(state.members, seat.member, (seat.name, seat.side))
    where = f"member_appointed {event.id}"
    what = f"this appointment of {seat.member} to {seat.body}"
    _check_decisions_stand(state, seat.body, event.on, where, what)
    return _reevaluate(state, seat.body, event.on, event.id)


def _remove(state: GovernanceState, event: MemberRemoved, terms: Terms) -> list[DecisionRecorded]:
    del terms
    seat = check_removal(state.seat_history, event.member, event.body.value, event.on)
    if event.side is not None and event.side.value != seat.side:
        raise InvalidInput(
            f"member_removed {event.id}: {event.member} sits for {seat.side}, "
            f"not {event.side.value}"
        )
    _record_change(state, SeatChange(event.on, False, seat, event.id))
    where = f"member_removed {event.id}"
    _check_ballots_stand(state, seat, event.on, where)
    what = f"this removal of {seat.member} from {seat.body}"
    _check_decisions_stand(state, seat.body, event.on, where, what)
    return _reevaluate(state, seat.body, event.on, event.id)


def _record_change(state: GovernanceState, change: SeatChange) -> None:
    key = (change.seat.member, change.seat.body)
    changes = with_change(state.seat_history.get(key, ()), change)
    state.put(state.seat_history, key, changes)
    if changes[-1].seated:
        state.put(state.seated, key, changes[-1].seat)
    else:
        state.remove(state.seated, key)


def _check_decisions_stand(
    state: GovernanceState, body: str, on: dt.date, where: str, what: str
) -> None:
    """Refuse a seat change dated ``on`` that would change a recorded approval or rejection."""
    # A seat change dated on or before a decision moves the electorate of the days that
    # decided it; the decision is final once recorded (money may rely on it), so the change
    # is judged as a late vote is.  Later-dated changes cannot touch those days.
    for proposal in state.proposals.values():
        d = proposal.decision
        if (
            proposal.body == body
            and d is not None
            and d.outcome is not Outcome.LAPSED
            and on <= d.on
        ):
            _check_still_decided(state, proposal, on, where, what)


def _check_ballots_stand(state: GovernanceState, seat: Seat, on: dt.date, where: str) -> None:
    """Refuse a removal dated ``on`` that would annul a ballot the member already cast."""
    # The ballot was accepted because the member held the seat on its date; a removal
    # recorded later but dated before it would take the ballot back silently, leaving an
    # open proposal's or a decision's count resting on a vote that no longer counts.
    for proposal in state.proposals.values():
        d = proposal.decision
        if proposal.body != seat.body or (d is not None and d.on < on):
            continue
        for record in proposal.history:
            if (
                record.member == seat.member
                and record.on >= on
                and seat_on(state.seat_history, seat.member, seat.body, record.on) is None
            ):
                status = "open" if d is None else f"{d.outcome.value} on {d.on}, {d.event}"
                raise NotPermitted(
                    f"{where}: {seat.member} voted {record.vote} on proposal "
                    f"{proposal.proposal} ({status}) on {record.on} (event {record.event}); "
                    f"a removal dated {on}, before that ballot, would annul it"
                )


def _reevaluate(
    state: GovernanceState, body: str, on: dt.date, after: str
) -> list[DecisionRecorded]:
    """Decide the proposals of ``body`` a seat change dated ``on`` may have settled."""
    out: list[DecisionRecorded] = []
    for proposal in list(state.open_proposals.values()):
        if proposal.body == body and proposal.deadline >= on:
            decided = _evaluate(state, proposal, on)
            if decided is not None:
                out.append(decided)
    for proposal in list(state.proposals.values()):
        if proposal.body == body and _reopens(proposal, on):
            redone = _rederive(state, proposal, on, after)
            if redone is not None:
                out.append(redone)
    return out


def _submit(
    state: GovernanceState, event: ProposalSubmitted, terms: Terms
) -> list[DecisionRecorded]:
    where = f"proposal_submitted {event.id} ({event.proposal})"
    if event.proposal in state.proposals:
        held = state.proposals[event.proposal]
        raise Conflict(f"{where}: proposal {event.proposal} was already submitted by {held.event}")
    body, kind = event.body.value, event.kind.value
    seats_of(terms, body)
    if kind in BOARD_ONLY and body != "board":
        raise NotPermitted(
            f"{where}: {article(kind)} {kind} proposal is decided by the board, not {body}"
        )
    s = event.subject
    subject = Subject(
        project=s.project,
        counterparty=s.counterparty,
        amount=s.amount,
        currency=s.currency,
        title=s.title,
    )
    check_subject(kind, subject, where)
    deadline = event.deadline or event.on + dt.timedelta(days=terms.proposal_deadline_days)
    if deadline < event.on:
        raise InvalidInput(f"{where}: deadline {deadline} is before submission on {event.on}")
    proposal = Proposal(
        proposal=event.proposal,
        body=body,
        kind=kind,
        subject=subject,
        submitted_by=event.submitted_by,
        submitted_on=event.on,
        deadline=deadline,
        rule=rule_for(kind, terms),
        terms_version=terms.version,
        event=event.id,
        illustrative=event.illustrative,
        seats_total=seats_of(terms, body).total,
    )
    state.put_proposal(proposal)
    decided = _evaluate(state, proposal, event.on)
    return [decided] if decided else []


def _vote(
    state: GovernanceState, event: VoteCast | VoteChanged, terms: Terms
) -> list[DecisionRecorded]:
    del terms
    where = f"{event.type} {event.id}"
    proposal = state.proposals.get(event.proposal)
    if proposal is None:
        raise NotFound(f"{where}: no proposal {event.proposal} has been submitted")
    if event.on < proposal.submitted_on:
        raise InvalidInput(
            f"{where}: vote dated {event.on}, before proposal {proposal.proposal} was "
            f"submitted on {proposal.submitted_on}"
        )
    reopen = _reopens(proposal, event.on)
    d = proposal.decision
    if d is not None and not reopen and event.on > d.on:
        raise NotPermitted(
            f"{where}: proposal {proposal.proposal} already resolved ({d.outcome.value} "
            f"on {d.on}); votes are closed"
        )
    seat = seat_on(state.seat_history, event.member, proposal.body, event.on)
    if seat is None:
        _refuse_voter(state, event, proposal, where)
    assert seat is not None
    earlier = proposal.ballot_of(event.member)
    if isinstance(event, VoteCast) and earlier is not None:
        raise Conflict(
            f"{where}: member {event.member} already voted {earlier.vote.value} on "
            f"{proposal.proposal}; one vote per member (record a vote_changed to replace it)"
        )
    if isinstance(event, VoteChanged):
        mine = [r for r in proposal.history if r.member == event.member]
        if not mine:
            raise InvalidInput(
                f"{where}: member {event.member} has no vote on {proposal.proposal} to change"
            )
        if event.on < mine[-1].on:
            raise InvalidInput(
                f"{where}: dated {event.on}, before the vote of {mine[-1].on} "
                f"(event {mine[-1].event}) it would replace"
            )
    ballot = Ballot(event.member, seat.side, Vote(event.vote.value), event.conflict_declared)
    record = BallotRecord(
        event=event.id,
        on=event.on,
        member=event.member,
        side=seat.side,
        vote=event.vote.value,
        conflict_declared=event.conflict_declared,
        changed=isinstance(event, VoteChanged),
    )
    updated = proposal.with_ballot(ballot, record)
    if d is not None and not reopen:
        _check_still_decided(state, updated, event.on, where)
    state.put_proposal(updated)
    if d is not None and not reopen:
        return []
    if reopen:
        redone = _rederive(state, updated, event.on, event.id)
        return [redone] if redone else []
    decided = _evaluate(state, updated, event.on)
    return [decided] if decided else []


def _check_still_decided(
    state: GovernanceState, proposal: Proposal, on: dt.date, where: str, what: str = "this vote"
) -> None:
    """Refuse a late vote or seat change (dated on or before the decision) that changes it."""
    # The proposal was open on the change's date, so the change is judged then; but an
    # approval or rejection once recorded is final (money may rely on it): the change is
    # kept only when the decision derived with it is the one recorded.
    d = proposal.decision
    assert d is not None
    found = first_certain(state.seat_history, proposal, on)
    if found is not None and found[0] <= d.on:
        day, v, t = found
    else:
        v, t = final_verdict(state.seat_history, proposal)
        day = proposal.deadline
    if (v.outcome, day, counts_of(t)) != (d.outcome, d.on, counts_of(d.tally)):
        raise NotPermitted(
            f"{where}: proposal {proposal.proposal} already resolved ({d.outcome.value} on "
            f"{d.on}, {d.event}); {what}, dated {on} but recorded after the decision, "
            f"would change it and a recorded decision is final"
        )


def _refuse_voter(
    state: GovernanceState, event: VoteCast | VoteChanged, proposal: Proposal, where: str
) -> None:
    """Raise why ``event.member`` may not vote on ``proposal`` on the vote's date."""
    if (event.member, proposal.body) in state.seat_history:
        why = not_seated(state.seat_history, event.member, proposal.body, event.on)
        raise NotPermitted(f"{where}: member {event.member} {why}")
    elsewhere = sorted(b for (m, b) in state.seat_history if m == event.member)
    if elsewhere:
        raise NotPermitted(
            f"{where}: wrong body: member {event.member} sits on {', '.join(elsewhere)}, "
            f"not {proposal.body}, which decides proposal {proposal.proposal}"
        )
    raise InvalidInput(f"{where}: no member {event.member} has been appointed")


def _consent(state: GovernanceState, event: SiteConsent) -> None:
    if not event.authority.strip():
        raise InvalidInput(f"site_consent {event.id}: authority must name Ukraine's authority")
    record = ConsentRecord(event.deposit, event.on, event.granted, event.authority, event.id)
    state.put(state.consents, event.deposit, (*state.consents.get(event.deposit, ()), record))


def _opportunity(
    state: GovernanceState,
    event: OpportunityNotified | InterestExpressed | OfferDeclined | ThirdPartyTerms,
    terms: Terms,
) -> None:
    where = f"{event.type} {event.id}"
    if isinstance(event, OpportunityNotified):
        if event.opportunity in state.opportunities:
            raise Conflict(f"{where}: opportunity {event.opportunity} was already notified")
        notified = opp_rules.notified(
            event.opportunity,
            event.holder,
            event.kind.value,
            event.on,
            event.id,
            terms=terms,
            third_parties_notified_on=event.third_parties_notified_on,
            resource=event.resource,
            deposit=event.deposit,
            amount=event.amount,
            currency=event.currency,
            illustrative=event.illustrative,
        )
        state.put(state.opportunities, event.opportunity, notified)
        return
    opp = state.opportunities.get(event.opportunity)
    if opp is None:
        raise NotFound(f"{where}: no opportunity {event.opportunity} has been notified")
    if event.on < opp.notified_on:
        raise InvalidInput(f"{where}: dated {event.on}, before the notice of {opp.notified_on}")
    if event.holder is not None and event.holder != opp.holder:
        raise InvalidInput(
            f"{where}: holder {event.holder!r} is not the holder of opportunity "
            f"{opp.opportunity}, {opp.holder!r} (notified by {opp.event})"
        )
    if isinstance(event, InterestExpressed):
        opp = opp_rules.interest(opp, event.on, event.by, terms)
    elif isinstance(event, OfferDeclined):
        if opp.declined_on is not None:
            raise Conflict(
                f"{where}: opportunity {opp.opportunity} was declined on {opp.declined_on}"
            )
        offered = opp_rules.OfferedTerms(event.terms.price, event.terms.cost_of_capital)
        opp = opp_rules.declined(opp, event.on, offered, terms)
    else:
        deal = opp_rules.ThirdPartyDeal(
            event.on,
            event.counterparty,
            opp_rules.OfferedTerms(event.price, event.cost_of_capital),
            event.id,
        )
        opp = opp_rules.third_party(opp, deal, terms)
    state.put(state.opportunities, opp.opportunity, opp)


def _use(
    state: GovernanceState,
    event: Investment | Distribution | Expense,
    terms: Terms,
    event_id: str,
    *,
    excluding: str | None = None,
) -> None:
    pid = check_money(state, event, terms, excluding=excluding)
    if pid is None:
        return
    use = Usage(event_id, event.on, event.amount, event.currency)
    state.put(state.usage, pid, (*state.usage.get(pid, ()), use))
    state.put(state.used_by, event_id, pid)


def _release(state: GovernanceState, event_id: str) -> None:
    pid = state.remove(state.used_by, event_id)
    if pid is not None:
        state.put(
            state.usage, pid, tuple(u for u in state.usage.get(pid, ()) if u.event != event_id)
        )


def _correct(state: GovernanceState, event: Correction, terms: Terms) -> None:
    if event.corrects in state.owned:
        raise NotPermitted(
            f"correction {event.id}: {state.owned[event.corrects]} {event.corrects} is a "
            f"governance record and cannot be corrected; record a vote_changed, a removal "
            f"or a new proposal instead"
        )
    replacement = event.replacement
    if isinstance(replacement, (Investment, Distribution, Expense)):
        _use(state, replacement, terms, event.id, excluding=event.corrects)
    _release(state, event.corrects)


def _check_recorded(state: GovernanceState, event: DecisionRecorded) -> None:
    proposal = state.proposals.get(event.proposal)
    derived = proposal.decision if proposal else None
    if derived is None or derived.outcome.value != event.outcome.value or derived.on != event.on:
        got = f"{derived.outcome.value} on {derived.on}" if derived else "no decision"
        raise IntegrityError(
            f"decision_recorded {event.id}: the log says proposal {event.proposal} was "
            f"{event.outcome.value} on {event.on}, replaying the votes gives {got}"
        )
    if replace(counts_of(derived.tally)) != event.counts:
        raise IntegrityError(
            f"decision_recorded {event.id}: counts in the log differ from the replayed tally"
        )
