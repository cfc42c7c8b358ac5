"""Simulation use cases: ``urif simulate`` and ``urif compare``, and their demo steps.

Owns ``run_simulation`` (scenario + terms → deterministic summary, Parquet, PNG charts)
and ``run_comparison`` (two term sets on the same draws). Nothing here reads the clock or
the environment: the CLI measures timings and worker details for ``meta``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from urif.sim.engine import compile_model
from urif.sim.executors import make_executor
from urif.sim.results import compare_results, summarise, write_parquet
from urif.sim.scenario import ScenarioSpec, load_scenario
from urif.sim.sensitivity import tornado
from urif.sim.simulation import DEFAULT_CHUNK, simulate
from urif.terms import load_termset
from urif.terms.model import Terms

if TYPE_CHECKING:
    from urif.actions.demo import DemoContext, DemoStep

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class SimulationRun:
    """A finished run: the deterministic summary and the files written."""

    summary: dict[str, Any]
    files: tuple[Path, ...]
    chunks: int


def terms_by_year(version: str, years: Sequence[int]) -> list[Terms]:
    """The terms of ``version`` in force on 31 December of each year."""
    termset = load_termset(version)
    return [termset.at(dt.date(year, 12, 31)) for year in years]


def _write_json(path: Path, value: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, allow_nan=False, indent=2, ensure_ascii=False) + "\n")
    return path


def _spec(scenario_path: Path | None) -> ScenarioSpec:
    return load_scenario(scenario_path)


def run_simulation(
    *,
    scenario_path: Path | None = None,
    terms_version: str | None = None,
    paths: int = 10_000,
    seed: int = 1,
    executor: str = "local",
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
    address: str | None = None,
    out_dir: Path | None = None,
    tornado_paths: int = 0,
    charts: bool = True,
    progress: Progress | None = None,
) -> SimulationRun:
    """Simulate the scenario under a term set; write JSON, Parquet and charts to ``out_dir``."""
    spec = _spec(scenario_path)
    version = terms_version or spec.terms
    terms = terms_by_year(version, spec.years)
    compiled = compile_model(spec, terms)
    result = simulate(
        compiled,
        paths,
        np.random.default_rng(seed),
        executor=make_executor(executor, workers, address),
        chunk_size=chunk_size,
        progress=progress,
    )
    summary = summarise(result)
    summary["seed"] = seed
    if tornado_paths > 0:
        summary["tornado"] = tornado(spec, terms, min(tornado_paths, paths), seed)
    files: list[Path] = []
    if out_dir is not None:
        files.append(_write_json(out_dir / "simulation.json", summary))
        files.extend(write_parquet(result, summary, out_dir))
        if charts:
            from urif.reports.charts import simulation_charts, tornado_chart

            files.extend(simulation_charts(summary, out_dir))
            if "tornado" in summary:
                for metric in ("npv_terminal_dfc", "npv_terminal_ppp_agency"):
                    files.append(
                        tornado_chart(summary["tornado"], metric, out_dir / f"tornado_{metric}.png")
                    )
    return SimulationRun(summary=summary, files=tuple(files), chunks=result.chunks)


def run_comparison(
    terms_a: str,
    terms_b: str,
    *,
    scenario_path: Path | None = None,
    paths: int = 10_000,
    seed: int = 1,
    executor: str = "local",
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
    address: str | None = None,
    out_dir: Path | None = None,
    charts: bool = True,
    progress: Progress | None = None,
) -> SimulationRun:
    """The same scenario and draws under two term sets; per-partner figures and deltas."""
    spec = _spec(scenario_path)
    runner = make_executor(executor, workers, address)
    results = []
    for i, version in enumerate((terms_a, terms_b)):
        compiled = compile_model(spec, terms_by_year(version, spec.years))

        def step(done: int, total: int, offset: int = i) -> None:
            if progress is not None:
                progress(offset * total + done, 2 * total)

        results.append(
            simulate(
                compiled,
                paths,
                np.random.default_rng(seed),
                executor=runner,
                chunk_size=chunk_size,
                progress=step,
            )
        )
    summary = compare_results(results[0], results[1])
    summary["seed"] = seed
    files: list[Path] = []
    if out_dir is not None:
        files.append(_write_json(out_dir / "compare.json", summary))
        if charts:
            from urif.reports.charts import compare_chart

            files.append(compare_chart(summary, out_dir / "compare.png"))
    return SimulationRun(summary=summary, files=tuple(files), chunks=results[0].chunks)


def _demo_simulation(context: DemoContext) -> None:
    out = context.out / "simulation"
    run = run_simulation(paths=2_000, seed=1, out_dir=out, tornado_paths=500)
    dfc = run.summary["partners"]["dfc"]["npv_with_terminal_capital_usd"]["p50"]
    ua = run.summary["partners"]["ppp_agency"]["npv_with_terminal_capital_usd"]["p50"]
    context.say("heading", "Monte Carlo (2,000 paths, seed 1, baseline scenario)")
    context.say(
        "text",
        f"median NPV incl. ending capital: dfc {dfc / 1e6:,.0f}m USD, "
        f"ppp_agency {ua / 1e6:,.0f}m USD; charts in {out}",
    )


def _demo_compare(context: DemoContext) -> None:
    out = context.out / "compare"
    run = run_comparison("us-draft-2025-03", "signed-2025-04-30", paths=2_000, seed=1, out_dir=out)
    rows = []
    for name, data in run.summary["partners"].items():
        delta = data["distributed_usd"]["delta_b_minus_a"]["mean"] or 0.0
        share = data["ownership_share_end"]["delta_b_minus_a"]["mean"] or 0.0
        rows.append((name, f"{delta / 1e6:,.0f}", f"{share:+.3f}"))
    context.say(
        "table",
        (
            "signed vs March 2025 US draft (same draws): change for each side",
            ("partner", "distributions, USD m", "ending ownership share"),
            rows,
        ),
    )


def demo_steps() -> tuple[DemoStep, ...]:
    """The demo's simulation steps: a small run and a comparison, with charts."""
    from urif.actions.demo import DemoStep

    return (DemoStep("simulation", _demo_simulation), DemoStep("compare", _demo_compare))
