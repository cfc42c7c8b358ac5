"""Decision rules and tallies: which rule a proposal falls under, and when it is decided.

Owns the proposal kinds, the rule chosen from the terms in force (unanimity for critical
decisions, simple majority with quorum for ordinary ones, both delegations for
distributions, the March 2025 draft's majority with a US veto), the tally of ballots per
side and the verdict: approved or rejected as soon as the outcome is certain, lapsed when
the deadline has passed with a condition still open.  Pure functions over plain values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from urif.core.errors import InvalidInput
from urif.terms.model import Terms

SIDES: tuple[str, ...] = ("us", "ua")

KINDS: tuple[str, ...] = (
    "investment",
    "distribution",
    "expense",
    "admit_partner",
    "amend_terms",
    "ordinary",
)


class Vote(StrEnum):
    """A member's vote."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Outcome(StrEnum):
    """How a proposal resolved."""

    APPROVED = "approved"
    REJECTED = "rejected"
    LAPSED = "lapsed"


#: Conditions a rule may combine (all must be met; any one failing rejects).
CONDITIONS: dict[str, str] = {
    "unanimous": "every eligible member of the body votes yes (no casting vote)",
    "majority": "more than half of the eligible members of the body vote yes",
    "us_consent": "more than half of the eligible US members vote yes (US veto)",
    "ua_consent": "more than half of the eligible Ukrainian members vote yes",
    "both_delegations": "more than half of each side's eligible members vote yes",
    "simple_majority": "more yes than no among votes cast, with the quorum present",
}


@dataclass(frozen=True, slots=True)
class DecisionRule:
    """The rule a proposal is decided by, fixed from the terms at submission."""

    name: str  # the conditions joined by "+", e.g. "unanimous+both_delegations"
    conditions: tuple[str, ...]
    quorum: Decimal  # fraction of the body's seats that must vote (simple_majority only)
    conflict_empty_side: str  # "cannot_approve" | "other_side_decides"
    basis: str  # why this rule: which term chose it

    @property
    def needs_both_sides(self) -> bool:
        """True when a side left with nobody eligible matters to the rule."""
        return any(c in {"unanimous", "both_delegations"} for c in self.conditions)


_DISTRIBUTION_RULES = {
    "both_delegations": ("both_delegations",),
    "board_majority": ("majority",),
    "us_alone": ("us_consent",),
}

_CRITICAL_RULES = {
    "unanimous": ("unanimous",),
    "majority_with_us_veto": ("majority", "us_consent"),
    "majority": ("majority",),
    "simple_majority": ("simple_majority",),
}

#: Kinds that only the board may decide (the money-moving and constitutional ones).
BOARD_ONLY: frozenset[str] = frozenset(
    {"investment", "distribution", "admit_partner", "amend_terms"}
)


def _known(table: Mapping[str, tuple[str, ...]], value: str, what: str) -> tuple[str, ...]:
    if value not in table:
        raise InvalidInput(
            f"terms: {what} {value!r} is not a rule governance knows; expected one of "
            f"{', '.join(sorted(table))}"
        )
    return table[value]


