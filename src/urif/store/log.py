"""The append-only, hash-chained event log: ``Store``, its serialised ``Writer``, verification.

Owns opening a database (``Store.open``), creating or migrating it with the fund's initial
term set (``Store.init``), serialised appends (``Store.writer``: SQLite ``BEGIN IMMEDIATE``,
PostgreSQL ``pg_advisory_xact_lock``), the idempotency lookup (``Writer.existing``), the
gap-free ``seq`` and the ``prev_hash``/``hash`` chain, streaming the log
(``Store.iter_events``) and recomputing the chain from the stored canonical bytes
(``Store.verify_chain``).  Triggers created by migration ``0001_event_log`` refuse UPDATE
and DELETE on ``events`` in the database itself.

The hot paths (append, lookup, verify) use driver-level SQL with positional parameters and
``executemany``; the table definitions live in ``urif.store.schema``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson
from sqlalchemy import Connection, Engine, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.exc import IntegrityError as SqlIntegrityError

from urif.core.errors import (
    Conflict,
    IntegrityError,
    InvalidInput,
    NotFound,
    Problem,
    Unavailable,
    UrifError,
)
from urif.core.ids import EventId
from urif.events import GENESIS_HASH, Event, canonical_bytes, event_from_json
from urif.store.database import (
    IMMEDIATE,
    backend_of,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from urif.store.schema import fund_settings

#: The term set a new database uses unless ``init`` names another (DESIGN.md §3).
DEFAULT_TERMS_VERSION: Final = "signed-2025-04-30"
#: Key of the PostgreSQL advisory lock that serialises appends ("urif" in ASCII).
APPEND_LOCK_KEY: Final = 0x75726966
_LOOKUP_CHUNK: Final = 500
#: PostgreSQL takes the ids as one array parameter (``= ANY(%s)``): larger chunks, fewer trips.
_PG_LOOKUP_CHUNK: Final = 10_000
_COLUMNS: Final = "seq, id, type, value_date, canonical, prev_hash, hash, recorded_at, recorded_by"


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as recorded: its place in the log, canonical bytes and hash link."""

    seq: int
    event: Event
    canonical: bytes
    prev_hash: str
    hash: str
    recorded_at: dt.datetime
    recorded_by: str


def shown_url(url: str) -> str:
    """``url`` as messages show it: a password in it is masked.

    >>> shown_url("postgresql+psycopg://fund:s3cret@db.example/urif")
    'postgresql+psycopg://fund:***@db.example/urif'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _not_initialised(url: str) -> NotFound:
    return NotFound(
        f"database {shown_url(url)}: not initialised (no event log); run `urif init` first"
    )


class UnreadableEvent(IntegrityError):
    """A stored row whose canonical column does not decode to an event (changed outside urif)."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__(f"seq {seq}: {message}")
        self.seq = seq
        self.reason = message


