"""The ledger's persisted read models: as-of aggregates of the books, written on append.

Owns the per-day and running-total tables (created by Alembic revision ``0002_ledger``)
and the functions that fill and query them.  Amounts are stored as integers of minor units (cents; micro-dollars for
the exact share due) so sums are exact on SQLite and PostgreSQL alike; dates are ISO
strings, like the event log.

* ``ledger_balance_day``: the change of each ``(account, currency)`` per value date; the
  trial balance as of D sums the rows dated on or before D.
* ``ledger_capital_day``: the change of each capital-account figure ``(owner, measure)``
  per value date (see ``urif.ledger.accounts.summary_key``): a handful of rows per day,
  so ``accounts_as_of`` answers in milliseconds on a million events.
* ``ledger_obligation_day``: Ukraine's obligation movements per ``(year, value date)``.

Postings themselves are not stored (revision ``0006_drop_postings``): the event log is the
audit trail and the journal a pure function of it and the terms, recomputed by every
replay and ``verify``.

``write_bookings(conn, bookings)`` aggregates a batch in memory and upserts it (one
statement per table); ``clear_read_models`` empties them for ``urif replay``;
``aggregate_bookings`` and ``load_read_models`` give comparable snapshots for ``verify``,
and ``check_read_models`` checks the running totals against the per-day rows.

Two more tables, ``ledger_balance_total`` and ``ledger_capital_total``, keep the running
total of every key, so an as-of query is the total less the (usually few) per-day rows
dated after the date: ``urif accounts`` as of today reads a dozen rows however long the log.
Queries rebuild the ledger's own values (``AccountsView``, ``ObligationYear``,
``TrialBalance``, ``Statement``) with the ledger's builders, so they equal the in-memory
books exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, PrimaryKeyConstraint, String, Table

from urif.core.dates import DateRange
from urif.core.errors import IntegrityError, Problem
from urif.core.money import MINOR_UNITS
from urif.ledger.accounts import summary_key
from urif.ledger.capital import AccountsView, accounts_from_totals
from urif.ledger.entries import DUE_PLACES, Booking
from urif.ledger.obligations import ObligationYear, obligation_years
from urif.ledger.statement import Statement, statement_from
from urif.ledger.trial_balance import TrialBalance, trial_balance_from
from urif.store.schema import BigInt, metadata
from urif.terms.model import Terms

ledger_balance_day = Table(
    "ledger_balance_day",
    metadata,
    Column("account", String(300), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("value_date", String(10), nullable=False),
    Column("amount", BigInt, nullable=False),
    PrimaryKeyConstraint("account", "currency", "value_date", name="pk_ledger_balance_day"),
)

ledger_capital_day = Table(
    "ledger_capital_day",
    metadata,
    Column("owner", String(200), nullable=False),
    Column("measure", String(40), nullable=False),
    Column("value_date", String(10), nullable=False),
    Column("amount", BigInt, nullable=False),
    PrimaryKeyConstraint("owner", "measure", "value_date", name="pk_ledger_capital_day"),
)

ledger_obligation_day = Table(
    "ledger_obligation_day",
    metadata,
    Column("year", Integer, nullable=False),
    Column("value_date", String(10), nullable=False),
    Column("receipts", BigInt, nullable=False),
    Column("due", BigInt, nullable=False),
    Column("received", BigInt, nullable=False),
    PrimaryKeyConstraint("year", "value_date", name="pk_ledger_obligation_day"),
)

ledger_balance_total = Table(
    "ledger_balance_total",
    metadata,
    Column("account", String(300), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", BigInt, nullable=False),
    PrimaryKeyConstraint("account", "currency", name="pk_ledger_balance_total"),
)

ledger_capital_total = Table(
    "ledger_capital_total",
    metadata,
    Column("owner", String(200), nullable=False),
    Column("measure", String(40), nullable=False),
    Column("amount", BigInt, nullable=False),
    PrimaryKeyConstraint("owner", "measure", name="pk_ledger_capital_total"),
)

Index("ix_ledger_balance_day_value_date", ledger_balance_day.c.value_date)
Index("ix_ledger_capital_day_value_date", ledger_capital_day.c.value_date)

LEDGER_TABLES = (
    ledger_balance_day,
    ledger_capital_day,
    ledger_obligation_day,
    ledger_balance_total,
    ledger_capital_total,
)

_CENT_PLACES = 2


def _amount(units: int | Decimal, places: int) -> Decimal:
    return Decimal(int(units)).scaleb(-places)


@dataclass
class ReadModelRows:
    """The aggregate rows of a set of bookings (or of the database)."""

    balances: dict[tuple[str, str, str], int] = field(default_factory=dict)
    capital: dict[tuple[str, str, str], int] = field(default_factory=dict)
    obligations: dict[tuple[int, str], tuple[int, int, int]] = field(default_factory=dict)

    def normalised(self) -> ReadModelRows:
        """The same rows without zeros (for comparison)."""
        return ReadModelRows(
            {k: v for k, v in self.balances.items() if v},
            {k: v for k, v in self.capital.items() if v},
            {k: v for k, v in self.obligations.items() if any(v)},
        )


#: Per ``(account, currency)``: (minor-unit scale, capital figure ``(owner, measure)`` or
#: None, sign) — ``summary_key`` and ``MINOR_UNITS`` resolved once per pair.
_Route = tuple[Decimal, tuple[str, str] | None, int]
_ROUTES: dict[tuple[str, str], _Route] = {}
_CENT_SCALE = Decimal(10**_CENT_PLACES)
_DUE_SCALE = Decimal(10**DUE_PLACES)


def _route(account: str, code: str) -> _Route:
    found = summary_key(account, code)
    scale = Decimal(10 ** MINOR_UNITS.get(code, 2))
    if found is None:
        return scale, None, 0
    owner, measure, sign = found
    return scale, (owner, measure), sign


def aggregate_bookings(bookings: Iterable[Booking]) -> ReadModelRows:
    """The rows ``bookings`` add to the read models (per-day deltas).

    Amounts become integers of minor units (``int(amount * 10**places)``: exact, since
    every posting is a whole number of minor units); ISO day strings are made once per date.
    """
    rows = ReadModelRows()
    balances, capital, obligations = rows.balances, rows.capital, rows.obligations
    routes = _ROUTES
    days: dict[dt.date, str] = {}
    for booking in bookings:
        for entry in booking.entries:
            on = entry.on
            day = days.get(on)
            if day is None:
                day = days[on] = on.isoformat()
            for posting in entry.postings:
                account, code = posting.account, posting.currency
                route = routes.get((account, code))
                if route is None:
                    route = routes[(account, code)] = _route(account, code)
                scale, figure, sign = route
                units = int(posting.amount * scale)
                key = (account, code, day)
                balances[key] = balances.get(key, 0) + units
                if figure is not None:
                    ckey = (figure[0], figure[1], day)
                    capital[ckey] = capital.get(ckey, 0) + sign * units
        for change in booking.obligations:
            on = change.on
            day = days.get(on)
            if day is None:
                day = days[on] = on.isoformat()
            okey = (change.year, day)
            r, d, c = obligations.get(okey, (0, 0, 0))
            obligations[okey] = (
                r + int(change.receipts_usd * _CENT_SCALE),
                d + int(change.due_exact * _DUE_SCALE),
                c + int(change.received_usd * _CENT_SCALE),
            )
    return rows


def _marks(conn: Connection, count: int) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * count)


def _upsert(
    conn: Connection,
    table: str,
    keys: tuple[str, ...],
    values: tuple[str, ...],
    rows: list[tuple[Any, ...]],
) -> None:
    """Add ``rows`` to ``table``: insert new keys, add the values onto existing ones.

    PostgreSQL gets the whole batch in one statement (``unnest`` of one array per column),
    not one round trip per row.
    """
    if not rows:
        return
    columns = keys + values
    sets = ", ".join(f"{v} = {table}.{v} + excluded.{v}" for v in values)
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    if conn.dialect.name == "postgresql":
        arrays = ", ".join(f"%s::{_PG_TYPES[c]}[]" for c in columns)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) {conflict}"
        )
        conn.exec_driver_sql(sql, tuple(list(column) for column in zip(*rows, strict=True)))
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(conn, len(columns))}) {conflict}"
    conn.exec_driver_sql(sql, rows)


#: PostgreSQL array types of the read-model columns (for the ``unnest`` upsert).
_PG_TYPES: dict[str, str] = {
    "account": "text",
    "currency": "text",
    "value_date": "text",
    "owner": "text",
    "measure": "text",
    "year": "integer",
    "amount": "bigint",
    "receipts": "bigint",
    "due": "bigint",
    "received": "bigint",
}


def write_rows(conn: Connection, rows: ReadModelRows) -> None:
    """Add aggregated ``rows`` to the read-model tables (inside the caller's transaction)."""
    _upsert(
        conn,
        "ledger_balance_day",
        ("account", "currency", "value_date"),
        ("amount",),
        [(*k, v) for k, v in rows.balances.items()],
    )
    _upsert(
        conn,
        "ledger_capital_day",
        ("owner", "measure", "value_date"),
        ("amount",),
        [(*k, v) for k, v in rows.capital.items()],
    )
    _upsert(
        conn,
        "ledger_obligation_day",
        ("year", "value_date"),
        ("receipts", "due", "received"),
        [(*k, *v) for k, v in rows.obligations.items()],
    )
    balance_totals: dict[tuple[str, str], int] = {}
    for (account, code, _), units in rows.balances.items():
        balance_totals[(account, code)] = balance_totals.get((account, code), 0) + units
    capital_totals: dict[tuple[str, str], int] = {}
    for (owner, measure, _), units in rows.capital.items():
        capital_totals[(owner, measure)] = capital_totals.get((owner, measure), 0) + units
    _upsert(
        conn,
        "ledger_balance_total",
        ("account", "currency"),
        ("amount",),
        [(*k, v) for k, v in balance_totals.items()],
    )
    _upsert(
        conn,
        "ledger_capital_total",
        ("owner", "measure"),
        ("amount",),
        [(*k, v) for k, v in capital_totals.items()],
    )


def write_bookings(conn: Connection, bookings: Iterable[Booking]) -> None:
    """Add ``bookings`` to the read models in the caller's transaction (one batch)."""
    write_rows(conn, aggregate_bookings(bookings))


def clear_read_models(conn: Connection) -> None:
    """Empty every ledger read-model table (before ``urif replay`` rebuilds them)."""
    for table in LEDGER_TABLES:
        conn.exec_driver_sql(f"DELETE FROM {table.name}")


def _units(value: object, table: str) -> int:
    """A stored amount of minor units; anything but an integer is a damaged read model."""
    if type(value) is int:
        return value
    if type(value) is Decimal and value == value.to_integral_value():  # a PostgreSQL SUM
        return int(value)
    # SQLite keeps whatever raw SQL wrote (text, a real); urif only ever writes integers.
    raise IntegrityError(
        f"read model {table}: a row holds {value!r}, not an integer of minor units (changed "
        "outside urif); `urif replay` rebuilds the read models from the log"
    )


def load_read_models(conn: Connection) -> ReadModelRows:
    """The aggregate rows stored in the database, zero rows dropped (for ``verify``)."""
    rows = ReadModelRows()
    for account, code, day, amount in conn.exec_driver_sql(
        "SELECT account, currency, value_date, amount FROM ledger_balance_day"
    ):
        rows.balances[(account, code, day)] = _units(amount, "ledger_balance_day")
    for owner, measure, day, amount in conn.exec_driver_sql(
        "SELECT owner, measure, value_date, amount FROM ledger_capital_day"
    ):
        rows.capital[(owner, measure, day)] = _units(amount, "ledger_capital_day")
    for year, day, r, d, c in conn.exec_driver_sql(
        "SELECT year, value_date, receipts, due, received FROM ledger_obligation_day"
    ):
        table = "ledger_obligation_day"
        rows.obligations[(int(year), day)] = (
            _units(r, table),
            _units(d, table),
            _units(c, table),
        )
    return rows.normalised()


def _by_date(conn: Connection, table: str) -> str:
    """SQLite: make the planner range-scan the value-date index (else it scans the table)."""
    if conn.dialect.name == "sqlite":
        return f" INDEXED BY ix_ledger_{table}_day_value_date"
    return ""


def _as_of(
    conn: Connection, totals_sql: str, after_sql: str, as_of: dt.date
) -> dict[tuple[str, str], int]:
    """Running totals less the per-day rows dated after ``as_of`` (usually few or none)."""
    out = {(a, b): _units(v, "totals") for a, b, v in conn.exec_driver_sql(totals_sql)}
    for a, b, v in conn.exec_driver_sql(after_sql, (as_of.isoformat(),)):
        out[(a, b)] = out.get((a, b), 0) - _units(v, "per-day rows")
    return out


def capital_totals_as_of(conn: Connection, as_of: dt.date | None) -> dict[tuple[str, str], Decimal]:
    """Every capital-account figure ``(owner, measure)`` on ``as_of`` (None: nothing yet)."""
    if as_of is None:
        return {}
    units = _as_of(
        conn,
        "SELECT owner, measure, amount FROM ledger_capital_total",
        f"SELECT owner, measure, SUM(amount) FROM ledger_capital_day{_by_date(conn, 'capital')} "
        f"WHERE value_date > {_marks(conn, 1)} GROUP BY owner, measure",
        as_of,
    )
    return {key: _amount(value, _CENT_PLACES) for key, value in units.items()}


def accounts_as_of(conn: Connection, as_of: dt.date) -> AccountsView:
    """Partners' capital accounts and net assets on ``as_of`` (``urif accounts``)."""
    return accounts_from_totals(as_of, capital_totals_as_of(conn, as_of))


def obligations_as_of(conn: Connection, as_of: dt.date, terms: Terms) -> tuple[ObligationYear, ...]:
    """Ukraine's obligation per year on ``as_of``; due dates by the rule of ``terms``."""
    sql = (
        "SELECT year, SUM(receipts), SUM(due), SUM(received) FROM ledger_obligation_day "
        f"WHERE value_date <= {_marks(conn, 1)} GROUP BY year"
    )
    totals = {
        int(year): (_amount(r, _CENT_PLACES), _amount(d, DUE_PLACES), _amount(c, _CENT_PLACES))
        for year, r, d, c in conn.exec_driver_sql(sql, (as_of.isoformat(),))
    }
    return obligation_years(as_of, totals, terms.transfer_due)


def trial_balance_as_of(conn: Connection, as_of: dt.date) -> TrialBalance:
    """The trial balance on ``as_of`` (``urif balances``)."""
    units = _as_of(
        conn,
        "SELECT account, currency, amount FROM ledger_balance_total",
        f"SELECT account, currency, SUM(amount) FROM ledger_balance_day{_by_date(conn, 'balance')} "
        f"WHERE value_date > {_marks(conn, 1)} GROUP BY account, currency",
        as_of,
    )
    balances = {
        (account, code): _amount(value, MINOR_UNITS.get(code, 2))
        for (account, code), value in units.items()
    }
    return trial_balance_from(as_of, balances)


def check_read_models(conn: Connection) -> tuple[Problem, ...]:
    """Problems where the running totals differ from the sum of the per-day rows."""
    problems = []
    for table, keys in (("balance", "account, currency"), ("capital", "owner, measure")):
        totals = {
            (a, b): _units(v, f"ledger_{table}_total")
            for a, b, v in conn.exec_driver_sql(f"SELECT {keys}, amount FROM ledger_{table}_total")
        }
        sums = {
            (a, b): _units(v, f"ledger_{table}_day")
            for a, b, v in conn.exec_driver_sql(
                f"SELECT {keys}, SUM(amount) FROM ledger_{table}_day GROUP BY {keys}"
            )
        }
        for key in sorted(set(totals) | set(sums)):
            if totals.get(key, 0) != sums.get(key, 0):
                problems.append(
                    Problem(
                        f"ledger_{table}_total {key[0]} {key[1]}",
                        f"total {totals.get(key, 0)} differs from the per-day rows' sum "
                        f"{sums.get(key, 0)} (minor units)",
                    )
                )
    return tuple(problems)


def statement_rows(conn: Connection, partner: str, period: DateRange, label: str = "") -> Statement:
    """The ILPA statement of ``partner`` for ``period`` (``urif statement``)."""
    return statement_from(partner, period, lambda on: capital_totals_as_of(conn, on), label)
