"""Summaries of a run: fan charts, per-partner headline figures, convergence, files.

Owns turning a ``SimulationResult`` into the JSON-safe summary (``summarise``: keyed by
partner id ``dfc`` and ``ppp_agency``, no NaN: ``None`` instead), the comparison of two
runs on the same draws (``compare_results``) and the Parquet files (``write_parquet``).
Everything here depends only on the arrays, so on the seed and the arguments.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from urif.sim.engine import Compiled
from urif.sim.kernels import PARTNERS
from urif.sim.simulation import SimulationResult

FloatArray = NDArray[np.float64]
PERCENTILES = (5, 25, 50, 75, 95)
#: Deputy Economy Minister Taras Kachka: "at the highest expectations" UAH 1-2bn a year.
PUBLIC_ESTIMATE = {
    "low_uah": 1.0e9,
    "high_uah": 2.0e9,
    "who": "Taras Kachka, Ukraine's deputy economy minister",
    "source": "https://newsbase.com/story/ukraine-pledges-48mn-in-annual-payments-to-joint-subsoil-fund-with-us-380813",
}
NEAR_TERM_YEARS = 5


def _num(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def stats(values: FloatArray) -> dict[str, Any]:
    """Mean, std, standard error, percentiles; NaN values are left out and counted.

    >>> stats(np.array([1.0, 2.0, 3.0, np.nan]))["p50"], stats(np.array([np.nan]))["mean"]
    (2.0, None)
    """
    finite = values[np.isfinite(values)]
    out: dict[str, Any] = {
        "n": int(finite.size),
        "share_defined": _num(finite.size / max(values.size, 1)),
    }
    if finite.size == 0:
        out.update(mean=None, std=None, std_error=None)
        out.update({f"p{p}": None for p in PERCENTILES})
        return out
    std = float(finite.std(ddof=1)) if finite.size > 1 else 0.0
    out.update(
        mean=_num(float(finite.mean())),
        std=_num(std),
        std_error=_num(std / math.sqrt(finite.size)),
    )
    qs = np.percentile(finite, PERCENTILES)
    out.update({f"p{p}": _num(float(q)) for p, q in zip(PERCENTILES, qs, strict=True)})
    return out


def fan(series: FloatArray) -> dict[str, list[float | None]]:
    """Percentiles per year (fan-chart data) of a ``(path, year)`` array, plus the mean."""
    # each year's paths made contiguous first: the same percentiles, in about half the time
    qs = np.percentile(np.ascontiguousarray(series.T), PERCENTILES, axis=1)
    out: dict[str, list[float | None]] = {
        f"p{p}": [_num(float(v)) for v in row] for p, row in zip(PERCENTILES, qs, strict=True)
    }
    out["mean"] = [_num(float(v)) for v in series.mean(axis=0)]
    return out


def _partner(result: SimulationResult, name: str) -> dict[str, Any]:
    s = result.scalars
    years = result.compiled.years
    net = result.series[f"net_position_{name}"]
    received_more = (net > 0).mean(axis=0)
    payback = s[f"payback_{name}"]
    return {
        "contributed_usd": stats(s[f"contributed_{name}"]),
        "past_aid_credit_usd": past_aid_credit(result.compiled, name),
        "distributed_usd": stats(s[f"distributed_{name}"]),
        "capital_end_usd": stats(s[f"capital_end_{name}"]),
        "npv_usd": stats(s[f"npv_{name}"]),
        "npv_with_terminal_capital_usd": stats(s[f"npv_terminal_{name}"]),
        "irr_with_terminal_capital": stats(s[f"irr_{name}"]),
        "payback": {
            "probability_by_horizon": _num(float(np.isfinite(payback).mean())),
            "median_year": (
                int(years[0] + np.nanmedian(payback)) if np.isfinite(payback).any() else None
            ),
        },
        "probability_received_more_than_put_in_by_year": {
            str(y): _num(float(p)) for y, p in zip(years, received_more, strict=True)
        },
    }


def past_aid_credit(compiled: Compiled, partner: str) -> float:
    """Past aid credited to ``partner``'s capital at the start (terms that count it: the
    US drafts): capital, not a cash flow, so it is outside ``contributed_usd``, NPV and
    IRR, and ``capital_end_usd`` = contributed + this credit + income - distributions."""
    return compiled.past_aid_usd if partner == PARTNERS[0] else 0.0


def public_estimate_check(result: SimulationResult) -> dict[str, Any]:
    """Ukraine's near-term yearly contributions in UAH against the public UAH 1-2bn estimate."""
    years = result.compiled.years
    uah = result.series["ukraine_due_uah"][:, 1 : 1 + NEAR_TERM_YEARS]
    low, high = PUBLIC_ESTIMATE["low_uah"], PUBLIC_ESTIMATE["high_uah"]
    assert isinstance(low, float)
    assert isinstance(high, float)
    return {
        **PUBLIC_ESTIMATE,
        "years": list(years[1 : 1 + NEAR_TERM_YEARS]),
        "median_uah_per_year": [_num(float(v)) for v in np.median(uah, axis=0)],
        "probability_below": _num(float((uah < low).mean())),
        "probability_within": _num(float(((uah >= low) & (uah <= high)).mean())),
        "probability_above": _num(float((uah > high).mean())),
    }


HEADLINES = (
    "npv_terminal_dfc",
    "npv_terminal_ppp_agency",
    "distributed_dfc",
    "distributed_ppp_agency",
    "ukraine_due_first10_usd",
    "fund_nav_end",
)


