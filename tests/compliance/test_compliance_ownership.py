"""Ownership rules: OFAC FAQ 401 examples, EU 50%-or-control, the fund's flag, messy data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SHARED_DATA
from urif.compliance.ownership import (
    CONFLICTING_SHARES,
    CYCLE,
    UNKNOWN_OWNER,
    UNKNOWN_SHARE,
    Holding,
    OwnershipGraph,
    eu_50_or_control,
    fund_any_owner,
    ofac_50,
)
from urif.compliance.sources.ftm import parse_ftm


def graph(*edges: tuple[str, str, str | None]) -> OwnershipGraph:
    return OwnershipGraph(
        tuple(Holding(o, a, Decimal(s) if s else None, "test") for o, a, s in edges)
    )


def test_faq401_example1_chain_of_fifty_percent_blocks_b() -> None:
    g = graph(("X", "A", "0.5"), ("A", "B", "0.5"))
    result = ofac_50(g, {"X"}, "B")
    assert result.applies
    assert result.paths == (("X (listed)", "-50%-> (test)", "A", "-50%-> (test)", "B"),)


def test_faq401_example2_two_blocked_intermediaries_aggregate_to_fifty() -> None:
    g = graph(("X", "A", "0.5"), ("X", "B", "0.5"), ("A", "C", "0.25"), ("B", "C", "0.25"))
    result = ofac_50(g, {"X"}, "C")
    assert result.applies
    assert result.share == Decimal("0.5")
    assert len(result.paths) == 2


def test_faq401_example3_direct_plus_indirect_through_blocked_entity() -> None:
    g = graph(("X", "A", "0.5"), ("X", "B", "0.1"), ("A", "B", "0.4"))
    assert ofac_50(g, {"X"}, "B").applies


def test_stake_through_unblocked_intermediary_counts_nothing() -> None:
    g = graph(("X", "A", "0.4"), ("A", "B", "1"))
    assert not ofac_50(g, {"X"}, "A").applies
    assert not ofac_50(g, {"X"}, "B").applies
    # but the fund's stricter flag sees X anywhere up the chain
    flag = fund_any_owner(g, {"X"}, "B")
    assert flag.applies
    assert flag.paths[0][0] == "X (listed)"


def test_faq399_different_blocked_persons_aggregate() -> None:
    g = graph(("X", "A", "0.25"), ("Y", "A", "0.25"))
    assert ofac_50(g, {"X", "Y"}, "A").applies
    assert not ofac_50(g, {"X"}, "A").applies


def test_control_blocks_under_eu_but_not_ofac() -> None:
    g = OwnershipGraph((Holding("X", "A", None, "board", control=True),))
    assert not ofac_50(g, {"X"}, "A").applies
    assert eu_50_or_control(g, {"X"}, "A").applies


def test_just_under_half_is_not_blocked() -> None:
    g = graph(("X", "A", "0.4999"))
    assert not ofac_50(g, {"X"}, "A").applies
    assert not eu_50_or_control(g, {"X"}, "A").applies


def test_cycle_terminates_and_is_flagged() -> None:
    g = graph(("A", "B", "1"), ("B", "A", "1"), ("X", "A", "0.1"))
    result = ofac_50(g, {"X"}, "B")
    assert not result.applies
    assert CYCLE in result.flags


def test_a_diamond_is_not_a_cycle() -> None:
    # P holds 25% of C directly and 25% through S (which P owns 60%): two routes, no loop
    g = graph(("P", "C", "0.25"), ("S", "C", "0.25"), ("P", "S", "0.6"))
    result = ofac_50(g, {"P"}, "C")
    assert result.applies  # S is blocked (60% P), so 25% + 25% reach 50%
    assert CYCLE not in result.flags


def test_a_loop_above_the_subject_is_a_cycle() -> None:
    g = graph(("A", "S", "0.3"), ("B", "A", "0.5"), ("A", "B", "0.5"))
    assert CYCLE in ofac_50(g, set(), "S").flags
    assert CYCLE not in ofac_50(graph(("A", "S", "0.3"), ("B", "A", "0.5")), set(), "S").flags


@given(
    st.lists(
        st.tuples(st.sampled_from("ABCDEF"), st.sampled_from("ABCDEF")).filter(
            lambda e: e[0] != e[1]
        ),
        max_size=10,
    )
)
def test_cycle_flag_agrees_with_a_reachability_check(edges: list[tuple[str, str]]) -> None:
    g = graph(*((o, a, "0.1") for o, a in edges))
    owners: dict[str, set[str]] = {}
    for o, a in edges:
        owners.setdefault(a, set()).add(o)

    def above(node: str) -> set[str]:
        seen: set[str] = set()
        todo = list(owners.get(node, ()))
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(owners.get(n, ()))
        return seen

    # a loop above S: some owner above S (or S itself) reaches itself going up
    looped = any(n in above(n) for n in {"A", *above("A")})
    assert (CYCLE in ofac_50(g, set(), "A").flags) == looped


def test_conflicting_percentages_take_the_worst_case_and_keep_sources() -> None:
    g = OwnershipGraph(
        (
            Holding("X", "A", Decimal("0.48"), "registry"),
            Holding("X", "A", Decimal("0.51"), "press"),
        )
    )
    result = ofac_50(g, {"X"}, "A")
    assert result.applies
    assert CONFLICTING_SHARES in result.flags
    text = result.explain()
    assert "48% (registry)" in text
    assert "51% (press)" in text


def test_unknown_share_is_flagged_not_counted() -> None:
    g = graph(("X", "A", None))
    result = ofac_50(g, {"X"}, "A")
    assert not result.applies
    assert UNKNOWN_SHARE in result.flags
    assert fund_any_owner(g, {"X"}, "A").applies


@given(
    st.lists(
        st.tuples(
            st.sampled_from("ABCDEX"),
            st.sampled_from("ABCDE"),
            st.decimals(min_value=0, max_value=1, places=2),
        ),
        max_size=12,
    )
)
def test_ofac_rule_is_monotone_in_the_listed_set(edges: list[tuple[str, str, Decimal]]) -> None:
    g = OwnershipGraph(tuple(Holding(o, a, s, "h") for o, a, s in edges if o != a))
    for subject in "ABCDE":
        if ofac_50(g, {"X"}, subject).applies:
            assert ofac_50(g, {"X", "A"}, subject).applies
        # blocked under OFAC implies flagged by the fund's stricter rule
        if ofac_50(g, {"X"}, subject).applies and subject != "X":
            assert fund_any_owner(g, {"X"}, subject).applies


@pytest.fixture(scope="module")
def zala(shared_data_module: Path) -> OwnershipGraph:
    path = shared_data_module / "ownership" / "zala-cluster.ftm.jsonl"
    parsed = parse_ftm(path.name, path.read_bytes())
    return OwnershipGraph.from_ftm([r.entity for r in parsed.records] + list(parsed.relations))


@pytest.fixture(scope="module")
def shared_data_module() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"
CST = "NK-abdzbEBkqyT29GyREbiURZ"
KALASHNIKOV = "NK-nR5AXM9AVPq4pQaSPSaVam"


def test_zala_conflicting_48_50_51_percent_resolves_to_worst_case(zala: OwnershipGraph) -> None:
    result = ofac_50(zala, {ZAKHAROV}, CST)
    assert result.applies
    assert CONFLICTING_SHARES in result.flags
    assert result.share == Decimal("0.51")
    assert "Zakharov" in result.explain()


def test_zala_kalashnikov_49_percent_alone_is_not_enough(zala: OwnershipGraph) -> None:
    assert not ofac_50(zala, {KALASHNIKOV}, CST).applies
    assert fund_any_owner(zala, {KALASHNIKOV}, CST).applies


def test_zala_directorship_is_control_under_eu(zala: OwnershipGraph) -> None:
    # Zakharov is "Leader or official of" LLC CST (OFAC relation): control, not ownership
    assert eu_50_or_control(zala, {ZAKHAROV}, CST).applies


bods_fixtures = pytest.importorskip("bods_fixtures")


def test_bods_direct_ownership_gives_jane_75_percent() -> None:
    fixture = bods_fixtures.load("core/01-direct-ownership")
    g = OwnershipGraph.from_bods(fixture.statements)
    result = ofac_50(g, {"rec-jane-smith-1975"}, "rec-acme-holdings-ltd")
    assert result.applies
    assert result.share == Decimal("0.75")
    assert "Jane Smith" in result.explain()
    assert eu_50_or_control(g, {"rec-jane-smith-1975"}, "rec-acme-holdings-ltd").applies


def test_bods_circular_ownership_terminates_without_self_ownership() -> None:
    fixture = bods_fixtures.load("edge-cases/10-circular-ownership")
    g = OwnershipGraph.from_bods(fixture.statements)
    result = ofac_50(g, set(), "rec-alpha-corp")
    assert not result.applies
    assert CYCLE in result.flags
    assert fund_any_owner(g, set(), "rec-alpha-corp").paths == ()


def test_bods_anonymous_owner_is_a_risk_flag_not_an_invented_person() -> None:
    fixture = bods_fixtures.load("edge-cases/11-anonymous-person")
    g = OwnershipGraph.from_bods(fixture.statements)
    result = fund_any_owner(g, set(), "rec-opaque-holdings-sa")
    assert UNKNOWN_OWNER in result.flags
    assert result.applies
    assert g.holdings == ()
