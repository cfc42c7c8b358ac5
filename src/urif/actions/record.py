"""Recording events: ``urif ingest`` and ``POST /api/events`` (team/BOOKS.md, DESIGN.md §3).

Owns ``record_events`` (the one use case that appends to the log), ``ingest_files`` (open
the store, read the files, record) and ``IngestReport``.  One call is one transaction and
all or nothing: every malformed line, conflicting duplicate and business-rule refusal of
every file is collected and reported together, and a single one of them means nothing is
appended.  Duplicates (same id, same canonical bytes) are reported and skipped; a call
whose events are all duplicates never loads the fund state.

Exit category of a rejected call (DESIGN.md §5): ``InvalidInput`` (1) when any line is
malformed, else ``Conflict`` (3) when any id clashes, else the refusal (``Blocked`` /
``NotPermitted``: 4).  An ``IntegrityError`` from an engine (a bug or a damaged log) wins
over all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from urif.actions.fund_state import (
    FundState,
    StateCache,
    gc_paused,
    load_state,
    write_read_models,
)
from urif.core.errors import (
    Blocked,
    Conflict,
    IntegrityError,
    InvalidInput,
    NotFound,
    NotPermitted,
    Problem,
    UrifError,
)
from urif.core.ids import EventId
from urif.events import (
    ParsedFile,
    canonical_bytes,
    describe_differences,
    event_from_json,
    parse_lines,
    read_file,
)
from urif.events.model import (
    EVENT_TYPES,
    Contribution,
    Correction,
    Event,
    LicenceIssued,
    TermsAmended,
)
from urif.events.reader import KnownLookup
from urif.governance import GOVERNANCE_TYPES
from urif.ledger.booking import LEDGER_EVENT_TYPES, LicenceNotRecorded
from urif.ledger.entries import Booking
from urif.ledger.state import PARTNER_SIDES
from urif.rules.contribution import check_delivered_by, check_in_kind_partner
from urif.store import Store, Writer
from urif.terms import load_termset

#: ``progress(stage, done)``: stage is "read", "check", "append"; done counts events.
Progress = Callable[[str, int], None]

#: Most severe category first: the one a rejected call reports (and exits with).
_SEVERITY: tuple[type[UrifError], ...] = (
    IntegrityError,
    InvalidInput,
    NotFound,
    Conflict,
    Blocked,
    NotPermitted,
)
#: Report progress every this many events.
_PROGRESS_STEP = 5_000


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An event already recorded with the same canonical bytes (or repeated in the call)."""

    where: str
    id: str
    seq: int | None  # None: repeated within the same call, recorded once


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one call did: appended, duplicate and rejected events, and every problem."""

    files: tuple[str, ...]
    read: int
    appended: int
    system_appended: int
    duplicates: tuple[Duplicate, ...]
    problems: tuple[Problem, ...]
    category: type[UrifError] | None
    head_seq: int | None = None
    head_hash: str | None = None
    rejected_lines: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing was rejected (all new events were appended)."""
        return self.category is None

    @property
    def rejected(self) -> int:
        """Number of lines (or items) with at least one problem."""
        return self.rejected_lines

    def error(self) -> UrifError | None:
        """The error to raise for a rejected call (its category sets the exit code)."""
        if self.category is None:
            return None
        files = ", ".join(self.files)
        message = (
            f"{files}: {self.rejected} line(s) rejected; nothing was recorded "
            f"({len(self.duplicates)} duplicate(s) would have been skipped)"
        )
        return self.category(message, self.problems)

    def raise_for_problems(self) -> None:
        """Raise the error of a rejected call; return when all was recorded."""
        error = self.error()
        if error is not None:
            raise error

    def summary(self) -> dict[str, Any]:
        """The report as JSON-ready data (for ``urif ingest --json`` and the API)."""
        return {
            "files": list(self.files),
            "read": self.read,
            "appended": self.appended,
            "system_appended": self.system_appended,
            "duplicates": len(self.duplicates),
            "rejected": self.rejected,
            "ok": self.ok,
            "error": None if self.category is None else self.category.__name__,
            "problems": [{"where": p.where, "message": p.message} for p in self.problems],
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
        }


