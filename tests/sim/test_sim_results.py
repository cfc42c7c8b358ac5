"""Summaries: the partners' headline figures reconcile (capital = what was put in and
credited, plus income, less distributions)."""

from __future__ import annotations

import numpy as np
import pytest

from urif.sim.engine import Compiled, block_seeds, compile_model, draw_blocks, evolve
from urif.sim.results import PERCENTILES, compare_results, fan, summarise
from urif.sim.scenario import ScenarioSpec
from urif.sim.simulation import simulate

from .conftest import terms_for


def test_past_aid_credit_is_reported_and_reconciles_capital(baseline: ScenarioSpec) -> None:
    draft = compile_model(baseline, terms_for("us-draft-2025-03", baseline.years))
    assert draft.past_aid_usd > 0
    out = evolve(draft, draw_blocks(draft, block_seeds(np.random.default_rng(3), 64)), detail=True)
    s, allocated = out.scalars, out.detail["allocated"].sum(axis=1)  # (path, partner)
    for k, name in enumerate(("dfc", "ppp_agency")):
        credit = draft.past_aid_usd if name == "dfc" else 0.0
        rebuilt = s[f"contributed_{name}"] + credit + allocated[:, k] - s[f"distributed_{name}"]
        np.testing.assert_allclose(s[f"capital_end_{name}"], rebuilt, rtol=1e-9, atol=1e-3)
    summary = summarise(simulate(draft, 64, np.random.default_rng(3)))
    assert summary["partners"]["dfc"]["past_aid_credit_usd"] == draft.past_aid_usd
    assert summary["partners"]["ppp_agency"]["past_aid_credit_usd"] == 0.0


def test_compare_shows_the_past_aid_credit_of_each_side(
    baseline: ScenarioSpec, compiled: Compiled
) -> None:
    draft = compile_model(baseline, terms_for("us-draft-2025-03", baseline.years))
    a = simulate(draft, 32, np.random.default_rng(1))
    b = simulate(compiled, 32, np.random.default_rng(1))
    rows = compare_results(a, b)["partners"]["dfc"]["past_aid_credit_usd"]
    assert rows == {"a": draft.past_aid_usd, "b": 0.0, "delta_b_minus_a": -draft.past_aid_usd}


def test_fan_gives_each_years_percentiles_and_mean_of_its_paths() -> None:
    series = np.random.default_rng(9).lognormal(size=(1001, 7))
    series[3, 2] = np.nan  # a failed figure on one path: numpy's rule (nan) for that year
    out = fan(series)
    for p in PERCENTILES:
        want = [np.percentile(series[:, t], p) for t in range(7)]
        got = [np.nan if v is None else v for v in out[f"p{p}"]]
        np.testing.assert_array_equal(got, want)
    assert out["mean"][0] == pytest.approx(float(series[:, 0].mean()), rel=1e-14)
