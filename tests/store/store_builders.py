"""Builders shared by the store tests: a small event stream and a recorded-at stamp."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from urif.events import Commitment, Contribution, ContributionKind, Event, FxRate

RECORDED_AT = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)


def stream(count: int, prefix: str = "e") -> list[Event]:
    """``count`` simple events with distinct ids (fx rates, commitments, contributions)."""
    out: list[Event] = []
    for i in range(count):
        on = dt.date(2025, 9, 1) + dt.timedelta(days=i % 300)
        event_id = f"{prefix}-{i:05d}"
        if i % 3 == 0:
            out.append(FxRate(event_id, on, base="USD", quote="UAH", rate=Decimal("41.2574")))
        elif i % 3 == 1:
            out.append(Commitment(event_id, on, partner="dfc", amount=Decimal(i), currency="USD"))
        else:
            out.append(
                Contribution(
                    event_id,
                    on,
                    partner="ppp_agency",
                    kind=ContributionKind.CASH,
                    amount=Decimal(f"{i}.25"),
                    currency="USD",
                    note="ünïcode ✓",
                )
            )
    return out
