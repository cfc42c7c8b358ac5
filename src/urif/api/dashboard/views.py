"""What each dashboard page shows, built from the actions (never SQL) as plain data.

Owns the page data: overview (capital by partner and kind, the fund, cash, Ukraine's
obligation), statements, governance (proposals with votes per side), screening, the
simulation results (latest on-demand run, else the demo's files beside the database),
terms diffs with sources and the deposit map.  Each builder takes the database URL and
plain arguments and returns dicts and tuples for the templates; amounts stay ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from urif.actions import books
from urif.actions.reports import FundFollower
from urif.reports.svg import bars_svg, fan_svg, tornado_svg
from urif.reports.ukraine_map import STATUS_CLASSES, TERRITORIES, MapPoint, map_svg, status_class
from urif.sim.catalogue import load_catalogue
from urif.terms import diff, list_versions, load_termset
from urif.terms.catalogue import show

PARTNER_LABELS = {"dfc": "US (DFC)", "ppp_agency": "Ukraine (PPP Agency)", "gp": "GP"}
#: Capital by kind: (field of ``CapitalAccount``, label).
CAPITAL_KINDS = (
    ("contributed_cash", "Contributed: cash"),
    ("contributed_in_kind", "Contributed: in kind"),
    ("contributed_agreed_revenue", "Contributed: agreed revenue"),
    ("income_allocated", "Income allocated"),
    ("distributions", "Distributions"),
    ("capital", "Capital"),
)


def overview(url: str, as_of: dt.date) -> dict[str, Any]:
    """Capital by partner and kind, the fund's identity, cash and Ukraine's obligation."""
    accounts = books.accounts(url, as_of)
    balances = books.balances(url, as_of)
    obligations = books.obligations(url, as_of)
    partners = [p for p in accounts.partners if p.contributed_total or p.capital or p.commitment]
    chart = bars_svg(
        [
            (
                PARTNER_LABELS.get(p.partner, p.partner),
                [
                    ("cash", float(p.contributed_cash)),
                    ("in kind", float(p.contributed_in_kind)),
                    ("agreed revenue", float(p.contributed_agreed_revenue)),
                    ("income", float(p.income_allocated)),
                ],
            )
            for p in partners
        ],
        f"Partners' capital by kind as of {as_of} (USD m)",
        "USD m",
        stacked=True,
    )
    cash = [line for line in balances.lines if line.account == "assets:cash"]
    total = sum((p.capital for p in accounts.partners), Decimal("0.00"))
    return {
        "accounts": accounts,
        "partners": partners,
        "kinds": CAPITAL_KINDS,
        "chart": chart,
        "cash": cash,
        "total_capital": total,
        "obligations": obligations.years,
        "overdue": [y.year for y in obligations.years if y.overdue],
        "outstanding": sum((y.outstanding_usd for y in obligations.years), Decimal("0.00")),
    }


def default_period(as_of: dt.date) -> str:
    """The last full quarter before ``as_of`` (``2026Q3`` on 2026-11-25).

    >>> default_period(dt.date(2026, 11, 25)), default_period(dt.date(2026, 2, 1))
    ('2026Q3', '2025Q4')
    """
    quarter = (as_of.month - 1) // 3  # the current quarter, 0-based
    return f"{as_of.year}Q{quarter}" if quarter else f"{as_of.year - 1}Q4"


def statement(url: str, partner: str, period: str) -> dict[str, Any]:
    """A partner's ILPA statement for ``period`` with its rows as printed."""
    from urif.reports.statement import COLUMN_LABELS, statement_rows

    data = books.statement(url, partner, period)
    return {
        "st": data,
        "headings": [
            (
                COLUMN_LABELS.get(c.label, c.label),
                c.start.isoformat() if c.start else "inception",
                c.end.isoformat(),
            )
            for c in data.columns
        ],
        "rows": statement_rows(data),
    }


def governance(url: str, as_of: dt.date, follower: FundFollower) -> dict[str, Any]:
    """Open proposals with votes per side, and the decided ones, as of ``as_of``."""
    proposals = follower.proposals(url, as_of)
    return {
        "open": [p for p in proposals if p["status"] == "open"],
        "closed": [p for p in proposals if p["status"] != "open"],
    }


def screening(url: str, as_of: dt.date, follower: FundFollower) -> dict[str, Any]:
    """Each counterparty's screening status and every review case (personal data)."""
    lines, cases = follower.screening(url, as_of)
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.status] = counts.get(line.status, 0) + 1
    return {
        "lines": lines,
        "cases": cases,
        "open_cases": sum(1 for c in cases if c.is_open),
        "counts": sorted(counts.items()),
    }


# --- simulations -----------------------------------------------------------------------


def output_dir(url: str) -> Path | None:
    """The folder beside a SQLite database, where ``urif demo`` writes its results.

    >>> output_dir("sqlite:///demo-output/urif-demo.db")
    PosixPath('demo-output')
    >>> output_dir("postgresql://db/urif") is None
    True
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    return Path(url[len(prefix) :]).parent


def _load_json(path: Path | None) -> dict[str, Any] | None:
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def stored_results(url: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The demo's ``simulation/simulation.json`` and ``compare/compare.json``, if present."""
    folder = output_dir(url)
    if folder is None:
        return None, None
    return (
        _load_json(folder / "simulation" / "simulation.json"),
        _load_json(folder / "compare" / "compare.json"),
    )