def summarise(result: SimulationResult) -> dict[str, Any]:
    """The JSON-safe summary of one run (deterministic; no ``meta``)."""
    c = result.compiled
    return {
        "scenario": c.scenario,
        "terms": c.terms_version,
        "paths": result.paths,
        "years": list(c.years),
        "discount_rate": c.discount_rate,
        "partners": {name: _partner(result, name) for name in PARTNERS},
        "ukraine_contributions": {
            "per_year_usd": fan(result.series["ukraine_due_usd"]),
            "per_year_uah": fan(result.series["ukraine_due_uah"]),
            "first_10_years_usd": stats(result.scalars["ukraine_due_first10_usd"]),
            "public_estimate": public_estimate_check(result),
        },
        "fund": {
            "nav_usd": fan(result.series["fund_nav"]),
            "nav_end_usd": stats(result.scalars["fund_nav_end"]),
            "in_kind_credit_usd": stats(result.scalars["in_kind_credit_usd"]),
            "ownership_dfc": fan(result.series["ownership_dfc"]),
        },
        "net_position_usd": {name: fan(result.series[f"net_position_{name}"]) for name in PARTNERS},
        "convergence": {
            name: {
                "mean": stats(result.scalars[name])["mean"],
                "std_error": stats(result.scalars[name])["std_error"],
            }
            for name in HEADLINES
        },
        "warnings": warnings(result),
    }


def warnings(result: SimulationResult) -> list[str]:
    """Sanity checks against the bands of economics.md §6 and model repairs."""
    out: list[str] = []
    if result.compiled.prices.repaired:
        out.append("correlation matrix was not positive definite and was repaired")
    med = np.median(result.series["ukraine_due_usd"], axis=0)
    if (med > 5e8).any():
        out.append("median Ukrainian contribution above USD 500m a year: check the scenario")
    ten = float(np.median(result.scalars["ukraine_due_first10_usd"]))
    if ten > 1e10:
        out.append("median ten-year Ukrainian contribution above USD 10bn: check the scenario")
    return out


def compare_results(a: SimulationResult, b: SimulationResult) -> dict[str, Any]:
    """Per-partner figures under two term sets on the same draws, and per-path deltas."""
    metrics = (
        ("contributed_usd", "contributed"),
        ("distributed_usd", "distributed"),
        ("capital_end_usd", "capital_end"),
        ("npv_usd", "npv"),
        ("npv_with_terminal_capital_usd", "npv_terminal"),
    )
    partners: dict[str, Any] = {}
    for name in PARTNERS:
        rows: dict[str, Any] = {}
        for label, key in metrics:
            va, vb = a.scalars[f"{key}_{name}"], b.scalars[f"{key}_{name}"]
            rows[label] = {"a": stats(va), "b": stats(vb), "delta_b_minus_a": stats(vb - va)}
        own_a = a.series["ownership_dfc"][:, -1]
        own_b = b.series["ownership_dfc"][:, -1]
        share_a = own_a if name == "dfc" else 1 - own_a
        share_b = own_b if name == "dfc" else 1 - own_b
        rows["past_aid_credit_usd"] = {
            "a": past_aid_credit(a.compiled, name),
            "b": past_aid_credit(b.compiled, name),
            "delta_b_minus_a": past_aid_credit(b.compiled, name)
            - past_aid_credit(a.compiled, name),
        }
        rows["ownership_share_end"] = {
            "a": stats(share_a),
            "b": stats(share_b),
            "delta_b_minus_a": stats(share_b - share_a),
        }
        rows["probability_received_more_than_put_in_by_horizon"] = {
            "a": _num(float((a.series[f"net_position_{name}"][:, -1] > 0).mean())),
            "b": _num(float((b.series[f"net_position_{name}"][:, -1] > 0).mean())),
        }
        partners[name] = rows
    return {
        "terms_a": a.compiled.terms_version,
        "terms_b": b.compiled.terms_version,
        "scenario": a.compiled.scenario,
        "paths": a.paths,
        "years": list(a.compiled.years),
        "partners": partners,
        "ownership_dfc": {"a": fan(a.series["ownership_dfc"]), "b": fan(b.series["ownership_dfc"])},
        "ukraine_contributions_first_10_years_usd": {
            "a": stats(a.scalars["ukraine_due_first10_usd"]),
            "b": stats(b.scalars["ukraine_due_first10_usd"]),
        },
    }


def write_parquet(
    result: SimulationResult, summary: Mapping[str, Any], out_dir: Path
) -> list[Path]:
    """Per-year fan data and per-path scalars as Parquet files in ``out_dir``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    years = list(result.compiled.years)
    rows: dict[str, list[Any]] = {"series": [], "year": [], **{f"p{p}": [] for p in PERCENTILES}}
    rows["mean"] = []
    for name, arr in result.series.items():
        data = fan(arr)
        for i, year in enumerate(years):
            rows["series"].append(name)
            rows["year"].append(year)
            for key in (*(f"p{p}" for p in PERCENTILES), "mean"):
                rows[key].append(data[key][i])
    fan_path = out_dir / "fan.parquet"
    pq.write_table(pa.table(rows), fan_path)
    paths_path = out_dir / "paths.parquet"
    table = {"path": np.arange(result.paths), **result.scalars}
    pq.write_table(pa.table(table), paths_path)
    del summary
    return [fan_path, paths_path]
