"""Reading and checking the books: accounts, obligations, balances, statement, verify, replay.

Owns the use cases behind ``urif init``, ``accounts``, ``obligations``, ``balances``,
``statement``, ``verify`` and ``replay`` and the report values they return
(``AccountsReport``, ``ObligationsReport``, ``BalancesReport``, ``Statement``,
``VerifyReport``, ``ReplayReport``), each with ``to_json()`` giving the keys of DESIGN.md
§5 (amounts as decimal strings).

Reads come from the read models (``urif.store.ledger_tables``), kept on append, so they
are fast on a large log.  The same report builders run over a replayed ``LedgerState``;
``verify`` compares the two and reports every difference.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from urif.actions.fund_state import FundState, ReplayError, gc_paused, replay_state
from urif.core.dates import DateRange
from urif.core.errors import IntegrityError, InvalidInput, NotFound, Problem
from urif.core.money import MINOR_UNITS
from urif.ledger import (
    FOUNDING_PARTNERS,
    AccountsView,
    ObligationYear,
    Statement,
    TrialBalance,
    capital_accounts,
    check_ledger,
)
from urif.ledger import obligations as ledger_obligations
from urif.ledger.accounts import FUNCTIONAL_CURRENCY
from urif.ledger.entries import DUE_PLACES
from urif.store import Store, ledger_tables
from urif.store.log import UnreadableEvent
from urif.terms import load_termset
from urif.terms.model import Terms

if TYPE_CHECKING:
    from sqlalchemy import Connection

USD = "USD"
#: Statement formats; pdf and xlsx come with ``urif.reports``.
STATEMENT_FORMATS = ("text", "json", "pdf", "xlsx")


def _s(value: Decimal) -> str:
    return f"{value:f}"


# --- JSON and text renderings of the ledger's report values ------------------------------


def accounts_json(view: AccountsView) -> dict[str, Any]:
    """``urif accounts --json`` (DESIGN.md §5 keys; commitment, paid_in, unfunded added)."""
    total = sum((p.capital for p in view.partners), Decimal("0.00"))
    return {
        "as_of": view.as_of.isoformat(),
        "currency": view.currency,
        "partners": [
            {
                "partner": p.partner,
                "contributed_cash": _s(p.contributed_cash),
                "contributed_in_kind": _s(p.contributed_in_kind),
                "contributed_agreed_revenue": _s(p.contributed_agreed_revenue),
                "contributed_total": _s(p.contributed_total),
                "income_allocated": _s(p.income_allocated),
                "distributions": _s(p.distributions),
                "capital": _s(p.capital),
                "ownership_share": _s(p.ownership_share),
                "commitment": _s(p.commitment),
                "paid_in": _s(p.paid_in),
                "unfunded": _s(p.unfunded),
            }
            for p in view.partners
        ],
        "net_assets": _s(view.net_assets),
        "in_kind_reserve": _s(view.in_kind_reserve),
        "total_capital": _s(total),
    }


@dataclass(frozen=True, slots=True)
class ObligationsReport:
    """Ukraine's obligation by year on ``as_of``."""

    as_of: dt.date
    years: tuple[ObligationYear, ...]

    def to_json(self) -> dict[str, Any]:
        """``urif obligations --json`` (DESIGN.md §5 keys)."""
        return {
            "as_of": self.as_of.isoformat(),
            "currency": USD,
            "years": [
                {
                    "year": y.year,
                    "receipts_usd": _s(y.receipts_usd),
                    "due_usd": _s(y.due_usd),
                    "due_on": y.due_on.isoformat() if y.due_on else None,
                    "received_usd": _s(y.received_usd),
                    "outstanding_usd": _s(y.outstanding_usd),
                    "overdue": y.overdue,
                }
                for y in self.years
            ],
        }


def balances_json(tb: TrialBalance) -> dict[str, Any]:
    """``urif balances --json``: lines (debit positive) and totals per currency."""
    return {
        "as_of": tb.as_of.isoformat(),
        "accounts": [
            {
                "account": line.account,
                "currency": line.currency,
                "debit": _s(line.debit),
                "credit": _s(line.credit),
                "balance": _s(line.balance),
            }
            for line in tb.lines
        ],
        "totals": [
            {"currency": t.currency, "debit": _s(t.debit), "credit": _s(t.credit)}
            for t in tb.totals
        ],
    }


