"""Parity with the ledger: a deterministic scenario as events, and the simulator's books.

Owns ``deterministic_spec`` (volatility zero and every probability 0 or 1, so one path
is fully determined), ``parity_case`` (that path run in cents mode, turned into DESIGN.md
§3 events, plus the simulator's capital accounts and obligations per year as Decimal
strings) and the event builders. The ledger-side test ingests ``ParityCase.events`` and
compares ``urif accounts`` / ``urif obligations`` as of each 31 December with ``years``.

In cents mode every amount an event carries is rounded half up to the cent inside the
engine, and splits are the exact largest-remainder splits of ``urif.core.money``, so
the two sides can agree to the cent. Money is in USD (state receipts at the year's
rate); an ``fx_rate`` is still recorded every 1 January.

Without ``governance`` the events carry no investments, expenses or distributions (those
need approved proposals), so ``deterministic_spec`` turns fees and distributions off by
default; investments do not touch capital accounts. With ``governance=True`` the case
also appoints a 3+3 board, registers project companies, grants site consent and passes
one unanimous proposal per investment, expense above the threshold and distribution.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from urif.core.money import round_amount
from urif.rules.revenue import obligation_due_date
from urif.sim.engine import ITEMS, Compiled, compile_model, draw_blocks, evolve
from urif.sim.kernels import PARTNERS
from urif.sim.scenario import ScenarioSpec
from urif.terms.model import Terms

CENT = Decimal("0.01")
BOARD = (
    ("us-1", "us"),
    ("us-2", "us"),
    ("us-3", "us"),
    ("ua-1", "ua"),
    ("ua-2", "ua"),
    ("ua-3", "ua"),
)


def deterministic_spec(
    spec: ScenarioSpec, *, fees: bool = False, distributions: bool = False
) -> ScenarioSpec:
    """``spec`` with every probability 0 or 1: awards and starts happen at their start
    year, occupied ground is never freed, no disruption, no conversion crisis, every
    optional contribution paid; fees and distributions only if asked for.
    """
    c = spec.conflict
    ct = spec.contributions
    return replace(
        spec,
        deposits=tuple(replace(d, start_probability=1.0) for d in spec.deposits),
        conflict=replace(
            c,
            liberation_hazard=0.0,
            liberation_hazard_after_ceasefire=0.0,
            oblast_liberation_hazard=(),
            disruption_probability=0.0,
            damage_probability=0.0,
            disruption_probability_after_ceasefire=0.0,
            damage_probability_after_ceasefire=0.0,
        ),
        conversion=replace(spec.conversion, start_probability=0.0, end_probability=1.0),
        contributions=replace(
            ct,
            ukraine_extra_cash_probability=1.0,
            in_kind=replace(ct.in_kind, probability=1.0),
        ),
        fund=replace(
            spec.fund,
            fee_rate=spec.fund.fee_rate if fees else 0.0,
            payout_ratio=spec.fund.payout_ratio if distributions else 0.0,
            agreement_probability=1.0,
        ),
    )


@dataclass(frozen=True, slots=True)
class ParityCase:
    """Events to ingest, and the simulator's figures per year to compare with the ledger."""

    events: tuple[dict[str, Any], ...]
    years: tuple[dict[str, Any], ...]
    compiled: Compiled


