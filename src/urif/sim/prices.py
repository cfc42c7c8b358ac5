"""Commodity price models: GBM, Schwartz one-factor and Schwartz–Smith two-factor.

Owns the compiled price parameters, the correlation matrix (with eigenvalue repair and a
flag when a repair happened), its Cholesky factor and the exact annual-step simulation
of log prices for many paths at once. Correlation is between the Brownian increments of
the main factor of each commodity (the long-term factor ξ for Schwartz–Smith); price
*levels* of GBM commodities decorrelate over time, as economics.md §2.4 warns.

Formulas (economics.md §2): GBM ln S' = ln S + (μ − σ²/2)Δ + σ√Δ Z; Schwartz
X' = X e^{−κΔ} + α(1 − e^{−κΔ}) + σ √((1 − e^{−2κΔ})/(2κ)) Z with α = ln(long_run);
Schwartz–Smith χ' = e^{−κΔ}χ + ε₁, ξ' = ξ + μ_ξΔ + ε₂, ln S = χ + ξ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from urif.core.errors import InvalidInput
from urif.sim.scenario import PriceModel

FloatArray = NDArray[np.float64]
KIND_CODE = {"gbm": 0, "schwartz": 1, "schwartz_smith": 2}


@dataclass(frozen=True, slots=True)
class CompiledPrices:
    """Price parameters as arrays over commodities, and the Cholesky factor."""

    commodities: tuple[str, ...]
    kind: NDArray[np.int64]
    spot: FloatArray
    drift: FloatArray
    sigma: FloatArray
    kappa: FloatArray
    long_run: FloatArray
    sigma_chi: FloatArray
    mu_xi: FloatArray
    sigma_xi: FloatArray
    rho: FloatArray
    chi0: FloatArray
    cholesky: FloatArray
    repaired: bool


def correlation_matrix(
    commodities: Sequence[str], pairs: Sequence[tuple[str, str, float]]
) -> tuple[FloatArray, bool]:
    """The correlation matrix from pairs; repaired to positive definite if needed.

    >>> m, fixed = correlation_matrix(["a", "b"], [("a", "b", 0.5)])
    >>> m.tolist(), fixed
    ([[1.0, 0.5], [0.5, 1.0]], False)
    """
    index = {c: i for i, c in enumerate(commodities)}
    matrix = np.eye(len(commodities))
    for a, b, rho in pairs:
        if a not in index or b not in index:
            raise InvalidInput(f"correlation: unknown commodity in pair ({a}, {b})")
        matrix[index[a], index[b]] = matrix[index[b], index[a]] = rho
    values, vectors = np.linalg.eigh(matrix)
    if values.min() > 1e-10:
        return matrix, False
    clipped = np.clip(values, 1e-6, None)
    fixed = (vectors * clipped) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    fixed = fixed / np.outer(scale, scale)
    np.fill_diagonal(fixed, 1.0)
    return fixed, True


def compile_prices(
    models: Sequence[PriceModel], pairs: Sequence[tuple[str, str, float]]
) -> CompiledPrices:
    """Arrays of the price parameters in the order given, plus the Cholesky factor."""
    names = tuple(m.commodity for m in models)
    matrix, repaired = correlation_matrix(names, pairs)

    def arr(attr: str) -> FloatArray:
        return np.array([float(getattr(m, attr)) for m in models], dtype=np.float64)

    return CompiledPrices(
        commodities=names,
        kind=np.array([KIND_CODE[m.kind] for m in models], dtype=np.int64),
        spot=arr("spot"),
        drift=arr("drift"),
        sigma=arr("sigma"),
        kappa=arr("kappa"),
        long_run=arr("long_run"),
        sigma_chi=arr("sigma_chi"),
        mu_xi=arr("mu_xi"),
        sigma_xi=arr("sigma_xi"),
        rho=arr("rho"),
        chi0=arr("chi0"),
        cholesky=np.asarray(np.linalg.cholesky(matrix), dtype=np.float64),
        repaired=repaired,
    )


def schwartz_smith_step_moments(
    kappa: FloatArray | float,
    sigma_chi: FloatArray | float,
    sigma_xi: FloatArray | float,
    rho: FloatArray | float,
    dt: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Standard deviations of (ε₁, ε₂) over one step and their correlation.

    >>> sd1, sd2, r = schwartz_smith_step_moments(1.49, 0.286, 0.145, 0.3, 1.0)
    >>> round(float(sd2), 3), round(float(r), 3)
    (0.145, 0.276)
    """
    k = np.asarray(kappa, dtype=np.float64)
    var1 = np.asarray(sigma_chi) ** 2 * (1 - np.exp(-2 * k * dt)) / (2 * k)
    var2 = np.asarray(sigma_xi) ** 2 * dt
    cov = np.asarray(rho) * np.asarray(sigma_chi) * np.asarray(sigma_xi) * (1 - np.exp(-k * dt)) / k
    sd1, sd2 = np.sqrt(var1), np.sqrt(var2)
    denom = sd1 * sd2
    corr = np.divide(cov, denom, out=np.zeros_like(np.asarray(denom, dtype=float)), where=denom > 0)
    return sd1, sd2, np.clip(corr, -1.0, 1.0)