@dataclass(slots=True)
class _Collector:
    problems: list[Problem] = field(default_factory=list)
    categories: set[type[UrifError]] = field(default_factory=set)
    bad_lines: set[str] = field(default_factory=set)

    def add(self, where: str, message: str, category: type[UrifError]) -> None:
        self.problems.append(Problem(where, message))
        self.categories.add(category)
        self.bad_lines.add(where)

    def add_error(self, where: str, error: UrifError) -> None:
        category = _public_category(type(error))
        if error.problems:
            for problem in error.problems:
                self.add(problem.where or where, problem.message, category)
        else:
            message = error.message
            self.add(where, message, category)

    def category(self) -> type[UrifError] | None:
        for candidate in _SEVERITY:
            if any(issubclass(c, candidate) for c in self.categories):
                # the most specific class actually seen within this severity
                seen = [c for c in self.categories if issubclass(c, candidate)]
                return seen[0] if len(seen) == 1 else candidate
        return next(iter(self.categories)) if self.categories else None


def _public_category(category: type[UrifError]) -> type[UrifError]:
    """The category a report names for an error class (``LicenceNotRecorded``: NotPermitted).

    Engines raise specific subclasses; the report's ``error`` key keeps the stable names.
    """
    for public in _PUBLIC:
        if issubclass(category, public):
            return public
    return category


#: The categories a report names, most specific first (``Blocked`` is a ``NotPermitted``).
_PUBLIC: tuple[type[UrifError], ...] = (
    Blocked,
    NotPermitted,
    Conflict,
    NotFound,
    InvalidInput,
    IntegrityError,
)


class _Lookups:
    """Stored ids already looked up in this transaction (by the reader's duplicate check)."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.asked: set[str] = set()
        self.found: dict[EventId, tuple[int, bytes]] = {}

    def known(self, ids: list[str]) -> dict[str, bytes]:
        """The reader's ``KnownLookup``: stored canonical bytes of ``ids``, remembered."""
        found = self.writer.existing_canonical(ids)
        self.asked.update(ids)
        self.found.update(found)
        return {k: v[1] for k, v in found.items()}

    def stored_among(self, ids: Sequence[str], writer: Writer) -> dict[EventId, tuple[int, bytes]]:
        """``writer.existing_canonical(ids)``, asking the database only about new ids."""
        asked, found = self.asked, self.found
        out = {EventId(i): found[EventId(i)] for i in ids if i in found}
        missing = [i for i in ids if i not in asked]
        if missing:
            out.update(writer.existing_canonical(missing))
        return out


def _where(path: str, number: int) -> str:
    return f"line {number} of {path}"


