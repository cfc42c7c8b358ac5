"""Deposit catalogue and scenario files: shipped data, provenance, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from urif.core.errors import InvalidInput
from urif.sim.catalogue import catalogue_text, load_catalogue, parse_catalogue
from urif.sim.scenario import ScenarioSpec, baseline_text, parse_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_catalogue_ships_the_18_named_deposits_with_sources() -> None:
    deposits = load_catalogue()
    assert len(deposits) == 18
    assert all(d.source_url.startswith("http") for d in deposits)
    assert {d.territory for d in deposits} == {"controlled", "frontline", "occupied"}


def test_shipped_catalogue_is_a_verbatim_copy_of_the_shared_data(shared_data: Path) -> None:
    source = shared_data / "economics" / "deposits.csv"
    assert catalogue_text() == source.read_text("utf-8")


def test_catalogue_reports_every_bad_row_at_once() -> None:
    text = catalogue_text().replace(",controlled,", ",liberated,", 2)
    with pytest.raises(InvalidInput) as caught:
        parse_catalogue(text)
    assert len(caught.value.problems) == 2


def test_baseline_at_repo_root_equals_the_packaged_one() -> None:
    assert (ROOT / "scenarios" / "baseline.yaml").read_text("utf-8") == baseline_text()


def test_every_number_of_the_baseline_is_sourced_or_assumed(baseline: ScenarioSpec) -> None:
    assert baseline.unsourced == ()
    statuses = {p.status for p in baseline.provenance}
    assert statuses <= {"known", "reported", "assumed", "disputed"}
    assert all(p.source for p in baseline.provenance if p.status != "assumed")


def test_baseline_covers_the_catalogue_and_2025_to_2055(baseline: ScenarioSpec) -> None:
    assert baseline.years[0] == 2025
    assert baseline.years[-1] == 2055
    assert {d.id for d in baseline.deposits} == {d.id for d in load_catalogue()}


def test_an_unsourced_number_is_listed(baseline: ScenarioSpec) -> None:
    text = baseline_text().replace(
        "discount_rate: {status: assumed", "other_rate: {status: assumed"
    )
    assert parse_scenario(text).unsourced == ("discount_rate",)


def test_scenario_errors_name_the_path() -> None:
    text = baseline_text().replace("discount_rate: 0.08", "discount_rate: lots")
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(text, origin="x.yaml")
    assert any("discount_rate" in p.where for p in caught.value.problems)


def test_unknown_commodity_is_refused() -> None:
    text = baseline_text().replace("commodity: uranium", "commodity: unobtainium")
    with pytest.raises(InvalidInput, match="unobtainium"):
        parse_scenario(text)
