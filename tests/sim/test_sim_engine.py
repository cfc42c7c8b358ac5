"""The engine: reproducible on any chunking, faithful to the fund's rules on every path."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from urif.sim.engine import BLOCK, Compiled, block_seeds, compile_model, draw_blocks, evolve
from urif.sim.executors import LocalExecutor
from urif.sim.scenario import ScenarioSpec
from urif.sim.simulation import simulate
from urif.terms.model import Terms

from .conftest import terms_for


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    for name, value in a.items():
        np.testing.assert_array_equal(value, b[name])


def test_same_seed_same_numbers_for_any_chunk_size_and_workers(compiled: Compiled) -> None:
    paths = 3 * BLOCK + 100
    one = simulate(compiled, paths, np.random.default_rng(7), chunk_size=paths)
    small = simulate(compiled, paths, np.random.default_rng(7), chunk_size=BLOCK)
    pool = simulate(
        compiled,
        paths,
        np.random.default_rng(7),
        chunk_size=2 * BLOCK,
        executor=LocalExecutor(workers=2),
    )
    _same(one.series, small.series)
    _same(one.scalars, small.scalars)
    _same(one.scalars, pool.scalars)
    other = simulate(compiled, paths, np.random.default_rng(8), chunk_size=paths)
    assert not np.array_equal(one.scalars["npv_dfc"], other.scalars["npv_dfc"])


def test_the_first_paths_do_not_depend_on_the_path_count(compiled: Compiled) -> None:
    short = simulate(compiled, BLOCK, np.random.default_rng(3))
    long = simulate(compiled, 2 * BLOCK, np.random.default_rng(3))
    np.testing.assert_array_equal(short.series["fund_nav"], long.series["fund_nav"][:BLOCK])


@pytest.fixture(scope="module")
def detail(compiled: Compiled) -> dict[str, np.ndarray]:
    blocks = block_seeds(np.random.default_rng(5), 400)
    return evolve(compiled, draw_blocks(compiled, blocks), detail=True).detail


def test_capital_equals_net_assets_plus_in_kind_reserve(detail: dict[str, np.ndarray]) -> None:
    capital = detail["capital"].sum(axis=-1)
    np.testing.assert_allclose(
        capital, detail["nav"] + detail["in_kind_reserve"], rtol=1e-9, atol=1e-3
    )


def test_cash_never_goes_negative(detail: dict[str, np.ndarray]) -> None:
    assert detail["cash"].min() >= -1e-6


def test_no_distribution_before_the_lock_ends(
    compiled: Compiled, detail: dict[str, np.ndarray]
) -> None:
    first_open = compiled.years.index(2035)
    assert not detail["distribution"][:, :first_open].any()
    assert detail["distribution"][:, first_open:].any()


def test_ownership_shares_sum_to_one(detail: dict[str, np.ndarray]) -> None:
    np.testing.assert_allclose(detail["ownership"].sum(axis=-1), 1.0)


def test_occupied_deposits_yield_nothing_without_liberation(
    baseline: ScenarioSpec, signed_terms: list[Terms]
) -> None:
    frozen = dataclasses.replace(
        baseline,
        conflict=dataclasses.replace(
            baseline.conflict, liberation_hazard=0.0, oblast_liberation_hazard=()
        ),
    )
    c = compile_model(frozen, signed_terms)
    out = evolve(c, draw_blocks(c, block_seeds(np.random.default_rng(1), 300)), detail=True)
    occupied = [i for i, d in enumerate(frozen.deposits) if d.territory == "occupied"]
    assert occupied
    assert not out.detail["receipts"][:, :, occupied].any()


def test_strict_reading_counts_no_existing_licence(
    baseline: ScenarioSpec, signed_terms: list[Terms]
) -> None:
    c = compile_model(baseline, signed_terms)
    out = evolve(c, draw_blocks(c, block_seeds(np.random.default_rng(2), 200)), detail=True)
    existing = [i for i, d in enumerate(baseline.deposits) if d.licence_status != "none"]
    assert not out.detail["new"][:, :, existing].any()


def test_march_draft_credits_past_aid_and_shifts_ownership_to_the_us(
    baseline: ScenarioSpec, compiled: Compiled
) -> None:
    draft = compile_model(baseline, terms_for("us-draft-2025-03", baseline.years))
    a = simulate(compiled, 500, np.random.default_rng(4))
    b = simulate(draft, 500, np.random.default_rng(4))
    assert b.series["ownership_dfc"][:, -1].mean() > 0.9 > a.series["ownership_dfc"][:, -1].mean()
    assert b.scalars["contributed_ppp_agency"].mean() > a.scalars["contributed_ppp_agency"].mean()


def test_irr_is_nan_without_a_sign_change() -> None:
    from urif.sim.engine import irr

    rates = irr(np.array([[-100.0, 0.0, 121.0], [-1.0, -1.0, -1.0]]))
    assert rates[0] == pytest.approx(0.1)
    assert np.isnan(rates[1])


def test_start_years_follow_the_yearly_chance(compiled: Compiled) -> None:
    from urif.sim.engine import start_years

    n = 40_000
    u = np.random.default_rng(11).random((n, len(compiled.deposits)))
    free = np.full((n, compiled.liberation_hazard.shape[1]), 10**6)
    start = start_years(compiled, free, u, 10**6)
    j = int(np.flatnonzero((compiled.start_p < 1) & (compiled.occupied_group < 0))[0])
    p, first = float(compiled.start_p[j]), int(compiled.start_min[j])
    for k in range(4):  # P(start = first + k) = (1 - p)^k p
        share = (start[:, j] == first + k).mean()
        assert share == pytest.approx((1 - p) ** k * p, abs=0.01)


def test_liberation_years_follow_the_yearly_hazard(compiled: Compiled) -> None:
    from urif.sim.engine import liberation_years

    n = 40_000
    u = np.random.default_rng(12).random((n, compiled.liberation_hazard.shape[1]))
    free = liberation_years(compiled, u, 10**6)
    h = compiled.liberation_hazard[1:, 0]
    for t in (1, 5, 20):  # P(freed by t) = 1 - Π (1 - h_s), s = 1..t
        assert (free[:, 0] <= t).mean() == pytest.approx(1 - np.prod(1 - h[:t]), abs=0.01)


def test_irr_equals_a_long_bisection() -> None:
    from urif.sim.engine import irr

    rng = np.random.default_rng(13)
    flows = np.concatenate(
        [-rng.random((500, 10)) * 100, rng.random((500, 21)) * rng.random((500, 1)) * 40], axis=1
    )
    rates = irr(flows)
    a, b = np.full(500, -0.99), np.full(500, 10.0)
    t = np.arange(flows.shape[1])

    def npv(rate: np.ndarray) -> np.ndarray:
        return (flows * (1 + rate[:, None]) ** -t).sum(axis=1)

    fa = npv(a)
    for _ in range(80):
        mid = 0.5 * (a + b)
        fm = npv(mid)
        left = np.sign(fm) == np.sign(fa)
        a, fa, b = np.where(left, mid, a), np.where(left, fm, fa), np.where(left, b, mid)
    np.testing.assert_allclose(rates, 0.5 * (a + b), rtol=0, atol=1e-12)
