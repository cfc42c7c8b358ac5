"""Summaries: the partners' headline figures reconcile (capital = what was put in and
credited, plus income, less distributions)."""

from __future__ import annotations

import numpy as np

from urif.sim.engine import Compiled, block_seeds, compile_model, draw_blocks, evolve
from urif.sim.results import compare_results, summarise
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
