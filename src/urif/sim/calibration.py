"""Calibration of the price models from a price history.

Owns reading a price history CSV (``date,commodity,price``; maturity columns optional),
GBM moment estimates, least squares for the Schwartz one-factor model (an AR(1)
regression of log prices) and Kalman-filter maximum likelihood for Schwartz–Smith on a
panel of log futures prices (Schwartz & Smith 2000, eq. 9 and the state space of §3).
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from urif.core.dates import parse_date
from urif.core.errors import InvalidInput, Problem
from urif.sim.prices import schwartz_smith_step_moments

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class GbmFit:
    """Drift μ and volatility σ per year."""

    drift: float
    sigma: float


@dataclass(frozen=True, slots=True)
class SchwartzFit:
    """Mean reversion κ, volatility σ and the long-run level exp(α) (per year)."""

    kappa: float
    sigma: float
    long_run: float


@dataclass(frozen=True, slots=True)
class SchwartzSmithFit:
    """Schwartz–Smith parameters, the measurement error and the log-likelihood."""

    kappa: float
    sigma_chi: float
    lambda_chi: float
    mu_xi: float
    sigma_xi: float
    mu_xi_star: float
    rho: float
    measurement_sd: float
    log_likelihood: float


def load_price_history(path: Path) -> dict[str, tuple[tuple[str, ...], FloatArray]]:
    """Read ``date,commodity,price`` rows into per-commodity (dates, prices), date order."""
    problems: list[Problem] = []
    rows: dict[str, list[tuple[str, float]]] = defaultdict(list)
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise InvalidInput(f"price history {path}: cannot read: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        need = {"date", "commodity", "price"}
        if not need <= set(reader.fieldnames or ()):
            raise InvalidInput(f"price history {path}: expected columns {sorted(need)}")
        for line, row in enumerate(reader, start=2):
            try:
                day = parse_date(row["date"], field="date").isoformat()
                price = float(row["price"])
                if not price > 0 or not math.isfinite(price):
                    raise ValueError
            except (InvalidInput, ValueError):
                problems.append(Problem(f"{path} line {line}", "expected a date and a price > 0"))
                continue
            rows[row["commodity"]].append((day, price))
    if problems:
        raise InvalidInput(f"price history {path}: {len(problems)} bad row(s)", tuple(problems))
    out: dict[str, tuple[tuple[str, ...], FloatArray]] = {}
    for name, items in rows.items():
        items.sort()
        out[name] = (tuple(d for d, _ in items), np.array([p for _, p in items]))
    return out


def fit_gbm(prices: FloatArray, dt: float) -> GbmFit:
    """GBM drift and volatility from log returns; rows of a 2-D array are paths.

    >>> fit_gbm(np.array([1.0, 2.0, 4.0]), 1.0).sigma
    0.0
    """
    returns = np.diff(np.log(np.atleast_2d(prices)), axis=-1).ravel()
    sigma = float(returns.std(ddof=1) / math.sqrt(dt)) if returns.size > 1 else 0.0
    if not math.isfinite(sigma):
        sigma = 0.0
    return GbmFit(drift=float(returns.mean() / dt + 0.5 * sigma**2), sigma=sigma)


def fit_schwartz(prices: FloatArray, dt: float) -> SchwartzFit:
    """Least squares for Schwartz (1997) model 1: regress ln S' on ln S (pooled over rows)."""
    logs = np.log(np.atleast_2d(prices))
    x, y = logs[:, :-1].ravel(), logs[:, 1:].ravel()
    design = np.column_stack([np.ones_like(x), x])
    (a, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    if not 0 < b < 1 - 1e-6:
        raise InvalidInput(
            f"schwartz calibration: no mean reversion in the series (AR coefficient {b:.3f}); "
            "use gbm for this commodity"
        )
    resid = y - design @ np.array([a, b])
    kappa = -math.log(b) / dt
    alpha = a / (1 - b)
    sigma = float(resid.std(ddof=2)) * math.sqrt(2 * kappa / (1 - b * b))
    return SchwartzFit(kappa=kappa, sigma=sigma, long_run=math.exp(alpha))


def futures_loading(
    maturities: FloatArray,
    *,
    kappa: float,
    sigma_chi: float,
    lambda_chi: float,
    sigma_xi: float,
    mu_xi_star: float,
    rho: float,
) -> tuple[FloatArray, FloatArray]:
    """``(e^{−κT}, A(T))`` of ln F(t, T) = e^{−κT}χ + ξ + A(T) (Schwartz & Smith eq. 9)."""
    t = np.asarray(maturities, dtype=np.float64)
    e1 = np.exp(-kappa * t)
    a = (
        mu_xi_star * t
        - (1 - e1) * lambda_chi / kappa
        + 0.5
        * (
            (1 - np.exp(-2 * kappa * t)) * sigma_chi**2 / (2 * kappa)
            + sigma_xi**2 * t
            + 2 * (1 - e1) * rho * sigma_chi * sigma_xi / kappa
        )
    )
    return e1, a


def schwartz_smith_loglik(
    params: FloatArray, log_futures: FloatArray, maturities: FloatArray, dt: float
) -> float:
    """Kalman-filter log-likelihood of a panel ``(time, maturity)`` of log futures prices.

    ``params`` = κ, σ_χ, λ_χ, μ_ξ, σ_ξ, μ*_ξ, ρ, measurement sd.
    """
    kappa, s_chi, lam, mu, s_xi, mu_star, rho, s_eps = (float(v) for v in params)
    if kappa <= 1e-6 or s_chi <= 0 or s_xi <= 0 or s_eps <= 0 or abs(rho) >= 0.999:
        return -1e12
    e1, a = futures_loading(
        maturities,
        kappa=kappa,
        sigma_chi=s_chi,
        lambda_chi=lam,
        sigma_xi=s_xi,
        mu_xi_star=mu_star,
        rho=rho,
    )
    h = np.column_stack([e1, np.ones_like(e1)])
    sd1, sd2, corr = schwartz_smith_step_moments(kappa, s_chi, s_xi, rho, dt)
    q = np.array([[sd1**2, corr * sd1 * sd2], [corr * sd1 * sd2, sd2**2]], dtype=np.float64)
    g = np.array([[math.exp(-kappa * dt), 0.0], [0.0, 1.0]])
    c = np.array([0.0, mu * dt])
    r = np.eye(len(maturities)) * s_eps**2
    # diffuse-ish start: χ at its stationary spread, ξ from the first observation
    first = log_futures[0] - a
    state = np.array([0.0, float(np.mean(first))])
    cov = np.array([[s_chi**2 / (2 * kappa), 0.0], [0.0, 1.0]])
    total = 0.0
    m = len(maturities)
    const = m * math.log(2 * math.pi)
    n_obs = len(log_futures)
    previous = cov
    for i in range(n_obs):
        state = c + g @ state
        resid = log_futures[i] - (h @ state + a)
        cov = g @ cov @ g.T + q
        f = h @ cov @ h.T + r
        try:
            chol = np.linalg.cholesky(f)
        except np.linalg.LinAlgError:
            return -1e12
        f_inv = np.linalg.inv(f)
        logdet = 2 * float(np.log(np.diag(chol)).sum())
        gain = cov @ h.T @ f_inv
        new_cov = cov - gain @ h @ cov
        total += -0.5 * (const + logdet + float(resid @ f_inv @ resid))
        state = state + gain @ resid
        # the covariance recursion does not depend on the data: once it has converged
        # the gain is fixed and the rest is a linear filter, run at once
        settled = np.abs(new_cov - previous).max() <= 1e-10 * np.abs(new_cov).max()
        if settled and i + 1 < n_obs:
            rest = log_futures[i + 1 :] - a
            return total + _steady_loglik(rest, state, g, c, h, gain, f_inv, logdet)
        cov = previous = new_cov
    return float(total)


def _steady_loglik(
    u: FloatArray,
    filtered: FloatArray,
    g: FloatArray,
    c: FloatArray,
    h: FloatArray,
    gain: FloatArray,
    f_inv: FloatArray,
    logdet: float,
) -> float:
    """Log-likelihood of the remaining observations ``u`` (less A(T)) with a fixed gain.

    Predicted states follow x' = A x + c + G K u with A = G (I − K H); in A's eigenbasis
    each component is a first-order recursion, which ``lfilter`` runs in one call.
    """
    from scipy.signal import lfilter

    a_mat = g @ (np.eye(2) - gain @ h)
    values, vectors = np.linalg.eig(a_mat)
    inv = np.linalg.inv(vectors)
    drive = (c[None, :] + (g @ gain @ u.T).T) @ inv.T  # (N, 2) in the eigenbasis
    first = inv @ (c + g @ filtered)
    z = np.empty((len(u), 2), dtype=complex)
    for j in range(2):
        inp = np.concatenate([[first[j]], drive[:-1, j]])
        z[:, j] = lfilter([1.0], [1.0, -values[j]], inp)
    pred = np.real(z @ vectors.T)  # (N, 2)
    resid = u - pred @ h.T
    quad = np.einsum("ij,jk,ik->i", resid, f_inv, resid)
    m = u.shape[1]
    return float(-0.5 * (len(u) * (m * math.log(2 * math.pi) + logdet) + quad.sum()))


def fit_schwartz_smith(
    log_futures: FloatArray,
    maturities: FloatArray,
    dt: float,
    start: SchwartzSmithFit | None = None,
) -> SchwartzSmithFit:
    """Maximum likelihood for Schwartz–Smith by Kalman filter on a log futures panel."""
    data = np.atleast_2d(np.asarray(log_futures, dtype=np.float64))
    mats = np.asarray(maturities, dtype=np.float64)
    if data.shape[1] != mats.size:
        raise InvalidInput(
            f"schwartz_smith calibration: {data.shape[1]} columns but {mats.size} maturities"
        )
    s = start or SchwartzSmithFit(1.0, 0.3, 0.0, 0.0, 0.15, 0.0, 0.0, 0.01, 0.0)
    x0 = np.array(
        [
            math.log(s.kappa),
            math.log(s.sigma_chi),
            s.lambda_chi,
            s.mu_xi,
            math.log(s.sigma_xi),
            s.mu_xi_star,
            math.atanh(s.rho),
            math.log(s.measurement_sd),
        ]
    )

    def unpack(v: FloatArray) -> FloatArray:
        return np.array(
            [
                math.exp(v[0]),
                math.exp(v[1]),
                v[2],
                v[3],
                math.exp(v[4]),
                v[5],
                math.tanh(v[6]),
                math.exp(v[7]),
            ]
        )

    def objective(v: FloatArray) -> float:
        return -schwartz_smith_loglik(unpack(v), data, mats, dt)

    best = minimize(objective, x0, method="L-BFGS-B")
    p = [float(v) for v in unpack(best.x)]
    return SchwartzSmithFit(
        kappa=p[0],
        sigma_chi=p[1],
        lambda_chi=p[2],
        mu_xi=p[3],
        sigma_xi=p[4],
        mu_xi_star=p[5],
        rho=p[6],
        measurement_sd=p[7],
        log_likelihood=float(-best.fun),
    )


def simulate_schwartz_smith_panel(
    fit: SchwartzSmithFit,
    maturities: FloatArray,
    steps: int,
    dt: float,
    rng: np.random.Generator,
    *,
    chi0: float = 0.0,
    xi0: float = 4.0,
) -> FloatArray:
    """Synthetic log futures ``(steps, maturities)`` from known parameters (for tests)."""
    sd1, sd2, corr = schwartz_smith_step_moments(
        fit.kappa, fit.sigma_chi, fit.sigma_xi, fit.rho, dt
    )
    e1, a = futures_loading(
        np.asarray(maturities),
        kappa=fit.kappa,
        sigma_chi=fit.sigma_chi,
        lambda_chi=fit.lambda_chi,
        sigma_xi=fit.sigma_xi,
        mu_xi_star=fit.mu_xi_star,
        rho=fit.rho,
    )
    chi, xi = chi0, xi0
    out = np.empty((steps, len(maturities)))
    decay = math.exp(-fit.kappa * dt)
    for i in range(steps):
        z1, z2 = rng.standard_normal(2)
        chi = chi * decay + float(sd1) * z1
        xi = (
            xi
            + fit.mu_xi * dt
            + float(sd2) * (float(corr) * z1 + math.sqrt(1 - float(corr) ** 2) * z2)
        )
        out[i] = e1 * chi + xi + a + fit.measurement_sd * rng.standard_normal(len(maturities))
    return out
