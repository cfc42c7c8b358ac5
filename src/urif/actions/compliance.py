"""Compliance use cases: load list snapshots, list and diff them, review cases, re-screen.

Owns the actions behind ``urif lists load|list|diff``, ``urif cases`` and ``urif case
decide``, and the fold step that screens a counterparty when it is registered:

- ``load_lists``: parse every path first (nothing touches the database if any file is
  malformed, so the previous snapshot stays in force), store each new snapshot, append a
  ``list_snapshot_loaded`` event per snapshot, then re-screen every counterparty (owners
  first) as of ``max(registered, snapshot date)`` and append ``case_opened`` /
  ``screening_completed`` where the outcome changed.  One transaction.
- ``decide_case``: append ``case_decided`` and re-screen the parties the case's
  counterparty owns.
- ``ScreenerSource``: matchers over the snapshots in force on a day, built once per set of
  snapshots; ``compliance_step`` folds compliance events into ``FundState.compliance`` and,
  with a source attached, screens a newly registered counterparty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from urif.actions.demo import DemoContext, DemoStep
from urif.compliance.cases import Case
from urif.compliance.gate import MatcherScreener
from urif.compliance.snapshot import (
    InForce,
    ListDiff,
    SnapshotInfo,
    describe,
    diff_records,
    in_force,
)
from urif.compliance.sources import read_paths
from urif.compliance.sources.record import ListRecord, ParsedList
from urif.compliance.state import (
    ComplianceState,
    CounterpartyRecord,
    NameHit,
    changed,
    decided,
    screen_counterparty,
    snapshot_event,
)
from urif.core.errors import Conflict, InvalidInput, NotFound, NotPermitted, Problem
from urif.events.model import CounterpartyRegistered, Event, ScreeningCompleted
from urif.store import Store, lists_tables

#: Event types the compliance state folds.
COMPLIANCE_EVENTS = (
    "counterparty_registered",
    "list_snapshot_loaded",
    "screening_completed",
    "case_opened",
    "case_decided",
)


class NoLists:
    """The screener when no list is loaded: nothing can be shown clear."""

    def screen(self, counterparty: CounterpartyRecord) -> tuple[NameHit, ...]:
        """No hits; ``screen_with`` turns the missing lists into a review."""
        del counterparty
        return ()


@dataclass
class ScreenerSource:
    """Matchers over the snapshots in force on a day, read from one connection."""

    connection: Connection
    lists: Sequence[str] | None = None
    _snapshots: tuple[SnapshotInfo, ...] | None = None
    _built: dict[tuple[str, ...], MatcherScreener] = field(default_factory=dict)

    def refresh(self) -> None:
        """Forget the known snapshots (after new ones were stored)."""
        self._snapshots = None

    def in_force(self, day: dt.date) -> InForce:
        """The snapshots in force on ``day``."""
        if self._snapshots is None:
            self._snapshots = lists_tables.snapshots(self.connection)
        return in_force(self._snapshots, day, self.lists)

    def records(self, chosen: InForce) -> list[ListRecord]:
        """Every listed record of the chosen snapshots."""
        out: list[ListRecord] = []
        for snap in chosen.snapshots:
            out.extend(lists_tables.records(self.connection, snap.snapshot_id, snap.list_id))
        return out

    def screener(self, day: dt.date) -> tuple[MatcherScreener | NoLists, InForce]:
        """The screener for ``day`` and which snapshots it uses."""
        chosen = self.in_force(day)
        if not chosen.snapshots:
            return NoLists(), chosen
        key = tuple(s.snapshot_id for s in chosen.snapshots)
        built = self._built.get(key)
        if built is None:
            built = MatcherScreener.build(self.records(chosen))
            self._built[key] = built
        return built, chosen


def screen_with(
    state: ComplianceState, counterparty: str, on: dt.date, source: ScreenerSource, trigger: str
) -> tuple[Event, ...]:
    """Screen one counterparty with the lists in force on ``on``."""
    screener, chosen = source.screener(on)
    notes = list(chosen.notes())
    if not chosen.snapshots:
        notes.append("no screening lists loaded: cannot be shown clear")
    return screen_counterparty(
        state,
        counterparty,
        on,
        screener,
        trigger=trigger,
        notes=notes,
        unscreenable=not chosen.snapshots,
    )


def fold_compliance(store: Store) -> ComplianceState:
    """The compliance state folded from the whole log."""
    state = ComplianceState()
    for stored in store.iter_events():
        if stored.event.type in COMPLIANCE_EVENTS:
            state.apply(stored.event)
    return state


def rescreen(
    state: ComplianceState,
    source: ScreenerSource,
    trigger: str,
    among: Sequence[str] | None = None,
    not_before: dt.date | None = None,
) -> list[Event]:
    """Re-screen counterparties (owners first); fold and return only changed outcomes."""
    out: list[Event] = []
    for cp in state.screening_order(among):
        record = state.counterparties[cp]
        day = max(record.registered_on, not_before or record.registered_on)
        events = screen_with(state, cp, day, source, trigger)
        if changed(state, events):
            for event in events:
                state.apply(event)
            out.extend(events)
    return out


@dataclass(frozen=True, slots=True)
class LoadReport:
    """Snapshots stored (or already there) and the re-screening they caused."""

    loaded: tuple[SnapshotInfo, ...]
    already: tuple[SnapshotInfo, ...]
    events: tuple[Event, ...]
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Stable JSON keys for ``urif lists load --json``."""
        return {
            "loaded": [snapshot_json(s) for s in self.loaded],
            "already_loaded": [snapshot_json(s) for s in self.already],
            "rescreened": [
                {"counterparty": e.counterparty, "decision": str(e.decision)}
                for e in self.events
                if isinstance(e, ScreeningCompleted)
            ],
            "cases_opened": [
                getattr(e, "case", None) for e in self.events if e.type == "case_opened"
            ],
            "warnings": list(self.warnings),
        }


