"""The fund's state: every engine's state folded from the event log, in ``seq`` order.

Owns ``FundState`` (the ledger's ``LedgerState``, governance's ``GovernanceState`` and,
once wired, compliance's state, plus the term set in force by value date), the table of
``Step``s that says which engine folds which event type, ``load_state`` (a cached state
at the log's head, else a replay from genesis) and ``StateCache``.

Folding contract, shared by every engine:

* ``fold(event)`` runs the steps registered for ``event.type`` (and the ``"*"`` steps) in
  registration order: terms, ledger, governance, compliance.  A step raises a
  ``UrifError`` to refuse; the event then counts as refused.  A step may return system
  events (``decision_recorded``, ``screening_completed``, ...) to append right after the
  event; ``fold`` folds each of them in turn, so the engines see them exactly as they
  will see them on replay.
* ``replay`` folds stored events (system events included) and discards what the steps
  emit, since the log already holds it; a step that meets a stored system event checks
  it against its own derivation (``IntegrityError`` when they differ).
* A refusal may leave an engine half-applied; the caller then drops the state (an
  ingest is all or nothing and a rejected call never keeps its state).

Plugging in an engine: add its state field and one ``Step`` per event type in
``_STEPS``, and pass its gate in ``FundState.gates``.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from urif.core.errors import IntegrityError, NotFound, UrifError
from urif.core.ids import TermsVersion
from urif.core.slots import fast_init
from urif.events.model import Event, TermsAmended
from urif.ledger import Booking, LedgerState
from urif.ledger import apply as ledger_apply
from urif.ledger.gates import Gates
from urif.store import ledger_tables
from urif.terms import TermSet, load_termset
from urif.terms.model import Terms

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from urif.actions.compliance import ScreenerSource
    from urif.compliance.gate import ComplianceGate
    from urif.compliance.state import ComplianceState
    from urif.store import Store, Writer

from urif import governance

#: ``StateCache.keep`` unfreezes and collects everything once every this many keeps.
REFREEZE_EVERY = 1_000

#: The term set of a new database (DESIGN.md §3).
DEFAULT_TERMS = TermsVersion("signed-2025-04-30")


@fast_init
@dataclass(frozen=True, slots=True)
class Folded:
    """What folding one event produced: its booking, and the system events it emitted
    with their own bookings (appended right after it, in order)."""

    event: Event
    booking: Booking | None
    emitted: tuple[tuple[Event, Booking | None], ...] = ()


#: One engine's part in folding an event: returns (booking or None, emitted system events).
Step = Callable[["FundState", Event, Terms], tuple[Booking | None, tuple[Event, ...]]]


@dataclass(slots=True, weakref_slot=True)
class FundState:
    """Every engine's state after folding the log up to ``head_seq``."""

    initial_terms: TermsVersion
    ledger: LedgerState = field(default_factory=LedgerState)
    governance: governance.GovernanceState = field(default_factory=governance.GovernanceState)
    #: Compliance's state, created by its first event (compliance imports are heavy, and
    #: a process that never meets a compliance event should not pay for them).
    compliance: ComplianceState | None = None
    #: Gives the screener for new counterparties during an ingest (set by ``record``;
    #: None on replay, where the log already holds the screening results).
    screener_source: Callable[[], ScreenerSource | None] | None = None
    amendments: list[tuple[dt.date, int, TermsVersion]] = field(default_factory=list)
    head_seq: int = 0
    head_hash: str | None = None
    events: int = 0
    last_day: dt.date | None = None
    _termsets: dict[TermsVersion, TermSet] = field(default_factory=dict)
    _terms: dict[tuple[TermsVersion, dt.date], Terms] = field(default_factory=dict)
    _changes: dict[TermsVersion, tuple[dt.date, ...]] = field(default_factory=dict)
    _stretches: dict[tuple[TermsVersion, int, bool], Terms] = field(default_factory=dict)
    lapse_from: dt.date | None = None  # the earliest deadline of an open proposal
    _gates: Gates | None = None  # built over ``_gates_over`` (the governance state object)
    _gates_over: object | None = None

    # --- terms ------------------------------------------------------------------------

    def version_on(self, day: dt.date) -> TermsVersion:
        """The term set in force on ``day``: the latest amendment effective by then."""
        version = self.initial_terms
        best: tuple[dt.date, int] | None = None
        for effective, order, amended in self.amendments:
            if effective <= day and (best is None or (effective, order) >= best):
                best, version = (effective, order), amended
        return version

    def terms_on(self, day: dt.date) -> Terms:
        """The terms in force on ``day``.

        Cached per version and day, and per stretch between two of the term set's change
        dates (the terms are the same across it; only ``as_of`` is set to ``day``).
        """
        version = self.version_on(day) if self.amendments else self.initial_terms
        key = (version, day)
        terms = self._terms.get(key)
        if terms is None:
            termset = self._termsets.get(version)
            if termset is None:
                termset = load_termset(version)
                self._termsets[version] = termset
                self._changes[version] = termset.dates
            stretch = (
                version,
                bisect_right(self._changes[version], day),
                day >= termset.effective_from,
            )
            same = self._stretches.get(stretch)
            if same is None:
                terms = termset.at(day)
                self._stretches[stretch] = terms
            else:
                terms = replace(same, as_of=day)
            self._terms[key] = terms
        return terms

    # --- gates and folding ------------------------------------------------------------

    def gates(self) -> Gates:
        """The gates money events pass through: governance's approval, compliance's
        screening (both read the live states).

        Built once per governance state object (``restore`` puts back another one).
        """
        if self._gates is None or self._gates_over is not self.governance:
            self._gates = Gates(
                approval=governance.GovernanceApprovalGate(self.governance),
                screening=_ScreeningGate(self),
            )
            self._gates_over = self.governance
        return self._gates

    def fold(self, event: Event, *, emit: bool = True) -> Folded:
        """Fold one event through every engine; raise the refusal of the first that refuses."""
        booking, emitted = self._fold_steps(event)
        if not emit or not emitted:
            return Folded(event, booking)
        children: list[tuple[Event, Booking | None]] = []
        for system in emitted:
            child = self.fold(system, emit=True)
            children.append((system, child.booking))
            children.extend(child.emitted)
        return Folded(event, booking, tuple(children))

    def _fold_steps(self, event: Event) -> tuple[Booking | None, Sequence[Event]]:
        """Run ``event``'s steps: its booking and the system events the steps emitted."""
        on = event.on
        terms = None if self.amendments else self._terms.get((self.initial_terms, on))
        if terms is None:
            terms = self.terms_on(on)
        booking: Booking | None = None
        emitted: Sequence[Event] = ()  # a list only once some step emits
        for step in _RESOLVED.get(event.type) or _steps_for(event.type):
            made, more = step(self, event, terms)
            if made is not None:
                booking = made
            if more:
                emitted = [*emitted, *more]
        self.events += 1
        if self.last_day is None or on > self.last_day:
            self.last_day = on
        return booking, emitted

    def replay(self, stored: Iterable[tuple[int, str, Event]]) -> None:
        """Fold stored ``(seq, hash, event)`` in order; a refusal is a ``ReplayError``.

        What the steps emit is dropped: the log already holds it.
        """
        fold = self._fold_steps
        for seq, digest, event in stored:
            try:
                fold(event)
            except UrifError as error:
                raise ReplayError(
                    seq,
                    f"{event.type} {event.id} was recorded but replaying it fails: {error}",
                ) from error
            self.head_seq, self.head_hash = seq, digest
            if self.last_day is None or event.on > self.last_day:
                self.last_day = event.on

    def last_value_date(self) -> dt.date | None:
        """The latest value date folded so far."""
        return self.last_day

    # --- all or nothing ---------------------------------------------------------------

    def checkpoint(self) -> Checkpoint:
        """Remember the state before a call's events, to restore it on a refusal."""
        return Checkpoint(
            self.ledger.mark(),
            self.governance.copy(),
            None if self.compliance is None else self.compliance.copy(),
            len(self.amendments),
            self.events,
            self.last_day,
            self.lapse_from,
        )

    def mark(self) -> tuple[int, int, int]:
        """Remember the state before one event (the engines undo their own refusals)."""
        return self.ledger.mark(), len(self.amendments), self.events

    def rollback(self, mark: tuple[int, int, int]) -> None:
        """Undo one refused event's partial effects (ledger and amendments)."""
        ledger_mark, amendments, events = mark
        self.ledger.rollback(ledger_mark)
        del self.amendments[amendments:]
        self.events = events

    def restore(self, checkpoint: Checkpoint) -> None:
        """Put the state back as it was at ``checkpoint`` (a rejected call)."""
        self.ledger.rollback(checkpoint.ledger_mark)
        self.ledger.release()
        self.governance = checkpoint.governance
        self.compliance = checkpoint.compliance
        del self.amendments[checkpoint.amendments :]
        self.events = checkpoint.events
        self.last_day = checkpoint.last_day
        self.lapse_from = checkpoint.lapse_from

    def commit(self, checkpoint: Checkpoint) -> None:
        """Keep every change since ``checkpoint`` (the call's events were appended)."""
        del checkpoint
        self.ledger.release()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The state of a ``FundState`` before one call's events."""

    ledger_mark: int
    governance: governance.GovernanceState
    compliance: ComplianceState | None
    amendments: int
    events: int
    last_day: dt.date | None
    lapse_from: dt.date | None


