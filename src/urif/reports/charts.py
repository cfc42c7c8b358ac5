"""Charts of simulation results as PNG files (matplotlib, Agg backend, no display).

Owns the fan charts (percentile bands per year), the tornado chart and the comparison
chart of two term sets. Inputs are the JSON-safe summaries of ``urif.sim.results`` and
``urif.sim.sensitivity``, so the dashboard can draw the same data later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

PARTNER_LABEL = {"dfc": "US (DFC)", "ppp_agency": "Ukraine (PPP Agency)"}


def _values(seq: Sequence[float | None], scale: float) -> list[float]:
    return [float("nan") if v is None else v / scale for v in seq]


def fan_chart(
    years: Sequence[int],
    data: Mapping[str, Sequence[float | None]],
    title: str,
    ylabel: str,
    out: Path,
    *,
    scale: float = 1e6,
    band: tuple[float, float, str] | None = None,
) -> Path:
    """A fan chart: median line, 25–75 and 5–95 percentile bands; optional reference band."""
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    x = list(years)
    ax.fill_between(
        x,
        _values(data["p5"], scale),
        _values(data["p95"], scale),
        alpha=0.2,
        color="#1f77b4",
        label="5–95%",
    )
    ax.fill_between(
        x,
        _values(data["p25"], scale),
        _values(data["p75"], scale),
        alpha=0.4,
        color="#1f77b4",
        label="25–75%",
    )
    ax.plot(x, _values(data["p50"], scale), color="#1f77b4", label="median")
    if band is not None:
        low, high, label = band
        ax.axhspan(low / scale, high / scale, color="#ff7f0e", alpha=0.15, label=label)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def simulation_charts(summary: Mapping[str, Any], out_dir: Path) -> list[Path]:
    """The standard fan charts of one run."""
    years = summary["years"]
    estimate = summary["ukraine_contributions"]["public_estimate"]
    files = [
        fan_chart(
            years,
            summary["ukraine_contributions"]["per_year_uah"],
            f"Ukraine's agreed revenue per year ({summary['terms']})",
            "UAH bn",
            out_dir / "ukraine_contributions_uah.png",
            scale=1e9,
            band=(estimate["low_uah"], estimate["high_uah"], "public estimate UAH 1–2bn"),
        ),
        fan_chart(
            years, summary["fund"]["nav_usd"], "Fund net assets", "USD m", out_dir / "fund_nav.png"
        ),
    ]
    for name, data in summary["net_position_usd"].items():
        files.append(
            fan_chart(
                years,
                data,
                f"{PARTNER_LABEL.get(name, name)}: received less put in, cumulative",
                "USD m",
                out_dir / f"net_position_{name}.png",
            )
        )
    return files


def tornado_chart(
    tornado: Mapping[str, Any], metric: str, out: Path, *, scale: float = 1e6
) -> Path:
    """Horizontal bars from the base mean to the low and high settings of each parameter."""
    bars = list(tornado["metrics"][metric])[:8][::-1]
    base = tornado["base"][metric] / scale
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    for i, bar in enumerate(bars):
        low, high = bar["low"] / scale, bar["high"] / scale
        ax.barh(i, low - base, left=base, color="#d62728", alpha=0.7)
        ax.barh(i, high - base, left=base, color="#2ca02c", alpha=0.7)
    ax.set_yticks(range(len(bars)), [b["parameter"] for b in bars], fontsize=8)
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_title(f"Tornado: mean {metric} (red low, green high)")
    ax.set_xlabel("USD m")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def compare_chart(comparison: Mapping[str, Any], out: Path) -> Path:
    """Two panels: mean figures per partner under A and B, and DFC's ownership share."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=110)
    labels, a_vals, b_vals = [], [], []
    for name, rows in comparison["partners"].items():
        for metric in ("distributed_usd", "capital_end_usd", "npv_with_terminal_capital_usd"):
            labels.append(f"{PARTNER_LABEL.get(name, name)}\n{metric.replace('_usd', '')}")
            a_vals.append((rows[metric]["a"]["mean"] or 0.0) / 1e6)
            b_vals.append((rows[metric]["b"]["mean"] or 0.0) / 1e6)
    x = range(len(labels))
    left.bar([i - 0.2 for i in x], a_vals, width=0.4, label=comparison["terms_a"])
    left.bar([i + 0.2 for i in x], b_vals, width=0.4, label=comparison["terms_b"])
    left.set_xticks(list(x), labels, fontsize=6, rotation=30, ha="right")
    left.set_ylabel("USD m (mean)")
    left.legend(fontsize=8)
    left.grid(alpha=0.3, axis="y")
    years = comparison["years"]
    for key, style in (("a", "-"), ("b", "--")):
        data = comparison["ownership_dfc"][key]
        right.plot(
            years, _values(data["p50"], 1.0), style, label=f"{comparison['terms_' + key]} (median)"
        )
    right.set_ylim(0, 1)
    right.set_title("US (DFC) ownership share")
    right.legend(fontsize=8)
    right.grid(alpha=0.3)
    fig.suptitle(f"{comparison['terms_a']} vs {comparison['terms_b']} on the same draws")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out