def snapshot_json(info: SnapshotInfo) -> dict[str, Any]:
    """One snapshot as JSON."""
    return {
        "snapshot": info.snapshot_id,
        "list": info.list_id,
        "snapshot_date": info.snapshot_date.isoformat(),
        "dated_by": info.dated_by,
        "entities": info.entities,
        "checksum": info.checksum,
        "format": info.format,
        "files": list(info.files),
        "licence": info.licence,
        "loaded_on": info.loaded_on.isoformat(),
    }


def load_parsed(
    store: Store,
    parsed: Sequence[ParsedList],
    *,
    snapshot_date: dt.date | None,
    loaded_on: dt.date,
    recorded_by: str,
    recorded_at: dt.datetime,
) -> LoadReport:
    """Store parsed lists as snapshots, log them, and re-screen; one transaction."""
    loaded: list[SnapshotInfo] = []
    already: list[SnapshotInfo] = []
    warnings = [str(w) for p in parsed for w in p.warnings]
    state = fold_compliance(store)
    with store.writer() as writer:
        connection = writer.connection
        existing = {s.snapshot_id: s for s in lists_tables.snapshots(connection)}
        events: list[Event] = []
        for item in parsed:
            info = describe(item, snapshot_date, loaded_on)
            if info.snapshot_id in existing:
                already.append(existing[info.snapshot_id])
                continue
            clash = [
                s
                for s in existing.values()
                if s.list_id == info.list_id and s.snapshot_date == info.snapshot_date
            ]
            if clash:
                raise Conflict(
                    f"list {info.list_id}: a snapshot dated {info.snapshot_date} is already "
                    f"loaded with other content ({clash[0].snapshot_id}); give another "
                    "--snapshot-date"
                )
            lists_tables.insert_snapshot(connection, info, item)
            existing[info.snapshot_id] = info
            loaded.append(info)
            event = snapshot_event(
                f"lists/{info.snapshot_id}",
                loaded_on,
                snapshot=info.snapshot_id,
                list_id=info.list_id,
                snapshot_date=info.snapshot_date,
                checksum=info.checksum,
                entities=info.entities,
            )
            state.apply(event)
            events.append(event)
        if loaded:
            source = ScreenerSource(connection)
            trigger = f"lists/{loaded[0].snapshot_id}"
            earliest = min(s.snapshot_date for s in loaded)
            events.extend(rescreen(state, source, trigger, not_before=earliest))
        writer.append(events, recorded_by, recorded_at)
    return LoadReport(tuple(loaded), tuple(already), tuple(events), tuple(warnings))


