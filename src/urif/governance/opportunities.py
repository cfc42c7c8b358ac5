"""Investment opportunity rights and offtake (Art. VII, Resolution 1411): windows and breaches.

Owns ``Opportunity`` (a notified capital raise or offtake, with its dated windows) and
``Breach`` (what the board must see).  Windows come from the terms in force when each
event happened: the information-request clock (one month from the Partnership's formal
interest), the US side's first look (3 months from the notice, ``reported``) and the
favourable-terms protection after a decline (6 months, ``reported``; ``None`` in the terms
means no time limit).  Third-party terms are "substantially more favourable" when their
price or their cost of capital is lower than the declined offer's by at least the
threshold (relative, default 5%, ``assumed``: a cost of capital of 0.10 is matched down
to 0.095); price and cost of capital are both what the investor or buyer pays, so lower
is better for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from urif.core.dates import add_months
from urif.terms.model import Terms


@dataclass(frozen=True, slots=True)
class OfferedTerms:
    """A price and/or a cost of capital offered or agreed."""

    price: Decimal | None = None
    cost_of_capital: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Breach:
    """A breach of the opportunity rights the board must see."""

    opportunity: str
    on: dt.date
    rule: str  # "late_notice" | "first_look" | "favourable_terms"
    event: str
    message: str
    status: str  # confidence of the term behind it: known/reported/assumed/disputed


@dataclass(frozen=True, slots=True)
class ThirdPartyDeal:
    """Terms the holder agreed with a third party."""

    on: dt.date
    counterparty: str
    terms: OfferedTerms
    event: str


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A notified opportunity, its windows (half-open ends) and what happened since."""

    opportunity: str
    holder: str
    kind: str  # permit | ppp | concession | offtake
    notified_on: dt.date
    event: str
    right_holder: str  # "partnership", or DFC (or its designee) for offtake
    resource: str | None = None
    deposit: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    third_parties_notified_on: dt.date | None = None
    first_look_end: dt.date | None = None
    first_look_status: str | None = None
    interest_on: dt.date | None = None
    interest_by: str | None = None
    information_due: dt.date | None = None
    declined_on: dt.date | None = None
    declined_terms: OfferedTerms | None = None
    protection_end: dt.date | None = None  # None after a decline: no time limit
    protection_status: str | None = None
    deals: tuple[ThirdPartyDeal, ...] = ()
    breaches: tuple[Breach, ...] = ()
    illustrative: bool = False


def status_of(terms: Terms, field: str) -> str:
    """The confidence status of the parameter behind ``field`` (``assumed`` if unrecorded)."""
    for path, parameter in terms.parameters:
        if path == field or path.endswith("." + field):
            return parameter.status.value
    return "assumed"


def notified(
    opportunity: str,
    holder: str,
    kind: str,
    on: dt.date,
    event: str,
    *,
    terms: Terms,
    third_parties_notified_on: dt.date | None = None,
    resource: str | None = None,
    deposit: str | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
    illustrative: bool = False,
) -> Opportunity:
    """A new opportunity from its notice, with the first-look window and a late-notice check."""
    first_look_end = (
        add_months(on, terms.first_look_months) if terms.first_look_months is not None else None
    )
    right_holder = (
        (terms.offtake_right_holder or "partnership") if kind == "offtake" else "partnership"
    )
    opp = Opportunity(
        opportunity=opportunity,
        holder=holder,
        kind=kind,
        notified_on=on,
        event=event,
        right_holder=right_holder,
        resource=resource,
        deposit=deposit,
        amount=amount,
        currency=currency,
        third_parties_notified_on=third_parties_notified_on,
        first_look_end=first_look_end,
        first_look_status=status_of(terms, "first_look_months") if first_look_end else None,
        illustrative=illustrative,
    )
    lag = terms.capital_raise_notice_lag_days
    if third_parties_notified_on is not None and lag is not None:
        latest = third_parties_notified_on + dt.timedelta(days=lag)
        if on > latest:
            opp = replace(
                opp,
                breaches=(
                    Breach(
                        opportunity,
                        on,
                        "late_notice",
                        event,
                        f"{holder} notified the PPP Agency on {on}, after telling third "
                        f"parties on {third_parties_notified_on} (allowed lag {lag} days)",
                        status_of(terms, "capital_raise_notice_lag_days"),
                    ),
                ),
            )
    return opp


