"""Each governance rule of issue 5 as a scenario file under ``scenarios/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from urif.governance import GovernanceState

NAMES = sorted(p.stem for p in (Path(__file__).parent / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_scenario_holds(name: str, run_scenario: Callable[[str], GovernanceState]) -> None:
    run_scenario(name)


def test_every_rule_of_the_issue_has_a_scenario() -> None:
    assert set(NAMES) >= {
        "unanimity_broken_by_abstention",
        "conflicted_member_excluded",
        "draft_us_veto",
        "vote_from_wrong_body",
        "investment_above_approved_amount",
        "reused_approval",
        "investment_without_site_consent",
        "favourable_terms_breach",
    }
