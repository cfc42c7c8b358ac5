"""Dates: half-open ranges, quarters and ISO parsing with errors a user can act on."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from urif.core.errors import InvalidInput

_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|-(\d{2}))?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, *, field: str = "date") -> dt.date:
    """Parse an ISO ``YYYY-MM-DD`` date or raise ``InvalidInput`` naming the field.

    >>> parse_date("2025-05-23")
    datetime.date(2025, 5, 23)
    >>> parse_date("2025-W01-1")
    Traceback (most recent call last):
    ...
    urif.core.errors.InvalidInput: date: expected an ISO date YYYY-MM-DD, got '2025-W01-1'
    """
    try:
        # fromisoformat alone would also take week dates such as 2025-W01-1
        if not isinstance(text, str) or not _ISO_DATE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field}: expected an ISO date YYYY-MM-DD, got {text!r}") from None


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February falls back to 28 February.

    >>> add_years(dt.date(2025, 5, 23), 10)
    datetime.date(2035, 5, 23)
    >>> add_years(dt.date(2024, 2, 29), 1)
    datetime.date(2025, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day.

    >>> add_months(dt.date(2025, 1, 31), 1)
    datetime.date(2025, 2, 28)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise InvalidInput(f"date: {months} months after {day} is outside the calendar")
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True, slots=True)
class DateRange:
    """A half-open range of days ``[start, end)``; ``end`` is the first day outside it."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(f"date range: end {self.end} is before start {self.start}")

    def __contains__(self, day: object) -> bool:
        """True when ``day`` lies in ``[start, end)``.

        >>> dt.date(2026, 3, 31) in DateRange(dt.date(2026, 1, 1), dt.date(2026, 4, 1))
        True
        >>> dt.date(2026, 4, 1) in DateRange(dt.date(2026, 1, 1), dt.date(2026, 4, 1))
        False
        """
        return isinstance(day, dt.date) and self.start <= day < self.end

    @property
    def last_day(self) -> dt.date:
        """The last day inside the range."""
        return self.end - dt.timedelta(days=1)

    def __str__(self) -> str:
        """ISO interval notation."""
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"

    @classmethod
    def parse_period(cls, text: str) -> DateRange:
        """Parse ``2026Q1``, ``2026-03`` or ``2026`` into the range it names.

        >>> str(DateRange.parse_period("2026Q1"))
        '[2026-01-01, 2026-04-01)'
        >>> str(DateRange.parse_period("2025"))
        '[2025-01-01, 2026-01-01)'
        >>> DateRange.parse_period("0000Q1")
        Traceback (most recent call last):
        ...
        urif.core.errors.InvalidInput: period: '0000Q1' is outside the calendar (years 1-9998)
        """
        match = _PERIOD.match(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise InvalidInput(
                f"period: expected YYYY, YYYYQn or YYYY-MM (for example 2026Q1), got {text!r}"
            )
        try:
            return cls._period(int(match.group(1)), match.group(2), match.group(3))
        except (ValueError, OverflowError):
            raise InvalidInput(f"period: {text!r} is outside the calendar (years 1-9998)") from None

    @classmethod
    def _period(cls, year: int, quarter: str | None, month: str | None) -> DateRange:
        if quarter:
            start = dt.date(year, 3 * int(quarter) - 2, 1)
            return cls(start, add_months(start, 3))
        if month:
            if not 1 <= int(month) <= 12:
                raise InvalidInput(f"period: month must be 01-12, got {year}-{month}")
            start = dt.date(year, int(month), 1)
            return cls(start, add_months(start, 1))
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    def quarter_to_date(self) -> DateRange:
        """From the start of the quarter holding the last day up to this range's end."""
        last = self.last_day
        return DateRange(dt.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1), self.end)

    def year_to_date(self) -> DateRange:
        """From 1 January of the last day's year up to this range's end."""
        return DateRange(dt.date(self.last_day.year, 1, 1), self.end)