_COLUMN_LABELS = {
    "period": "Period",
    "quarter_to_date": "QTD",
    "year_to_date": "YTD",
    "inception_to_date": "ITD",
}
_STATEMENT_LINES = (
    ("beginning", "Beginning balance"),
    ("contributions_cash", "  Contributions: cash"),
    ("contributions_in_kind", "  Contributions: in kind"),
    ("contributions_agreed_revenue", "  Contributions: agreed revenue"),
    ("contributions", "Contributions"),
    ("distributions", "Distributions"),
    ("allocations", "Income and gains allocated"),
    ("ending", "Ending balance"),
)


def statement_json(st: Statement) -> dict[str, Any]:
    """The ILPA statement as JSON-ready data: one object per column."""
    return {
        "as_of": st.end.isoformat(),
        "partner": st.partner,
        "period": st.period,
        "start": st.start.isoformat(),
        "end": st.end.isoformat(),
        "currency": st.currency,
        "commitment": _s(st.commitment),
        "paid_in": _s(st.paid_in),
        "unfunded": _s(st.unfunded),
        "ownership_share": _s(st.ownership_share),
        "columns": [
            {
                "label": c.label,
                "start": c.start.isoformat() if c.start else None,
                "end": c.end.isoformat(),
                **{key: _s(getattr(c, key)) for key, _ in _STATEMENT_LINES},
            }
            for c in st.columns
        ],
    }


def statement_text(st: Statement) -> str:
    """The ILPA statement as fixed-width text: lines down, period/QTD/YTD/ITD across."""
    width = 18
    out = [
        f"Capital account statement: {st.partner}, {st.period} "
        f"({st.start} to {st.end}, {st.currency})",
        "",
        f"{'':34}"
        + "".join(f"{_COLUMN_LABELS.get(c.label, c.label):>{width}}" for c in st.columns),
    ]
    for key, label in _STATEMENT_LINES:
        signed = [
            -getattr(c, key) if key == "distributions" else getattr(c, key) for c in st.columns
        ]
        out.append(f"{label:34}" + "".join(f"{value:>{width},}" for value in signed))
    out += [
        "",
        f"{'Commitment':34}{st.commitment:>{width},}",
        f"{'Paid in':34}{st.paid_in:>{width},}",
        f"{'Unfunded':34}{st.unfunded:>{width},}",
        f"{'Ownership share':34}{st.ownership_share:>{width}}",
    ]
    return "\n".join(out) + "\n"


# --- verify and replay -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What ``verify`` checked and every problem it found."""

    events: int
    head_seq: int
    problems: tuple[Problem, ...]
    first_bad_seq: int | None
    checks: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when the chain, the invariants and the read models all hold."""
        return not self.problems

    def error(self) -> IntegrityError | None:
        """``IntegrityError`` (exit 5) naming the first bad seq, or None."""
        if self.ok:
            return None
        where = f"; first bad seq {self.first_bad_seq}" if self.first_bad_seq else ""
        return IntegrityError(
            f"verify failed: {len(self.problems)} problem(s){where}", self.problems
        )

    def to_json(self) -> dict[str, Any]:
        """``urif verify --json``."""
        return {
            "ok": self.ok,
            "events": self.events,
            "head_seq": self.head_seq,
            "first_bad_seq": self.first_bad_seq,
            "checks": list(self.checks),
            "problems": [{"where": p.where, "message": p.message} for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """What ``replay`` rebuilt."""

    events: int
    head_seq: int
    head_hash: str | None

    def to_json(self) -> dict[str, Any]:
        """``urif replay --json``."""
        return {"events": self.events, "head_seq": self.head_seq, "head_hash": self.head_hash}


# --- use cases over a database URL -------------------------------------------------------


def init_database(url: str, terms: str | None) -> str:
    """Create or migrate the database; returns the term set it runs under."""
    if terms:
        load_termset(terms)  # NotFound naming the known versions when misspelt
    with Store.open(url) as store:
        return store.init(terms)


def migrate_database(url: str) -> tuple[str, str]:
    """Bring an initialised database to this code's schema: ``(revision before, after)``.

    A database that was never initialised is refused (``NotFound``: run ``urif init``),
    so a mistyped ``--db`` does not quietly become a new fund.
    """
    with Store.open(url) as store:
        return store.migrate()


def _terms_on(store: Store, as_of: dt.date) -> Terms:
    return load_termset(store.terms_version()).at(as_of)


def accounts(url: str | Store, as_of: dt.date) -> AccountsView:
    """Partners' capital accounts on ``as_of`` from the read models."""
    with Store.using(url) as store, store.reader() as conn:
        return ledger_tables.accounts_as_of(conn, as_of)


