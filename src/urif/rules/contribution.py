"""US in-kind contributions: when new military assistance earns capital credit.

Owns the in-kind clause (Art. III, Resolution 1411): new military assistance delivered on
or after the in-kind cut-off (entry into force by default) raises the US capital
contribution by its assessed value, and, where the terms require it, only aid agreed as a
contribution counts.  Past aid earns nothing.  In-kind credit is the US side's
contribution only (the aid is US military assistance), and credit cannot precede delivery.
A refusal is ``NotPermitted`` with the reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from urif.core.errors import NotPermitted

#: The side whose capital in-kind aid raises (Art. VI: new US military assistance).
IN_KIND_SIDE = "us"
_ON_SIDE = {"us": "on the US side", "ua": "on Ukraine's side"}


def check_in_kind_partner(partner: str, side: str | None) -> None:
    """Refuse in-kind credit for a partner not on the US side (``side``: "us", "ua", None).

    >>> check_in_kind_partner("dfc", "us")
    >>> check_in_kind_partner("ppp_agency", "ua")
    Traceback (most recent call last):
    ...
    urif.core.errors.NotPermitted: partner: 'ppp_agency' is on Ukraine's side, and in-kind credit is the US side's contribution (new US military assistance raises the US partner's capital, Art. VI): only a US-side partner may contribute kind in_kind; record this as cash or agreed_revenue
    """
    if side == IN_KIND_SIDE:
        return
    where = _ON_SIDE.get(side or "", "on neither side")
    instead = "cash or agreed_revenue" if side == "ua" else "cash"
    raise NotPermitted(
        f"partner: {partner!r} is {where}, and in-kind credit is the US side's contribution "
        "(new US military assistance raises the US partner's capital, Art. VI): only a "
        f"US-side partner may contribute kind in_kind; record this as {instead}"
    )


def check_delivered_by(delivered_on: dt.date, on: dt.date) -> None:
    """Refuse in-kind credit dated before the aid was delivered.

    >>> check_delivered_by(dt.date(2025, 6, 1), dt.date(2025, 6, 1))
    >>> check_delivered_by(dt.date(2025, 6, 2), dt.date(2025, 6, 1))
    Traceback (most recent call last):
    ...
    urif.core.errors.NotPermitted: delivered_on: 2025-06-02 is after the contribution's value date 2025-06-01; in-kind credit cannot precede delivery: date the contribution on or after the delivery
    """
    if delivered_on > on:
        raise NotPermitted(
            f"delivered_on: {delivered_on} is after the contribution's value date {on}; "
            "in-kind credit cannot precede delivery: date the contribution on or after the "
            "delivery"
        )


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
