"""CLI commands for simulation (DESIGN.md §5): ``urif simulate`` and ``urif compare``.

Parses arguments, calls ``urif.actions.simulation`` and renders: strict JSON on stdout
with ``--json`` (timings and worker details only under ``meta``), Rich tables otherwise;
the progress bar always goes to stderr.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from urif.cli.options import JsonOption
from urif.cli.output import err_console, out_console, print_json

ScenarioOption = Annotated[
    Path | None,
    typer.Option("--scenario", help="Scenario YAML (default: the shipped baseline)."),
]
#: Every path's yearly series and scalars are kept for the summary (~1.6 KB a path, and
#: about as much again while percentiles are taken): 4 million paths need ~12 GB.
MAX_PATHS = 4_000_000
PathsOption = Annotated[
    int,
    typer.Option("--paths", min=1, max=MAX_PATHS, help="Number of Monte Carlo paths."),
]
SeedOption = Annotated[
    int, typer.Option("--seed", min=0, help="Random seed (a whole number, 0 or more).")
]
ExecutorOption = Annotated[
    str, typer.Option("--executor", help="local, dask or ray.", case_sensitive=False)
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Threads (local) or processes (dask, ray); default: CPU count, at most 2.",
    ),
]
ChunkOption = Annotated[int, typer.Option("--chunk-size", min=1, help="Paths per chunk.")]
AddressOption = Annotated[
    str | None,
    typer.Option(
        "--address",
        envvar="URIF_SCHEDULER",
        help="Dask scheduler or Ray cluster address (default: a local cluster).",
    ),
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write JSON, Parquet and PNGs here.")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to app."""
    app.command("simulate")(simulate_command)
    app.command("compare")(compare_command)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    with Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} paths"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=0)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _workers(workers: int | None, executor: str) -> int:
    if workers is not None:
        return workers
    return 2 if executor != "local" else max(1, min(2, os.cpu_count() or 1))


def _meta(started: float, executor: str, workers: int, chunks: int, paths: int) -> dict[str, Any]:
    seconds = time.perf_counter() - started
    return {
        "executor": executor,
        "workers": workers,
        "chunks": chunks,
        "seconds": round(seconds, 3),
        "paths_per_second": round(paths / seconds, 1) if seconds > 0 else None,
    }


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value / 1e6:,.1f}"


def simulate_command(
    scenario: ScenarioOption = None,
    terms: Annotated[
        str | None, typer.Option("--terms", help="Term set version (default: the scenario's).")
    ] = None,
    paths: PathsOption = 10_000,
    seed: SeedOption = 1,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    chunk_size: ChunkOption = 8192,
    address: AddressOption = None,
    tornado_paths: Annotated[
        int, typer.Option("--tornado-paths", min=0, help="Paths per tornado run (0: none).")
    ] = 0,
    out: OutOption = None,
    json_out: JsonOption = False,
) -> None:
    """Monte Carlo of the fund: what each side puts in and may receive, and when."""
    from urif.actions.simulation import run_simulation

    count = _workers(workers, executor)
    started = time.perf_counter()
    with _progress("simulating") as progress:
        run = run_simulation(
            scenario_path=scenario,
            terms_version=terms,
            paths=paths,
            seed=seed,
            executor=executor.lower(),
            workers=count,
            chunk_size=chunk_size,
            address=address,
            out_dir=out,
            tornado_paths=tornado_paths,
            progress=progress,
        )
    meta = _meta(started, executor.lower(), count, run.chunks, paths)
    meta["files"] = [str(p) for p in run.files]
    if json_out:
        print_json({**run.summary, "meta": meta})
        return
    s = run.summary
    table = Table(title=f"urif simulate: {s['scenario']} under {s['terms']}, {paths:,} paths")
    for col in (
        "partner",
        "put in (p50)",
        "received (p50)",
        "NPV+capital p5",
        "p50",
        "p95",
        "P(received > put in, 2055)",
    ):
        table.add_column(col, justify="right")
    last = str(s["years"][-1])
    for name, data in s["partners"].items():
        npv = data["npv_with_terminal_capital_usd"]
        table.add_row(
            name,
            _money(data["contributed_usd"]["p50"]),
            _money(data["distributed_usd"]["p50"]),
            _money(npv["p5"]),
            _money(npv["p50"]),
            _money(npv["p95"]),
            f"{data['probability_received_more_than_put_in_by_year'][last]:.2f}",
        )
    out_console.print(table)
    est = s["ukraine_contributions"]["public_estimate"]
    out_console.print(
        f"Ukraine's agreed revenue {est['years'][0]}–{est['years'][-1]}: "
        f"P(below UAH 1bn/yr) {est['probability_below']:.2f}, within 1–2bn "
        f"{est['probability_within']:.2f}, above {est['probability_above']:.2f} "
        "(USD m, figures above)"
    )
    err_console.print(f"{meta['seconds']} s, {meta['paths_per_second']:,} paths/s")


def compare_command(
    terms_a: Annotated[str, typer.Argument(help="First term set (e.g. us-draft-2025-03).")],
    terms_b: Annotated[str, typer.Argument(help="Second term set (e.g. signed-2025-04-30).")],
    scenario: ScenarioOption = None,
    paths: PathsOption = 10_000,
    seed: SeedOption = 1,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    chunk_size: ChunkOption = 8192,
    address: AddressOption = None,
    out: OutOption = None,
    json_out: JsonOption = False,
) -> None:
    """The same scenario and random draws under two term sets: what changes for each side."""
    from urif.actions.simulation import run_comparison

    count = _workers(workers, executor)
    started = time.perf_counter()
    with _progress("comparing") as progress:
        run = run_comparison(
            terms_a,
            terms_b,
            scenario_path=scenario,
            paths=paths,
            seed=seed,
            executor=executor.lower(),
            workers=count,
            chunk_size=chunk_size,
            address=address,
            out_dir=out,
            progress=progress,
        )
    meta = _meta(started, executor.lower(), count, run.chunks, 2 * paths)
    meta["files"] = [str(p) for p in run.files]
    if json_out:
        print_json({**run.summary, "meta": meta})
        return
    s = run.summary
    table = Table(
        title=f"urif compare: {terms_a} (A) vs {terms_b} (B), {paths:,} paths, same draws"
    )
    for col in ("partner", "figure (mean, USD m)", "A", "B", "B − A"):
        table.add_column(col, justify="right")
    for name, rows in s["partners"].items():
        for metric in (
            "contributed_usd",
            "distributed_usd",
            "capital_end_usd",
            "npv_with_terminal_capital_usd",
        ):
            row = rows[metric]
            table.add_row(
                name,
                metric.removesuffix("_usd"),
                _money(row["a"]["mean"]),
                _money(row["b"]["mean"]),
                _money(row["delta_b_minus_a"]["mean"]),
            )
        share = rows["ownership_share_end"]
        table.add_row(
            name,
            "ownership share at the end",
            f"{share['a']['mean']:.3f}",
            f"{share['b']['mean']:.3f}",
            f"{share['delta_b_minus_a']['mean']:+.3f}",
        )
    out_console.print(table)
    if run.files:
        err_console.print("wrote " + ", ".join(str(p) for p in run.files))