def obligations(url: str | Store, as_of: dt.date) -> ObligationsReport:
    """Ukraine's agreed-revenue obligation by year on ``as_of`` from the read models."""
    with Store.using(url) as store:
        terms = _terms_on(store, as_of)
        with store.reader() as conn:
            return ObligationsReport(as_of, ledger_tables.obligations_as_of(conn, as_of, terms))


def balances(url: str | Store, as_of: dt.date) -> TrialBalance:
    """The trial balance on ``as_of`` from the read models."""
    with Store.using(url) as store, store.reader() as conn:
        return ledger_tables.trial_balance_as_of(conn, as_of)


def statement_span(period: str, as_of: dt.date | None = None) -> DateRange:
    """The days a statement for ``period`` covers: the whole period, or up to ``as_of``
    when that falls inside it (a statement as of a date shows nothing after it).

    >>> str(statement_span("2026Q2", dt.date(2026, 4, 10)))
    '[2026-04-01, 2026-04-11)'
    >>> str(statement_span("2026Q2", dt.date(2027, 1, 1)))
    '[2026-04-01, 2026-07-01)'
    """
    span = DateRange.parse_period(period)
    if as_of is None or as_of >= span.last_day:
        return span
    if as_of < span.start:
        raise InvalidInput(
            f"--as-of: {as_of} is before the period {period} starts ({span.start}); "
            "give a date in or after the period"
        )
    return DateRange(span.start, as_of + dt.timedelta(days=1))


def statement(
    url: str | Store, partner: str, period: str, as_of: dt.date | None = None
) -> Statement:
    """A partner's ILPA capital-account statement for ``period`` (``2026Q1``), as of the
    period's last day or ``as_of`` if earlier."""
    span = statement_span(period, as_of)
    with Store.using(url) as store, store.reader() as conn:
        known = set(FOUNDING_PARTNERS) | {
            owner for owner, _ in ledger_tables.capital_totals_as_of(conn, span.last_day)
        }
        known.discard("fund")
        if partner not in known:
            raise NotFound(f"--partner: no partner {partner!r}; known: {', '.join(sorted(known))}")
        return ledger_tables.statement_rows(conn, partner, span, period)


def state_accounts(state: FundState, as_of: dt.date) -> AccountsView:
    """Capital accounts on ``as_of`` from an in-memory (replayed or cached) state."""
    return capital_accounts(state.ledger, as_of)


def state_obligations(state: FundState, as_of: dt.date) -> ObligationsReport:
    """Ukraine's obligation by year on ``as_of`` from an in-memory state."""
    return ObligationsReport(as_of, ledger_obligations(state.ledger, as_of, state.terms_on(as_of)))


def render_statement(
    url: str, partner: str, period: str, fmt: str, as_of: dt.date | None = None
) -> str | bytes:
    """The statement rendered as ``text`` or ``json`` (pdf and xlsx come with reports)."""
    if fmt not in STATEMENT_FORMATS:
        raise InvalidInput(f"--format: expected one of {', '.join(STATEMENT_FORMATS)}, got {fmt!r}")
    if fmt in ("pdf", "xlsx"):
        raise InvalidInput(
            f"--format {fmt}: statements in {fmt} are not available in this build yet "
            "(urif.reports does not render them); use --format text or json"
        )
    data = statement(url, partner, period, as_of)
    if fmt == "json":
        return json.dumps(statement_json(data), indent=2, ensure_ascii=False) + "\n"
    return statement_text(data)


def _seq_of(problem: Problem) -> int | None:
    where = problem.where
    if where.startswith("seq "):
        head = where[4:].split()[0].rstrip(":,;")
        if head.isdigit():
            return int(head)
    return None


def verify(url: str) -> VerifyReport:
    """Chain, DESIGN.md §6 invariants, and read models against a fresh replay.

    The cyclic collector stays paused throughout: the replayed state is millions of
    objects without cycles, freed by reference counting when the check returns.
    """
    with Store.open(url) as store, gc_paused():
        return _verify(store)


