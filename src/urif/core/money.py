"""Money: an exact Decimal amount with an ISO 4217 currency, one rounding rule, one split.

Amounts are exact; rounding happens only through :func:`round_amount` (half up, to the
currency's minor unit: USD and UAH at 2 places) and :func:`allocate` (largest remainder,
so the parts always sum exactly to the total).  Floats are refused: they belong to the
simulator, never to the books.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from urif.core.errors import InvalidInput
from urif.core.ids import Currency

#: Minor units of the currencies the fund meets; any other ISO code defaults to 2.
MINOR_UNITS: dict[str, int] = {"USD": 2, "UAH": 2, "EUR": 2, "GBP": 2, "JPY": 0, "CHF": 2}

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def currency(code: str) -> Currency:
    """Validate an ISO 4217 code (three upper-case letters).

    >>> currency("USD")
    'USD'
    """
    if not isinstance(code, str) or not _CURRENCY.match(code):
        raise InvalidInput(f"currency: expected an ISO 4217 code such as USD, got {code!r}")
    return Currency(code)


def parse_decimal(text: object, *, field: str = "amount") -> Decimal:
    """Parse a decimal string exactly; JSON numbers (floats) and NaN are refused.

    >>> parse_decimal("1250000.50")
    Decimal('1250000.50')
    >>> parse_decimal(1.5)
    Traceback (most recent call last):
    ...
    urif.core.errors.InvalidInput: amount: expected a decimal string such as "1250.00", got 1.5 (float)
    """
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise InvalidInput(f"{field}: expected a finite decimal, got {text}")
        return text
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        kind = type(text).__name__
        raise InvalidInput(
            f'{field}: expected a decimal string such as "1250.00", got {text!r} ({kind})'
        )
    raw = str(text).strip()
    if not _DECIMAL.match(raw):
        raise InvalidInput(f'{field}: expected a decimal string such as "1250.00", got {text!r}')
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        raise InvalidInput(f"{field}: not a decimal: {text!r}") from None


def quantum(code: str) -> Decimal:
    """The smallest unit of ``code`` as a Decimal exponent (``0.01`` for USD)."""
    return Decimal(1).scaleb(-MINOR_UNITS.get(code, 2))


def round_amount(amount: Decimal, code: str) -> Decimal:
    """Round to the currency's minor unit, half up: the one rounding rule of urif.

    >>> round_amount(Decimal("10.005"), "USD")
    Decimal('10.01')
    >>> round_amount(Decimal("-10.005"), "UAH")
    Decimal('-10.01')
    """
    return amount.quantize(quantum(code), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An exact amount in one currency; arithmetic across currencies is an error."""

    amount: Decimal
    currency: Currency

    def __post_init__(self) -> None:
        if isinstance(self.amount, float) or not isinstance(self.amount, Decimal):
            raise InvalidInput(f"money: amount must be a Decimal, got {self.amount!r}")
        if not self.amount.is_finite():
            raise InvalidInput(f"money: amount must be finite, got {self.amount}")
        currency(self.currency)

    @classmethod
    def of(cls, amount: str | int | Decimal, code: str) -> Money:
        """Build from a decimal string or int and a currency code.

        >>> Money.of("41.30", "UAH")
        Money(amount=Decimal('41.30'), currency='UAH')
        """
        return cls(parse_decimal(amount), currency(code))

    @classmethod
    def zero(cls, code: str) -> Money:
        """Zero in ``code``."""
        return cls(Decimal(0), currency(code))

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise InvalidInput(
                f"money: cannot combine {self.currency} with {other.currency}; convert first"
            )

    def __add__(self, other: Money) -> Money:
        """Exact sum in one currency."""
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        """Exact difference in one currency."""
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        """The same amount with the opposite sign."""
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        """Exact product with a Decimal or int factor (no rounding)."""
        if isinstance(factor, float) or not isinstance(factor, (Decimal, int)):
            raise InvalidInput(f"money: factor must be Decimal or int, got {factor!r}")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        """Compare amounts in one currency."""
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        """Compare amounts in one currency."""
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        """Compare amounts in one currency."""
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        """Compare amounts in one currency."""
        self._same(other)
        return self.amount >= other.amount

    def rounded(self) -> Money:
        """This amount rounded to the currency's minor unit (half up)."""
        return Money(round_amount(self.amount, self.currency), self.currency)

    def is_zero(self) -> bool:
        """True when the amount is exactly zero."""
        return self.amount == 0

    def __str__(self) -> str:
        """``1,250,000.00 USD`` style, exact."""
        return f"{self.amount:,} {self.currency}"


def total(items: Iterable[Money], code: str) -> Money:
    """Sum Money values in ``code``; an empty iterable gives zero.

    >>> total([Money.of("1.10", "USD"), Money.of("2.20", "USD")], "USD")
    Money(amount=Decimal('3.30'), currency='USD')
    """
    result = Money.zero(code)
    for item in items:
        result = result + item
    return result


def allocate(amount: Money, weights: Sequence[Decimal]) -> tuple[Money, ...]:
    """Split ``amount`` by ``weights`` at the minor unit; parts sum exactly to the total.

    Largest remainder: each part gets the floor of its exact share, then the units left
    over go one each to the largest remainders (ties to the earlier weight).  A negative
    amount is split as its absolute value and negated, so signs never mix.

    >>> [str(p.amount) for p in allocate(Money.of("100.00", "USD"), [Decimal(1)] * 3)]
    ['33.34', '33.33', '33.33']
    >>> [str(p.amount) for p in allocate(Money.of("-0.05", "USD"), [Decimal(1), Decimal(1)])]
    ['-0.03', '-0.02']
    """
    if not weights:
        raise InvalidInput("allocate: expected at least one weight, got none")
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, (Decimal, int)) or not Decimal(w).is_finite():
            raise InvalidInput(f"allocate: weights must be finite Decimals or ints, got {w!r}")
    if any(w < 0 for w in weights):
        raise InvalidInput(f"allocate: weights must not be negative, got {list(weights)}")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise InvalidInput("allocate: weights sum to zero; nothing to split by")
    code = amount.currency
    unit = quantum(code)
    rounded_total = round_amount(amount.amount, code)
    sign = -1 if rounded_total < 0 else 1
    units_total = int((abs(rounded_total) / unit).to_integral_value())
    exact = [Decimal(units_total) * w / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding=ROUND_DOWN)) for e in exact]
    left = units_total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return tuple(Money(sign * Decimal(units) * unit, code) for units in floors)