class ReplayError(IntegrityError):
    """A recorded event that the engines refuse on replay: the log and the code disagree."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__(message)
        self.seq = seq


# --- steps -------------------------------------------------------------------------------


def _terms_step(
    state: FundState, event: Event, terms: Terms
) -> tuple[Booking | None, tuple[Event, ...]]:
    del terms
    assert isinstance(event, TermsAmended)
    try:
        load_termset(event.terms_version)
    except NotFound:
        raise
    state.amendments.append((event.effective_from, len(state.amendments), event.terms_version))
    return None, ()


def _ledger_step(
    state: FundState, event: Event, terms: Terms
) -> tuple[Booking | None, tuple[Event, ...]]:
    return ledger_apply(state.ledger, event, terms, state.gates()), ()


#: Event types governance acts on besides its own (rates, money, corrections, decisions).
_GOVERNANCE_SEES = governance.GOVERNANCE_TYPES | {
    "fx_rate",
    "investment",
    "distribution",
    "expense",
    "correction",
    "decision_recorded",
}


def _governance_step(
    state: FundState, event: Event, terms: Terms
) -> tuple[Booking | None, tuple[Event, ...]]:
    # Other events matter to governance only when they carry time past an open
    # proposal's deadline (a lapse); skipping them otherwise changes nothing.
    if event.type not in _GOVERNANCE_SEES and (
        state.lapse_from is None or event.on <= state.lapse_from
    ):
        return None, ()
    emitted = governance.apply(state.governance, event, terms)
    open_deadlines = [p.deadline for p in state.governance.open_proposals.values()]
    state.lapse_from = min(open_deadlines) if open_deadlines else None
    return None, emitted


#: Event types compliance folds (``urif.actions.compliance.COMPLIANCE_EVENTS``).
COMPLIANCE_TYPES = frozenset(
    {
        "counterparty_registered",
        "list_snapshot_loaded",
        "screening_completed",
        "case_opened",
        "case_decided",
    }
)


class _ScreeningGate:
    """Compliance's screening gate over the live state, imported on first use.

    Holds the state weakly: the state keeps its gates, and a cycle would leave a dropped
    state (and every event it folded) to the cyclic collector instead of reference counting.
    """

    def __init__(self, state: FundState) -> None:
        self._state = weakref.ref(state)
        self._gate: ComplianceGate | None = None  # over ``_gate.state``, rebuilt on change

    @property
    def state(self) -> FundState:
        """The fund state this gate reads."""
        state = self._state()
        if state is None:  # pragma: no cover - the state owns its gates
            raise IntegrityError("screening gate used after its fund state was dropped")
        return state

    def check(self, event: Event, counterparty: str, on: dt.date) -> None:
        """Delegate to ``ComplianceGate`` (an empty state screens no one clear)."""
        state = self.state
        gate = self._gate
        if gate is None or state.compliance is None or gate.state is not state.compliance:
            from urif.compliance.gate import ComplianceGate
            from urif.compliance.state import ComplianceState

            if state.compliance is None:
                state.compliance = ComplianceState()
            gate = self._gate = ComplianceGate(state.compliance)
        gate.check(event, counterparty, on)


def _compliance_step(
    state: FundState, event: Event, terms: Terms
) -> tuple[Booking | None, tuple[Event, ...]]:
    from urif.actions.compliance import compliance_step

    source = state.screener_source
    return compliance_step(source if source is not None else _no_source)(state, event, terms)


def _no_source() -> None:
    return None


#: Steps by event type, run before the shared ones.
_STEPS: dict[str, tuple[Step, ...]] = {
    "terms_amended": (_terms_step,),
}
#: Steps after the specific ones, in order, each with the event types it folds (None: all).
_SHARED: tuple[tuple[Step, frozenset[str] | None], ...] = (
    (_ledger_step, None),
    (_governance_step, None),
    (_compliance_step, COMPLIANCE_TYPES),
)
_RESOLVED: dict[str, tuple[Step, ...]] = {}


def _steps_for(kind: str) -> tuple[Step, ...]:
    steps = _RESOLVED.get(kind)
    if steps is None:
        steps = _STEPS.get(kind, ()) + tuple(
            step for step, kinds in _SHARED if kinds is None or kind in kinds
        )
        _RESOLVED[kind] = steps
    return steps


# --- loading -----------------------------------------------------------------------------


class StateCache:
    """Fund states kept between calls, keyed by database URL and checked against the head.

    Owned by a long-lived caller (the API process, a benchmark), never global: a state is
    reused only when the log's head (seq and hash) is still the one it was folded to.
    """

    def __init__(self) -> None:
        self._states: dict[str, FundState] = {}
        #: Held by whoever folds into or reads a kept state (``record_events``,
        #: ``at_head``), so a reader never sees a state halfway through a call.  Writers
        #: take it after the database's append lock, readers never take that one.
        self.lock = threading.RLock()
        self._kept = 0

    def get(self, url: str, head_seq: int, head_hash: str | None) -> FundState | None:
        """The cached state for ``url`` if it is at exactly this head."""
        state = self._states.get(url)
        if state is None or state.head_seq != head_seq or state.head_hash != head_hash:
            return None
        return state

    def behind(self, url: str, head_seq: int) -> FundState | None:
        """The cached state for ``url`` if it stops short of ``head_seq`` (another writer)."""
        state = self._states.get(url)
        return state if state is not None and state.head_seq < head_seq else None

    def keep(self, store: Store, state: FundState) -> None:
        """Remember ``state`` (now at the log's head) for ``store``.

        A kept state lives as long as its owner, and it is millions of objects on a long
        log: they are moved out of the cyclic collector's generations (``gc.freeze``), or
        every full collection of a busy process walks the whole fund state again (about
        a tenth of the time of batches of 1,000 events, bench/api.py).  Reference
        counting still frees them: the fund state holds no reference cycles (see
        ``_ScreeningGate``), and ``forget`` hands any that remain back to the collector.

        A collection first frees this thread's garbage cycles (it walks only what was
        made since the last freeze: about 3 ms after a batch of 1,000 events).  Objects
        other threads hold at that moment are frozen too, and those that later die in a
        cycle would stay; so every ``REFREEZE_EVERY`` keeps everything is unfrozen,
        collected once in full and frozen again, which bounds what can pile up.
        """
        self._states[store.url] = state
        self._kept += 1
        if self._kept % REFREEZE_EVERY == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()

    def at_head(self, store: Store) -> FundState:
        """The kept state of ``store`` brought to the end of the log, for reading; call
        with ``lock`` held.

        The kept state folds whatever was appended since it was kept (another process
        may be appending meanwhile: it goes as far as the log went, never short of the
        head when the call began); a state that cannot be caught up (a refusal, a
        changed log) is dropped for a replay from genesis, which is kept.
        """
        kept = self._states.get(store.url)
        if kept is not None:
            seq = kept.head_seq
            caught = _catch_up(store, kept)
            if caught is not None:
                if caught.head_seq != seq:
                    self.keep(store, caught)
                return caught
            self.forget(store)
        state = replay_state(store)
        self.keep(store, state)
        return state

    def forget(self, store: Store) -> None:
        """Drop the state of ``store`` (after a rejected call may have touched it)."""
        if self._states.pop(store.url, None) is not None:
            gc.unfreeze()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while folding a large batch.

    The books allocate millions of small objects and no cycles; the collector's full
    passes over that growing heap make a long fold quadratic.  It is switched back on
    (if it was on) when the block ends, so this is invisible to callers.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def replay_state(store: Store, *, batch: int = 10_000) -> FundState:
    """Fold the whole log from genesis into a fresh state."""
    state = FundState(TermsVersion(store.terms_version()))
    with gc_paused():
        state.replay(store.iter_decoded(batch=batch))
    return state


def _catch_up(store: Store, state: FundState) -> FundState | None:
    """Fold into ``state`` the events another writer appended after it; None if it cannot.

    The log is append-only, so the cached head must still be in it with the same hash;
    anything else (or a refusal while folding) means the cached state is not to be trusted.
    """
    stream = store.iter_decoded(after=state.head_seq - 1)
    anchor = next(stream, None)
    if anchor is None or anchor[0] != state.head_seq or anchor[1] != state.head_hash:
        return None
    try:
        with gc_paused():
            state.replay(stream)
    except ReplayError:
        return None
    return state


def write_read_models(connection: Connection, bookings: Sequence[Booking | None]) -> None:
    """Write the read-model rows of newly appended events (same transaction as the append).

    The read models are keyed by event id and value date, not ``seq``.
    """
    ledger_tables.write_bookings(connection, (b for b in bookings if b is not None))


def load_state(
    store: Store, writer: Writer | None = None, cache: StateCache | None = None
) -> FundState:
    """The state at the log's head: from ``cache`` when it is current, else a replay."""
    head_seq, head_hash = writer.head() if writer is not None else store.head()
    if cache is not None:
        cached = cache.get(store.url, head_seq, head_hash)
        if cached is not None:
            return cached
        behind = cache.behind(store.url, head_seq)
        if behind is not None:
            caught = _catch_up(store, behind)
            if caught is not None and (caught.head_seq, caught.head_hash) == (head_seq, head_hash):
                return caught
            cache.forget(store)
    state = replay_state(store)
    if state.head_seq != head_seq:
        raise IntegrityError(
            f"replay reached seq {state.head_seq} but the log's head is seq {head_seq}"
        )
    return state