def _verify(store: Store) -> VerifyReport:
    problems: list[Problem] = []
    checks: list[str] = []
    head_seq, _ = store.head()
    problems.extend(store.verify_chain())
    checks.append("chain")
    state: FundState | None = None
    try:
        state = replay_state(store)
    except ReplayError as error:
        problems.append(Problem(f"seq {error.seq}", error.message))
    except UnreadableEvent as error:
        problems.append(Problem(f"seq {error.seq}", error.reason))
    checks.append("replay")
    if state is not None:
        last = state.last_value_date()
        terms = state.terms_on(last) if last is not None else _terms_on(store, dt.date.min)
        problems.extend(check_ledger(state.ledger, terms))
        checks.append("invariants")
        with store.reader() as conn:
            try:
                problems.extend(compare_read_models(conn, state))
            except IntegrityError as error:  # a read-model row that is not a number
                problems.append(Problem("read models", error.message))
        checks.append("read models")
    bad = [s for s in (_seq_of(p) for p in problems) if s is not None]
    return VerifyReport(
        events=state.events if state is not None else head_seq,
        head_seq=head_seq,
        problems=tuple(problems),
        first_bad_seq=min(bad) if bad else None,
        checks=tuple(checks),
    )


def _money(units: int, code: str, places: int | None = None) -> str:
    """Minor units of ``code`` as a decimal amount with its currency (``10000`` → 100.00 USD).

    >>> _money(10000, "USD")
    '100.00 USD'
    >>> _money(-5, "JPY")
    '-5 JPY'
    >>> _money(50000000, "USD", DUE_PLACES)
    '50.000000 USD'
    """
    exponent = MINOR_UNITS.get(code, 2) if places is None else places
    return f"{Decimal(units).scaleb(-exponent):f} {code}"


def _balance_value(key: tuple[str, str, str], units: int | None) -> str:
    """A ``ledger_balance_day`` row's amount, in the row's own currency."""
    return _money(units or 0, key[1])


def _capital_value(key: tuple[str, str, str], units: int | None) -> str:  # noqa: ARG001
    """A ``ledger_capital_day`` row's amount (capital figures are in USD cents)."""
    return _money(units or 0, FUNCTIONAL_CURRENCY)


def _obligation_value(key: tuple[int, str], units: tuple[int, int, int] | None) -> str:  # noqa: ARG001
    """A ``ledger_obligation_day`` row: receipts and received in cents, due in micro-dollars."""
    receipts, due, received = units or (0, 0, 0)
    usd = FUNCTIONAL_CURRENCY
    return (
        f"receipts {_money(receipts, usd)}, due {_money(due, usd, DUE_PLACES)}, "
        f"received {_money(received, usd)}"
    )


def _differences(
    kind: str,
    stored: Mapping[Any, Any],
    replayed: Mapping[Any, Any],
    shown: Callable[[Any, Any], str],
) -> list[Problem]:
    # The tables hold integers of minor units; a person reads amounts with their currency
    # (a missing row is zero: the comparison drops zero rows).
    problems = []
    for key in sorted(set(stored) | set(replayed), key=str):
        a, b = stored.get(key), replayed.get(key)
        if a != b:
            problems.append(
                Problem(
                    f"read model {kind}",
                    f"{key}: stored {shown(key, a)}, a replay of the log gives {shown(key, b)}",
                )
            )
    return problems


def compare_read_models(connection: Connection, state: FundState) -> list[Problem]:
    """Every difference between the stored read models and those a replay produces."""
    stored = ledger_tables.load_read_models(connection)
    replayed = ledger_tables.aggregate_bookings(
        booking for _, booking in state.ledger.booked.values()
    ).normalised()
    return (
        _differences("ledger_balance_day", stored.balances, replayed.balances, _balance_value)
        + _differences("ledger_capital_day", stored.capital, replayed.capital, _capital_value)
        + _differences(
            "ledger_obligation_day", stored.obligations, replayed.obligations, _obligation_value
        )
    )


def replay(url: str) -> ReplayReport:
    """Rebuild the read models from the event log, in one transaction."""
    with Store.open(url) as store, gc_paused():
        return _replay(store)


def _replay(store: Store) -> ReplayReport:
    state = replay_state(store)
    with store.writer() as writer:
        ledger_tables.clear_read_models(writer.connection)
        ledger_tables.write_bookings(
            writer.connection, (booking for _, booking in state.ledger.booked.values())
        )
    return ReplayReport(state.events, state.head_seq, state.head_hash)
