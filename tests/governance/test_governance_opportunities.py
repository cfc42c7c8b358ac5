"""Opportunity events carry the holder (DESIGN.md §3), and the favourable-terms threshold
applies to the cost of capital as it does to the price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from urif.core.errors import InvalidInput
from urif.events import parse_event
from urif.governance import GovernanceState, apply, opportunities_view
from urif.governance.opportunities import OfferedTerms, more_favourable
from urif.terms.model import Terms

NOTICE = {
    "id": "o1",
    "type": "opportunity_notified",
    "on": "2026-03-01",
    "opportunity": "OPP2",
    "holder": "Holder B",
    "kind": "permit",
}


def _fold(state: GovernanceState, objs: list[dict[str, Any]], terms: Terms) -> None:
    for obj in objs:
        apply(state, parse_event(obj, "test"), terms)


def _declined_then(cost_of_capital: str) -> list[dict[str, Any]]:
    return [
        NOTICE,
        {
            "id": "o2",
            "type": "offer_declined",
            "on": "2026-06-01",
            "opportunity": "OPP2",
            "holder": "Holder B",
            "terms": {"cost_of_capital": "0.10"},
        },
        {
            "id": "o3",
            "type": "third_party_terms",
            "on": "2026-07-01",
            "opportunity": "OPP2",
            "holder": "Holder B",
            "counterparty": "cp-x",
            "cost_of_capital": cost_of_capital,
        },
    ]


def test_every_opportunity_event_accepts_the_holder_and_interest_needs_no_by(
    signed: Terms,
) -> None:
    state = GovernanceState()
    interest = {
        "id": "o4",
        "type": "interest_expressed",
        "on": "2026-06-15",
        "opportunity": "OPP2",
        "holder": "Holder B",
    }
    _fold(state, [*_declined_then("0.099"), interest], signed)
    (view,) = opportunities_view(state)
    assert view["interest"] == {"on": parse_event(interest, "t").on, "by": None}


def test_an_opportunity_event_naming_another_holder_is_refused(signed: Terms) -> None:
    state = GovernanceState()
    _fold(state, [NOTICE], signed)
    wrong = {
        "id": "o2",
        "type": "interest_expressed",
        "on": "2026-03-02",
        "opportunity": "OPP2",
        "holder": "Holder C",
        "by": "partnership",
    }
    with pytest.raises(InvalidInput, match="'Holder C' is not the holder of opportunity OPP2"):
        _fold(state, [wrong], signed)


@pytest.mark.parametrize(("third", "breach"), [("0.099", False), ("0.096", False), ("0.095", True)])
def test_cost_of_capital_must_be_lower_by_the_threshold_to_breach(
    signed: Terms, third: str, breach: bool
) -> None:
    state = GovernanceState()
    _fold(state, _declined_then(third), signed)
    (view,) = opportunities_view(state)
    rules = [b["rule"] for b in view["breaches"]]  # type: ignore[attr-defined]
    assert rules == (["favourable_terms"] if breach else [])


def test_the_cost_of_capital_breach_reads_like_the_price_breach() -> None:
    why = more_favourable(
        OfferedTerms(None, Decimal("0.09")), OfferedTerms(None, Decimal("0.10")), Decimal("0.05")
    )
    assert why == "cost of capital 0.09 is at least 5% below the 0.10 offered to the Partnership"
