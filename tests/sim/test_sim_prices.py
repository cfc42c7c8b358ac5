"""Price models and their calibration recover known parameters from synthetic paths."""

from __future__ import annotations

import math

import numpy as np
import pytest

from urif.core.errors import InvalidInput
from urif.sim.calibration import (
    SchwartzSmithFit,
    fit_gbm,
    fit_schwartz,
    fit_schwartz_smith,
    simulate_schwartz_smith_panel,
)
from urif.sim.prices import compile_prices, correlation_matrix, simulate_prices
from urif.sim.scenario import PriceModel

OIL = SchwartzSmithFit(1.49, 0.286, 0.157, -0.0125, 0.145, 0.0115, 0.3, 0.01, 0.0)


def _simulate(model: PriceModel, n: int, years: int, seed: int = 3) -> np.ndarray:
    p = compile_prices([model], [])
    z = np.random.default_rng(seed).standard_normal((n, years, 1, 2))
    return simulate_prices(p, z)[:, :, 0]


def test_zero_volatility_gives_the_deterministic_path() -> None:
    model = PriceModel("x", "USD", "gbm", 100.0, drift=0.05, sigma=0.3)
    paths = simulate_prices(compile_prices([model], []), np.ones((2, 4, 1, 2)), scale=0.0)
    assert np.allclose(paths[0, :, 0], 100 * np.exp(0.05 * np.arange(4)))


def test_gbm_calibration_recovers_drift_and_volatility() -> None:
    prices = _simulate(PriceModel("x", "USD", "gbm", 50.0, drift=0.03, sigma=0.4), 400, 30)
    fit = fit_gbm(prices, 1.0)
    assert fit.sigma == pytest.approx(0.4, abs=0.02)
    assert fit.drift == pytest.approx(0.03, abs=0.03)


def test_schwartz_least_squares_recovers_known_parameters() -> None:
    model = PriceModel("x", "USD", "schwartz", 80.0, kappa=0.8, sigma=0.35, long_run=100.0)
    fit = fit_schwartz(_simulate(model, 300, 40), 1.0)
    assert fit.kappa == pytest.approx(0.8, rel=0.15)
    assert fit.sigma == pytest.approx(0.35, rel=0.1)
    assert fit.long_run == pytest.approx(100.0, rel=0.05)


def test_schwartz_refuses_a_series_without_mean_reversion() -> None:
    with pytest.raises(InvalidInput, match="no mean reversion"):
        fit_schwartz(np.exp(np.arange(1.0, 30.0)), 1.0)


def test_schwartz_smith_kalman_mle_recovers_the_oil_parameters() -> None:
    maturities = np.array([0.0, 0.25, 0.5, 1.0, 2.0])
    rng = np.random.default_rng(11)
    panel = simulate_schwartz_smith_panel(OIL, maturities, 260, 1 / 52, rng)
    start = SchwartzSmithFit(1.0, 0.2, 0.0, 0.0, 0.2, 0.0, 0.0, 0.02, 0.0)
    fit = fit_schwartz_smith(panel, maturities, 1 / 52, start)
    assert fit.kappa == pytest.approx(OIL.kappa, rel=0.25)
    assert fit.sigma_chi == pytest.approx(OIL.sigma_chi, rel=0.25)
    assert fit.sigma_xi == pytest.approx(OIL.sigma_xi, rel=0.3)
    assert fit.measurement_sd == pytest.approx(OIL.measurement_sd, rel=0.2)
    assert fit.mu_xi_star == pytest.approx(OIL.mu_xi_star, abs=0.02)


def test_correlated_shocks_have_the_requested_correlation() -> None:
    models = [PriceModel(c, "USD", "gbm", 10.0, sigma=0.3) for c in ("a", "b")]
    p = compile_prices(models, [("a", "b", 0.6)])
    z = np.random.default_rng(5).standard_normal((20000, 2, 2, 2))
    logs = np.log(simulate_prices(p, z))
    step = logs[:, 1] - logs[:, 0]
    assert np.corrcoef(step.T)[0, 1] == pytest.approx(0.6, abs=0.02)


def test_an_impossible_correlation_matrix_is_repaired_and_flagged() -> None:
    pairs = [("a", "b", 0.9), ("b", "c", 0.9), ("a", "c", -0.9)]
    matrix, repaired = correlation_matrix(["a", "b", "c"], pairs)
    assert repaired
    assert np.linalg.eigvalsh(matrix).min() > 0
    assert np.allclose(np.diag(matrix), 1.0)
    assert math.isfinite(float(matrix.sum()))
