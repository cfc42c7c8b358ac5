"""Dates: half-open ranges, periods, calendar arithmetic and ISO parsing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urif.core.dates import DateRange, add_months, add_years, parse_date
from urif.core.errors import InvalidInput

DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))


@given(DATES, DATES, DATES)
def test_date_range_is_half_open(a: dt.date, b: dt.date, day: dt.date) -> None:
    start, end = min(a, b), max(a, b)
    span = DateRange(start, end)
    assert (day in span) == (start <= day < end)
    assert end not in span
    if start < end:
        assert start in span
        assert span.last_day in span
        assert span.last_day + dt.timedelta(days=1) == end


@given(DATES, DATES, DATES)
def test_adjacent_ranges_do_not_overlap_and_cover(a: dt.date, b: dt.date, c: dt.date) -> None:
    first, middle, last = sorted((a, b, c))
    left, right = DateRange(first, middle), DateRange(middle, last)
    span = DateRange(first, last)
    for day in (first, middle, last, middle - dt.timedelta(days=1)):
        assert not (day in left and day in right)
        assert (day in span) == (day in left or day in right)


def test_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidInput, match="end 2025-01-01 is before start 2025-02-01"):
        DateRange(dt.date(2025, 2, 1), dt.date(2025, 1, 1))


def test_non_dates_are_not_in_a_range() -> None:
    assert "2025-01-01" not in DateRange(dt.date(2025, 1, 1), dt.date(2026, 1, 1))


@given(st.integers(min_value=1990, max_value=2090), st.integers(min_value=1, max_value=4))
def test_quarters_tile_the_year(year: int, quarter: int) -> None:
    span = DateRange.parse_period(f"{year}Q{quarter}")
    assert span.start == dt.date(year, 3 * quarter - 2, 1)
    assert span.end == add_months(span.start, 3)
    year_span = DateRange.parse_period(str(year))
    assert span.start in year_span
    assert span.last_day in year_span
    assert span.year_to_date() == DateRange(dt.date(year, 1, 1), span.end)
    assert span.quarter_to_date() == span


@given(st.integers(min_value=1990, max_value=2090), st.integers(min_value=1, max_value=12))
def test_month_periods(year: int, month: int) -> None:
    span = DateRange.parse_period(f"{year}-{month:02d}")
    assert span.start == dt.date(year, month, 1)
    assert span.last_day.month == month
    assert span.end.day == 1


@pytest.mark.parametrize("bad", ["2026Q5", "2026-13", "2026-00", "26Q1", "Q1 2026", ""])
def test_bad_periods_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="period"):
        DateRange.parse_period(bad)


@given(DATES, st.integers(min_value=-240, max_value=240))
def test_add_months_clamps_to_month_end(day: dt.date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + dt.timedelta(days=1)).day == 1)


@given(DATES, st.integers(min_value=-50, max_value=50))
def test_add_years_keeps_the_day_except_29_february(day: dt.date, years: int) -> None:
    moved = add_years(day, years)
    assert moved.year == day.year + years
    assert moved.month == day.month
    if (day.month, day.day) != (2, 29):
        assert moved.day == day.day
    else:
        assert moved.day in (28, 29)


def test_ten_year_lock_from_entry_into_force() -> None:
    assert add_years(dt.date(2025, 5, 23), 10) == dt.date(2035, 5, 23)


@given(DATES)
def test_parse_date_round_trips_iso(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


@pytest.mark.parametrize("bad", ["2025-5-23", "23.05.2025", "2025-02-30", "2025-05-23T00:00", ""])
def test_parse_date_names_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput, match=r"--as-of: expected an ISO date YYYY-MM-DD, got"):
        parse_date(bad, field="--as-of")
