"""Clause formulas of the agreement in exact Decimal form: pure, small, with doctests.

The simulator (``urif.sim``) mirrors these names with array kernels; the ledger is the only
other caller.  See README.md for the list.
"""

from urif.rules.allocation import (
    LIMITED_PARTNERS,
    SHARE_PLACES,
    allocate_income,
    allocation_weights,
    distribution_split,
    ownership_shares,
    split_exact,
    us_preferred_hurdle,
)
from urif.rules.contribution import in_kind_credit
from urif.rules.fx import FxTable, convert, fx_rate_on
from urif.rules.licence import in_annex, is_new_licence, licence_is_new
from urif.rules.lock import check_distribution_date, distribution_allowed_on, lock_end
from urif.rules.revenue import RECEIPT_ITEMS, obligation_due_date, ukraine_share

__all__ = [
    "LIMITED_PARTNERS",
    "RECEIPT_ITEMS",
    "SHARE_PLACES",
    "FxTable",
    "allocate_income",
    "allocation_weights",
    "check_distribution_date",
    "convert",
    "distribution_allowed_on",
    "distribution_split",
    "fx_rate_on",
    "in_annex",
    "in_kind_credit",
    "is_new_licence",
    "licence_is_new",
    "lock_end",
    "obligation_due_date",
    "ownership_shares",
    "split_exact",
    "ukraine_share",
    "us_preferred_hurdle",
]