def rule_for(kind: str, terms: Terms) -> DecisionRule:
    """The decision rule the terms in force give a proposal of ``kind``.

    Distributions follow ``distribution_approval`` (and the critical rule too when listed
    as critical); investments and the kinds in ``critical_decisions`` follow
    ``investment_rule``; the rest ``ordinary_rule``.  ``us_veto`` adds US consent.
    """
    if kind not in KINDS:
        raise InvalidInput(f"proposal kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    conditions: list[str] = []
    basis: list[str] = []
    critical = kind == "investment" or kind in terms.critical_decisions
    if kind == "distribution":
        conditions += _known(
            _DISTRIBUTION_RULES, terms.distribution_approval, "distribution_approval"
        )
        basis.append(f"distribution_approval={terms.distribution_approval}")
    if critical:
        conditions += _known(_CRITICAL_RULES, terms.investment_rule, "investment_rule")
        basis.append(f"critical decision ({kind}): investment_rule={terms.investment_rule}")
    if not conditions:
        conditions += _known(
            {
                "simple_majority": ("simple_majority",),
                "majority": ("majority",),
                "unanimous": ("unanimous",),
            },
            terms.ordinary_rule,
            "ordinary_rule",
        )
        basis.append(f"ordinary decision: ordinary_rule={terms.ordinary_rule}")
    if terms.us_veto and "us_consent" not in conditions:
        conditions.append("us_consent")
        basis.append("us_veto=true")
    unique = tuple(dict.fromkeys(conditions))
    return DecisionRule(
        name="+".join(unique),
        conditions=unique,
        quorum=terms.quorum,
        conflict_empty_side=terms.conflict_empty_side,
        basis=f"terms {terms.version}: " + "; ".join(basis),
    )


@dataclass(frozen=True, slots=True)
class Ballot:
    """A member's current vote on one proposal."""

    member: str
    side: str
    vote: Vote
    conflict_declared: bool


@dataclass(frozen=True, slots=True)
class SideCount:
    """The tally of one side of the body."""

    side: str
    seated: int  # members of the body on this side now
    conflicted: int  # seated members who declared a conflict (excluded)
    yes: int
    no: int
    abstain: int

    @property
    def eligible(self) -> int:
        """Seated members who may vote (no conflict declared)."""
        return self.seated - self.conflicted

    @property
    def not_voted(self) -> int:
        """Eligible members who have not voted yet."""
        return self.eligible - self.yes - self.no - self.abstain

    @property
    def present(self) -> int:
        """Seated members who cast a ballot (conflicted ones included)."""
        return self.yes + self.no + self.abstain + self.conflicted


@dataclass(frozen=True, slots=True)
class Tally:
    """The tally of a proposal per side, with the body's seats from the terms."""

    sides: tuple[SideCount, ...]
    seats_total: int

    def side(self, name: str) -> SideCount:
        """The count of side ``name``."""
        for count in self.sides:
            if count.side == name:
                return count
        raise KeyError(name)

    def total(self, field: str) -> int:
        """Sum of one attribute over both sides."""
        return sum(int(getattr(c, field)) for c in self.sides)


def tally(electorate: Mapping[str, str], ballots: Iterable[Ballot], seats_total: int) -> Tally:
    """Count ballots of the members in ``electorate`` (member → side) per side.

    >>> t = tally({"a": "us", "b": "ua"}, [Ballot("a", "us", Vote.YES, False)], 2)
    >>> (t.side("us").yes, t.side("ua").not_voted)
    (1, 1)
    """
    counts = {s: {"seated": 0, "conflicted": 0, "yes": 0, "no": 0, "abstain": 0} for s in SIDES}
    for side in electorate.values():
        counts[side]["seated"] += 1
    for ballot in ballots:
        side_of = electorate.get(ballot.member)
        if side_of is None:
            continue  # no longer seated: the ballot stays in history but does not count
        if ballot.conflict_declared:
            counts[side_of]["conflicted"] += 1
        else:
            counts[side_of][ballot.vote.value] += 1
    return Tally(
        sides=tuple(SideCount(side=s, **counts[s]) for s in SIDES),
        seats_total=seats_total,
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """The state of a proposal under its rule: decided (with a reason) or still open."""

    outcome: Outcome | None
    reason: str


def _majority_of(yes: int, not_voted: int, eligible: int, who: str, final: bool) -> tuple[str, str]:
    if eligible == 0:
        return "failed" if final else "open", f"{who} has no eligible member"
    if yes * 2 > eligible:
        return "met", f"{yes} of {eligible} eligible {who} voted yes"
    if (yes + (0 if final else not_voted)) * 2 <= eligible:
        return "failed", f"only {yes} of {eligible} eligible {who} voted yes, not a majority"
    return "open", f"{yes} of {eligible} eligible {who} voted yes so far"


def _condition(
    name: str, t: Tally, rule: DecisionRule, ignored: frozenset[str], final: bool
) -> tuple[str, str]:
    sides = [c for c in t.sides if c.side not in ignored]
    if name == "unanimous":
        against = [c for c in sides if c.no or c.abstain]
        if against:
            c = against[0]
            return "failed", (
                f"unanimity broken: {c.side} side cast {c.no} no and {c.abstain} abstain"
            )
        missing = [c.side for c in sides if c.seated == 0]
        if missing:
            return "open", f"no {'/'.join(missing)} member seated on the body"
        if all(c.not_voted == 0 for c in sides) and sum(c.eligible for c in sides) > 0:
            return "met", f"all {sum(c.eligible for c in sides)} eligible members voted yes"
        pending = ", ".join(f"{c.side} {c.not_voted}" for c in sides if c.not_voted)
        return "open", f"eligible members have not voted ({pending})"
    if name == "majority":
        return _majority_of(
            sum(c.yes for c in sides),
            sum(c.not_voted for c in sides),
            sum(c.eligible for c in sides),
            "members",
            final,
        )
    if name in {"us_consent", "ua_consent"}:
        c = t.side(name[:2])
        if c.seated > 0 and c.eligible == 0:
            return "failed", f"every {c.side} member declared a conflict; no {c.side} consent"
        return _majority_of(c.yes, c.not_voted, c.eligible, f"{c.side} members", final)
    if name == "both_delegations":
        results = [
            _majority_of(c.yes, c.not_voted, c.eligible, f"{c.side} members", final) for c in sides
        ]
        for status, reason in results:
            if status == "failed":
                return status, f"delegations: {reason}"
        if all(status == "met" for status, _ in results):
            return "met", "both delegations: " + "; ".join(r for _, r in results)
        return "open", "delegations: " + "; ".join(r for _, r in results)
    if name == "simple_majority":
        needed = math.ceil(rule.quorum * t.seats_total)
        present = t.total("present")
        yes, no, waiting = t.total("yes"), t.total("no"), t.total("not_voted")
        if final:
            waiting = 0
        if present + waiting < needed:
            # Quorum is counted at the deadline: until then vacant seats may be filled
            # and new members may vote, so a short body is waiting, not rejected.
            if final:
                return "open", f"no quorum: {present} present, {needed} needed"
            return "open", f"no quorum yet: {present} present, {needed} needed"
        if yes + waiting <= no:
            return "failed", f"{yes} yes against {no} no: no majority"
        if present >= needed and yes > no + waiting:
            return "met", f"{yes} yes against {no} no, quorum {present} of {needed} needed"
        return "open", f"{yes} yes, {no} no, {waiting} not voted (quorum {needed})"
    raise InvalidInput(f"decision rule: unknown condition {name!r}")


def verdict(rule: DecisionRule, t: Tally, *, final: bool = False) -> Verdict:
    """Decide ``t`` under ``rule``: approved, rejected, or open (``final``: lapsed).

    A side left with nobody eligible by conflicts follows ``conflict_empty_side``:
    ``cannot_approve`` rejects, ``other_side_decides`` leaves that side out.
    """
    ignored: set[str] = set()
    if rule.needs_both_sides:
        for c in t.sides:
            if c.seated > 0 and c.eligible == 0:
                if rule.conflict_empty_side == "other_side_decides" and any(
                    o.eligible > 0 for o in t.sides if o.side != c.side
                ):
                    ignored.add(c.side)
                    continue
                return Verdict(
                    Outcome.REJECTED,
                    f"every {c.side} member declared a conflict; under the terms "
                    f"(conflict_empty_side={rule.conflict_empty_side}) it cannot be approved",
                )
    results = [(n, *_condition(n, t, rule, frozenset(ignored), final)) for n in rule.conditions]
    for name, status, reason in results:
        if status == "failed":
            return Verdict(Outcome.REJECTED, f"{name}: {reason}")
    if all(status == "met" for _, status, _ in results):
        note = f" ({', '.join(sorted(ignored))} side left out: all conflicted)" if ignored else ""
        return Verdict(Outcome.APPROVED, "; ".join(f"{n}: {r}" for n, _, r in results) + note)
    pending = "; ".join(f"{n}: {r}" for n, s, r in results if s == "open")
    return Verdict(Outcome.LAPSED if final else None, pending)