def load_lists(
    url: str,
    paths: Sequence[Path],
    *,
    snapshot_date: dt.date | None,
    loaded_on: dt.date,
    recorded_by: str,
    recorded_at: dt.datetime,
) -> LoadReport:
    """``urif lists load``: parse all paths (all or nothing), then store and re-screen."""
    parsed = read_paths(paths)
    with Store.open(url) as store:
        return load_parsed(
            store,
            parsed,
            snapshot_date=snapshot_date,
            loaded_on=loaded_on,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        )


def list_snapshots(url: str, as_of: dt.date | None = None) -> tuple[SnapshotInfo, ...]:
    """``urif lists list``: every stored snapshot; with ``as_of``, those dated on or
    before it, as ``urif screen --as-of`` chooses among them (by snapshot date, not by
    the day they were loaded)."""
    with Store.open(url) as store, store.reader() as connection:
        found = lists_tables.snapshots(connection)
    return found if as_of is None else tuple(s for s in found if s.snapshot_date <= as_of)


def _find(snaps: Sequence[SnapshotInfo], ref: str) -> SnapshotInfo:
    found = [s for s in snaps if s.snapshot_id == ref] or [
        s for s in snaps if s.snapshot_id.startswith(ref)
    ]
    if len(found) != 1:
        known = ", ".join(s.snapshot_id for s in snaps) or "none loaded"
        what = "matches several" if found else "matches none"
        raise NotFound(f"snapshot {ref!r} {what} of the loaded snapshots ({known})")
    return found[0]


def _side(url: str | None, ref: str) -> tuple[str, tuple[ListRecord, ...]]:
    path = Path(ref)
    if path.exists():
        parsed = read_paths([path])
        if len(parsed) != 1:
            raise InvalidInput(f"{ref}: expected one list snapshot, got {len(parsed)}")
        return f"{parsed[0].list_id}:{ref}", parsed[0].records
    if url is None:
        raise NotFound(f"{ref}: not a file or folder, and no database given")
    with Store.open(url) as store, store.reader() as connection:
        info = _find(lists_tables.snapshots(connection), ref)
        return info.snapshot_id, lists_tables.records(connection, info.snapshot_id, info.list_id)


def diff_lists(url: str | None, old: str, new: str) -> ListDiff:
    """``urif lists diff OLD NEW``: snapshot ids (or unique prefixes) or list files/folders."""
    old_id, old_records = _side(url, old)
    new_id, new_records = _side(url, new)
    return diff_records(old_id, old_records, new_id, new_records)


def diff_json(diff: ListDiff) -> dict[str, Any]:
    """A diff as JSON (``added``, ``removed``, ``changed`` and their counts)."""
    return {
        "old": diff.old,
        "new": diff.new,
        "counts": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
        },
        "added": [{"entity_id": i, "name": n} for i, n in diff.added],
        "removed": [{"entity_id": i, "name": n} for i, n in diff.removed],
        "changed": [
            {"entity_id": c.entity_id, "name": c.caption, "properties": list(c.properties)}
            for c in diff.changed
        ],
    }


def case_json(case: Case) -> dict[str, Any]:
    """One case as JSON."""
    return {
        "case": case.case,
        "counterparty": case.counterparty,
        "list": case.list_id,
        "entity_id": case.entity_id,
        "score": str(case.score),
        "opened_on": case.opened_on.isoformat(),
        "status": "open" if case.is_open else "decided",
        "decision": case.decision,
        "reason": case.reason,
        "decided_by": case.decided_by,
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
    }


