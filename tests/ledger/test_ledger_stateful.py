"""Model-based test: random event sequences (valid and invalid) against a pure reference.

A Hypothesis ``RuleBasedStateMachine`` drives the ledger with contributions in USD and
UAH, FX rates, in-kind aid, investments, income, expenses, distributions around the lock,
duplicates, corrections and whole-file rollbacks.  A small reference model (lists of
dated cash movements, contributions and ids) predicts every acceptance or refusal; after
every step the ledger's own invariants hold (``check_ledger``) and its cash and
contributions equal the reference's.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.ledger.ledger_builders import ApproveAll, ClearAll, cash, fx, in_kind
from urif.core.errors import Conflict, NotPermitted
from urif.core.ids import CounterpartyId, Currency, EventId, ProjectId, ProposalId
from urif.events.model import Correction, Distribution, Event, Expense, Investment, ProjectIncome
from urif.ledger import Gates, LedgerState, apply, capital_accounts, check_ledger
from urif.terms import load_termset

TERMS = load_termset("signed-2025-04-30").at(dt.date(2026, 1, 1))
GATES = Gates(ApproveAll(), ClearAll())
START = dt.date(2025, 5, 1)
FAR = dt.date(2040, 1, 1)
CUTOFF = TERMS.in_kind_cutoff
LOCK_END = TERMS.lock_end

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2)
early_days = st.integers(min_value=0, max_value=900).map(lambda n: START + dt.timedelta(days=n))
late_days = st.integers(min_value=-60, max_value=200).map(lambda n: LOCK_END + dt.timedelta(days=n))
rates = st.decimals(min_value=Decimal("30"), max_value=Decimal("50"), places=2)


class Reference:
    """The pure reference: what the books must say, computed the slow, obvious way."""

    def __init__(self) -> None:
        self.cash: list[tuple[dt.date, str, Decimal]] = []
        self.contributed: dict[str, Decimal] = {}
        self.rates: dict[dt.date, Decimal] = {}
        self.ids: set[str] = set()
        self.usd_contributions: dict[str, tuple[dt.date, Decimal, str]] = {}
        self.corrected: set[str] = set()

    def cash_on(self, code: str, on: dt.date) -> Decimal:
        return sum((a for d, c, a in self.cash if c == code and d <= on), Decimal(0))

    def can_pay(self, code: str, on: dt.date, amount: Decimal) -> bool:
        days = {on} | {d for d, c, _ in self.cash if c == code and d >= on}
        return all(self.cash_on(code, d) - amount >= 0 for d in days)

    def has_rate(self, on: dt.date) -> bool:
        return any(d <= on for d in self.rates)

    def usd(self, amount: Decimal, code: str, on: dt.date) -> Decimal:
        if code == "USD":
            return amount
        rate = self.rates[max(d for d in self.rates if d <= on)]
        return (amount / rate).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


class LedgerMachine(RuleBasedStateMachine):
    """Drives ``apply`` and checks it against ``Reference``."""

    def __init__(self) -> None:
        super().__init__()
        self.state = LedgerState()
        self.ref = Reference()
        self.counter = 0
        self.accepted: list[Event] = []
        self.file: tuple[int, Reference, int] | None = None

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def expect(self, event: Event, ok: bool, error: type[Exception] = NotPermitted) -> bool:
        before = self.state.copy()
        try:
            apply(self.state, event, TERMS, GATES)
        except error:
            assert not ok, f"{event} was refused but the reference accepts it"
            assert self.state.balances == before.balances
            assert self.state.summary == before.summary
            assert self.state.booked == before.booked
            return False
        assert ok, f"{event} was accepted but the reference refuses it"
        self.ref.ids.add(event.id)
        self.accepted.append(event)
        return True

    @rule(on=early_days, rate=rates)
    def fx_rate(self, on: dt.date, rate: Decimal) -> None:
        event = fx(self.next_id("fx"), on.isoformat(), str(rate))
        self.expect(event, True)
        self.ref.rates[on] = rate

    @rule(
        partner=st.sampled_from(["dfc", "ppp_agency", "gp", "stranger"]),
        code=st.sampled_from(["USD", "UAH"]),
        amount=amounts,
        on=early_days,
    )
    def contribute(self, partner: str, code: str, amount: Decimal, on: dt.date) -> None:
        event = cash(self.next_id("k"), on.isoformat(), partner, str(amount), code)
        ok = partner != "stranger" and (code == "USD" or self.ref.has_rate(on))
        if self.expect(event, ok):
            self.ref.cash.append((on, code, amount))
            usd = self.ref.usd(amount, code, on)
            self.ref.contributed[partner] = self.ref.contributed.get(partner, Decimal(0)) + usd
            if code == "USD":
                self.ref.usd_contributions[event.id] = (on, amount, partner)

    @rule(amount=amounts, delivered=early_days, agreed=st.booleans())
    def give_in_kind(self, amount: Decimal, delivered: dt.date, agreed: bool) -> None:
        on = max(delivered, START)
        event = in_kind(
            self.next_id("ik"), on.isoformat(), str(amount), delivered.isoformat(), agreed
        )
        if self.expect(event, delivered >= CUTOFF and agreed):
            self.ref.contributed["dfc"] = self.ref.contributed.get("dfc", Decimal(0)) + amount

    @rule(amount=amounts, on=early_days)
    def invest(self, amount: Decimal, on: dt.date) -> None:
        event = Investment(
            EventId(self.next_id("inv")),
            on,
            proposal=ProposalId("p"),
            project=ProjectId("proj"),
            counterparty=CounterpartyId("acme"),
            amount=amount,
            currency=Currency("USD"),
        )
        if self.expect(event, self.ref.can_pay("USD", on, amount)):
            self.ref.cash.append((on, "USD", -amount))

    @rule(amount=amounts, on=early_days)
    def pay_expense(self, amount: Decimal, on: dt.date) -> None:
        event = Expense(
            EventId(self.next_id("exp")),
            on,
            counterparty=CounterpartyId("admin"),
            amount=amount,
            currency=Currency("USD"),
            category="admin",
        )
        if self.expect(event, self.ref.can_pay("USD", on, amount)):
            self.ref.cash.append((on, "USD", -amount))

    @rule(amount=amounts, on=early_days)
    def earn(self, amount: Decimal, on: dt.date) -> None:
        event = ProjectIncome(
            EventId(self.next_id("inc")),
            on,
            project=ProjectId("proj"),
            amount=amount,
            currency=Currency("USD"),
            category="dividend",
        )
        self.expect(event, True)
        self.ref.cash.append((on, "USD", amount))

    @rule(amount=amounts, on=late_days)
    def distribute(self, amount: Decimal, on: dt.date) -> None:
        event = Distribution(
            EventId(self.next_id("dist")),
            on,
            proposal=ProposalId("d"),
            amount=amount,
            currency=Currency("USD"),
        )
        if self.expect(event, on >= LOCK_END and self.ref.can_pay("USD", on, amount)):
            self.ref.cash.append((on, "USD", -amount))

    @precondition(lambda self: bool(self.accepted))
    @rule(index=st.integers(min_value=0))
    def resubmit_duplicate(self, index: int) -> None:
        event = self.accepted[index % len(self.accepted)]
        self.expect(event, False, Conflict)

    @precondition(lambda self: bool(self.ref.usd_contributions))
    @rule(index=st.integers(min_value=0))
    def correct_contribution(self, index: int) -> None:
        keys = sorted(self.ref.usd_contributions)
        target = keys[index % len(keys)]
        on, amount, partner = self.ref.usd_contributions[target]
        event = Correction(
            EventId(self.next_id("fix")), FAR, corrects=EventId(target), reason="test"
        )
        ok = target not in self.ref.corrected and self.ref.can_pay("USD", on, amount)
        if self.expect(event, ok):
            self.ref.corrected.add(target)
            self.ref.cash.append((on, "USD", -amount))
            self.ref.contributed[partner] -= amount

    @precondition(lambda self: self.file is None)
    @rule()
    def begin_file(self) -> None:
        self.file = (self.state.mark(), copy.deepcopy(self.ref), len(self.accepted))

    @precondition(lambda self: self.file is not None)
    @rule(commit=st.booleans())
    def end_file(self, commit: bool) -> None:
        assert self.file is not None
        mark, ref, accepted = self.file
        if not commit:
            self.state.rollback(mark)
            self.ref = ref
            del self.accepted[accepted:]
        self.state.release()
        self.file = None

    @invariant()
    def books_are_sound(self) -> None:
        assert check_ledger(self.state, TERMS) == ()

    @invariant()
    def cash_matches_reference(self) -> None:
        days = sorted({d for d, _, _ in self.ref.cash} | {FAR})
        for code in ("USD", "UAH"):
            for on in days[-5:]:
                assert self.state.cash(code, on) == self.ref.cash_on(code, on)
                assert self.state.cash(code, on) >= 0

    @invariant()
    def contributions_match_reference(self) -> None:
        view = capital_accounts(self.state, FAR)
        for account in view.partners:
            expected = self.ref.contributed.get(account.partner, Decimal(0))
            assert account.contributed_total == expected


LedgerMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestLedgerMachine = LedgerMachine.TestCase
