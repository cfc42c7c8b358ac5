"""The typed shape of the agreement's terms as they stand on one date.

Owns ``Terms`` (every parameter the engines read, typed) and the provenance values
(``Source``, ``Parameter``).  Loading term files and picking the values in force on a
date live in ``urif.terms.loader``; this module is pure data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from urif.core.ids import TermsVersion
from urif.core.slots import fast_init


class Status(StrEnum):
    """How sure the public record is of a parameter's value."""

    KNOWN = "known"
    REPORTED = "reported"
    ASSUMED = "assumed"
    DISPUTED = "disputed"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value comes from: the document, its article or clause, and a URL."""

    document: str
    clause: str
    url: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A document a term set cites: its key in the term file, title and URL."""

    key: str
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Parameter:
    """One dated value of one parameter, with its provenance."""

    path: str
    value: object
    effective_from: dt.date
    source: Source
    status: Status
    alternatives: tuple[object, ...] = ()
    meaning: str = ""


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A yearly deadline such as 1 April (``04-01``)."""

    month: int
    day: int

    def in_year(self, year: int) -> dt.date:
        """This month and day in ``year``."""
        return dt.date(year, self.month, self.day)

    def __str__(self) -> str:
        """``MM-DD``."""
        return f"{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Seats:
    """Seats of one body per side (US, UA)."""

    us: int
    ua: int

    @property
    def total(self) -> int:
        """All seats of the body."""
        return self.us + self.ua


@fast_init
@dataclass(frozen=True, slots=True)
class Terms:
    """Every parameter of one term set as in force on ``as_of``, typed.

    Optional fields are ``None`` when the term set has no value in force on that date
    (for example the 1 April transfer deadline before Resolution 1616 of 2025-12-10).
    ``parameters`` keeps the provenance of every value, keyed by parameter path.
    """

    version: TermsVersion
    title: str
    as_of: dt.date
    in_force: bool  # False when as_of is before the term set's first effective date
    # identity and dates
    signed_on: dt.date
    entry_into_force: dt.date
    # Ukraine's contribution (agreed revenue)
    revenue_share: Decimal
    annex_resources: tuple[str, ...]
    revenue_items: tuple[str, ...]  # state_receipt items that count
    new_licence_reading: str  # "strict" | "broad" | "all"
    new_licence_cutoff: dt.date
    transfer_due: MonthDay | None  # due date in the year after the receipts
    agency_report_due: MonthDay | None
    ppp_report_due: MonthDay | None
    ukraine_extra_cash_ranks_equally: bool
    ukraine_multiple_of_us_aid: Decimal | None  # February 2025 draft: 2
    fund_target_usd: Decimal | None  # February 2025 draft: 500bn
    # US contribution
    in_kind_credit: bool
    in_kind_cutoff: dt.date
    in_kind_requires_agreed: bool
    in_kind_valuation_method: str
    in_kind_assessor: str | None
    past_aid_credit: bool
    past_aid_credit_usd: Decimal | None
    us_financial_interest: Decimal | None  # February 2025 draft: 1.0 (100%)
    # economics
    functional_currency: str
    fx_rule: str  # "nbu_latest_on_or_before"
    reinvestment_lock_start: dt.date
    reinvestment_lock_years: int
    allocation_basis: str  # "contributed_capital" | "fixed_50_50"
    distribution_rule: str  # "pro_rata_capital" | "fixed_50_50" | "us_first_preferred"
    distribution_approval: str  # "both_delegations" | "board_majority" | "us_alone"
    preferred_return: Decimal
    fund_tax_exempt: bool
    uah_free_conversion: bool
    expense_approval_threshold_usd: Decimal
    investment_sectors: tuple[str, ...]
    # governance
    board_seats: Seats
    us_veto: bool
    committee_seats: tuple[tuple[str, Seats], ...]  # (body, seats)
    investment_rule: str  # "unanimous" | "majority_with_us_veto" | ...
    critical_decisions: tuple[str, ...]  # proposal kinds that need the critical rule
    ordinary_rule: str  # "simple_majority"
    quorum: Decimal  # fraction of seats present for an ordinary decision
    conflict_empty_side: str  # "cannot_approve" | "other_side_decides"
    proposal_deadline_days: int
    # investment opportunity rights and offtake
    capital_raise_notice_lag_days: int | None
    info_request_response_months: int | None
    first_look_months: int | None
    favourable_terms_lock_months: int | None  # None with a rule in force: no time limit
    favourable_terms_threshold: Decimal
    offtake_right_holder: str | None
    # disputes
    government_dispute_forum: str
    partnership_dispute_forum: str
    # exclusion
    sanctions_lists: tuple[str, ...]
    ownership_threshold: Decimal
    ownership_rule: str  # "ofac_50_aggregate" | "eu_50_or_control"
    any_sanctioned_owner_review: bool
    parameters: tuple[tuple[str, Parameter], ...] = ()
    # added by the terms loader (defaults keep hand-built Terms valid)
    fund_agreement_status: str = "signed"  # "signed" | "draft" | "to_follow"
    ownership_limited_by_us_law: bool = False  # February 2025 framework
    reinvest_at_least_annually: bool = False  # February 2025 framework

    def committee(self, body: str) -> Seats:
        """Seats of ``body`` (``board`` or a committee name)."""
        if body == "board":
            return self.board_seats
        for name, seats in self.committee_seats:
            if name == body:
                return seats
        from urif.core.errors import NotFound

        known = ", ".join(["board", *(n for n, _ in self.committee_seats)])
        raise NotFound(f"body {body!r} is not in terms {self.version}; known: {known}")

    def parameter(self, path: str) -> Parameter | None:
        """Provenance of the value in force for ``path``, if recorded."""
        for name, param in self.parameters:
            if name == path:
                return param
        return None

    @property
    def lock_end(self) -> dt.date:
        """First day a distribution may have as value date."""
        from urif.core.dates import add_years

        return add_years(self.reinvestment_lock_start, self.reinvestment_lock_years)
