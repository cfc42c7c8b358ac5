"""Exchange rates: the NBU rate in force on a value date, and conversions at it.

Owns the FX rule of the books (``fx_rule: nbu_latest_on_or_before``): a conversion on a
value date uses the latest rate recorded for that pair with a date on or before it.  A rate
is *quote units per one base* (USD→UAH 41.3: 41.3 UAH per USD).  The inverse pair is
derived exactly; a pair with neither quoted directly may cross through UAH (the NBU quotes
every currency against the hryvnia).  No rate on or before the date: ``NotPermitted``
naming the pair and the date.  Results are rounded once, half up, to the target currency's
minor unit.

``FxTable`` is the only mutable value here: the ledger adds rates as ``fx_rate`` events
arrive, in any order of value date; lookups are ``O(log n)``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from decimal import Decimal

from urif.core.errors import InvalidInput, NotPermitted
from urif.rules.rounding import round_half_up as _round

#: The currency every other is crossed through when no direct rate exists.
CROSS_CURRENCY = "UAH"


class FxTable:
    """Rates by ``(base, quote)`` pair, each a history sorted by date."""

    __slots__ = ("_rates",)

    def __init__(self) -> None:
        self._rates: dict[tuple[str, str], tuple[list[int], list[Decimal]]] = {}

    def add(self, base: str, quote: str, on: dt.date, rate: Decimal) -> Decimal | None:
        """Record ``rate`` for ``base``→``quote`` on ``on``; returns the rate it replaced.

        >>> table = FxTable()
        >>> table.add("USD", "UAH", dt.date(2025, 9, 17), Decimal("41.30")) is None
        True
        """
        if rate <= 0:
            raise InvalidInput(f"fx_rate {base}/{quote} on {on}: rate must be positive, got {rate}")
        if base == quote:
            raise InvalidInput(f"fx_rate on {on}: base and quote are both {base}")
        days, rates = self._rates.setdefault((base, quote), ([], []))
        day = on.toordinal()
        index = bisect_right(days, day)
        if index and days[index - 1] == day:
            old = rates[index - 1]
            rates[index - 1] = rate
            return old
        days.insert(index, day)
        rates.insert(index, rate)
        return None

    def remove(self, base: str, quote: str, on: dt.date, restore: Decimal | None) -> None:
        """Undo one :meth:`add`: restore the replaced rate, or drop the day."""
        days, rates = self._rates[(base, quote)]
        index = bisect_right(days, on.toordinal()) - 1
        if restore is not None:
            rates[index] = restore
            return
        del days[index]
        del rates[index]
        if not days:
            del self._rates[(base, quote)]

    def direct(self, base: str, quote: str, on: dt.date) -> Decimal | None:
        """The latest directly recorded ``base``→``quote`` rate on or before ``on``."""
        history = self._rates.get((base, quote))
        if history is None:
            return None
        days, rates = history
        index = bisect_right(days, on.toordinal())
        return rates[index - 1] if index else None

    def exact(self, base: str, quote: str, on: dt.date) -> Decimal | None:
        """The rate recorded for ``base``→``quote`` exactly on ``on``, if any."""
        history = self._rates.get((base, quote))
        if history is None:
            return None
        days, rates = history
        index = bisect_right(days, on.toordinal())
        return rates[index - 1] if index and days[index - 1] == on.toordinal() else None

    def copy(self) -> FxTable:
        """An independent copy."""
        other = FxTable()
        other._rates = {pair: (days[:], rates[:]) for pair, (days, rates) in self._rates.items()}
        return other

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Every pair with at least one rate, sorted."""
        return tuple(sorted(self._rates))

    def __eq__(self, other: object) -> bool:
        """Equal when every pair has the same history."""
        return isinstance(other, FxTable) and self._rates == other._rates

    __hash__ = None  # type: ignore[assignment]


def _pair_rate(table: FxTable, base: str, quote: str, on: dt.date) -> Decimal | None:
    direct = table.direct(base, quote, on)
    if direct is not None:
        return direct
    inverse = table.direct(quote, base, on)
    if inverse is not None:
        return Decimal(1) / inverse
    return None


def fx_rate_on(table: FxTable, base: str, quote: str, on: dt.date) -> Decimal:
    """Quote units per one ``base`` in force on ``on`` (latest rate on or before it).

    >>> table = FxTable()
    >>> _ = table.add("USD", "UAH", dt.date(2025, 9, 17), Decimal("41.30"))
    >>> fx_rate_on(table, "USD", "UAH", dt.date(2025, 9, 20))
    Decimal('41.30')
    >>> fx_rate_on(table, "USD", "UAH", dt.date(2025, 9, 16))
    Traceback (most recent call last):
    ...
    urif.core.errors.NotPermitted: fx: no USD/UAH rate on or before 2025-09-16; record an fx_rate event dated on or before 2025-09-16 first
    """
    if base == quote:
        return Decimal(1)
    rate = _pair_rate(table, base, quote, on)
    if rate is None and CROSS_CURRENCY not in (base, quote):
        base_uah = _pair_rate(table, base, CROSS_CURRENCY, on)
        quote_uah = _pair_rate(table, quote, CROSS_CURRENCY, on)
        if base_uah is not None and quote_uah is not None:
            rate = base_uah / quote_uah
    if rate is None:
        raise NotPermitted(
            f"fx: no {base}/{quote} rate on or before {on}; "
            f"record an fx_rate event dated on or before {on} first"
        )
    return rate


def convert(
    amount: Decimal, from_currency: str, to_currency: str, on: dt.date, table: FxTable
) -> Decimal:
    """``amount`` in ``to_currency`` at the rate in force on ``on``, rounded half up.

    Multiplies by the direct rate, or divides by the inverse pair's rate, so that a
    conversion against the quoted direction is exact before the one rounding.

    >>> table = FxTable()
    >>> _ = table.add("USD", "UAH", dt.date(2025, 9, 17), Decimal("41.30"))
    >>> convert(Decimal("41300000"), "UAH", "USD", dt.date(2025, 9, 17), table)
    Decimal('1000000.00')
    >>> convert(Decimal("100"), "UAH", "USD", dt.date(2025, 9, 17), table)
    Decimal('2.42')
    >>> convert(Decimal("10.00"), "USD", "UAH", dt.date(2025, 9, 17), table)
    Decimal('413.00')
    >>> convert(Decimal("5"), "USD", "USD", dt.date(2000, 1, 1), table)
    Decimal('5.00')
    """
    if from_currency == to_currency:
        return _round(amount, to_currency)
    direct = table.direct(from_currency, to_currency, on)
    if direct is not None:
        return _round(amount * direct, to_currency)
    inverse = table.direct(to_currency, from_currency, on)
    if inverse is not None:
        return _round(amount / inverse, to_currency)
    return _round(amount * fx_rate_on(table, from_currency, to_currency, on), to_currency)