def _d(value: float) -> Decimal:
    """A cent-valued float as an exact Decimal with two places."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def _s(value: float) -> str:
    return str(_d(value))


def _q(value: Decimal) -> str:
    return str(value.quantize(CENT))


class _Log:
    def __init__(self, critical: tuple[str, ...] = ()) -> None:
        self.events: list[dict[str, Any]] = []
        self.critical = critical

    def add(self, ident: str, event_type: str, on: dt.date, /, **fields: Any) -> None:
        self.events.append(
            {"id": f"sim-{ident}", "type": event_type, "on": on.isoformat(), **fields}
        )

    def approve(self, ident: str, on: dt.date, kind: str, subject: dict[str, Any]) -> str:
        proposal = f"sim-p-{ident}"
        self.add(
            f"prop-{ident}",
            "proposal_submitted",
            on,
            proposal=proposal,
            body="board",
            kind=kind,
            subject=subject,
            submitted_by="sim-us-1",
        )
        # critical kinds need every vote; ordinary ones resolve at a simple majority (4 of 6)
        voters = BOARD if kind in self.critical else (BOARD[0], BOARD[3], BOARD[1], BOARD[4])
        for member, _ in voters:
            self.add(
                f"vote-{ident}-{member}",
                "vote_cast",
                on,
                proposal=proposal,
                member=f"sim-{member}",
                vote="yes",
                conflict_declared=False,
            )
        return proposal


def parity_case(
    spec: ScenarioSpec,
    terms_by_year: Sequence[Terms],
    *,
    seed: int = 0,
    governance: bool = False,
) -> ParityCase:
    """Run one deterministic path in cents mode and express it as events and figures."""
    c = compile_model(spec, terms_by_year, vol_scale=0.0)
    seeds = np.random.SeedSequence(seed).spawn(1)
    out = evolve(c, draw_blocks(c, [(seeds[0], 1)]), cents=True, detail=True)
    det = {name: arr[0] for name, arr in out.detail.items()}
    log = _Log(tuple(terms_by_year[0].critical_decisions))
    first = c.years[0]
    dep_specs = {d.id: d for d in spec.deposits}
    holder = {d: f"sim-co-{d}" for d in c.deposits}
    threshold = Decimal(str(terms_by_year[0].expense_approval_threshold_usd))
    if governance:
        day = dt.date(first, 1, 2)
        for member, side in BOARD:
            log.add(
                f"member-{member}",
                "member_appointed",
                day,
                member=f"sim-{member}",
                name=f"Simulated manager {member}",
                side=side,
                body="board",
            )
        for dep in c.deposits:
            log.add(
                f"cp-{dep}",
                "counterparty_registered",
                day,
                counterparty=holder[dep],
                name=f"Simulated project company {dep}",
                kind="company",
                country="UA",
            )
        log.add(
            "cp-pool",
            "counterparty_registered",
            day,
            counterparty="sim-co-pool",
            name="Simulated infrastructure pool",
            kind="company",
            country="UA",
        )
        log.add(
            "consent-pool",
            "site_consent",
            day,
            deposit="sim-pool",
            granted=True,
            authority="Cabinet of Ministers of Ukraine (simulated)",
        )
        log.add(
            "cp-admin",
            "counterparty_registered",
            day,
            counterparty="sim-administrator",
            name="Simulated fund administrator",
            kind="company",
            country="US",
        )
    # licences: existing ones as history, new ones when awarded
    start = det["start"].astype(int)
    for j, dep in enumerate(c.deposits):
        ds = dep_specs[dep]
        if ds.licence_status != "none":
            issued = dt.date(ds.licence_issued_year or first - 5, 1, 1)
            log.add(
                f"lic-{dep}",
                "licence_issued",
                issued,
                licence=f"sim-{dep}",
                instrument=ds.instrument,
                resource=ds.resource,
                deposit=dep,
                holder=holder[dep],
                developed_at_cutoff=ds.licence_status == "existing_developed",
            )
        elif start[j] < c.n_years:
            log.add(
                f"lic-{dep}",
                "licence_issued",
                dt.date(c.years[start[j]], 7, 1),
                licence=f"sim-{dep}",
                instrument=ds.instrument,
                resource=ds.resource,
                deposit=dep,
                holder=holder[dep],
                developed_at_cutoff=False,
            )
    permits_licence = None
    owed: dict[int, Decimal] = {}
    paid: dict[int, Decimal] = {}
    cum = {
        p: {
            "cash": Decimal(0),
            "in_kind": Decimal(0),
            "agreed_revenue": Decimal(0),
            "income": Decimal(0),
            "distributions": Decimal(0),
        }
        for p in PARTNERS
    }
    figures: list[dict[str, Any]] = []
    for t, year in enumerate(c.years):
        log.add(
            f"fx-{year}",
            "fx_rate",
            dt.date(year, 1, 1),
            base="USD",
            quote="UAH",
            rate=str(Decimal(repr(float(det["fx"][t]))).quantize(Decimal("0.0001"))),
        )
        # 31 March: agreed revenue of earlier years, oldest first
        transfer = _d(det["transfer"][t])
        for for_year in sorted(owed):
            if transfer <= 0:
                break
            left = owed[for_year] - paid.get(for_year, Decimal(0))
            part = min(left, transfer)
            if part > 0:
                log.add(
                    f"ar-{year}-{for_year}",
                    "contribution",
                    dt.date(year, 3, 31),
                    partner="ppp_agency",
                    kind="agreed_revenue",
                    amount=str(part),
                    currency="USD",
                    for_year=for_year,
                )
                paid[for_year] = paid.get(for_year, Decimal(0)) + part
                cum["ppp_agency"]["agreed_revenue"] += part
                transfer -= part
        # 30 June: cash and in-kind
        mid = dt.date(year, 6, 30)
        for ident, partner, value in (
            ("us", "dfc", det["us_cash"][t]),
            ("ua", "ppp_agency", det["ua_cash"][t] + det["ua_multiple"][t]),
        ):
            if value > 0:
                log.add(
                    f"cash-{ident}-{year}",
                    "contribution",
                    mid,
                    partner=partner,
                    kind="cash",
                    amount=_s(value),
                    currency="USD",
                )
                cum[partner]["cash"] += _d(value)
        if det["in_kind"][t] > 0:
            log.add(
                f"inkind-{year}",
                "contribution",
                mid,
                partner="dfc",
                kind="in_kind",
                amount=_s(det["in_kind"][t]),
                currency="USD",
                category="military_assistance",
                valuation={
                    "method": "assessed_value",
                    "assessed_by": "ua_ministry_of_defence",
                    "assessed_on": mid.isoformat(),
                },
                agreed=True,
                delivered_on=mid.isoformat(),
            )
            cum["dfc"]["in_kind"] += _d(det["in_kind"][t])
        # 1 July: investments (governance only)
        july = dt.date(year, 7, 1)
        if governance:
            for j, dep in enumerate(c.deposits):
                call = det["calls"][t, j]
                if call <= 0:
                    continue
                if det["commit"][t, j] > 0:
                    log.add(
                        f"consent-{dep}",
                        "site_consent",
                        july,
                        deposit=dep,
                        granted=True,
                        authority="Cabinet of Ministers of Ukraine (simulated)",
                    )
                subject = {
                    "project": dep,
                    "counterparty": holder[dep],
                    "amount": _s(call),
                    "currency": "USD",
                }
                proposal = log.approve(f"inv-{year}-{dep}", july, "investment", subject)
                log.add(
                    f"inv-{year}-{dep}",
                    "investment",
                    july,
                    proposal=proposal,
                    project=dep,
                    counterparty=holder[dep],
                    amount=_s(call),
                    currency="USD",
                )
            if det["other_invest"][t] > 0:
                amount = _s(det["other_invest"][t])
                subject = {
                    "project": "sim-pool",
                    "counterparty": "sim-co-pool",
                    "amount": amount,
                    "currency": "USD",
                }
                proposal = log.approve(f"inv-{year}-pool", july, "investment", subject)
                log.add(
                    f"inv-{year}-pool",
                    "investment",
                    july,
                    proposal=proposal,
                    project="sim-pool",
                    counterparty="sim-co-pool",
                    amount=amount,
                    currency="USD",
                )
        # 31 December: receipts, income, expenses, distributions
        dec = dt.date(year, 12, 31)
        for j, dep in enumerate(c.deposits):
            for i, item in enumerate(ITEMS):
                value = det["receipts"][t, j, i]
                if value > 0:
                    log.add(
                        f"rcpt-{year}-{dep}-{item}",
                        "state_receipt",
                        dec,
                        licence=f"sim-{dep}",
                        item=item,
                        amount=_s(value),
                        currency="USD",
                    )
        auction, rent = det["permits"][t]
        if auction > 0:
            lic = f"sim-permits-{year}"
            if permits_licence is None:
                permits_licence = lic
            log.add(
                f"lic-permits-{year}",
                "licence_issued",
                july,
                licence=lic,
                instrument="special_permit",
                resource="graphite",
                deposit="sim-other-permits",
                holder="sim-co-permits",
                developed_at_cutoff=False,
            )
            log.add(
                f"rcpt-{year}-permits-auction",
                "state_receipt",
                dec,
                licence=lic,
                item="auction_price",
                amount=_s(auction),
                currency="USD",
            )
        if rent > 0 and permits_licence is not None:
            log.add(
                f"rcpt-{year}-permits-royalty",
                "state_receipt",
                dec,
                licence=permits_licence,
                item="royalty",
                amount=_s(rent),
                currency="USD",
            )
        for j, dep in enumerate(c.deposits):
            if det["income"][t, j] > 0:
                log.add(
                    f"inc-{year}-{dep}",
                    "project_income",
                    dec,
                    project=dep,
                    amount=_s(det["income"][t, j]),
                    currency="USD",
                    category="dividend",
                )
        if det["other_income"][t] > 0:
            log.add(
                f"inc-{year}-pool",
                "project_income",
                dec,
                project="sim-pool",
                amount=_s(det["other_income"][t]),
                currency="USD",
                category="dividend",
            )
        if det["expense"][t] > 0:
            amount = _s(det["expense"][t])
            fields: dict[str, Any] = {
                "counterparty": "sim-administrator",
                "amount": amount,
                "currency": "USD",
                "category": "fees",
            }
            if _d(det["expense"][t]) > threshold:
                fields["proposal"] = log.approve(
                    f"exp-{year}",
                    dec,
                    "expense",
                    {"counterparty": "sim-administrator", "amount": amount, "currency": "USD"},
                )
            log.add(f"exp-{year}", "expense", dec, **fields)
        if det["distribution"][t] > 0:
            amount = _s(det["distribution"][t])
            proposal = log.approve(
                f"dist-{year}", dec, "distribution", {"amount": amount, "currency": "USD"}
            )
            log.add(
                f"dist-{year}",
                "distribution",
                dec,
                proposal=proposal,
                amount=amount,
                currency="USD",
            )
        owed[year] = _d(det["due"][t])
        for p, name in enumerate(PARTNERS):
            cum[name]["income"] += _d(det["allocated"][t, p])
            cum[name]["distributions"] += _d(det["distributions"][t, p])
        figures.append(_year_figures(c, det, t, year, cum, owed, paid, terms_by_year[t]))
    return ParityCase(events=tuple(log.events), years=tuple(figures), compiled=c)


def _year_figures(
    c: Compiled,
    det: dict[str, Any],
    t: int,
    year: int,
    cum: dict[str, dict[str, Decimal]],
    owed: dict[int, Decimal],
    paid: dict[int, Decimal],
    terms: Terms,
) -> dict[str, Any]:
    partners = []
    for p, name in enumerate(PARTNERS):
        k = cum[name]
        total = k["cash"] + k["in_kind"] + k["agreed_revenue"]
        capital = _d(det["capital"][t, p])
        assert capital == total + k["income"] - k["distributions"], "capital roll-forward"
        partners.append(
            {
                "partner": name,
                "contributed_cash": _q(k["cash"]),
                "contributed_in_kind": _q(k["in_kind"]),
                "contributed_agreed_revenue": _q(k["agreed_revenue"]),
                "contributed_total": _q(total),
                "income_allocated": _q(k["income"]),
                "distributions": _q(k["distributions"]),
                "capital": str(capital),
                "ownership_share": str(
                    Decimal(repr(float(det["ownership"][t, p]))).quantize(Decimal("0.000001"))
                ),
            }
        )
    obligations = []
    for y in sorted(owed):
        due_on = obligation_due_date(y, terms.transfer_due)
        received = paid.get(y, Decimal(0))
        i = y - c.years[0]
        obligations.append(
            {
                "year": y,
                "receipts_usd": str(round_amount(Decimal(repr(float(det["counted"][i]))), "USD")),
                "due_usd": _q(owed[y]),
                "due_on": due_on.isoformat() if due_on else None,
                "received_usd": _q(received),
                "outstanding_usd": _q(owed[y] - received),
            }
        )
    return {
        "as_of": dt.date(year, 12, 31).isoformat(),
        "partners": partners,
        "net_assets": str(_d(det["nav"][t])),
        "in_kind_reserve": str(_d(det["in_kind_reserve"][t])),
        "obligations": obligations,
    }