def simulate_prices(p: CompiledPrices, z: FloatArray, scale: float = 1.0) -> FloatArray:
    """Price paths shaped ``(path, year, commodity)`` from normals ``(path, year, K, 2)``.

    Year 0 is the spot price; each later year is one exact annual step (the normals of
    year 0, and the second normal of models other than Schwartz–Smith, are not read).
    ``scale`` multiplies every volatility (0 gives the deterministic path). A view of
    ``prices_by_commodity``.
    """
    ss = np.flatnonzero(p.kind == KIND_CODE["schwartz_smith"])
    main = z[:, 1:, :, 0].transpose(2, 1, 0)
    short = z[:, 1:, :, 1][:, :, ss].transpose(2, 1, 0)
    return prices_by_commodity(p, main, short, scale).transpose(2, 1, 0)


def prices_by_commodity(
    p: CompiledPrices,
    main: FloatArray,
    short: FloatArray,
    scale: float = 1.0,
    only: NDArray[np.int64] | None = None,
) -> FloatArray:
    """Prices shaped ``(commodity, year, path)`` (each commodity's year a contiguous row).

    ``main`` is ``(K, year - 1, path)``: the independent normals of each step, correlated
    here by the Cholesky factor; ``short`` is ``(S, year - 1, path)``: the short-term
    factor's own normal for each Schwartz–Smith commodity, in commodity order. ``only``
    picks the commodities to price (all by default); the others are never stepped.
    """
    kk, steps, n = main.shape
    keep = np.arange(kk) if only is None else np.asarray(only, dtype=np.int64)
    kind = p.kind[keep]
    sigma = p.sigma[keep] * scale
    gbm = kind == KIND_CODE["gbm"]
    ss_all = np.flatnonzero(p.kind == KIND_CODE["schwartz_smith"])
    ss = np.flatnonzero(kind == KIND_CODE["schwartz_smith"])  # rows of ``keep``
    kap = np.where(p.kappa[keep] > 0, p.kappa[keep], 1.0)
    decay = np.exp(-kap)
    alpha = np.log(np.where(p.long_run[keep] > 0, p.long_run[keep], 1.0))
    ou_sd = sigma * np.sqrt((1 - np.exp(-2 * kap)) / (2 * kap))
    sd1, sd2, corr = schwartz_smith_step_moments(
        kap, p.sigma_chi[keep] * scale, p.sigma_xi[keep] * scale, p.rho[keep], 1.0
    )
    tail = np.sqrt(1 - corr**2)
    # one linear step x' = a x + b + c ε for every model; for Schwartz-Smith x = χ + ξ with
    # ξ' = ξ + μ_ξ + sd₂ε, so a = 1, b = μ_ξ, c = sd₂, and χ' − χ is added from χ's own state
    a = np.where(gbm, 1.0, decay)
    b = np.where(gbm, p.drift[keep] - 0.5 * sigma**2, alpha * (1 - decay))
    c = np.where(gbm, sigma, ou_sd)
    a[ss], b[ss], c[ss] = 1.0, p.mu_xi[keep][ss], sd2[ss]
    # correlated main shocks: the Cholesky row's nonzero terms, in column order (no BLAS
    # call: its threads would spin on the other core after every product)
    eps = np.empty((len(keep), steps, n))
    term = np.empty((steps, n))
    for r, i in enumerate(keep):
        nonzero = np.flatnonzero(p.cholesky[i])
        np.multiply(main[nonzero[0]], p.cholesky[i, nonzero[0]], out=eps[r])
        for j in nonzero[1:]:
            eps[r] += np.multiply(main[j], p.cholesky[i, j], out=term)
    inno = None
    if len(ss):  # the short-term factor's step innovation, from the raw correlated shock
        col = np.searchsorted(ss_all, keep[ss])
        inno = sd1[ss, None, None] * (
            corr[ss, None, None] * eps[ss] + tail[ss, None, None] * short[col]
        )
    eps *= c[:, None, None]
    eps += b[:, None, None]
    logs = np.empty((len(keep), steps + 1, n))
    logs[:, 0] = np.log(p.spot[keep])[:, None]
    if bool(np.all(a == 1.0)):  # every step is a random walk: a running sum
        for t in range(1, steps + 1):
            np.add(logs[:, t - 1], eps[:, t - 1], out=logs[:, t])
    else:
        for t in range(1, steps + 1):
            np.multiply(logs[:, t - 1], a[:, None], out=logs[:, t])
            logs[:, t] += eps[:, t - 1]
    if inno is not None:  # ln S = χ + ξ: add χ's change since year 0 to the ξ walk
        chi = np.broadcast_to(p.chi0[keep][ss, None], (len(ss), n)).copy()
        shift = np.zeros_like(chi)
        for t in range(1, steps + 1):
            moved = chi * (decay[ss, None] - 1)
            moved += inno[:, t - 1]
            chi += moved
            shift += moved
            logs[ss, t] += shift
    return np.exp(logs, out=logs)
