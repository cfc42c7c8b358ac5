"""The deterministic path as events: valid DESIGN §3 events and a consistent roll-forward."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from urif.events.reader import parse_objects
from urif.sim.parity import deterministic_spec, parity_case
from urif.sim.scenario import ScenarioSpec
from urif.terms.model import Terms

CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def case(baseline: ScenarioSpec, signed_terms: list[Terms]):  # type: ignore[no-untyped-def]
    return parity_case(deterministic_spec(baseline), signed_terms)


def test_parity_events_parse_as_design_events(case) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_objects(list(case.events), "parity")
    assert len(parsed.events) == len(case.events)
    assert len({e["id"] for e in case.events}) == len(case.events)


def test_parity_case_is_deterministic(
    baseline: ScenarioSpec, signed_terms: list[Terms], case
) -> None:  # type: ignore[no-untyped-def]
    again = parity_case(deterministic_spec(baseline), signed_terms, seed=99)
    assert again.events == case.events
    assert again.years == case.years


def test_event_amounts_are_whole_cents(case) -> None:  # type: ignore[no-untyped-def]
    for event in case.events:
        if "amount" in event:
            assert Decimal(event["amount"]).as_tuple().exponent == -2


def test_capital_rolls_forward_and_obligations_are_half_the_counted_receipts(case) -> None:  # type: ignore[no-untyped-def]
    last = case.years[-1]
    for p in last["partners"]:
        total = Decimal(p["contributed_total"]) + Decimal(p["income_allocated"])
        assert Decimal(p["capital"]) == total - Decimal(p["distributions"])
    for o in last["obligations"]:
        assert Decimal(o["due_usd"]) == (Decimal(o["receipts_usd"]) / 2).quantize(
            CENT, ROUND_HALF_UP
        )
    assert sum(Decimal(p["ownership_share"]) for p in last["partners"]) == 1


def test_governance_mode_adds_approved_investments(
    baseline: ScenarioSpec, signed_terms: list[Terms]
) -> None:
    spec = deterministic_spec(baseline, fees=True, distributions=True)
    case = parity_case(spec, signed_terms, governance=True)
    kinds = {e["type"] for e in case.events}
    assert {"investment", "proposal_submitted", "vote_cast", "distribution", "expense"} <= kinds
    parse_objects(list(case.events), "parity-governance")
