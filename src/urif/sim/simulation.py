"""Running a simulation: seeds per block, chunks to an executor, results gathered in order.

Owns ``simulate`` (the one entry point the actions call) and ``SimulationResult`` (every
path's yearly series and scalars, filled into preallocated arrays in path order, so the
summary never depends on chunking or executor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from urif.sim.engine import SCALARS, SERIES, Compiled, block_seeds
from urif.sim.executors import Executor, LocalExecutor, chunked

FloatArray = NDArray[np.float64]
DEFAULT_CHUNK = 8192


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """Per-path series ``(path, year)`` and scalars ``(path,)`` of one run."""

    compiled: Compiled
    paths: int
    series: dict[str, FloatArray]
    scalars: dict[str, FloatArray]
    chunks: int


def simulate(
    compiled: Compiled,
    paths: int,
    rng: np.random.Generator,
    *,
    executor: Executor | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Run ``paths`` paths of ``compiled``; the same seed gives the same arrays anywhere."""
    blocks = block_seeds(rng, paths)
    chunks = chunked(blocks, chunk_size)
    years = compiled.n_years
    series = {name: np.empty((paths, years)) for name in SERIES}
    scalars = {name: np.empty(paths) for name in SCALARS}
    runner = executor or LocalExecutor()
    start = 0
    for blocks_in_chunk, (chunk_series, chunk_scalars) in zip(
        chunks, runner.map(compiled, chunks), strict=True
    ):
        size = sum(b[1] for b in blocks_in_chunk)
        for name in SERIES:
            series[name][start : start + size] = chunk_series[name]
        for name in SCALARS:
            scalars[name][start : start + size] = chunk_scalars[name]
        start += size
        if progress is not None:
            progress(start, paths)
    return SimulationResult(compiled, paths, series, scalars, len(chunks))
