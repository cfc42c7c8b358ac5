"""A realistic, deterministic mixed event stream for the ledger benchmarks.

``generate_events(n, seed)`` yields ``n`` JSON-ready event objects in value-date order:
the two partners' commitments, counterparties that expenses pay, then day by day an NBU
USD/UAH rate followed by a mix of cash, in-kind and agreed-revenue contributions, licences
issued after entry into force, state receipts under those licences, project income,
valuations and expenses under the approval threshold.  Amounts are decimal strings; ids
are unique (``b-00000001``...).  ``write_stream(path, n, seed)`` writes JSON Lines.

Run as a script to write a stream: ``python bench/ledger_stream.py OUT.jsonl [N] [SEED]``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

START = dt.date(2025, 9, 17)
#: Relative weights of the event kinds after the opening events (fx rates are one a day).
DEFAULT_MIX: Mapping[str, float] = {
    "contribution_cash": 14,
    "contribution_in_kind": 2,
    "contribution_agreed_revenue": 2,
    "licence_issued": 5,
    "state_receipt": 40,
    "project_income": 17,
    "valuation": 4,
    "expense": 16,
}
RESOURCES = ("lithium", "graphite", "titanium", "natural_gas", "oil", "rare_earths", "uranium")
ITEMS = ("royalty", "permit_fee", "auction_price", "production_share", "signing_bonus")
COMMITMENT_USD = Decimal("75000000.00")
PAYEES = 20
PROJECTS = 25


def _money(value: float) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def generate_events(
    n: int, seed: int = 7, mix: Mapping[str, float] | None = None
) -> Iterator[dict[str, object]]:
    """Yield ``n`` event objects (JSON-ready) in value-date order, reproducibly from ``seed``."""
    rng = random.Random(seed)
    weights = dict(mix or DEFAULT_MIX)
    kinds = list(weights)
    cumulative = [weights[k] for k in kinds]
    emitted = 0
    counter = 0

    def next_id() -> str:
        nonlocal counter
        counter += 1
        return f"b-{counter:08d}"

    opening: list[dict[str, object]] = [
        {"type": "fx_rate", "base": "USD", "quote": "UAH", "rate": "41.2574", "source": "NBU"},
        {"type": "commitment", "partner": "dfc", "amount": f"{COMMITMENT_USD}", "currency": "USD"},
        {
            "type": "commitment",
            "partner": "ppp_agency",
            "amount": f"{COMMITMENT_USD}",
            "currency": "USD",
        },
    ]
    for payee in range(PAYEES):
        opening.append(
            {
                "type": "counterparty_registered",
                "counterparty": f"payee-{payee:02d}",
                "name": f"Service provider {payee:02d}",
                "kind": "company",
                "country": "UA" if payee % 2 else "US",
                "identifiers": {"edrpou": f"{40000000 + payee}"},
            }
        )
    for obj in opening:
        if emitted >= n:
            return
        yield {"id": next_id(), "on": START.isoformat(), **obj}
        emitted += 1

    remaining = max(n - emitted, 0)
    days = max(30, min(3650, remaining // 50))
    per_day = max(remaining - days, 0) / days
    expected_cash = max(remaining * weights.get("contribution_cash", 0) / sum(cumulative), 1)
    cash_each = float(COMMITMENT_USD) * 2 / (expected_cash + 1)
    licences: list[str] = []
    rate = 41.2574
    debt = 0.0
    for day_index in range(days):
        if emitted >= n:
            return
        day = START + dt.timedelta(days=day_index + 1)
        on = day.isoformat()
        rate = max(30.0, rate * (1 + rng.gauss(0, 0.002)))
        yield {
            "id": next_id(),
            "type": "fx_rate",
            "on": on,
            "base": "USD",
            "quote": "UAH",
            "rate": f"{rate:.4f}",
            "source": "NBU",
        }
        emitted += 1
        debt += per_day
        while debt >= 1 and emitted < n:
            debt -= 1
            kind = rng.choices(kinds, cum_weights=None, weights=cumulative)[0]
            obj = _event(kind, rng, day, licences, cash_each)
            yield {"id": next_id(), "on": on, **obj}
            emitted += 1
    while emitted < n:  # rounding leftovers: more receipts on the last day
        obj = _event("project_income", rng, day, licences, cash_each)
        yield {"id": next_id(), "on": on, **obj}
        emitted += 1


def _event(
    kind: str, rng: random.Random, day: dt.date, licences: list[str], cash_each: float
) -> dict[str, object]:
    if kind == "contribution_cash":
        partner = rng.choice(("dfc", "ppp_agency"))
        return {
            "type": "contribution",
            "partner": partner,
            "kind": "cash",
            "amount": _money(cash_each * rng.uniform(0.5, 1.0)),
            "currency": "USD",
        }
    if kind == "contribution_in_kind":
        return {
            "type": "contribution",
            "partner": "dfc",
            "kind": "in_kind",
            "amount": _money(rng.uniform(1e5, 5e6)),
            "currency": "USD",
            "category": "air_defence",
            "valuation": {
                "method": "mod_assessed_value",
                "assessed_by": "Ministry of Defence of Ukraine",
                "assessed_on": day.isoformat(),
            },
            "agreed": True,
            "delivered_on": (day - dt.timedelta(days=rng.randint(0, 20))).isoformat(),
            "illustrative": True,
        }
    if kind == "contribution_agreed_revenue":
        return {
            "type": "contribution",
            "partner": "ppp_agency",
            "kind": "agreed_revenue",
            "amount": _money(rng.uniform(1e5, 4e6)),
            "currency": "UAH",
            "for_year": day.year - 1 if day.year > 2025 else 2025,
        }
    if kind == "licence_issued" or (kind == "state_receipt" and not licences):
        licence = f"UA-LIC-{len(licences) + 1:06d}"
        licences.append(licence)
        return {
            "type": "licence_issued",
            "licence": licence,
            "instrument": rng.choice(("licence", "special_permit", "psa")),
            "resource": rng.choice(RESOURCES),
            "deposit": f"dep-{rng.randint(1, 400):03d}",
            "holder": f"holder-{rng.randint(1, 150):03d}",
        }
    if kind == "state_receipt":
        return {
            "type": "state_receipt",
            "licence": rng.choice(licences),
            "item": rng.choice(ITEMS),
            "amount": _money(rng.uniform(1e4, 2e6)),
            "currency": "UAH",
        }
    if kind == "project_income":
        return {
            "type": "project_income",
            "project": f"proj-{rng.randint(1, PROJECTS):02d}",
            "amount": _money(rng.uniform(1e3, 2e5)),
            "currency": "USD",
            "category": rng.choice(("dividend", "interest", "royalty_stream")),
        }
    if kind == "valuation":
        return {
            "type": "valuation",
            "project": f"proj-{rng.randint(1, PROJECTS):02d}",
            "fair_value": _money(rng.uniform(1e6, 5e7)),
            "currency": "USD",
            "method": "dcf",
            "level": 3,
        }
    if kind == "expense":
        return {
            "type": "expense",
            "counterparty": f"payee-{rng.randint(0, PAYEES - 1):02d}",
            "amount": _money(rng.uniform(50, 900)),
            "currency": "USD",
            "category": rng.choice(("administration", "audit", "legal", "advisory")),
        }
    raise ValueError(f"unknown event kind {kind!r}")


def stream_lines(n: int, seed: int = 7) -> list[bytes]:
    """The stream as JSON Lines byte strings (compact, keys in generation order)."""
    return [json.dumps(obj, separators=(",", ":")).encode() for obj in generate_events(n, seed)]


def write_stream(path: Path, n: int, seed: int = 7) -> Path:
    """Write ``n`` events as JSON Lines to ``path``; returns ``path``."""
    with path.open("wb") as out:
        for line in stream_lines(n, seed):
            out.write(line)
            out.write(b"\n")
    return path


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: python bench/ledger_stream.py OUT.jsonl [N] [SEED]", file=sys.stderr)
        sys.exit(0)  # `make bench` runs every bench script; without arguments do nothing
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    write_stream(target, count, int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    print(json.dumps({"wrote": str(target), "events": count}))