def list_cases(
    url: str, *, open_only: bool = False, as_of: dt.date | None = None
) -> tuple[Case, ...]:
    """``urif cases``: every case (or only open ones) from the log; with ``as_of``, the
    cases opened by then, as they stood then (a later decision not yet made)."""
    with Store.open(url) as store:
        state = fold_compliance(store)
    cases = state.all_cases()
    if as_of is not None:
        cases = tuple(case_on(c, as_of) for c in cases if c.opened_on <= as_of)
    return tuple(c for c in cases if c.is_open) if open_only else cases


def case_on(case: Case, day: dt.date) -> Case:
    """``case`` as it stood on ``day``: open if its decision came later."""
    if case.decided_on is None or case.decided_on <= day:
        return case
    return replace(case, decision=None, reason=None, decided_by=None, decided_on=None)


def decide_case(
    url: str,
    case: str,
    decision: str,
    reason: str,
    *,
    on: dt.date,
    decided_by: str,
    recorded_at: dt.datetime,
) -> tuple[Event, ...]:
    """``urif case decide``: append ``case_decided`` and re-screen what the party owns."""
    if not reason.strip():
        raise InvalidInput("--reason: a decision needs a reason, got nothing")
    with Store.open(url) as store:
        state = fold_compliance(store)
        found = state.cases.get(case)  # type: ignore[call-overload]
        if found is None:
            known = ", ".join(c.case for c in state.open_cases()) or "no open cases"
            raise NotFound(f"case {case!r} does not exist (open: {known})")
        event = decided(
            found, decision, reason, decided_by=decided_by, on=on, event_id=f"{case}/decided/{on}"
        )
        state.apply(event)
        events: list[Event] = [event]
        with store.writer() as writer:
            dependents = state.dependents(found.counterparty)
            if dependents:
                source = ScreenerSource(writer.connection)
                events.extend(rescreen(state, source, str(event.id), dependents, not_before=on))
            writer.append(events, decided_by, recorded_at)
    return tuple(events)


# --- fold step for FundState (wired by urif.actions.fund_state) ---------------------------


def compliance_step(
    source: Callable[[], ScreenerSource | None],
) -> Callable[[Any, Event, Any], tuple[None, tuple[Event, ...]]]:
    """A ``FundState`` step: fold compliance events into ``state.compliance``; on a new
    ``counterparty_registered``, when ``source()`` gives a ScreenerSource (ingest, not
    replay), screen it and the parties it owns."""

    def step(fund: Any, event: Event, terms: Any) -> tuple[None, tuple[Event, ...]]:
        del terms
        if fund.compliance is None:
            fund.compliance = ComplianceState()
        state: ComplianceState = fund.compliance
        if event.type not in COMPLIANCE_EVENTS:
            return None, ()
        state.apply(event)
        screener = source()
        if screener is None or not isinstance(event, CounterpartyRegistered):
            return None, ()
        probe = state.copy()
        emitted = list(screen_with(probe, event.counterparty, event.on, screener, str(event.id)))
        for item in emitted:
            probe.apply(item)
        emitted.extend(
            rescreen(probe, screener, str(event.id), state.dependents(event.counterparty), event.on)
        )
        return None, tuple(emitted)

    return step


# --- demo ----------------------------------------------------------------------------------

#: The shipped list extracts (package data; the EU ones are CC BY-NC: demo and tests only).
DATA_DIR = Path(__file__).resolve().parents[1] / "compliance" / "data"
DEMO_LIST_PATHS = (
    "ofac-sdn-2024-06-extract",
    "eu-reg-833-2014-annexes-extract.csv",
    "eu-reg-269-2014-annex-i-extract.csv",
    "policy-states-example.csv",
)
#: The demo dates its (undated) extracts to the day the fund became operational, before
#: any counterparty is registered, and records the load on that day.
DEMO_LISTS_ON = dt.date(2025, 12, 18)
#: Demo files of this area: the ownership chain, and a payment the gate must refuse.
CHAIN_FILE = "compliance-2026.jsonl"
PAYMENT_FILE = "compliance-payment-2026.jsonl"
#: The Dobra winner (registered by governance's demo file) and the chain's counterparty.
DOBRA_COUNTERPARTY = "dobra-lithium-holdings-jv"


