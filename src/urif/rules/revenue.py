"""Ukraine's agreed revenue: the share of a state receipt and when the transfer is due.

Owns the formulas of Art. III and Cabinet Resolution 1616: which receipt items count,
the exact share owed to the fund, and the yearly transfer deadline (1 April of the next
year where the terms have it).  The share is exact (no rounding); the books round a year's
total once, to the cent, half up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from urif.core.errors import InvalidInput

if TYPE_CHECKING:
    from urif.terms.model import MonthDay

#: The ``state_receipt`` items the event format knows.
RECEIPT_ITEMS = ("royalty", "permit_fee", "auction_price", "production_share", "signing_bonus")


def ukraine_share(
    amount: Decimal, item: str, revenue_items: tuple[str, ...], revenue_share: Decimal
) -> Decimal:
    """Exact share of a state receipt owed to the fund; zero for items that do not count.

    >>> items = ("royalty", "signing_bonus")
    >>> ukraine_share(Decimal("1000.01"), "royalty", items, Decimal("0.5"))
    Decimal('500.005')
    >>> ukraine_share(Decimal("1000"), "permit_fee", items, Decimal("0.5"))
    Decimal('0')
    """
    if item not in RECEIPT_ITEMS:
        raise InvalidInput(
            f"state_receipt item: expected one of {', '.join(RECEIPT_ITEMS)}, got {item!r}"
        )
    if item not in revenue_items:
        return Decimal(0)
    return amount * revenue_share


def obligation_due_date(year: int, transfer_due: MonthDay | None) -> dt.date | None:
    """Due date of the transfer for receipts of ``year``: ``transfer_due`` in ``year + 1``.

    ``None`` when the terms set no deadline (before Resolution 1616 was in force).

    >>> from urif.terms.model import MonthDay
    >>> obligation_due_date(2025, MonthDay(4, 1))
    datetime.date(2026, 4, 1)
    >>> obligation_due_date(2025, None) is None
    True
    """
    if transfer_due is None:
        return None
    return transfer_due.in_year(year + 1)