def interest(opp: Opportunity, on: dt.date, by: str | None, terms: Terms) -> Opportunity:
    """Record the Partnership's formal interest and start the information-request clock."""
    months = terms.info_request_response_months
    due = add_months(on, months) if months is not None else None
    return replace(opp, interest_on=on, interest_by=by, information_due=due)


def declined(opp: Opportunity, on: dt.date, offered: OfferedTerms, terms: Terms) -> Opportunity:
    """Record a decline on ``offered`` terms and open the favourable-terms protection."""
    months = terms.favourable_terms_lock_months
    return replace(
        opp,
        declined_on=on,
        declined_terms=offered,
        protection_end=add_months(on, months) if months is not None else None,
        protection_status=status_of(terms, "favourable_terms_lock_months"),
    )


def more_favourable(third: OfferedTerms, offered: OfferedTerms, threshold: Decimal) -> str | None:
    """Why ``third`` is substantially more favourable than ``offered``, or None.

    >>> more_favourable(OfferedTerms(Decimal("94")), OfferedTerms(Decimal("100")), Decimal("0.05"))
    'price 94 is at least 5% below the 100 offered to the Partnership'
    >>> more_favourable(OfferedTerms(Decimal("96")), OfferedTerms(Decimal("100")), Decimal("0.05"))
    >>> more_favourable(
    ...     OfferedTerms(None, Decimal("0.099")), OfferedTerms(None, Decimal("0.10")), Decimal("0.05")
    ... )
    >>> more_favourable(
    ...     OfferedTerms(None, Decimal("0.095")), OfferedTerms(None, Decimal("0.10")), Decimal("0.05")
    ... )
    'cost of capital 0.095 is at least 5% below the 0.10 offered to the Partnership'
    """
    if (
        third.price is not None
        and offered.price is not None
        and third.price <= offered.price * (1 - threshold)
    ):
        pct = (threshold * 100).normalize()
        return (
            f"price {third.price} is at least {pct}% below the {offered.price} offered "
            f"to the Partnership"
        )
    if (
        third.cost_of_capital is not None
        and offered.cost_of_capital is not None
        and third.cost_of_capital <= offered.cost_of_capital * (1 - threshold)
    ):
        pct = (threshold * 100).normalize()
        return (
            f"cost of capital {third.cost_of_capital} is at least {pct}% below the "
            f"{offered.cost_of_capital} offered to the Partnership"
        )
    return None


def third_party(opp: Opportunity, deal: ThirdPartyDeal, terms: Terms) -> Opportunity:
    """Record third-party terms; a deal inside a window on better terms is a breach."""
    found: list[Breach] = []
    if (
        opp.first_look_end is not None
        and deal.on < opp.first_look_end
        and (opp.declined_on is None or deal.on < opp.declined_on)
    ):
        found.append(
            Breach(
                opp.opportunity,
                deal.on,
                "first_look",
                deal.event,
                f"{opp.holder} agreed terms with {deal.counterparty} on {deal.on}, inside "
                f"the first-look window of {opp.right_holder} (until {opp.first_look_end}) "
                f"and before any decline",
                opp.first_look_status or "assumed",
            )
        )
    if (
        opp.declined_on is not None
        and opp.declined_terms is not None
        and deal.on >= opp.declined_on
    ):
        inside = opp.protection_end is None or deal.on < opp.protection_end
        why = more_favourable(deal.terms, opp.declined_terms, terms.favourable_terms_threshold)
        if inside and why:
            until = f"until {opp.protection_end}" if opp.protection_end else "with no time limit"
            found.append(
                Breach(
                    opp.opportunity,
                    deal.on,
                    "favourable_terms",
                    deal.event,
                    f"{opp.holder} gave {deal.counterparty} substantially more favourable "
                    f"terms on {deal.on} ({why}; protection after the decline of "
                    f"{opp.declined_on} runs {until})",
                    opp.protection_status or "assumed",
                )
            )
    return replace(opp, deals=(*opp.deals, deal), breaches=(*opp.breaches, *found))
