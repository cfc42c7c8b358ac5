"""The compiled model (``urif.sim.native``) gives the array engine's numbers.

``engine.evolve`` runs the compiled loop in float mode; ``native=False`` runs the array
code it replaced there (and still runs for cents and detail). Both read the same draws,
so every series and scalar must agree to rounding (the two sum in different orders).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sim.conftest import terms_for
from urif.sim.engine import (
    BLOCK,
    SCALARS,
    SERIES,
    STATUS,
    Compiled,
    block_seeds,
    compile_model,
    draw_blocks,
    draw_rows,
    draw_shapes,
    evolve,
    run_chunk,
)
from urif.sim.executors import make_executor
from urif.sim.native import LANES, fill_normal
from urif.sim.prices import KIND_CODE
from urif.sim.scenario import ScenarioSpec
from urif.sim.simulation import simulate

VERSIONS = (
    "signed-2025-04-30",
    "signed-2025-04-30-broad",
    "signed-2025-04-30-fifty-fifty",
    "us-draft-2025-03",
    "us-draft-2025-02",
    "framework-2025-02",
)


def assert_same(c: Compiled, paths: int, seed: int) -> None:
    """Compiled and array engines agree on ``paths`` paths of ``seed``."""
    d = draw_blocks(c, block_seeds(np.random.default_rng(seed), paths))
    got = evolve(c, d)
    want = evolve(c, d, native=False)
    for name in SERIES:
        assert got.series[name].shape == (paths, c.n_years)
        np.testing.assert_allclose(
            got.series[name], want.series[name], rtol=1e-9, atol=1e-6, err_msg=name
        )
    for name in SCALARS:
        np.testing.assert_allclose(
            got.scalars[name],
            want.scalars[name],
            rtol=1e-9,
            atol=1e-6,
            equal_nan=True,
            err_msg=name,
        )


@pytest.mark.parametrize("version", VERSIONS)
def test_compiled_model_gives_the_array_engines_numbers(
    baseline: ScenarioSpec, version: str
) -> None:
    # two blocks, the second not a multiple of the lane count
    assert (BLOCK + 189) % LANES
    compiled = compile_model(baseline, terms_for(version, baseline.years))
    assert_same(compiled, BLOCK + 189, seed=3)


@pytest.mark.parametrize(
    "change",
    [
        {"conv_start": 0.4, "conv_end": 0.3},  # long restricted spells: the chain's both arms
        {"vol_scale": 2.5},
        {"payout": 1.0, "agree_p": 0.5},
        {"fee_rate": 0.2, "max_cash_fraction": 1.0},
        {"in_kind_p": 1.0, "ua_extra_p": 1.0},
        {"other_sd": 0.5, "cit": 0.0},
    ],
    ids=",".join,
)
def test_compiled_model_agrees_on_changed_parameters(
    compiled: Compiled, change: dict[str, float]
) -> None:
    assert_same(dataclasses.replace(compiled, **change), 300, seed=5)


@settings(max_examples=12)
@given(paths=st.integers(1, 3 * LANES + 1), seed=st.integers(0, 2**32 - 1))
def test_any_path_count_and_seed_agree(compiled: Compiled, paths: int, seed: int) -> None:
    assert_same(compiled, paths, seed)


def _partly_drawn(c: Compiled) -> Compiled:
    """``c`` with two more deposits counted: one on the front line, one priced by
    Schwartz-Smith, so that a float run draws some but not all of the price, short-term
    and front-line rows (``draw_rows``)."""
    front = int(c.frontline[0])
    short = int(np.flatnonzero(c.prices.kind == KIND_CODE["schwartz_smith"])[0])
    priced = int(np.flatnonzero(c.commodity == short)[0])
    status, annex, start_p = c.status.copy(), c.annex.copy(), c.start_p.copy()
    for j in (front, priced):
        status[j], annex[:, j], start_p[j] = STATUS["none"], True, 1.0
    return dataclasses.replace(c, status=status, annex=annex, start_p=start_p)


@pytest.mark.parametrize("variant", ["baseline", "partly drawn"])
def test_run_chunk_draws_block_by_block_the_same_numbers(compiled: Compiled, variant: str) -> None:
    c = compiled if variant == "baseline" else _partly_drawn(compiled)
    rows, shapes = draw_rows(c), draw_shapes(c)
    if variant == "partly drawn":  # some rows of each are read, not all
        for name in ("z_price", "z_price_short", "u_front"):
            assert 0 < rows[name] < shapes[name][0][0], name
    blocks = block_seeds(np.random.default_rng(11), 2 * BLOCK + 7)
    series, scalars = run_chunk(c, blocks)
    want = evolve(c, draw_blocks(c, blocks), native=False)  # every row drawn
    for name in SERIES:
        np.testing.assert_allclose(series[name], want.series[name], rtol=1e-9, atol=1e-6)
    for name in SCALARS:
        np.testing.assert_allclose(
            scalars[name], want.scalars[name], rtol=1e-9, atol=1e-6, equal_nan=True
        )


def test_fill_normal_is_numpys_stream() -> None:
    got = np.empty((3, 5, 7))
    fill_normal(np.random.Generator(np.random.SFC64(4)), got)
    want = np.random.Generator(np.random.SFC64(4)).standard_normal((3, 5, 7))
    np.testing.assert_array_equal(got, want)
    strided = np.empty((6, 5))[:, ::2]  # a reshaped copy would be filled and lost
    with pytest.raises(ValueError, match="contiguous"):
        fill_normal(np.random.Generator(np.random.SFC64(4)), strided)


def test_two_threads_give_one_threads_numbers(compiled: Compiled) -> None:
    def run(workers: int) -> dict[str, np.ndarray]:
        executor = make_executor("local", workers)
        result = simulate(
            compiled, 3 * BLOCK, np.random.default_rng(2), executor=executor, chunk_size=BLOCK
        )
        return {**result.series, **result.scalars}

    one, two = run(1), run(2)
    for name, value in one.items():
        np.testing.assert_array_equal(value, two[name], err_msg=name)


def test_compile_kernels_compiles_what_a_run_uses() -> None:
    from urif.sim import native

    native.compile_kernels()
    for kernel in (native._paths, native._normals):  # the helpers are compiled into them
        assert kernel.signatures, kernel  # type: ignore[attr-defined]


def test_chunk_size_does_not_change_the_numbers(compiled: Compiled) -> None:
    def run(chunk: int, workers: int) -> dict[str, np.ndarray]:
        result = simulate(
            compiled,
            2 * BLOCK + 100,
            np.random.default_rng(7),
            executor=make_executor("local", workers),
            chunk_size=chunk,
        )
        return {**result.series, **result.scalars}

    base = run(10 * BLOCK, 1)
    for chunk, workers in ((BLOCK, 2), (2 * BLOCK, 2), (BLOCK, 1)):
        other = run(chunk, workers)
        for name, value in base.items():
            np.testing.assert_array_equal(value, other[name], err_msg=f"{name} {chunk}")
