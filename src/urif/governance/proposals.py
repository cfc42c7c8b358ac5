"""Proposals: what is being decided, by which body and rule, the ballots and the decision.

Owns ``Proposal`` (an immutable record updated by replacement), ``BallotRecord`` (the
audit trail of every vote and change), ``Decision`` and the subject check for each kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from urif.core.errors import InvalidInput
from urif.governance.voting import Ballot, DecisionRule, Outcome, Tally

#: Subject fields each kind requires (the others may be present).
REQUIRED_SUBJECT: dict[str, tuple[str, ...]] = {
    "investment": ("project", "counterparty", "amount", "currency"),
    "expense": ("counterparty", "amount", "currency"),
    "distribution": ("amount", "currency"),
    "admit_partner": ("title",),
    "amend_terms": ("title",),
    "ordinary": ("title",),
}


@dataclass(frozen=True, slots=True)
class Subject:
    """What a proposal is about."""

    project: str | None = None
    counterparty: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    title: str | None = None


def article(word: str) -> str:
    """The indefinite article before ``word`` (the kinds are plain English words).

    >>> article("investment"), article("expense"), article("distribution")
    ('an', 'an', 'a')
    """
    return "an" if word[:1].lower() in "aeiou" else "a"


def check_subject(kind: str, subject: Subject, where: str) -> None:
    """Refuse a subject missing a field its kind requires, or with a non-positive amount."""
    missing = [f for f in REQUIRED_SUBJECT.get(kind, ()) if getattr(subject, f) is None]
    if missing:
        raise InvalidInput(
            f"{where}: {article(kind)} {kind} proposal's subject needs {', '.join(missing)}; "
            f"required: {', '.join(REQUIRED_SUBJECT[kind])}"
        )
    if subject.amount is not None and subject.amount <= 0:
        raise InvalidInput(f"{where}: subject amount must be positive, got {subject.amount}")


@dataclass(frozen=True, slots=True)
class BallotRecord:
    """One vote event as recorded (kept even when replaced by a change)."""

    event: str
    on: dt.date
    member: str
    side: str
    vote: str
    conflict_declared: bool
    changed: bool  # True for a vote_changed


@dataclass(frozen=True, slots=True)
class Decision:
    """How and when a proposal resolved, with the reason and the final tally."""

    outcome: Outcome
    on: dt.date
    reason: str
    tally: Tally
    event: str  # id of the decision_recorded event


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposal to a body, its rule, ballots and (once resolved) its decision."""

    proposal: str
    body: str
    kind: str
    subject: Subject
    submitted_by: str
    submitted_on: dt.date
    deadline: dt.date  # last day votes count; lapses on the next later-dated event
    rule: DecisionRule
    terms_version: str
    event: str
    illustrative: bool = False
    seats_total: int = 0  # the body's seats under the terms at submission (the quorum base)
    ballots: tuple[Ballot, ...] = ()  # each member's latest ballot
    history: tuple[BallotRecord, ...] = ()  # recording order; one member's in date order
    decision: Decision | None = None

    @property
    def is_open(self) -> bool:
        """True until the proposal resolves."""
        return self.decision is None

    @property
    def conflicts(self) -> tuple[str, ...]:
        """Members whose current ballot declares a conflict."""
        return tuple(b.member for b in self.ballots if b.conflict_declared)

    def ballot_of(self, member: str) -> Ballot | None:
        """The current ballot of ``member``, if any."""
        for ballot in self.ballots:
            if ballot.member == member:
                return ballot
        return None

    def with_ballot(self, ballot: Ballot, record: BallotRecord) -> Proposal:
        """A copy with ``ballot`` replacing the member's earlier one."""
        others = tuple(b for b in self.ballots if b.member != ballot.member)
        return replace(self, ballots=(*others, ballot), history=(*self.history, record))

    def decided(self, decision: Decision) -> Proposal:
        """A copy carrying ``decision``."""
        return replace(self, decision=decision)