def _stored_bytes(value: object) -> bytes | None:
    """The canonical column as bytes (BLOB/BYTEA), or None when it holds anything else."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return None


def _decoded(seq: int, canonical: object) -> Event:
    """The event of one stored row, or ``UnreadableEvent`` naming its ``seq``."""
    try:
        if not isinstance(canonical, (bytes, bytearray, memoryview, str)):
            raise ValueError(f"a value of type {type(canonical).__name__}, not bytes")
        return event_from_json(orjson.loads(canonical))
    except (ValueError, UrifError) as error:  # orjson's JSONDecodeError is a ValueError
        if isinstance(error, UrifError):
            reason = "; ".join(p.message for p in error.problems[:3]) or error.message
        else:
            reason = str(error)
        raise UnreadableEvent(
            seq,
            f"the stored canonical bytes are not an event ({reason}); the log was "
            "changed outside urif",
        ) from None


def _stored(row: Sequence[Any]) -> StoredEvent:
    """Build a StoredEvent from a row of ``_COLUMNS``."""
    seq = int(row[0])
    canonical = _stored_bytes(row[4])
    if canonical is None:
        raise UnreadableEvent(seq, f"the canonical column holds {_kind(row[4])}, not bytes")
    return StoredEvent(
        seq=seq,
        event=_decoded(seq, canonical),
        canonical=canonical,
        prev_hash=row[5],
        hash=row[6],
        recorded_at=dt.datetime.fromisoformat(row[7]),
        recorded_by=row[8],
    )


class Writer:
    """The one open append transaction: look up ids, append events, write read models.

    Obtained only from ``Store.writer()``, which holds the append lock until it exits.
    """

    def __init__(self, connection: Connection, backend: str) -> None:
        self.connection = connection
        self.backend = backend
        self._param = "?" if backend == "sqlite" else "%s"
        row = connection.exec_driver_sql(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
        ).first()
        self._head: tuple[int, str] = (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)

    def head(self) -> tuple[int, str]:
        """The last ``seq`` and its hash (``(0, GENESIS_HASH)`` for an empty log)."""
        return self._head

    def _lookup(self, columns: str, ids: Iterable[str]) -> Iterator[Sequence[Any]]:
        unique = list(dict.fromkeys(ids))
        size = _LOOKUP_CHUNK if self.backend == "sqlite" else _PG_LOOKUP_CHUNK
        for start in range(0, len(unique), size):
            chunk = unique[start : start + size]
            if self.backend == "postgresql":
                sql = f"SELECT {columns} FROM events WHERE id = ANY(%s)"
                result = self.connection.exec_driver_sql(sql, (chunk,))
            else:
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT {columns} FROM events WHERE id IN ({marks})"
                result = self.connection.exec_driver_sql(sql, tuple(chunk))
            yield from result

    def existing(self, ids: Iterable[str]) -> dict[EventId, StoredEvent]:
        """The stored events among ``ids`` (decoded), keyed by id."""
        return {EventId(row[1]): _stored(row) for row in self._lookup(_COLUMNS, ids)}

    def existing_canonical(self, ids: Iterable[str]) -> dict[EventId, tuple[int, bytes]]:
        """Fast idempotency lookup: ``id → (seq, canonical bytes)`` for the stored ids."""
        return {
            EventId(row[0]): (int(row[1]), bytes(row[2]))
            for row in self._lookup("id, seq, canonical", ids)
        }

    def append(
        self,
        events: Sequence[Event],
        recorded_by: str,
        recorded_at: dt.datetime,
        canonicals: Sequence[bytes] | None = None,
    ) -> tuple[StoredEvent, ...]:
        """Append ``events`` in order: assign ``seq``, chain hashes, insert them in one batch.

        ``canonicals`` may pass the events' canonical bytes when the caller already has them
        (they must be ``canonical_bytes(event)``).  An id that is already stored is a
        ``Conflict`` (callers filter duplicates with ``existing`` first).
        """
        rows = self._append_rows(events, recorded_by, recorded_at, canonicals)
        return tuple(
            StoredEvent(row[0], event, row[4], row[5], row[6], recorded_at, recorded_by)
            for row, event in zip(rows, events, strict=True)
        )

    def append_batch(
        self,
        events: Sequence[Event],
        recorded_by: str,
        recorded_at: dt.datetime,
        canonicals: Sequence[bytes] | None = None,
    ) -> tuple[int, str]:
        """``append`` for large batches: the same rows, returning only the new head."""
        self._append_rows(events, recorded_by, recorded_at, canonicals)
        return self._head

    def _append_rows(
        self,
        events: Sequence[Event],
        recorded_by: str,
        recorded_at: dt.datetime,
        canonicals: Sequence[bytes] | None,
    ) -> list[tuple[Any, ...]]:
        """Chain and insert ``events``; the inserted rows (``_COLUMNS`` order)."""
        if not events:
            return []
        if canonicals is None:
            canonicals = [canonical_bytes(e) for e in events]
        elif len(canonicals) != len(events):
            raise InvalidInput(
                f"append: expected {len(events)} canonical byte strings, got {len(canonicals)}"
            )
        if not recorded_by:
            raise InvalidInput("append: recorded_by: expected who records, got nothing")
        stamp = recorded_at.isoformat()
        seq, prev_hex = self._head
        prev = bytes.fromhex(prev_hex)
        sha256 = hashlib.sha256
        rows: list[tuple[Any, ...]] = []
        append_row = rows.append
        days: dict[dt.date, str] = {}
        for event, canonical in zip(events, canonicals, strict=True):
            seq += 1
            digest = sha256(prev + canonical).digest()
            hex_digest = digest.hex()
            on = event.on
            day = days.get(on)
            if day is None:
                day = days[on] = on.isoformat()
            append_row(
                (
                    seq,
                    event.id,
                    event.type,
                    day,
                    canonical,
                    prev_hex,
                    hex_digest,
                    stamp,
                    recorded_by,
                )
            )
            prev, prev_hex = digest, hex_digest
        self._insert(rows)
        self._head = (seq, prev_hex)
        return rows

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join([self._param] * 9)
        sql = f"INSERT INTO events ({_COLUMNS}) VALUES ({marks})"
        try:
            if self.backend == "postgresql":
                self._copy(rows)
            else:
                self.connection.exec_driver_sql(sql, rows)
        except SqlIntegrityError as error:
            ids = [row[1] for row in rows]
            already = sorted(self.existing_canonical(ids)) if self.backend == "sqlite" else []
            detail = f": already stored: {', '.join(already[:10])}" if already else ""
            raise Conflict(
                f"append: an event id is already in the log or repeated in the batch{detail}"
            ) from error

    def _copy(self, rows: list[tuple[Any, ...]]) -> None:
        """PostgreSQL: stream the rows with COPY (much faster than INSERT for batches)."""
        import psycopg

        raw = self.connection.connection.driver_connection
        assert raw is not None
        try:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY events ({_COLUMNS}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        except psycopg.errors.UniqueViolation as error:
            detail = error.diag.message_detail or "an id is already stored"
            raise Conflict(
                f"append: an event id is already in the log or repeated in the batch: {detail}"
            ) from error


class Store:
    """A urif database: the event log, fund settings and (via other modules) read models."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.backend = backend_of(url)

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to the database at ``url`` (nothing is created until ``init``)."""
        return cls(url, make_engine(url))

    @classmethod
    @contextmanager
    def using(cls, target: str | Store) -> Iterator[Store]:
        """``target`` itself when it is an open Store (left open), else one opened for the block.

        Long-lived callers (the API) keep one Store and its connection pool; one-shot callers
        (the CLI) pass a URL.
        """
        if isinstance(target, Store):
            yield target
            return
        store = cls.open(target)
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        """Use as a context manager that closes the store."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
        self.close()

    # --- schema ------------------------------------------------------------------------

    def init(self, terms_version: str | None = None) -> str:
        """Create or migrate the database and record the fund's initial term set.

        Idempotent.  ``terms_version`` None keeps the recorded one (or uses
        ``DEFAULT_TERMS_VERSION`` on a new database); naming another version than the one
        recorded is a ``Conflict`` (term changes are ``terms_amended`` events).  Returns the
        term set in force at genesis.
        """
        with self._locked() as connection:
            upgrade(connection)
            recorded = connection.execute(
                select(fund_settings.c.value).where(fund_settings.c.key == "terms_version")
            ).scalar_one_or_none()
            if recorded is None:
                version = terms_version or DEFAULT_TERMS_VERSION
                connection.execute(
                    fund_settings.insert(), [{"key": "terms_version", "value": version}]
                )
                return version
            if terms_version is not None and terms_version != recorded:
                raise Conflict(
                    f"database {shown_url(self.url)}: initialised with terms {recorded}, got --terms "
                    f"{terms_version}; amend terms with a terms_amended event instead"
                )
            return str(recorded)

    def migrate(self) -> tuple[str, str]:
        """Bring an initialised database to this code's schema: ``(revision before, after)``.

        Unlike ``init`` it never creates one: a database that was never initialised is
        ``NotFound`` (run ``urif init``).
        """
        current, head = self.revision()
        if current is None:
            raise _not_initialised(self.url)
        if head is None:  # pragma: no cover - the package always ships its migrations
            raise IntegrityError("no database migrations found in the package")
        if current != head:
            self.init()
        return current, head

    def revision(self) -> tuple[str | None, str | None]:
        """``(current, head)`` Alembic revisions: the database's and this code's newest."""
        with self._connect() as connection:
            return current_revision(connection), head_revision()

    def settings(self) -> dict[str, str]:
        """All fund settings (``terms_version``, ...)."""
        with self._reading() as connection:
            rows = connection.execute(select(fund_settings.c.key, fund_settings.c.value))
            return {str(key): str(value) for key, value in rows}

    def terms_version(self) -> str:
        """The term set recorded at ``init`` (the genesis terms)."""
        value = self.settings().get("terms_version")
        if value is None:
            raise _not_initialised(self.url)
        return value

    # --- transactions ------------------------------------------------------------------

    def _connect(self) -> Connection:
        """A connection, or ``InvalidInput`` naming the database when it cannot be opened.

        Failing to connect (a folder that does not exist, a PostgreSQL database or server
        that is not there) is the caller's ``--db`` being wrong, not a missing event log.
        """
        try:
            return self.engine.connect()
        except DBAPIError as error:
            lines = str(error.orig or error).strip().splitlines()
            reason = lines[0] if lines else type(error.orig or error).__name__
            raise Unavailable(
                f"database {shown_url(self.url)}: cannot open it ({reason}); check --db or URIF_DB"
            ) from None

    def _missing_file(self) -> bool:
        """Whether this is a SQLite database whose file does not exist (yet)."""
        if self.backend != "sqlite":
            return False
        name = self.engine.url.database
        if not name or name == ":memory:":
            return False
        path = Path(str(name))
        # a missing folder is a wrong --db: connecting reports it ("cannot open it")
        return not path.exists() and path.parent.is_dir()

    @contextmanager
    def _locked(self) -> Iterator[Connection]:
        """One transaction holding the append lock (SQLite BEGIN IMMEDIATE; PG advisory)."""
        with self._connect() as connection:
            connection.execution_options(**{IMMEDIATE: True})
            with connection.begin():
                if self.backend == "postgresql":
                    connection.exec_driver_sql(
                        "SELECT pg_advisory_xact_lock(%s)", (APPEND_LOCK_KEY,)
                    )
                yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """One read transaction; a missing log becomes ``NotFound`` (run ``urif init``)."""
        if self._missing_file():  # connecting would create an empty SQLite file
            raise _not_initialised(self.url)
        try:
            with self._connect() as connection, connection.begin():
                yield connection
        except (OperationalError, ProgrammingError) as error:
            if _missing_table(error):
                raise _not_initialised(self.url) from None
            raise

    @contextmanager
    def writer(self) -> Iterator[Writer]:
        """The append transaction: serialised with every other writer; commits on exit.

        Everything done through ``Writer.connection`` (read-model rows) commits or rolls
        back with the appended events.
        """
        if self._missing_file():  # only ``init`` creates the database
            raise _not_initialised(self.url)
        try:
            with self._locked() as connection:
                yield Writer(connection, self.backend)
        except (OperationalError, ProgrammingError) as error:
            if _missing_table(error):
                raise _not_initialised(self.url) from None
            raise

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A read-only transaction for read-model queries (a consistent snapshot)."""
        with self._reading() as connection:
            yield connection

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction on tables beside the log (jobs, failed logins); commits on
        exit.  It does not take the append lock, so it never waits for an ingest on
        PostgreSQL (SQLite still lets one writer at a time through)."""
        with self._reading() as connection:
            yield connection

    # --- reading the log ---------------------------------------------------------------

    def head(self) -> tuple[int, str]:
        """The last ``seq`` and its hash (``(0, GENESIS_HASH)`` when empty)."""
        with self._reading() as connection:
            row = connection.exec_driver_sql(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
            ).first()
            return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)

    def latest_value_date(self) -> dt.date | None:
        """The latest value date in the log (None when empty): where the books end."""
        with self._reading() as connection:
            day = connection.exec_driver_sql("SELECT MAX(value_date) FROM events").scalar_one()
        return dt.date.fromisoformat(str(day)) if day else None

    def count(self) -> int:
        """How many events are in the log."""
        with self._reading() as connection:
            return int(connection.exec_driver_sql("SELECT COUNT(*) FROM events").scalar_one())

    def iter_rows(
        self, columns: str = _COLUMNS, batch: int = 10_000, after: int = 0
    ) -> Iterator[Sequence[Any]]:
        """Raw rows of ``columns`` in ``seq`` order after ``after``, fetched ``batch`` at a time."""
        param = "?" if self.backend == "sqlite" else "%s"
        sql = f"SELECT {columns} FROM events WHERE seq > {param} ORDER BY seq LIMIT {param}"
        last = after
        with self._reading() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            cursor = raw.cursor()
            try:
                while True:
                    cursor.execute(sql, (last, batch))
                    rows = cursor.fetchall()
                    if not rows:
                        return
                    yield from rows
                    last = int(rows[-1][0])
                    if len(rows) < batch:
                        return
            finally:
                cursor.close()

    def iter_events(self, batch: int = 10_000, after: int = 0) -> Iterator[StoredEvent]:
        """Every stored event in ``seq`` order (decoded), streamed ``batch`` rows at a time."""
        for row in self.iter_rows(_COLUMNS, batch, after):
            yield _stored(row)

    def iter_decoded(self, batch: int = 10_000, after: int = 0) -> Iterator[tuple[int, str, Event]]:
        """``(seq, hash, event)`` in ``seq`` order: the replay's stream (no ``StoredEvent``)."""
        loads = orjson.loads
        for seq, canonical, digest in self.iter_rows("seq, canonical, hash", batch, after):
            try:
                event = event_from_json(loads(canonical))
            except (TypeError, ValueError, UrifError):
                event = _decoded(int(seq), canonical)  # raises, naming the seq and why
            yield int(seq), digest, event

    def verify_chain(self, *, check_columns: bool = True) -> tuple[Problem, ...]:
        """Recompute the chain from the stored bytes; every problem, first bad ``seq`` first.

        Checks: ``seq`` runs 1, 2, 3... without gaps; seq 1 links to ``GENESIS_HASH``; each
        ``prev_hash`` equals the previous row's ``hash``; each ``hash`` equals
        sha256(prev_hash ‖ canonical); and (``check_columns``) the ``id``, ``type`` and
        ``value_date`` columns agree with the canonical bytes.
        """
        problems: list[Problem] = []
        expected = 1
        prev_hex = GENESIS_HASH
        sha256 = hashlib.sha256
        fromhex = bytes.fromhex
        loads = orjson.loads
        columns = "seq, canonical, prev_hash, hash" + (
            ", id, type, value_date" if check_columns else ""
        )
        for row in self.iter_rows(columns, batch=50_000):
            seq = row[0]
            stored = _stored_bytes(row[1])
            if stored is None:
                # Rewritten through raw SQL as text (or a number): the bytes hashed at
                # append are gone, whatever the text says.
                problems.append(
                    Problem(
                        f"seq {seq}",
                        f"the canonical column holds {_kind(row[1])}, not the bytes (BLOB/"
                        "BYTEA) urif writes: the row was changed outside urif",
                    )
                )
                prev_hex = str(row[3])
                expected = seq + 1
                continue
            canonical = stored
            if seq != expected:
                if seq > expected:
                    missing = (
                        f"seq {expected}" if seq == expected + 1 else f"seq {expected}-{seq - 1}"
                    )
                    problems.append(
                        Problem(f"seq {expected}", f"{missing} missing: the log jumps to {seq}")
                    )
                else:  # pragma: no cover - seq is the primary key and ordered
                    problems.append(Problem(f"seq {seq}", f"out of order after seq {expected - 1}"))
            if row[2] != prev_hex:
                problems.append(
                    Problem(
                        f"seq {seq}",
                        f"prev_hash {row[2][:12]}... does not match the hash of the previous "
                        f"event {prev_hex[:12]}...",
                    )
                )
            try:
                digest = sha256(fromhex(row[2]) + canonical).hexdigest()
            except ValueError:
                digest = ""
            if digest != row[3]:
                problems.append(
                    Problem(
                        f"seq {seq}",
                        f"hash mismatch: stored {str(row[3])[:12]}..., recomputed from the "
                        f"canonical bytes {digest[:12]}...",
                    )
                )
            if check_columns:
                try:
                    obj = loads(canonical)
                    same = obj["id"] == row[4] and obj["type"] == row[5] and obj["on"] == row[6]
                except (ValueError, KeyError, TypeError):
                    same = False
                if not same:
                    problems.extend(_column_problems(f"seq {seq}", canonical, tuple(row[4:7])))
            prev_hex = row[3]
            expected = seq + 1
        return tuple(problems)

    def verify_or_raise(self) -> None:
        """``verify_chain`` that raises ``IntegrityError`` naming the first bad ``seq``."""
        problems = self.verify_chain()
        if problems:
            raise IntegrityError(
                f"event log: chain broken at {problems[0].where} ({len(problems)} problem(s))",
                problems,
            )


def _kind(value: object) -> str:
    """What a column holds, for a message: ``text 'abc'``, ``an int``."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}"
    return f"a value of type {type(value).__name__}"


def _column_problems(where: str, canonical: bytes, columns: tuple[str, ...]) -> list[Problem]:
    """Explain how the id, type and value_date columns disagree with the canonical bytes."""
    try:
        obj = orjson.loads(canonical)
    except orjson.JSONDecodeError:
        return [Problem(where, "canonical bytes are not valid JSON")]
    if not isinstance(obj, dict):
        return [Problem(where, "canonical bytes are not a JSON object")]
    out = []
    for name, column in zip(("id", "type", "on"), columns, strict=True):
        if obj.get(name) != column:
            out.append(
                Problem(
                    where,
                    f"column {name if name != 'on' else 'value_date'} is {column!r} but the "
                    f"canonical event says {obj.get(name)!r}",
                )
            )
    return out


def _missing_table(error: DBAPIError) -> bool:
    text = str(error.orig) if error.orig is not None else str(error)
    return "no such table" in text or "does not exist" in text
