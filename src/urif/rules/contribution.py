"""US in-kind contributions: when new military assistance earns capital credit.

Owns the in-kind clause (Art. III, Resolution 1411): new military assistance delivered on
or after the in-kind cut-off (entry into force by default) raises the US capital
contribution by its assessed value, and, where the terms require it, only aid agreed as a
contribution counts.  Past aid earns nothing.  A refusal is ``NotPermitted`` with the reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from urif.core.errors import NotPermitted


def in_kind_credit(
    assessed_value: Decimal,
    delivered_on: dt.date,
    agreed: bool,
    *,
    credit_allowed: bool,
    cutoff: dt.date,
    requires_agreed: bool,
) -> Decimal:
    """The capital credit for in-kind aid: its assessed value, or ``NotPermitted`` why not.

    >>> cutoff = dt.date(2025, 5, 23)
    >>> in_kind_credit(Decimal("1000"), dt.date(2025, 6, 1), True,
    ...                credit_allowed=True, cutoff=cutoff, requires_agreed=True)
    Decimal('1000')
    >>> in_kind_credit(Decimal("1000"), dt.date(2025, 5, 1), True,
    ...                credit_allowed=True, cutoff=cutoff, requires_agreed=True)
    Traceback (most recent call last):
    ...
    urif.core.errors.NotPermitted: in_kind: delivered 2025-05-01, before the in-kind cut-off 2025-05-23; aid delivered before it earns no capital credit
    >>> in_kind_credit(Decimal("1000"), dt.date(2025, 6, 1), False,
    ...                credit_allowed=True, cutoff=cutoff, requires_agreed=False)
    Decimal('1000')
    """
    if not credit_allowed:
        raise NotPermitted("in_kind: the terms in force give no capital credit for in-kind aid")
    if delivered_on < cutoff:
        raise NotPermitted(
            f"in_kind: delivered {delivered_on}, before the in-kind cut-off {cutoff}; "
            "aid delivered before it earns no capital credit"
        )
    if requires_agreed and not agreed:
        raise NotPermitted(
            "in_kind: not agreed as a contribution (agreed: false); the terms in force credit "
            "only aid the partners agreed to count (Resolution 1411)"
        )
    if assessed_value <= 0:
        raise NotPermitted(f"in_kind: assessed value must be positive, got {assessed_value}")
    return assessed_value
