"""The one rounding rule of urif on the hot paths: half up to the currency's minor unit.

Owns ``unit(code)`` (the currency's quantum, ``0.01`` for USD, computed once per code) and
``round_half_up(amount, code)``, which equal ``urif.core.money.quantum`` and
``round_amount`` but skip rebuilding the quantum on every call (booking rounds several
amounts per event).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from urif.core.money import quantum

_UNITS: dict[str, Decimal] = {}


def unit(code: str) -> Decimal:
    """The smallest unit of ``code`` (cached ``urif.core.money.quantum``).

    >>> unit("USD"), unit("JPY")
    (Decimal('0.01'), Decimal('1'))
    """
    found = _UNITS.get(code)
    if found is None:
        found = _UNITS[code] = quantum(code)
    return found


def round_half_up(amount: Decimal, code: str) -> Decimal:
    """``amount`` rounded half up to the minor unit of ``code`` (``round_amount``).

    >>> round_half_up(Decimal("2.425"), "USD"), round_half_up(Decimal("-2.425"), "UAH")
    (Decimal('2.43'), Decimal('-2.43'))
    """
    found = _UNITS.get(code)
    if found is None:
        found = _UNITS[code] = quantum(code)
    return amount.quantize(found, rounding=ROUND_HALF_UP)