@dataclass(frozen=True, slots=True)
class OwnershipChain:
    """One ownership path from a party screened non-clear on its own name down to a
    counterparty: names (top first), the shares between them, and the top party's hit."""

    parties: tuple[str, ...]
    shares: tuple[Decimal, ...]
    top_note: str

    @property
    def aggregate(self) -> Decimal:
        """The top party's indirect share: the product of the shares along the path."""
        out = Decimal(1)
        for share in self.shares:
            out *= share
        return out

    def text(self) -> str:
        """``A (its hit) -100%-> B -60%-> C, aggregate 60%``."""
        parts = [f"{self.parties[0]} ({self.top_note})"]
        for share, name in zip(self.shares, self.parties[1:], strict=True):
            parts.append(f"-{_percent(share)}-> {name}")
        return f"{' '.join(parts)}, aggregate {_percent(self.aggregate)}"


def _percent(share: Decimal) -> str:
    """A share as a percentage.

    >>> _percent(Decimal("0.60")), _percent(Decimal("0.125"))
    ('60%', '12.5%')
    """
    value = (share * 100).normalize()
    return f"{value:f}%"


def ownership_chains(
    state: ComplianceState, counterparty: str, on: dt.date
) -> tuple[OwnershipChain, ...]:
    """Every path up the registered owners of ``counterparty`` to a party that is not clear
    on ``on`` by its own screening (its owners are clear or it has none)."""
    from urif.compliance.state import CLEAR

    def name(cp: str) -> str:
        record = state.counterparties.get(cp)
        return record.name if record else cp

    def up(cp: str, seen: frozenset[str]) -> list[tuple[list[str], list[Decimal], str]]:
        record = state.counterparties.get(cp)
        found: list[tuple[list[str], list[Decimal], str]] = []
        for owner, share in record.owners if record else ():
            entry = state.status_on(owner, on)
            if entry is None or entry.status == CLEAR or owner in seen:
                continue
            higher = up(owner, seen | {owner})
            if not higher:
                higher = [([owner], [], entry.note.split("; ")[0])]
            for path, shares, note in higher:
                found.append(([*path, cp], [*shares, share], note))
        return found

    return tuple(
        OwnershipChain(tuple(name(cp) for cp in path), tuple(shares), note)
        for path, shares, note in up(counterparty, frozenset({counterparty}))
    )


def _why(note: str) -> str:
    """The first reason of a screening note, shortened for the demo's table.

    >>> _why("blocked hit eu-833 eu-833-iv-4 'JSC X' score 1.0: identifier 1 matches; more")
    "eu-833 eu-833-iv-4 'JSC X' score 1.0: identifier 1 matches"
    >>> _why("ownership: OFAC 50% rule applies to cp-1; aggregate 60%; path: ...")
    'owned through a blocked party (path below)'
    >>> _why("")
    'no hit'
    """
    first = note.split("; ", maxsplit=1)[0]
    if not first:
        return "no hit"
    if first.startswith("ownership:"):
        return "owned through a blocked party (path below)"
    return first.removeprefix("blocked hit ")


