"""The four shipped agreement versions: contents, dates, statuses and sources."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urif.core.errors import NotFound
from urif.terms import Seats, Status, Terms, list_versions, load_termset, load_termsets
from urif.terms.catalogue import ANNEX_MINERALS, SPECS
from urif.terms.termset import FRAME_FIELDS

SIGNED = "signed-2025-04-30"
VERSIONS = ("signed-2025-04-30", "us-draft-2025-03", "framework-2025-02", "us-draft-2025-02")


def test_four_agreement_versions_are_shipped_newest_first_then_readings() -> None:
    versions = list_versions()
    assert versions[: len(VERSIONS)] == VERSIONS
    assert tuple(ts.version for ts in load_termsets() if ts.extends is None) == VERSIONS
    for termset in load_termsets()[len(VERSIONS) :]:
        assert termset.kind == "reading"
        assert termset.extends in VERSIONS


def test_unknown_version_is_not_found_and_lists_the_known_ones() -> None:
    with pytest.raises(NotFound, match="term set 'signed-2024' not found: expected one of"):
        load_termset("signed-2024")


def test_catalogue_covers_every_terms_field() -> None:
    fields = {f.name for f in dataclasses.fields(Terms)} - FRAME_FIELDS
    assert {spec.field for spec in SPECS} == fields | {"committee_seats"}


def test_annex_lists_57_resources_one_by_one() -> None:
    annex = load_termset(SIGNED).latest().annex_resources
    assert len(annex) == 57
    assert annex[:55] == ANNEX_MINERALS
    assert annex[55:] == ("oil", "natural_gas")
    for rare_earth in ("neodymium", "praseodymium", "dysprosium", "terbium", "lanthanum"):
        assert rare_earth in annex
    for absent in ("rare_earths", "molybdenum", "iron_ore", "coal"):
        assert absent not in annex


def test_signed_terms_in_force_from_entry_into_force() -> None:
    terms = load_termset(SIGNED).at(dt.date(2025, 6, 1))
    assert terms.in_force
    assert terms.signed_on == dt.date(2025, 4, 30)
    assert terms.entry_into_force == dt.date(2025, 5, 23)
    assert terms.revenue_share == Decimal("0.5")
    assert terms.board_seats == Seats(3, 3)
    assert not terms.us_veto
    assert terms.investment_rule == "unanimous"
    assert terms.committee("investment") == Seats(3, 2)
    assert terms.committee("sourcing") == Seats(2, 3)
    assert terms.reinvestment_lock_years == 10
    assert terms.lock_end == dt.date(2035, 5, 23)
    assert not terms.past_aid_credit
    assert terms.in_kind_credit
    assert terms.fund_tax_exempt
    assert terms.uah_free_conversion
    assert terms.government_dispute_forum == "consultations"
    assert terms.partnership_dispute_forum == "london_arbitration"
    assert terms.offtake_right_holder == "dfc_or_designee"


def test_resolution_1616_deadlines_start_on_2025_12_10() -> None:
    termset = load_termset(SIGNED)
    before = termset.at(dt.date(2025, 12, 9))
    after = termset.at(dt.date(2025, 12, 10))
    assert before.transfer_due is None
    assert before.agency_report_due is None
    assert before.ppp_report_due is None
    assert after.transfer_due is not None
    assert after.transfer_due.in_year(2026) == dt.date(2026, 4, 1)
    assert str(after.agency_report_due) == "03-15"
    assert str(after.ppp_report_due) == "05-01"


def test_resolution_1411_additions_start_on_2025_11_05() -> None:
    termset = load_termset(SIGNED)
    before = termset.at(dt.date(2025, 11, 4))
    after = termset.at(dt.date(2025, 11, 5))
    assert before.in_kind_assessor is None
    assert before.capital_raise_notice_lag_days is None
    assert after.in_kind_assessor == "ua_ministry_of_defence"
    assert after.capital_raise_notice_lag_days == 0
    assert after.info_request_response_months == 1


def test_december_2025_strategy_changes_the_sectors() -> None:
    termset = load_termset(SIGNED)
    assert "oil_and_gas" in termset.at(dt.date(2025, 12, 17)).investment_sectors
    sectors = termset.at(dt.date(2025, 12, 18)).investment_sectors
    assert sectors == ("critical_minerals", "energy", "transport_and_logistics", "ict")
    assert "defence" not in sectors


def test_before_the_first_date_terms_are_the_first_in_force_but_not_in_force() -> None:
    termset = load_termset(SIGNED)
    early = termset.at(dt.date(2025, 5, 1))
    assert not early.in_force
    assert early.as_of == dt.date(2025, 5, 1)
    first = termset.at(termset.effective_from)
    assert dataclasses.replace(early, as_of=first.as_of, in_force=True) == first


def test_leaked_terms_are_reported_never_known() -> None:
    terms = load_termset(SIGNED).latest()
    for path in ("first_look_months", "favourable_terms_lock_months"):
        param = terms.parameter(path)
        assert param is not None
        assert param.status is Status.REPORTED
    admin = terms.parameter("committee_seats.administrative")
    assert admin is not None
    assert admin.status is Status.DISPUTED
    assert Seats(3, 2) in admin.alternatives
    lock = terms.parameter("favourable_terms_lock_months")
    assert lock is not None
    assert None in lock.alternatives  # "no time limit"


UNDISCLOSED = (
    "allocation_basis",
    "in_kind_valuation_method",
    "new_licence_reading",
    "distribution_rule",
    "quorum",
    "critical_decisions",
    "sanctions_lists",
    "ownership_threshold",
)


@pytest.mark.parametrize("path", UNDISCLOSED)
def test_undisclosed_terms_are_assumed_or_disputed_with_alternatives(path: str) -> None:
    param = load_termset(SIGNED).latest().parameter(path)
    assert param is not None
    assert param.status in (Status.ASSUMED, Status.DISPUTED)
    assert param.alternatives


@pytest.mark.parametrize("version", VERSIONS)
def test_every_value_is_sourced_with_a_url_and_meaning(version: str) -> None:
    termset = load_termset(version)
    assert termset.documents
    for history in termset.parameters:
        assert history.meaning
        for value in history.values:
            assert value.source.url.startswith(("https://", "http://"))
            assert value.source.document
            assert value.source.clause


def test_drafts_carry_no_known_value_from_a_leak() -> None:
    march = load_termset("us-draft-2025-03")
    statuses = {v.status for h in march.parameters for v in h.values}
    assert Status.KNOWN not in statuses


def test_superseded_versions_have_their_distinctive_terms() -> None:
    march = load_termset("us-draft-2025-03").latest()
    assert march.board_seats == Seats(3, 2)
    assert march.us_veto
    assert march.preferred_return == Decimal("0.04")
    assert march.past_aid_credit
    assert march.government_dispute_forum == "us_courts_us_law"
    framework = load_termset("framework-2025-02").latest()
    assert framework.ownership_limited_by_us_law
    assert framework.reinvest_at_least_annually
    assert framework.allocation_basis == "contributed_capital"
    assert framework.fund_agreement_status == "to_follow"
    february = load_termset("us-draft-2025-02").latest()
    assert february.us_financial_interest == Decimal(1)
    assert february.fund_target_usd == Decimal("500000000000")
    assert february.ukraine_multiple_of_us_aid == Decimal(2)
    assert february.revenue_share == Decimal("0.5")
    assert {"infrastructure_revenue", "port_revenue"} <= set(february.revenue_items)


def test_load_termsets_matches_list_versions() -> None:
    assert tuple(ts.version for ts in load_termsets()) == list_versions()


@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_at_picks_the_latest_value_dated_on_or_before(day: dt.date) -> None:
    termset = load_termset(SIGNED)
    terms = termset.at(day)
    in_force = dict(terms.parameters)
    effective = max(day, termset.effective_from)
    for history in termset.parameters:
        dated = [v for v in history.values if v.effective_from <= effective]
        if not dated:
            assert history.path not in in_force
        else:
            assert in_force[history.path] == dated[-1]
