"""Fixtures of the simulation tests: the baseline scenario, terms by year, compiled models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from urif.sim.engine import Compiled, compile_model
from urif.sim.scenario import ScenarioSpec, load_scenario
from urif.terms import load_termset
from urif.terms.model import Terms


def terms_for(version: str, years: Sequence[int]) -> list[Terms]:
    """Terms of ``version`` in force on 31 December of each year."""
    termset = load_termset(version)
    return [termset.at(dt.date(y, 12, 31)) for y in years]


@pytest.fixture(scope="session")
def baseline() -> ScenarioSpec:
    """The shipped baseline scenario."""
    return load_scenario()


@pytest.fixture(scope="session")
def signed_terms(baseline: ScenarioSpec) -> list[Terms]:
    """Signed terms for each baseline year."""
    return terms_for("signed-2025-04-30", baseline.years)


@pytest.fixture(scope="session")
def compiled(baseline: ScenarioSpec, signed_terms: list[Terms]) -> Compiled:
    """The baseline under the signed terms."""
    return compile_model(baseline, signed_terms)
