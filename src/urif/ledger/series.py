"""Dated running totals: the as-of engine of the in-memory books.

Owns ``DatedSeries``: amounts added on value dates in any order, answering "total on or
before day D" in ``O(log n)`` and "lowest running total from day D on" (the cash rule).
Days are ``date.toordinal()`` integers.  Appends in date order are ``O(1)``; a late value
date shifts the running totals after it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal

_ZERO = Decimal(0)


class DatedSeries:
    """Running totals of amounts by day.

    >>> s = DatedSeries()
    >>> _ = s.add(10, Decimal(5)); _ = s.add(20, Decimal(-3)); _ = s.add(15, Decimal(1))
    >>> s.through(9), s.through(15), s.through(99), s.minimum_from(16)
    (Decimal('0'), Decimal('6'), Decimal('3'), Decimal('3'))
    """

    __slots__ = ("cum", "days")

    def __init__(self) -> None:
        self.days: list[int] = []
        self.cum: list[Decimal] = []

    def add(self, day: int, amount: Decimal) -> bool:
        """Add ``amount`` on ``day``; True when ``day`` was new to the series."""
        days, cum = self.days, self.cum
        if not days or day > days[-1]:
            days.append(day)
            cum.append((cum[-1] if cum else _ZERO) + amount)
            return True
        index = bisect_left(days, day)
        inserted = days[index] != day
        if inserted:
            days.insert(index, day)
            cum.insert(index, (cum[index - 1] if index else _ZERO) + amount)
            start = index + 1
        else:
            start = index
        for i in range(start, len(cum)):
            cum[i] += amount
        return inserted

    def undo(self, day: int, amount: Decimal, inserted: bool) -> None:
        """Undo one :meth:`add` (the most recent one touching ``day``)."""
        days, cum = self.days, self.cum
        index = bisect_left(days, day)
        if inserted:
            del days[index]
            del cum[index]
            start = index
        else:
            start = index
        for i in range(start, len(cum)):
            cum[i] -= amount

    def through(self, day: int) -> Decimal:
        """Total of the amounts on or before ``day``."""
        index = bisect_right(self.days, day)
        return self.cum[index - 1] if index else _ZERO

    def total(self) -> Decimal:
        """Total of every amount."""
        return self.cum[-1] if self.cum else _ZERO

    def minimum_from(self, day: int) -> Decimal:
        """Lowest running total on ``day`` or any later day of the series."""
        lowest = self.through(day)
        for value in self.cum[bisect_left(self.days, day) :]:
            lowest = min(lowest, value)
        return lowest

    def lowest(self) -> tuple[int, Decimal] | None:
        """The first day with the lowest running total, or None when empty."""
        if not self.cum:
            return None
        index = min(range(len(self.cum)), key=lambda i: (self.cum[i], i))
        return self.days[index], self.cum[index]

    def deltas(self) -> list[tuple[int, Decimal]]:
        """``(day, amount added that day)`` for every day, in date order."""
        out: list[tuple[int, Decimal]] = []
        previous = _ZERO
        for day, value in zip(self.days, self.cum, strict=True):
            out.append((day, value - previous))
            previous = value
        return out

    def copy(self) -> DatedSeries:
        """An independent copy."""
        other = DatedSeries()
        other.days = self.days[:]
        other.cum = self.cum[:]
        return other

    def __eq__(self, other: object) -> bool:
        """Equal when the same totals fall on the same days (zero-amount days ignored)."""
        if not isinstance(other, DatedSeries):
            return NotImplemented
        return [d for d in self.deltas() if d[1]] == [d for d in other.deltas() if d[1]]

    __hash__ = None  # type: ignore[assignment]
