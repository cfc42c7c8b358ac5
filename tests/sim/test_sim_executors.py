"""Dask and Ray executors give the local executor's numbers (small local clusters)."""

from __future__ import annotations

import numpy as np
import pytest

from urif.core.errors import InvalidInput
from urif.sim.engine import BLOCK, Compiled
from urif.sim.executors import make_executor
from urif.sim.simulation import simulate


def _run(compiled: Compiled, name: str) -> dict[str, np.ndarray]:
    executor = make_executor(name, workers=2)
    return simulate(
        compiled, 2 * BLOCK, np.random.default_rng(9), executor=executor, chunk_size=BLOCK
    ).scalars


def test_dask_gives_the_local_numbers(compiled: Compiled) -> None:
    pytest.importorskip("dask.distributed")
    local = _run(compiled, "local")
    dask = _run(compiled, "dask")
    for name, value in local.items():
        np.testing.assert_array_equal(value, dask[name])


def test_ray_gives_the_local_numbers(compiled: Compiled) -> None:
    ray = pytest.importorskip("ray")
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    except Exception as error:  # the sandbox may forbid what Ray needs to start
        pytest.skip(f"ray failed to start here: {error}")
    try:
        local = _run(compiled, "local")
        got = _run(compiled, "ray")
    finally:
        ray.shutdown()
    for name, value in local.items():
        np.testing.assert_array_equal(value, got[name])


def test_unknown_executor_is_refused() -> None:
    with pytest.raises(InvalidInput, match="spark"):
        make_executor("spark")
