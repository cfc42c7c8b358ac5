"""Persisted read models equal the in-memory books, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from tests.ledger.ledger_builders import (
    ApproveAll,
    ClearAll,
    agreed_revenue,
    cash,
    commitment,
    day,
    fx,
    in_kind,
)
from urif.core.dates import DateRange
from urif.core.ids import (
    CounterpartyId,
    Currency,
    DepositId,
    EventId,
    LicenceId,
    ProjectId,
    ProposalId,
)
from urif.events.model import (
    Correction,
    Instrument,
    Investment,
    LicenceIssued,
    ProjectIncome,
    ReceiptItem,
    ResourceName,
    StateReceipt,
)
from urif.ledger import (
    Booking,
    Gates,
    LedgerState,
    apply,
    capital_accounts,
    obligations,
    statement,
    trial_balance,
)
from urif.store import Store
from urif.store.ledger_tables import (
    accounts_as_of,
    aggregate_bookings,
    check_read_models,
    clear_read_models,
    load_read_models,
    obligations_as_of,
    statement_rows,
    trial_balance_as_of,
    write_bookings,
)
from urif.terms import Terms


def _events() -> list:
    lic = LicenceIssued(
        EventId("l1"),
        day("2026-01-12"),
        licence=LicenceId("UA-PSA-1"),
        instrument=Instrument.PSA,
        resource=ResourceName("lithium"),
        deposit=DepositId("dobra"),
        holder="Dobra",
    )
    return [
        fx("r1", "2025-09-16", "41.30"),
        commitment("c1", "2025-09-17", "dfc", "75000000"),
        commitment("c2", "2025-09-17", "ppp_agency", "75000000"),
        cash("k1", "2025-10-01", "dfc", "25000000"),
        cash("k2", "2025-10-02", "ppp_agency", "1032500000", "UAH"),
        in_kind("i1", "2025-11-01", "3333333.33", delivered="2025-10-20"),
        lic,
        StateReceipt(
            EventId("s1"),
            day("2026-02-01"),
            licence=LicenceId("UA-PSA-1"),
            item=ReceiptItem.SIGNING_BONUS,
            amount=Decimal("1000000.01"),
            currency=Currency("UAH"),
        ),
        Investment(
            EventId("v1"),
            day("2026-03-01"),
            proposal=ProposalId("p"),
            project=ProjectId("dobra"),
            counterparty=CounterpartyId("dlh"),
            amount=Decimal("12000000"),
            currency=Currency("USD"),
        ),
        ProjectIncome(
            EventId("n1"),
            day("2026-03-31"),
            project=ProjectId("dobra"),
            amount=Decimal("1000.01"),
            currency=Currency("USD"),
            category="interest",
        ),
        agreed_revenue("a1", "2026-03-20", "1000000", 2026, "UAH"),
        cash("k0", "2025-09-30", "dfc", "1"),  # late value date
        Correction(
            EventId("x1"),
            day("2026-04-01"),
            corrects=EventId("k0"),
            reason="test",
            replacement=cash("k0b", "2025-09-30", "dfc", "2"),
        ),
    ]


def test_read_models_match_the_books_on_both_backends(db_url: str, terms: Terms) -> None:
    gates = Gates(ApproveAll(), ClearAll())
    state = LedgerState()
    bookings: list[Booking] = [apply(state, event, terms, gates) for event in _events()]
    store = Store.open(db_url)
    try:
        store.init()
        with store.writer() as writer:
            write_bookings(writer.connection, bookings[:5])
        with store.writer() as writer:
            write_bookings(writer.connection, bookings[5:])
        with store.reader() as conn:
            for on in ("2025-09-30", "2025-12-31", "2026-03-31", "2027-04-02"):
                assert accounts_as_of(conn, day(on)) == capital_accounts(state, day(on))
                assert obligations_as_of(conn, day(on), terms) == obligations(state, day(on), terms)
                assert trial_balance_as_of(conn, day(on)) == trial_balance(state, day(on))
            period = DateRange.parse_period("2026Q1")
            for partner in ("dfc", "ppp_agency"):
                assert statement_rows(conn, partner, period) == statement(state, partner, period)
            assert load_read_models(conn) == aggregate_bookings(bookings).normalised()
            assert check_read_models(conn) == ()
            view = accounts_as_of(conn, day("2026-12-31"))
            assert sum(p.capital for p in view.partners) == view.net_assets + view.in_kind_reserve
            (year,) = obligations_as_of(conn, day("2026-12-31"), terms)
            assert year.year == 2026
        with store.writer() as writer:
            writer.connection.exec_driver_sql(
                "UPDATE ledger_capital_total SET amount = amount + 1 WHERE owner = 'dfc' "
                "AND measure = 'contributed_cash'"
            )
        with store.reader() as conn:
            (problem,) = check_read_models(conn)
            assert "dfc contributed_cash" in problem.where
        with store.writer() as writer:
            clear_read_models(writer.connection)
        with store.reader() as conn:
            assert load_read_models(conn) == dataclasses.replace(aggregate_bookings([]))
    finally:
        store.close()
