"""Tornado sensitivities: one scenario parameter at a time, low and high, same draws.

Owns the list of parameters a tornado moves (``PARAMETERS``: scenario transforms) and
``tornado``, which re-runs the model on the same seed (common random numbers) for each
low and high setting and reports each headline figure's mean against the base run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from urif.sim.engine import compile_model
from urif.sim.scenario import ScenarioSpec
from urif.sim.simulation import simulate
from urif.terms.model import Terms

Transform = Callable[[ScenarioSpec, float], ScenarioSpec]
METRICS = ("npv_terminal_dfc", "npv_terminal_ppp_agency", "ukraine_due_first10_usd")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One tornado bar: a name, what it means, the low and high factors and the transform."""

    name: str
    meaning: str
    low: float
    high: float
    apply: Transform


def _prices(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    return replace(
        spec,
        prices=tuple(replace(p, spot=p.spot * f, long_run=p.long_run * f) for p in spec.prices),
    )


def _vol(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    return replace(
        spec,
        prices=tuple(
            replace(p, sigma=p.sigma * f, sigma_chi=p.sigma_chi * f, sigma_xi=p.sigma_xi * f)
            for p in spec.prices
        ),
    )


def _liberation(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    c = spec.conflict
    return replace(
        spec,
        conflict=replace(
            c,
            liberation_hazard=min(1.0, c.liberation_hazard * f),
            oblast_liberation_hazard=tuple(
                (o, min(1.0, h * f)) for o, h in c.oblast_liberation_hazard
            ),
        ),
    )


def _pace(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    return replace(
        spec,
        deposits=tuple(
            replace(d, start_probability=min(1.0, d.start_probability * f)) for d in spec.deposits
        ),
    )


def _capex(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    return replace(
        spec,
        deposits=tuple(
            replace(d, capex_usd=tuple(x * f for x in d.capex_usd)) for d in spec.deposits
        ),
    )


def _rent(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    return replace(
        spec,
        deposits=tuple(
            replace(
                d,
                royalty_rate=min(1.0, d.royalty_rate * f),
                psa_state_share=min(1.0, d.psa_state_share * f),
            )
            for d in spec.deposits
        ),
    )


def _discount(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    return replace(spec, discount_rate=spec.discount_rate + f)


def _in_kind(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    ct = spec.contributions
    return replace(
        spec,
        contributions=replace(ct, in_kind=replace(ct.in_kind, mean_usd=ct.in_kind.mean_usd * f)),
    )


def _front(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    c = spec.conflict
    return replace(
        spec,
        conflict=replace(
            c,
            disruption_probability=min(1.0, c.disruption_probability * f),
            damage_probability=min(1.0, c.damage_probability * f),
        ),
    )


def _agree(spec: ScenarioSpec, f: float) -> ScenarioSpec:
    return replace(spec, fund=replace(spec.fund, agreement_probability=f))


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("price_level", "every price ×0.7 / ×1.3", 0.7, 1.3, _prices),
    Parameter("price_volatility", "every volatility ×0.5 / ×1.5", 0.5, 1.5, _vol),
    Parameter("liberation_hazard", "liberation hazard ×0 / ×2", 0.0, 2.0, _liberation),
    Parameter("licensing_pace", "award and start probabilities ×0.5 / ×1.5", 0.5, 1.5, _pace),
    Parameter("capex", "capital cost ×0.7 / ×1.3", 0.7, 1.3, _capex),
    Parameter("state_take", "rent rates and PSA shares ×0.8 / ×1.2", 0.8, 1.2, _rent),
    Parameter("discount_rate", "discount rate −3 / +3 points", -0.03, 0.03, _discount),
    Parameter("in_kind_aid", "US in-kind aid ×0 / ×2", 0.0, 2.0, _in_kind),
    Parameter("front_line", "front-line disruption and damage ×0 / ×2", 0.0, 2.0, _front),
    Parameter(
        "distribution_agreement", "yearly agreement probability 0.35 / 1.0", 0.35, 1.0, _agree
    ),
)


def tornado(
    spec: ScenarioSpec,
    terms_by_year: Sequence[Terms],
    paths: int,
    seed: int,
    parameters: Sequence[Parameter] = PARAMETERS,
) -> dict[str, Any]:
    """Each parameter low and high on the same draws; bars sorted by swing per metric."""

    def means(s: ScenarioSpec) -> dict[str, float]:
        result = simulate(compile_model(s, terms_by_year), paths, np.random.default_rng(seed))
        return {m: float(np.nanmean(result.scalars[m])) for m in METRICS}

    base = means(spec)
    bars: list[dict[str, Any]] = []
    for p in parameters:
        low, high = means(p.apply(spec, p.low)), means(p.apply(spec, p.high))
        bars.append({"parameter": p.name, "meaning": p.meaning, "low": low, "high": high})
    by_metric = {}
    for m in METRICS:
        ranked = sorted(bars, key=lambda b: -abs(b["high"][m] - b["low"][m]))
        by_metric[m] = [
            {
                "parameter": b["parameter"],
                "meaning": b["meaning"],
                "low": b["low"][m],
                "high": b["high"][m],
                "swing": abs(b["high"][m] - b["low"][m]),
            }
            for b in ranked
        ]
    return {"paths": paths, "base": base, "metrics": by_metric}
