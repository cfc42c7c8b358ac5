"""The chart of accounts: every account name the books use, and what each one measures.

Accounts are strings ``class:detail...``; a balance is kept per ``(account, currency)``.
Amounts are signed: debit positive, credit negative (so every entry sums to zero per
currency).  The chart::

    assets:cash                       fund cash, one balance per currency (never negative)
    assets:investments:<project>      investments at cost (USD)
    assets:fair_value:<project>       fair-value adjustments above or below cost (USD)
    fx:<currency>                     FX clearing: a leg in <currency> and a leg in USD at the
                                      rule's rate, so every currency balances on its own
    equity:in_kind_reserve            in-kind credit reserve (debit): capital raised by in-kind
                                      aid with no fund asset behind it
    partners:<p>:contributed:<kind>   partner capital by kind: cash, in_kind, agreed_revenue
    partners:<p>:income               income, expenses and valuation gains allocated
    partners:<p>:distributions        distributions paid (debit)
    income:<category>                 project income by category (credit)
    expenses:<category>               fund expenses by category (debit)
    gains:valuation                   fair-value gains (credit) and losses (debit)
    pnl:allocated                     the other side of allocations: income, expenses and
                                      gains close to partners at once, so pnl:* nets the P&L
    memo:commitments:<p>              commitments (credit), memo only
    memo:commitments_offset:<p>       the memo entry's other side

Identity (DESIGN.md §4): Σ partners:* (capital) = net assets (assets:* and the USD legs of
fx:*) + equity:in_kind_reserve.  ``summary_key`` maps an account to the capital-account
measure it feeds; the read models aggregate by it.
"""

from __future__ import annotations

CASH = "assets:cash"
IN_KIND_RESERVE = "equity:in_kind_reserve"
GAINS_VALUATION = "gains:valuation"
PNL_ALLOCATED = "pnl:allocated"
FUNCTIONAL_CURRENCY = "USD"

#: Capital-account measures per partner, in the order of DESIGN.md §5.
PARTNER_MEASURES = (
    "commitment",
    "contributed_cash",
    "contributed_in_kind",
    "contributed_agreed_revenue",
    "income_allocated",
    "distributions",
)
#: Fund-level measures (owner ``"fund"``).
FUND_MEASURES = ("net_assets", "in_kind_reserve")
FUND = "fund"


def investments(project: str) -> str:
    """Investments at cost in ``project``.

    >>> investments("dobra")
    'assets:investments:dobra'
    """
    return f"assets:investments:{project}"


def fair_value(project: str) -> str:
    """Fair-value adjustments of ``project``."""
    return f"assets:fair_value:{project}"


def fx_clearing(code: str) -> str:
    """The FX clearing account of currency ``code``.

    >>> fx_clearing("UAH")
    'fx:UAH'
    """
    return f"fx:{code}"


def contributed(partner: str, kind: str) -> str:
    """Partner capital contributed in ``kind`` (cash, in_kind, agreed_revenue).

    >>> contributed("dfc", "cash")
    'partners:dfc:contributed:cash'
    """
    return f"partners:{partner}:contributed:{kind}"


def partner_income(partner: str) -> str:
    """Income, expenses and gains allocated to ``partner``."""
    return f"partners:{partner}:income"


def partner_distributions(partner: str) -> str:
    """Distributions paid to ``partner``."""
    return f"partners:{partner}:distributions"


def income(category: str) -> str:
    """Project income of ``category``."""
    return f"income:{category}"


def expenses(category: str) -> str:
    """Fund expenses of ``category``."""
    return f"expenses:{category}"


def commitments(partner: str) -> str:
    """Memo: what ``partner`` has committed."""
    return f"memo:commitments:{partner}"


def commitments_offset(partner: str) -> str:
    """Memo: the other side of a commitment."""
    return f"memo:commitments_offset:{partner}"


def account_class(account: str) -> str:
    """The class of an account: the part before the first colon.

    >>> account_class("partners:dfc:income")
    'partners'
    """
    return account.split(":", 1)[0]


_SUMMARY: dict[tuple[str, str], tuple[str, str, int] | None] = {}


def summary_key(account: str, code: str) -> tuple[str, str, int] | None:
    """``(owner, measure, sign)`` of the capital-account figure ``account`` feeds, if any.

    ``sign`` turns the signed balance into the figure (credits count positive for capital).

    >>> summary_key("partners:dfc:contributed:in_kind", "USD")
    ('dfc', 'contributed_in_kind', -1)
    >>> summary_key("assets:cash", "UAH") is None
    True
    >>> summary_key("fx:UAH", "USD")
    ('fund', 'net_assets', 1)
    """
    cached = _SUMMARY.get((account, code), False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    result: tuple[str, str, int] | None = None
    if code == FUNCTIONAL_CURRENCY:
        parts = account.split(":")
        head = parts[0]
        if head == "partners" and len(parts) >= 3:
            partner, rest = parts[1], parts[2]
            if rest == "contributed" and len(parts) == 4:
                result = (partner, f"contributed_{parts[3]}", -1)
            elif rest == "income":
                result = (partner, "income_allocated", -1)
            elif rest == "distributions":
                result = (partner, "distributions", 1)
        elif head == "memo" and len(parts) == 3 and parts[1] == "commitments":
            result = (parts[2], "commitment", -1)
        elif head in ("assets", "fx"):
            result = (FUND, "net_assets", 1)
        elif account == IN_KIND_RESERVE:
            result = (FUND, "in_kind_reserve", 1)
    _SUMMARY[(account, code)] = result
    return result
