"""Screening decisions, review cases, lapsing false positives and the payment gate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from urif.compliance.gate import ComplianceGate
from urif.compliance.state import (
    BLOCKED,
    CLEAR,
    REVIEW,
    ComplianceState,
    CounterpartyRecord,
    NameHit,
    decided,
    screen_counterparty,
)
from urif.core.errors import Blocked, Conflict
from urif.core.ids import CounterpartyId, EventId, ProjectId, ProposalId
from urif.events.model import (
    CaseOpened,
    CounterpartyKind,
    CounterpartyRegistered,
    CountryCode,
    Event,
    Investment,
    OwnerShare,
    ScreeningCompleted,
)

D = dt.date(2026, 3, 1)


@dataclass
class ExactNameScreener:
    """A stub matcher: exact (case-insensitive) names → (band, score, fingerprint)."""

    listed: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def screen(self, counterparty: CounterpartyRecord) -> tuple[NameHit, ...]:
        found = self.listed.get(counterparty.name.lower())
        if found is None:
            return ()
        band, entity, fingerprint = found
        score = Decimal("0.97") if band == BLOCKED else Decimal("0.85")
        return (NameHit("eu-833", entity, counterparty.name, score, band, "exact", fingerprint),)


def register(
    state: ComplianceState,
    cp: str,
    name: str,
    *,
    on: dt.date = D,
    owners: tuple[tuple[str, str], ...] = (),
    country: str = "UA",
) -> CounterpartyRegistered:
    event = CounterpartyRegistered(
        id=EventId(f"reg-{cp}-{name}"),
        on=on,
        counterparty=CounterpartyId(cp),
        name=name,
        kind=CounterpartyKind.COMPANY,
        country=CountryCode(country),
        owners=tuple(OwnerShare(CounterpartyId(o), Decimal(s)) for o, s in owners),
    )
    state.apply(event)
    return event


def screen(
    state: ComplianceState, cp: str, screener: ExactNameScreener, on: dt.date = D
) -> tuple[Event, ...]:
    events = screen_counterparty(state, cp, on, screener, trigger=f"t-{cp}-{on}")
    for event in events:
        state.apply(event)
    return events


def pay(cp: str) -> Investment:
    return Investment(
        id=EventId("inv-1"),
        on=D,
        proposal=ProposalId("p-1"),
        project=ProjectId("dobra"),
        counterparty=CounterpartyId(cp),
        amount=Decimal("1000000"),
        currency="USD",  # type: ignore[arg-type]
    )


def test_clear_counterparty_is_paid() -> None:
    state = ComplianceState()
    register(state, "cp-dobra", "Dobra Lithium Holdings")
    events = screen(state, "cp-dobra", ExactNameScreener())
    assert isinstance(events[-1], ScreeningCompleted)
    assert events[-1].decision == CLEAR
    ComplianceGate(state).check(pay("cp-dobra"), "cp-dobra", D)


def test_owned_60_percent_through_an_intermediary_by_annex_iv_company_is_blocked_with_path() -> (
    None
):
    state = ComplianceState()
    screener = ExactNameScreener({"jsc sirius": (BLOCKED, "eu-833-iv-1", "f1")})
    register(state, "cp-sirius", "JSC Sirius", country="RU")
    register(state, "cp-mid", "Intermediary Holdings", owners=(("cp-sirius", "0.60"),))
    register(state, "cp-target", "Target Mining", owners=(("cp-mid", "1"),))
    for cp in state.screening_order():
        screen(state, cp, screener)
    assert state.status_on("cp-target", D).status == BLOCKED  # type: ignore[union-attr]
    with pytest.raises(Blocked) as refused:
        ComplianceGate(state).check(pay("cp-target"), "cp-target", D)
    message = str(refused.value)
    assert "eu-833-iv-1" in message
    assert "-60%->" in message
    assert "-100%->" in message


def test_payment_before_first_screening_is_refused() -> None:
    state = ComplianceState()
    register(state, "cp-a", "Alpha")
    screen(state, "cp-a", ExactNameScreener(), on=D)
    with pytest.raises(Blocked, match="not screened on or before"):
        ComplianceGate(state).check(pay("cp-a"), "cp-a", D - dt.timedelta(days=1))


def test_review_hit_opens_a_case_and_blocks_payment_until_decided() -> None:
    state = ComplianceState()
    screener = ExactNameScreener({"acme trade": (REVIEW, "eu-833-iv-9", "f1")})
    register(state, "cp-acme", "Acme Trade")
    events = screen(state, "cp-acme", screener)
    opened = [e for e in events if isinstance(e, CaseOpened)]
    assert len(opened) == 1
    gate = ComplianceGate(state)
    with pytest.raises(Blocked, match="under review without a decision"):
        gate.check(pay("cp-acme"), "cp-acme", D)
    case = state.cases[opened[0].case]
    later = D + dt.timedelta(days=2)
    state.apply(
        decided(
            case,
            "false_positive",
            "different INN",
            decided_by="reviewer",
            on=later,
            event_id="dec-1",
        )
    )
    gate.check(pay("cp-acme"), "cp-acme", later)  # clear after the decision
    with pytest.raises(Blocked):
        gate.check(pay("cp-acme"), "cp-acme", D)  # but not before it
    with pytest.raises(Conflict):
        decided(state.cases[case.case], "confirm", "again", decided_by="r", on=later, event_id="x")


def test_false_positive_holds_on_rescreen_but_lapses_when_the_list_entry_changes() -> None:
    state = ComplianceState()
    register(state, "cp-acme", "Acme Trade")
    first = screen(state, "cp-acme", ExactNameScreener({"acme trade": (REVIEW, "e-9", "f1")}))
    case = state.cases[first[0].case]  # type: ignore[attr-defined]
    state.apply(decided(case, "false_positive", "not them", decided_by="r", on=D, event_id="d"))
    again = screen(state, "cp-acme", ExactNameScreener({"acme trade": (REVIEW, "e-9", "f1")}))
    assert len(again) == 1
    assert state.status_on("cp-acme", D).status == CLEAR  # type: ignore[union-attr]
    changed = screen(state, "cp-acme", ExactNameScreener({"acme trade": (REVIEW, "e-9", "f2")}))
    assert isinstance(changed[0], CaseOpened)
    assert changed[0].case != case.case
    assert state.status_on("cp-acme", D).status == REVIEW  # type: ignore[union-attr]


def test_false_positive_lapses_when_the_counterparty_data_change() -> None:
    state = ComplianceState()
    screener = ExactNameScreener({"acme trade": (REVIEW, "e-9", "f1")})
    register(state, "cp-acme", "Acme Trade")
    first = screen(state, "cp-acme", screener)
    case = state.cases[first[0].case]  # type: ignore[attr-defined]
    state.apply(decided(case, "false_positive", "not them", decided_by="r", on=D, event_id="d"))
    register(state, "cp-acme", "Acme Trade", country="RU")
    again = screen(state, "cp-acme", screener)
    assert isinstance(again[0], CaseOpened)


def test_confirmed_case_blocks() -> None:
    state = ComplianceState()
    register(state, "cp-acme", "Acme Trade")
    first = screen(state, "cp-acme", ExactNameScreener({"acme trade": (REVIEW, "e-9", "f1")}))
    case = state.cases[first[0].case]  # type: ignore[attr-defined]
    state.apply(decided(case, "confirm", "same OGRN", decided_by="r", on=D, event_id="d"))
    with pytest.raises(Blocked, match="blocked"):
        ComplianceGate(state).check(pay("cp-acme"), "cp-acme", D)


def test_minority_listed_owner_gives_review_under_the_funds_policy() -> None:
    state = ComplianceState()
    screener = ExactNameScreener({"jsc sirius": (BLOCKED, "eu-833-iv-1", "f1")})
    register(state, "cp-sirius", "JSC Sirius")
    register(state, "cp-t", "Target", owners=(("cp-sirius", "0.10"),))
    for cp in state.screening_order():
        screen(state, cp, screener)
    entry = state.status_on("cp-t", D)
    assert entry is not None
    assert entry.status == REVIEW
    assert "fund any-listed-owner policy" in entry.note
    assert state.dependents("cp-sirius") == ("cp-t",)


def test_unregistered_payee_is_refused_and_partners_are_exempt() -> None:
    gate = ComplianceGate(ComplianceState())
    with pytest.raises(Blocked, match="not a registered counterparty"):
        gate.check(pay("nobody"), "nobody", D)
    gate.check(pay("dfc"), "dfc", D)
