"""Compliance state folded over events, and screening a counterparty into system events.

Owns ``ComplianceState`` (counterparties registered, list snapshots loaded, review cases,
and each counterparty's screening status as a dated timeline), its fold ``apply(event)``,
and ``screen_counterparty``, which turns one counterparty, a ``NameScreener`` (the matcher
over the snapshots in force) and the ownership chain into ``case_opened`` events (one per
review hit not yet decided) followed by one ``screening_completed`` event whose ``note``
explains the decision: the hits and the ownership paths.

The fold is pure and replayable: screening results enter the state only through the
system events, never by re-running the matcher.  ``case_opened`` events for a counterparty
attach to the ``screening_completed`` that follows them; a case decided
``false_positive`` stops counting, ``confirm`` blocks.  Status on a date is the last
timeline entry dated on or before it (a payment dated before any screening is refused).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol

from urif.compliance.cases import CONFIRM, FALSE_POSITIVE, Case, case_id
from urif.compliance.ownership import (
    Determination,
    OwnershipGraph,
    eu_50_or_control,
    fund_any_owner,
    ofac_50,
)
from urif.core.ids import CaseId, CounterpartyId, EventId
from urif.events.model import (
    CaseDecided,
    CaseDecision,
    CaseOpened,
    CounterpartyRegistered,
    Event,
    ListId,
    ListSnapshotLoaded,
    ScreeningCompleted,
    ScreeningDecision,
    SnapshotId,
)

CLEAR = "clear"
REVIEW = "review"
BLOCKED = "blocked"
_RANK = {CLEAR: 0, REVIEW: 1, BLOCKED: 2}
#: The pseudo-list of cases opened by the fund's ownership policy.
OWNERSHIP_LIST = "ownership"


@dataclass(frozen=True, slots=True)
class CounterpartyRecord:
    """A registered counterparty's data (the latest registration wins)."""

    counterparty: str
    name: str
    kind: str
    country: str
    identifiers: tuple[tuple[str, str], ...]
    owners: tuple[tuple[str, Decimal], ...]
    registered_on: dt.date

    def fingerprint(self) -> str:
        """SHA-256 over the data a name screening depends on (not the owners)."""
        text = "\n".join(
            [self.name, self.kind, self.country, *(f"{s}={v}" for s, v in self.identifiers)]
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class NameHit:
    """A list entry a counterparty may be: band, score, why, and the entry's fingerprint."""

    list_id: str
    entity_id: str
    matched_name: str
    score: Decimal
    band: str
    explanation: str
    entry_fingerprint: str = ""


class NameScreener(Protocol):
    """Screens one counterparty's name and identifiers against the lists in force."""

    def screen(self, counterparty: CounterpartyRecord) -> tuple[NameHit, ...]:
        """The hits (clear-band hits need not be returned)."""
        ...


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """A counterparty's effective screening status from ``on``, and why."""

    on: dt.date
    status: str
    note: str
    cases: tuple[CaseId, ...] = ()


@dataclass(frozen=True, slots=True)
class SnapshotLoaded:
    """A list snapshot recorded on the chain."""

    snapshot: str
    list_id: str
    snapshot_date: dt.date
    checksum: str
    entities: int


class ComplianceState:
    """What compliance knows, folded from events; mutable for speed, ``copy()`` to branch."""

    __slots__ = (
        "base",
        "cases",
        "counterparties",
        "current_cases",
        "pending",
        "snapshots",
        "timeline",
    )

    def __init__(self) -> None:
        self.counterparties: dict[str, CounterpartyRecord] = {}
        self.cases: dict[CaseId, Case] = {}
        self.pending: dict[str, list[CaseId]] = {}
        self.current_cases: dict[str, tuple[CaseId, ...]] = {}
        self.base: dict[str, tuple[str, str]] = {}
        self.timeline: dict[str, list[StatusEntry]] = {}
        self.snapshots: dict[str, SnapshotLoaded] = {}

    def copy(self) -> ComplianceState:
        """An independent copy (records are immutable; containers are copied)."""
        return copy.deepcopy(self)

    # --- fold -------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Fold one event in; events of other engines are ignored."""
        if isinstance(event, CounterpartyRegistered):
            self.counterparties[event.counterparty] = CounterpartyRecord(
                counterparty=event.counterparty,
                name=event.name,
                kind=str(event.kind),
                country=str(event.country),
                identifiers=tuple(event.identifiers),
                owners=tuple((o.owner, o.share) for o in event.owners),
                registered_on=event.on,
            )
        elif isinstance(event, CaseOpened):
            if event.case not in self.cases:
                self.cases[event.case] = Case(
                    event.case,
                    event.counterparty,
                    event.list,
                    event.entity_id,
                    event.score,
                    event.on,
                )
            self.pending.setdefault(event.counterparty, []).append(event.case)
        elif isinstance(event, ScreeningCompleted):
            cp = event.counterparty
            self.current_cases[cp] = tuple(self.pending.pop(cp, ()))
            self.base[cp] = (str(event.decision), event.note or "")
            self._push(cp, event.on)
        elif isinstance(event, CaseDecided):
            case = self.cases.get(event.case)
            if case is not None and case.is_open:
                self.cases[event.case] = case.decide(
                    str(event.decision), event.reason, event.decided_by, event.on
                )
                if event.case in self.current_cases.get(case.counterparty, ()):
                    self._push(case.counterparty, event.on)
        elif isinstance(event, ListSnapshotLoaded):
            self.snapshots[event.snapshot] = SnapshotLoaded(
                event.snapshot, event.list, event.snapshot_date, event.checksum, event.entities
            )

    def _push(self, cp: str, on: dt.date) -> None:
        decision, note = self.base.get(cp, (CLEAR, ""))
        cases = tuple(self.cases[c] for c in self.current_cases.get(cp, ()))
        status = decision
        if decision == REVIEW:
            if any(c.decision == CONFIRM for c in cases):
                status = BLOCKED
            elif not cases or any(c.is_open for c in cases):
                status = REVIEW
            else:
                status = CLEAR
        decided = [f"{c.case} {c.decision} ({c.reason})" for c in cases if not c.is_open]
        if decided:
            note = f"{note}; decisions: {'; '.join(decided)}" if note else "; ".join(decided)
        entries = self.timeline.setdefault(cp, [])
        entries.append(StatusEntry(on, status, note, tuple(c.case for c in cases)))
        entries.sort(key=lambda e: e.on)  # stable: same-day entries keep chain order

    # --- queries ----------------------------------------------------------------------

    def status_on(self, counterparty: str, on: dt.date) -> StatusEntry | None:
        """The effective status on a date, or None if not screened on or before it."""
        found = None
        for entry in self.timeline.get(counterparty, ()):
            if entry.on > on:
                break
            found = entry
        return found

    def open_cases(self) -> tuple[Case, ...]:
        """Cases with no decision, by counterparty then id."""
        return tuple(sorted((c for c in self.cases.values() if c.is_open), key=_case_key))

    def all_cases(self) -> tuple[Case, ...]:
        """Every case, by counterparty then id."""
        return tuple(sorted(self.cases.values(), key=_case_key))

    def upstream(self, counterparty: str) -> tuple[str, ...]:
        """Every owner up the chain (registered counterparties), nearest first."""
        seen: list[str] = []
        frontier = [counterparty]
        while frontier:
            nxt: list[str] = []
            for node in frontier:
                record = self.counterparties.get(node)
                for owner, _ in record.owners if record else ():
                    if owner not in seen and owner != counterparty:
                        seen.append(owner)
                        nxt.append(owner)
            frontier = nxt
        return tuple(seen)

    def screening_order(self, among: Iterable[str] | None = None) -> tuple[str, ...]:
        """Counterparties with owners before the parties they own (cycles broken by id)."""
        wanted = sorted(self.counterparties if among is None else set(among))
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(node: str) -> None:
            if state.get(node):
                return
            state[node] = 1
            record = self.counterparties.get(node)
            for owner, _ in sorted(record.owners) if record else ():
                if owner in self.counterparties:
                    visit(owner)
            state[node] = 2
            order.append(node)

        for node in wanted:
            visit(node)
        keep = set(wanted)
        return tuple(n for n in order if n in keep)

    def dependents(self, counterparty: str) -> tuple[str, ...]:
        """Counterparties owned (directly or not) by ``counterparty``, owners first."""
        down = [c for c in self.counterparties if counterparty in self.upstream(c)]
        return self.screening_order(down)


def _case_key(case: Case) -> tuple[str, str]:
    return (case.counterparty, case.case)


def _ownership(
    state: ComplianceState, record: CounterpartyRecord, on: dt.date
) -> tuple[list[Determination], Determination | None]:
    """Blocking determinations (OFAC, EU) that apply, and the fund's flag if it applies."""
    upstream = state.upstream(record.counterparty)
    if not upstream:
        return [], None
    owners = {
        cp: state.counterparties[cp].owners
        for cp in (record.counterparty, *upstream)
        if cp in state.counterparties
    }
    names: dict[str, str] = {}
    blocked: set[str] = set()
    flagged: set[str] = set()
    for cp in (record.counterparty, *upstream):
        rec = state.counterparties.get(cp)
        entry = state.status_on(cp, on) if cp != record.counterparty else None
        label = rec.name if rec else cp
        # An owner blocked only through its own owners is not a root: they are in this graph
        # too, so the rules re-derive it and the path runs from the listed party down,
        # instead of quoting the owner's whole note at every level of the chain.
        derived = entry is not None and (entry.note or "").startswith("ownership: ")
        if entry is not None and entry.status != CLEAR and not derived:
            label = f"{label} ({entry.status}: {_short_note(entry.note)})"
            flagged.add(cp)
            if entry.status == BLOCKED:
                blocked.add(cp)
        names[cp] = label
    graph = OwnershipGraph.from_owners(owners, names)
    subject = record.counterparty
    blocking = [
        d
        for d in (ofac_50(graph, blocked, subject), eu_50_or_control(graph, blocked, subject))
        if d.applies
    ]
    policy = fund_any_owner(graph, flagged, subject)
    return blocking, policy if policy.applies else None


def _explain_blocking(blocking: list[Determination]) -> str:
    """The blocking rules' explanations; rules with the same share and paths (OFAC's and
    the EU's, on a plain chain of stakes) are named together and explained once."""
    parts: list[str] = []
    for first in blocking:
        same = [
            d
            for d in blocking
            if (d.share, d.paths, d.flags) == (first.share, first.paths, first.flags)
        ]
        if same[0] is not first:
            continue
        if len(same) == 1:
            parts.append(first.explain())
            continue
        rules = " and ".join(d.rule for d in same)
        merged = replace(first, rule=rules)
        parts.append(merged.explain().replace(" applies to ", " apply to ", 1))
    return "; ".join(parts)


#: How much of an owner's own screening note its label in a path may carry.
OWNER_NOTE_CHARS = 400


def _short_note(note: str | None) -> str:
    """An owner's screening note, cut to ``OWNER_NOTE_CHARS``.

    An owner blocked through its own owners carries their whole path in its note; without a
    cap, every level of a chain would repeat every level above it, multiplying the length.

    >>> _short_note("blocked hit eu-833 x 'A'")
    "blocked hit eu-833 x 'A'"
    >>> len(_short_note("x" * 1000)) == OWNER_NOTE_CHARS + 1
    True
    """
    text = note or "no note"
    return text if len(text) <= OWNER_NOTE_CHARS else text[:OWNER_NOTE_CHARS] + "…"


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def system_event_id(*parts: str) -> EventId:
    """An id for an emitted event, ``/``-joined, hashed when longer than the log allows.

    >>> system_event_id("reg-1", "screening", "cp-1")
    'reg-1/screening/cp-1'
    >>> len(system_event_id("x" * 300, "screening"))
    120
    """
    text = "/".join(parts)
    if len(text) <= 180:
        return EventId(text)
    return EventId(f"{text[:55]}~{_digest([text])}")


def screen_counterparty(
    state: ComplianceState,
    counterparty: str,
    on: dt.date,
    screener: NameScreener,
    *,
    trigger: str,
    notes: Sequence[str] = (),
    unscreenable: bool = False,
) -> tuple[Event, ...]:
    """Screen one registered counterparty on ``on``: ``case_opened`` events, then one
    ``screening_completed``; ids derive from ``trigger`` (the causing event's id).
    ``unscreenable`` (no list loaded) makes the outcome at least ``review``."""
    record = state.counterparties[counterparty]
    cp_print = record.fingerprint()
    decision = CLEAR
    reasons: list[str] = []
    opened: list[CaseOpened] = []
    digest_parts: list[str] = []

    def raise_to(level: str) -> None:
        nonlocal decision
        if _RANK[level] > _RANK[decision]:
            decision = level

    def review(list_id: str, entity_id: str, score: Decimal, fingerprint: str, why: str) -> None:
        ident = case_id(counterparty, list_id, entity_id, fingerprint, cp_print)
        existing = state.cases.get(ident)
        if existing is not None and existing.decision == FALSE_POSITIVE:
            reasons.append(f"{why} [case {ident} false positive: {existing.reason}]")
            return
        if existing is not None and existing.decision == CONFIRM:
            raise_to(BLOCKED)
            reasons.append(f"{why} [case {ident} confirmed: {existing.reason}]")
            return
        raise_to(REVIEW)
        reasons.append(f"{why} [case {ident} open]")
        opened.append(
            CaseOpened(
                id=system_event_id(trigger, "case", ident),
                on=on,
                case=ident,
                counterparty=CounterpartyId(counterparty),
                list=ListId(list_id),
                entity_id=entity_id,
                score=score,
            )
        )

    for hit in screener.screen(record):
        why = f"{hit.band} hit {hit.list_id} {hit.entity_id} '{hit.matched_name}' score {hit.score}: {hit.explanation}"
        digest_parts.append(
            f"{hit.list_id}|{hit.entity_id}|{hit.score}|{hit.band}|{hit.entry_fingerprint}"
        )
        if hit.band == BLOCKED:
            raise_to(BLOCKED)
            reasons.append(why)
        elif hit.band == REVIEW:
            review(hit.list_id, hit.entity_id, hit.score, hit.entry_fingerprint, why)
    if unscreenable:
        raise_to(REVIEW)
    blocking, policy = _ownership(state, record, on)
    for determination in blocking:
        raise_to(BLOCKED)
        digest_parts.append(determination.explain())
    if blocking:
        reasons.append(f"ownership: {_explain_blocking(blocking)}")
    if policy is not None and not blocking:
        owners = ",".join(sorted(p[0] for p in policy.paths)) or "unknown-owner"
        digest_parts.append(policy.explain())
        review(
            OWNERSHIP_LIST,
            owners[:200],
            Decimal(1),
            _digest([policy.explain()]),
            f"ownership: {policy.explain()}",
        )
    note_parts = [*reasons, *notes]
    completed = ScreeningCompleted(
        id=system_event_id(trigger, "screening", counterparty),
        on=on,
        counterparty=CounterpartyId(counterparty),
        decision=ScreeningDecision(decision),
        hits_digest=_digest(digest_parts) if digest_parts else None,
        note="; ".join(note_parts) if note_parts else None,
    )
    return (*opened, completed)


def changed(state: ComplianceState, events: Sequence[Event]) -> bool:
    """Whether a re-screening's events differ from the counterparty's status on that date."""
    completed = events[-1]
    if not isinstance(completed, ScreeningCompleted):
        return True
    entry = state.status_on(completed.counterparty, completed.on)
    if entry is None or len(events) > 1:
        return True
    base = state.base.get(completed.counterparty)
    return base is None or base != (str(completed.decision), completed.note or "")


def decided(
    case: Case, decision: str, reason: str, *, decided_by: str, on: dt.date, event_id: str
) -> CaseDecided:
    """The ``case_decided`` event for a reviewer's decision (Conflict if already decided)."""
    case.decide(decision, reason, decided_by, on)  # validates
    return CaseDecided(
        id=EventId(event_id),
        on=on,
        case=case.case,
        decision=CaseDecision(decision),
        reason=reason,
        decided_by=decided_by,
    )


def snapshot_event(
    event_id: str,
    on: dt.date,
    *,
    snapshot: str,
    list_id: str,
    snapshot_date: dt.date,
    checksum: str,
    entities: int,
) -> ListSnapshotLoaded:
    """The ``list_snapshot_loaded`` event for a stored snapshot."""
    return ListSnapshotLoaded(
        id=EventId(event_id),
        on=on,
        list=ListId(list_id),
        snapshot=SnapshotId(snapshot),
        snapshot_date=snapshot_date,
        checksum=checksum,
        entities=entities,
    )


def statuses(state: ComplianceState, on: dt.date) -> Mapping[str, StatusEntry | None]:
    """Every counterparty's status on a date."""
    return {cp: state.status_on(cp, on) for cp in sorted(state.counterparties)}