def _demo_load_lists(context: DemoContext) -> None:
    context.say("heading", "Sanctions and policy lists (the extracts shipped with urif)")
    with Store.open(context.url) as store:
        report = load_parsed(
            store,
            read_paths([DATA_DIR / name for name in DEMO_LIST_PATHS]),
            snapshot_date=DEMO_LISTS_ON,
            loaded_on=DEMO_LISTS_ON,
            recorded_by=context.recorded_by,
            recorded_at=context.recorded_at,
        )
    rows = [
        [s.list_id, s.snapshot_date.isoformat(), str(s.entities), s.licence]
        for s in (*report.loaded, *report.already)
    ]
    context.say("table", ("Snapshots loaded", ["list", "dated", "entities", "licence"], rows))
    context.say(
        "text",
        f"extracts from {DATA_DIR}, dated {DEMO_LISTS_ON} (the day the fund became "
        "operational) for the demo; every counterparty registered from now on is screened "
        "against them, and a payment reaches only a party that is clear on its value date",
    )


def _demo_screening(context: DemoContext) -> None:
    from urif.actions import record

    context.say("heading", "Screening: the Dobra winner, and an ownership chain to EU Annex IV")
    chain = context.examples / CHAIN_FILE
    if not chain.is_file():
        context.say("text", f"({CHAIN_FILE} not found in {context.examples}; skipped)")
        return
    report = record.ingest_files(context.url, [chain], context.recorded_by, context.recorded_at)
    report.raise_for_problems()
    context.ingested.append(chain)
    context.say("text", f"{CHAIN_FILE}: recorded {report.appended} events")
    with Store.open(context.url) as store:
        state = fold_compliance(store)
    rows: list[list[str]] = []
    chains: list[tuple[str, OwnershipChain]] = []
    for cp in state.screening_order():
        record_ = state.counterparties[cp]
        day = max((e.on for e in state.timeline.get(cp, ())), default=record_.registered_on)
        entry = state.status_on(cp, day)
        status, note = (entry.status, entry.note) if entry else ("not screened", "")
        rows.append([record_.name, status, day.isoformat(), _why(note)])
        chains.extend((cp, c) for c in ownership_chains(state, cp, day))
    context.say(
        "table",
        ("Counterparties screened", ["counterparty", "status", "on", "why"], rows),
    )
    for cp, path in chains:
        context.say("text", f"ownership path of {cp}: {path.text()}")
    context.say(
        "text",
        "the intermediary and the contractor are illustrative (invented); JSC Kalashnikov is "
        "a real company on EU Regulation 833/2014 Annex IV",
    )
    payment = context.examples / PAYMENT_FILE
    if not payment.is_file():
        context.say("text", f"({PAYMENT_FILE} not found in {context.examples}; skipped)")
        return
    paid = record.ingest_files(context.url, [payment], context.recorded_by, context.recorded_at)
    error = paid.error()
    if error is None:
        context.ingested.append(payment)
        context.say("text", f"{PAYMENT_FILE}: recorded, but the gate should have refused it")
        return
    context.say(
        "text",
        f"{PAYMENT_FILE}: refused as it must be (`urif ingest` exits {_exit_category(error)}, "
        "blocked or not permitted); nothing was recorded:",
    )
    for problem in paid.problems or (Problem("", str(error)),):
        context.say("text", f"  {_one_test(problem.message)}")


def _exit_category(error: Exception) -> int:
    """The exit category of a refusal (DESIGN.md §5: 4 blocked or not permitted)."""
    return 4 if isinstance(error, NotPermitted) else 1


def _one_test(message: str) -> str:
    """A refusal message up to its EU test, which repeats the OFAC test's path for the same
    payee (``urif ingest`` prints both)."""
    payee = message.split("payment to ", 1)[-1].split(" ", 1)[0]
    marker = f"; ownership: EU 50%-or-control applies to {payee};"
    head, found, _ = message.partition(marker)
    return f"{head} (the EU 50%-or-control test gives the same path)" if found else message


def demo_steps() -> tuple[DemoStep, ...]:
    """This area's steps of ``urif demo``: load the lists before governance's payments
    (so the Dobra winner is screened clear), then the chain, its paths and a refusal."""
    return (
        DemoStep("sanctions lists", _demo_load_lists, after="ingest examples"),
        DemoStep("screening", _demo_screening, after="governance"),
    )