def record_events(
    store: Store,
    files: Sequence[ParsedFile],
    recorded_by: str,
    recorded_at: dt.datetime,
    *,
    cache: StateCache | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Append the events of ``files`` in one transaction, all or nothing (team/BOOKS.md).

    With a ``cache``, its lock is held while the kept state is folded in place, so readers
    of the same cache (the dashboard) never see it half done.  It is taken once the
    database's append lock is held: readers do not wait while another process writes.
    """
    with gc_paused(), store.writer() as writer, _holding(cache):
        return _record(writer, store, files, recorded_by, recorded_at, cache, progress)


def _holding(cache: StateCache | None) -> AbstractContextManager[object]:
    """The cache's lock, or nothing to hold without a cache."""
    return cache.lock if cache is not None else nullcontext()


def _items(files: Sequence[ParsedFile]) -> list[tuple[str, Event, bytes]]:
    items: list[tuple[str, Event, bytes]] = []
    for parsed in files:
        canonicals: Sequence[bytes] = parsed.canonicals
        if len(canonicals) != len(parsed.events):
            canonicals = [canonical_bytes(event) for _, event in parsed.events]
        items.extend(
            (_where(parsed.path, number), event, canonical)
            for (number, event), canonical in zip(parsed.events, canonicals, strict=True)
        )
    return items


def _record(
    writer: Writer,
    store: Store,
    files: Sequence[ParsedFile],
    recorded_by: str,
    recorded_at: dt.datetime,
    cache: StateCache | None,
    progress: Progress | None,
    looked_up: _Lookups | None = None,
) -> IngestReport:
    names = tuple(f.path for f in files)
    found = _Collector()
    duplicates: list[Duplicate] = []
    for parsed in files:
        for problem in parsed.problems:
            found.add(problem.where, problem.message, InvalidInput)
        duplicates.extend(
            Duplicate(_where(parsed.path, number), event_id, None)
            for number, event_id in parsed.duplicates
        )
    items = _items(files)
    if progress is not None:
        progress("read", len(items))
    read = len(items) + len(duplicates)
    ids = [event.id for _, event, _ in items]
    if looked_up is None:
        existing = writer.existing_canonical(ids)
    else:
        existing = looked_up.stored_among(ids, writer)
    fresh: list[tuple[str, Event, bytes]] = []
    in_call: dict[str, tuple[str, Event, bytes]] = {}
    for where, event, canonical in items:
        stored = existing.get(event.id)
        if stored is not None:
            seq, stored_bytes = stored
            if stored_bytes == canonical:
                duplicates.append(Duplicate(where, event.id, seq))
            else:
                fields = describe_differences(_decode(stored_bytes), event)
                found.add(
                    where,
                    f"event {event.id} conflicts with the one recorded at seq {seq}: "
                    f"same id, different {fields}",
                    Conflict,
                )
            continue
        earlier = in_call.get(event.id)
        if earlier is not None:
            if earlier[2] == canonical:
                duplicates.append(Duplicate(where, event.id, None))
            else:
                fields = describe_differences(earlier[1], event, ("that line", "this line"))
                found.add(
                    where,
                    f"event {event.id} conflicts with {earlier[0]}: same id, different {fields}",
                    Conflict,
                )
            continue
        in_call[event.id] = (where, event, canonical)
        fresh.append((where, event, canonical))
    head_seq, head_hash = writer.head()
    if not fresh:
        return _report(
            names,
            read=read,
            appended=0,
            system=0,
            duplicates=duplicates,
            found=found,
            head=(head_seq, head_hash),
        )
    state = load_state(store, writer, cache)
    state.screener_source = _screener_for(writer)
    targets = _CorrectionTargets.of(fresh, writer)
    try:
        folded = _fold_all(state, fresh, found, progress, targets)
    finally:
        state.screener_source = None
    if folded is None:
        return _report(
            names,
            read=read,
            appended=0,
            system=0,
            duplicates=duplicates,
            found=found,
            head=(head_seq, head_hash),
        )
    to_append, canonicals, bookings = folded
    if progress is not None:
        progress("append", len(fresh))
    head_seq, head_hash = writer.append_batch(to_append, recorded_by, recorded_at, canonicals)
    write_read_models(writer.connection, bookings)
    state.head_seq, state.head_hash = head_seq, head_hash
    if cache is not None:
        cache.keep(store, state)
    system = len(to_append) - len(fresh)
    return _report(
        names,
        read=read,
        appended=len(fresh),
        system=system,
        duplicates=duplicates,
        found=found,
        head=(head_seq, head_hash),
    )


def _screener_for(writer: Writer) -> Callable[[], Any]:
    """A lazy ``ScreenerSource`` on the writer's connection (built when first needed)."""
    built: list[Any] = []

    def source() -> Any:
        if not built:
            from urif.actions.compliance import ScreenerSource

            built.append(ScreenerSource(writer.connection))
        return built[0]

    return source


def _decode(canonical: bytes) -> Event:
    return event_from_json(orjson.loads(canonical))


def _fold_all(
    state: FundState,
    fresh: Sequence[tuple[str, Event, bytes]],
    found: _Collector,
    progress: Progress | None,
    targets: _CorrectionTargets | None = None,
) -> tuple[list[Event], list[bytes], list[Booking | None]] | None:
    """Fold the new events in order; None (and the state as it was) when any is refused."""
    to_append: list[Event] = []
    canonicals: list[bytes] = []
    bookings: list[Booking | None] = []
    checkpoint = state.checkpoint()
    later = _LaterLicences(fresh)
    try:
        for index, (where, event, canonical) in enumerate(fresh):
            refusal = _refusal(event, targets) if event.type in _REFUSED_AT_INGEST else None
            if refusal is not None:
                found.add_error(where, refusal)
                continue
            mark = state.mark()
            try:
                folded = state.fold(event)
            except LicenceNotRecorded as error:
                state.rollback(mark)
                found.add_error(where, later.explain(error, index))
                continue
            except UrifError as error:
                state.rollback(mark)
                found.add_error(where, error)
                continue
            to_append.append(event)
            canonicals.append(canonical)
            bookings.append(folded.booking)
            for emitted, booking in folded.emitted:
                to_append.append(emitted)
                canonicals.append(canonical_bytes(emitted))
                bookings.append(booking)
            if targets is not None:
                targets.folded(event, folded.emitted)
            if progress is not None and index % _PROGRESS_STEP == 0:
                progress("check", index)
    except BaseException:
        state.restore(checkpoint)
        raise
    if found.problems:
        state.restore(checkpoint)
        return None
    state.commit(checkpoint)
    return to_append, canonicals, bookings


#: Event types whose correction some engine acts on: the ledger reverses and re-books its
#: own; governance refuses its records with its own message (vote_changed and so on).
_CORRECTABLE = (LEDGER_EVENT_TYPES - {"correction"}) | GOVERNANCE_TYPES


class _CorrectionTargets:
    """The events the corrections of one call name: stored, or on an earlier line.

    A correction must name an event recorded before it (a reference the rule needs, as
    an investment's proposal), never a system event (DESIGN.md §3), and its replacement
    must be of the corrected event's type.  These are refusals (exit 4): the line is
    well formed, its relation to the log is what fails.  Checked here, where the log
    is at hand, and not on replay, so logs recorded before the check still replay.
    """

    def __init__(self, wanted: set[str], stored: dict[str, str]) -> None:
        self.wanted = wanted
        self.types = stored  # event id -> type, for the ids some correction names

    @classmethod
    def of(
        cls, fresh: Sequence[tuple[str, Event, bytes]], writer: Writer
    ) -> _CorrectionTargets | None:
        """Look up the stored targets of the call's corrections (None: no correction)."""
        wanted = {str(event.corrects) for _, event, _ in fresh if isinstance(event, Correction)}
        if not wanted:
            return None
        stored = {
            str(event_id): _stored_type(canonical)
            for event_id, (_, canonical) in writer.existing_canonical(wanted).items()
        }
        return cls(wanted, stored)

    def folded(self, event: Event, emitted: Sequence[tuple[Event, Booking | None]]) -> None:
        """Note an event of the call (and what it emitted) that later lines may correct."""
        for made in (event, *(e for e, _ in emitted)):
            if made.id in self.wanted:
                self.types.setdefault(made.id, made.type)

    def refusal(self, event: Correction) -> NotPermitted | None:
        """Why ``event`` may not correct what it names, or None."""
        prefix = f"correction {event.id}: "
        kind = self.types.get(event.corrects)
        if not kind:
            return NotPermitted(
                f"{prefix}corrects: no event {event.corrects!r} is recorded before this "
                "line; a correction names an event already in the log or on an earlier line"
            )
        cls = EVENT_TYPES.get(kind)
        if cls is None or cls.system:
            return NotPermitted(
                f"{prefix}corrects: {event.corrects} is a {kind} event, which urif writes "
                "itself; system events are never corrected through a file"
            )
        if kind not in _CORRECTABLE:
            return NotPermitted(
                f"{prefix}corrects: {kind} {event.corrects} has no bookings or approvals "
                f"for a correction to reverse; record a new {kind} instead"
            )
        replacement = event.replacement
        if replacement is not None and replacement.type != kind:
            return NotPermitted(
                f"{prefix}replacement: expected a {kind} (the type of {event.corrects}, "
                f"the event corrected), got a {replacement.type}; to record a "
                f"{replacement.type} instead, correct {event.corrects} without a "
                f"replacement and record the {replacement.type} as an event of its own"
            )
        return None


#: The event types ``_refusal`` looks at (every other type passes it unchecked): the
#: classes its ``isinstance`` checks name.
_REFUSAL_CLASSES = (Correction, TermsAmended, Contribution)
_REFUSED_AT_INGEST = frozenset(cls.type for cls in _REFUSAL_CLASSES)


def _refusal(event: Event, targets: _CorrectionTargets | None) -> UrifError | None:
    """Why the log refuses ``event`` before any engine sees it (checked at ingest only)."""
    if isinstance(event, Correction):
        return targets.refusal(event) if targets is not None else None
    if isinstance(event, TermsAmended):
        return _amendment_refusal(event)
    if isinstance(event, Contribution) and str(event.kind) == "in_kind":
        return _in_kind_refusal(event)
    return None


def _in_kind_refusal(event: Contribution) -> UrifError | None:
    """Why in-kind credit may not be booked for ``event``'s partner or date, or None.

    Only the US side's partner contributes in kind (new US military assistance), and
    credit cannot precede delivery. Checked at ingest (not on replay), so logs recorded
    before these checks still replay and verify.
    """
    side = PARTNER_SIDES.get(event.partner)
    try:
        check_in_kind_partner(event.partner, side.value if side is not None else None)
        if event.delivered_on is not None:
            check_delivered_by(event.delivered_on, event.on)
    except NotPermitted as error:
        return NotPermitted(f"contribution {event.id}: {error.message}")
    return None


def _amendment_refusal(event: TermsAmended) -> UrifError | None:
    """Why ``event`` may not switch the terms from its ``effective_from``, or None.

    An amendment switches the term set "from a date, for events after it" (DESIGN.md §3):
    an earlier date would rule events already booked by terms not in force when they
    were booked, and the same facts would book differently by the order they came in.
    Checked at ingest (not on replay), so logs recorded before the check still replay.
    """
    try:
        termset = load_termset(event.terms_version)
    except NotFound as error:
        return error
    where = f"terms_amended {event.id}: effective_from {event.effective_from}"
    if event.effective_from < event.on:
        return NotPermitted(
            f"{where} is before the amendment's own value date {event.on}; an amendment "
            f"switches the terms from its value date on, never back: use an "
            f"effective_from on or after {event.on}"
        )
    if event.effective_from < termset.effective_from:
        return NotPermitted(
            f"{where} is before {event.terms_version}'s first date "
            f"{termset.effective_from}; use an effective_from on or after it"
        )
    return None


def _stored_type(canonical: bytes) -> str:
    """The ``type`` of a stored event's canonical bytes ("" when unreadable)."""
    try:
        obj = orjson.loads(canonical)
    except orjson.JSONDecodeError:
        return ""
    kind = obj.get("type") if isinstance(obj, dict) else None
    return kind if isinstance(kind, str) else ""


class _LaterLicences:
    """The ``licence_issued`` events of one call by licence, indexed on the first refusal."""

    def __init__(self, fresh: Sequence[tuple[str, Event, bytes]]) -> None:
        self.fresh = fresh
        self.by_licence: dict[str, list[tuple[int, str, dt.date]]] | None = None

    def explain(self, error: LicenceNotRecorded, index: int) -> UrifError:
        """``error``, or a clearer refusal when a later line of the call issues the licence.

        The receipt's date is right there: only the order of the lines is wrong.
        """
        if self.by_licence is None:
            self.by_licence = {}
            for position, (where, event, _) in enumerate(self.fresh):
                if isinstance(event, LicenceIssued):
                    self.by_licence.setdefault(event.licence, []).append(
                        (position, where, event.on)
                    )
        for position, where, issued_on in self.by_licence.get(error.licence, ()):
            if position > index and (error.on is None or issued_on <= error.on):
                named = error.message.partition("licence: ")[0]  # "state_receipt r-1: "
                return NotPermitted(
                    f"{named}licence: {error.licence!r} is issued by {where} "
                    f"(dated {issued_on}), "
                    "which comes after this receipt; lines apply in file order, so the "
                    "licence must be recorded before the receipt in the file or the log: "
                    "move its licence_issued above this line"
                )
        return error


def _report(
    names: tuple[str, ...],
    *,
    read: int,
    appended: int,
    system: int,
    duplicates: list[Duplicate],
    found: _Collector,
    head: tuple[int | None, str | None],
) -> IngestReport:
    return IngestReport(
        files=names,
        read=read,
        appended=appended,
        system_appended=system,
        duplicates=tuple(duplicates),
        problems=tuple(found.problems),
        category=found.category(),
        head_seq=head[0],
        head_hash=head[1],
        rejected_lines=len(found.bad_lines),
    )


def count_lines(path: Path) -> int:
    """Number of lines in a file (for the progress bar); 0 when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return 0


def read_files(paths: Sequence[Path], known: KnownLookup | None = None) -> tuple[ParsedFile, ...]:
    """Parse every file; ``known`` lets JSON Lines skip re-validating stored duplicates."""
    parsed: list[ParsedFile] = []
    for path in paths:
        if not path.is_file():
            raise NotFound(f"event file {path}: no such file")
        if known is None or path.suffix.lower() == ".csv":
            parsed.append(read_file(path))
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InvalidInput(
                f"{path}: cannot read the file ({error.strerror or error})"
            ) from None
        data = data.removeprefix(b"\xef\xbb\xbf")
        parsed.append(parse_lines(data.split(b"\n"), str(path), known=known))
    return tuple(parsed)


def ingest_files(
    url: str,
    paths: Sequence[Path],
    recorded_by: str,
    recorded_at: dt.datetime,
    *,
    cache: StateCache | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Open the store at ``url``, read ``paths`` and record them in one transaction.

    The files are parsed inside the append transaction, so lines byte-identical to stored
    events are recognised as duplicates without being validated again.
    """
    for path in paths:
        if not path.is_file():
            raise NotFound(f"event file {path}: no such file")
    with Store.open(url) as store, gc_paused(), store.writer() as writer, _holding(cache):
        lookups = _Lookups(writer)
        # The parsed files are not kept past ``_record``: they are freed (by reference
        # counting) before the collector is switched back on, which would otherwise walk
        # every one of their objects once.
        return _record(
            writer,
            store,
            read_files(paths, lookups.known),
            recorded_by,
            recorded_at,
            cache,
            progress,
            lookups,
        )


__all__ = [
    "Duplicate",
    "FundState",
    "IngestReport",
    "Progress",
    "count_lines",
    "ingest_files",
    "read_files",
    "record_events",
]