def _fmt_m(value: float | None) -> str:
    return "n/a" if value is None else f"{value / 1e6:,.0f}"


def simulation(summary: dict[str, Any] | None, comparison: dict[str, Any] | None) -> dict[str, Any]:
    """Fan charts, tornado and the term-set comparison drawn from simulation summaries."""
    page: dict[str, Any] = {
        "summary": summary,
        "comparison": comparison,
        "fans": [],
        "tornados": [],
    }
    if summary is not None:
        years = summary["years"]
        page["fans"] = [
            fan_svg(years, summary["fund"]["nav_usd"], "Fund net assets", "USD m"),
            fan_svg(
                years,
                summary["ukraine_contributions"]["per_year_uah"],
                "Ukraine's agreed revenue per year",
                "UAH bn",
                scale=1e9,
            ),
            *(
                fan_svg(
                    years,
                    data,
                    f"{PARTNER_LABELS.get(name, name)}: received less put in, cumulative",
                    "USD m",
                )
                for name, data in summary["net_position_usd"].items()
            ),
        ]
        page["headline"] = [
            {
                "partner": name,
                "label": PARTNER_LABELS.get(name, name),
                "npv_p50": _fmt_m(data["npv_with_terminal_capital_usd"]["p50"]),
                "distributed_mean": _fmt_m(data["distributed_usd"]["mean"]),
                "contributed_mean": _fmt_m(data["contributed_usd"]["mean"]),
                "payback": data["payback"]["probability_by_horizon"],
            }
            for name, data in summary["partners"].items()
        ]
        tornado = summary.get("tornado")
        if tornado:
            page["tornados"] = [tornado_svg(tornado, metric) for metric in tornado["metrics"]]
    if comparison is not None:
        groups = []
        rows = []
        for name, data in comparison["partners"].items():
            a = data["distributed_usd"]["a"]["mean"] or 0.0
            b = data["distributed_usd"]["b"]["mean"] or 0.0
            groups.append(
                (
                    PARTNER_LABELS.get(name, name),
                    [(comparison["terms_a"], a), (comparison["terms_b"], b)],
                )
            )
            rows.append(
                {
                    "label": PARTNER_LABELS.get(name, name),
                    "a": _fmt_m(a),
                    "b": _fmt_m(b),
                    "delta": _fmt_m(data["distributed_usd"]["delta_b_minus_a"]["mean"]),
                    "share_a": data["ownership_share_end"]["a"]["mean"],
                    "share_b": data["ownership_share_end"]["b"]["mean"],
                }
            )
        page["compare_chart"] = bars_svg(groups, "Mean distributions per partner (USD m)", "USD m")
        page["compare_rows"] = rows
    return page


def run_small(
    terms_a: str, terms_b: str, paths: int, seed: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A small simulation under ``terms_b`` and the comparison of the two term sets."""
    from urif.actions.simulation import run_comparison, run_simulation
    from urif.reports.jsonable import to_jsonable

    run = run_simulation(terms_version=terms_b, paths=paths, seed=seed, charts=False)
    comparison = run_comparison(terms_a, terms_b, paths=paths, seed=seed, charts=False)
    summary = to_jsonable(run.summary)
    compared = to_jsonable(comparison.summary)
    assert isinstance(summary, dict)
    assert isinstance(compared, dict)
    return summary, compared


# --- terms -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TermRow:
    """One changed parameter with both sides' values, statuses and sources."""

    path: str
    old: str
    new: str
    status_old: str
    status_new: str
    source_old: Any
    source_new: Any


def terms(a: str | None, b: str | None) -> dict[str, Any]:
    """The diff of two term sets (default: the March 2025 US draft vs the signed text)."""
    versions = list(list_versions())
    b = b if b in versions else versions[0]
    a = a if a in versions else next((v for v in versions if v != b), b)
    old, new = load_termset(a), load_termset(b)
    rows = [
        TermRow(
            c.path,
            show(c.old),
            show(c.new),
            c.status_old.value if c.status_old else "",
            c.status_new.value if c.status_new else "",
            c.source_old,
            c.source_new,
        )
        for c in diff(old, new)
    ]
    return {"versions": versions, "a": old, "b": new, "rows": rows}


# --- map -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _geojson() -> dict[str, Any]:
    text = resources.files("urif.api").joinpath("static/ukraine.geojson").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


@lru_cache(maxsize=1)
def deposit_map() -> dict[str, Any]:
    """The map SVG (projected once per process) and the catalogue's rows."""
    deposits = load_catalogue()
    points = [
        MapPoint(
            d.id,
            d.name,
            d.lat,
            d.lon,
            status_class(d.status),
            d.territory,
            f"{d.commodity}; {d.status}; {d.territory} (2025)",
        )
        for d in deposits
        if d.lat is not None and d.lon is not None
    ]
    return {
        "svg": map_svg(_geojson(), points),
        "deposits": [(d, status_class(d.status)) for d in deposits],
        "unplaced": [d for d in deposits if d.lat is None or d.lon is None],
        "statuses": STATUS_CLASSES,
        "territories": TERRITORIES,
        "counts": {t: sum(1 for d in deposits if d.territory == t) for t, _ in TERRITORIES},
    }
