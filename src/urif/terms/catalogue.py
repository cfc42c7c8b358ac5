"""The catalogue of term parameters: every path a term file may set, its kind and vocabulary.

Owns the mapping from a parameter path (``revenue_share``, ``committee_seats.audit``) to the
kind of value it holds, whether it may be null or absent, and the words it may use.  It
also owns the conversion of a raw YAML value into its typed form (``Decimal``, ``date``,
``MonthDay``, ``Seats``, tuples) and back into plain JSON-able data.  Reading files and
locating problems live in ``urif.terms.loader``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from urif.terms.model import MonthDay, Seats

#: The 55 minerals of the signed Annex, then oil and natural gas (57 items).
ANNEX_MINERALS: tuple[str, ...] = (
    "aluminium",
    "antimony",
    "arsenic",
    "barite",
    "beryllium",
    "bismuth",
    "cerium",
    "caesium",
    "chromium",
    "cobalt",
    "copper",
    "dysprosium",
    "erbium",
    "europium",
    "fluorine",
    "fluorspar",
    "gadolinium",
    "gallium",
    "germanium",
    "gold",
    "graphite",
    "hafnium",
    "holmium",
    "indium",
    "iridium",
    "lanthanum",
    "lithium",
    "lutetium",
    "magnesium",
    "manganese",
    "neodymium",
    "nickel",
    "niobium",
    "palladium",
    "platinum",
    "potassium",
    "praseodymium",
    "rhodium",
    "rubidium",
    "ruthenium",
    "samarium",
    "scandium",
    "tantalum",
    "tellurium",
    "terbium",
    "thulium",
    "tin",
    "titanium",
    "tungsten",
    "uranium",
    "vanadium",
    "ytterbium",
    "yttrium",
    "zinc",
    "zirconium",
)
ANNEX_HYDROCARBONS: tuple[str, ...] = ("oil", "natural_gas")
#: Resources the record names that are not in the signed Annex.
NON_ANNEX_RESOURCES: tuple[str, ...] = ("iron_ore", "coal", "molybdenum")
#: Every resource id a term file may name.
RESOURCES: frozenset[str] = frozenset(ANNEX_MINERALS + ANNEX_HYDROCARBONS + NON_ANNEX_RESOURCES)

#: Items of a ``state_receipt`` event (DESIGN.md §3), plus the wider items of the February draft.
REVENUE_ITEMS = (
    "royalty",
    "permit_fee",
    "auction_price",
    "production_share",
    "signing_bonus",
    "infrastructure_revenue",
    "port_revenue",
)
#: Proposal kinds of DESIGN.md §3.
PROPOSAL_KINDS = (
    "investment",
    "distribution",
    "expense",
    "admit_partner",
    "amend_terms",
    "ordinary",
)
SECTORS = (
    "critical_minerals",
    "oil_and_gas",
    "energy",
    "infrastructure",
    "processing",
    "transport_and_logistics",
    "ict",
    "maritime_infrastructure",
    "ports",
    "defence",
)
#: List ids of DESIGN.md §5, plus the lists named in reference/compliance.md.
SANCTIONS_LISTS = ("ofac-sdn", "un-sc", "eu-269", "eu-833", "uk", "nsdc", "eu-annex-iv", "policy")
COMMITTEES = ("investment", "administrative", "audit", "sourcing")


class Kind(StrEnum):
    """The kind of value a parameter holds."""

    DATE = "date"
    SHARE = "share"
    DECIMAL = "decimal"
    INT = "int"
    BOOL = "bool"
    CHOICE = "choice"
    TEXT = "text"
    MONTH_DAY = "month_day"
    SEATS = "seats"
    RESOURCES = "resources"
    CHOICES = "choices"


@dataclass(frozen=True, slots=True)
class Spec:
    """What one parameter path may hold.

    ``nullable``: the value may be ``null``; ``optional``: a term set may omit the
    parameter or start it after its own first date (``Terms`` then reads ``None``).
    """

    path: str
    kind: Kind
    nullable: bool = False
    optional: bool = False
    choices: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        """The ``Terms`` field this path feeds (``committee_seats`` for committee paths)."""
        return self.path.split(".", 1)[0]


def _s(
    path: str, kind: Kind, *choices: str, nullable: bool = False, optional: bool = False
) -> Spec:
    return Spec(path, kind, nullable=nullable, optional=optional, choices=choices)


K = Kind
#: Every parameter, in the order ``Terms`` lists its fields.
SPECS: tuple[Spec, ...] = (
    _s("signed_on", K.DATE),
    _s("entry_into_force", K.DATE),
    _s("fund_agreement_status", K.CHOICE, "signed", "draft", "to_follow"),
    _s("revenue_share", K.SHARE),
    _s("annex_resources", K.RESOURCES),
    _s("revenue_items", K.CHOICES, *REVENUE_ITEMS),
    _s("new_licence_reading", K.CHOICE, "strict", "broad", "all"),
    _s("new_licence_cutoff", K.DATE),
    _s("transfer_due", K.MONTH_DAY, optional=True),
    _s("agency_report_due", K.MONTH_DAY, optional=True),
    _s("ppp_report_due", K.MONTH_DAY, optional=True),
    _s("ukraine_extra_cash_ranks_equally", K.BOOL),
    _s("ukraine_multiple_of_us_aid", K.DECIMAL, nullable=True, optional=True),
    _s("fund_target_usd", K.DECIMAL, nullable=True, optional=True),
    _s("in_kind_credit", K.BOOL),
    _s("in_kind_cutoff", K.DATE),
    _s("in_kind_requires_agreed", K.BOOL),
    _s(
        "in_kind_valuation_method",
        K.CHOICE,
        "assessed_value",
        "dod_cost",
        "replacement_value",
        "depreciated_value",
        "none",
    ),
    _s(
        "in_kind_assessor",
        K.CHOICE,
        "ua_ministry_of_defence",
        "us_dod",
        nullable=True,
        optional=True,
    ),
    _s("past_aid_credit", K.BOOL),
    _s("past_aid_credit_usd", K.DECIMAL, nullable=True, optional=True),
    _s("us_financial_interest", K.SHARE, nullable=True, optional=True),
    _s("ownership_limited_by_us_law", K.BOOL),
    _s("functional_currency", K.CHOICE, "USD", "UAH"),
    _s("fx_rule", K.CHOICE, "nbu_latest_on_or_before", "nbu_on_transfer_date"),
    _s("reinvestment_lock_start", K.DATE),
    _s("reinvestment_lock_years", K.INT),
    _s("reinvest_at_least_annually", K.BOOL),
    _s("allocation_basis", K.CHOICE, "contributed_capital", "fixed_50_50"),
    _s("distribution_rule", K.CHOICE, "pro_rata_capital", "fixed_50_50", "us_first_preferred"),
    _s("distribution_approval", K.CHOICE, "both_delegations", "board_majority", "us_alone"),
    _s("preferred_return", K.SHARE),
    _s("fund_tax_exempt", K.BOOL),
    _s("uah_free_conversion", K.BOOL),
    _s("expense_approval_threshold_usd", K.DECIMAL),
    _s("investment_sectors", K.CHOICES, *SECTORS),
    _s("board_seats", K.SEATS),
    _s("us_veto", K.BOOL),
    *(_s(f"committee_seats.{body}", K.SEATS, optional=True) for body in COMMITTEES),
    _s("investment_rule", K.CHOICE, "unanimous", "majority_with_us_veto", "simple_majority"),
    _s("critical_decisions", K.CHOICES, *PROPOSAL_KINDS),
    _s("ordinary_rule", K.CHOICE, "simple_majority", "unanimous"),
    _s("quorum", K.SHARE),
    _s("conflict_empty_side", K.CHOICE, "cannot_approve", "other_side_decides"),
    _s("proposal_deadline_days", K.INT),
    _s("capital_raise_notice_lag_days", K.INT, nullable=True, optional=True),
    _s("info_request_response_months", K.INT, nullable=True, optional=True),
    _s("first_look_months", K.INT, nullable=True, optional=True),
    _s("favourable_terms_lock_months", K.INT, nullable=True, optional=True),
    _s("favourable_terms_threshold", K.SHARE),
    _s("offtake_right_holder", K.CHOICE, "dfc_or_designee", "us", nullable=True, optional=True),
    _s(
        "government_dispute_forum",
        K.CHOICE,
        "consultations",
        "us_courts_us_law",
        "arbitration",
    ),
    _s("partnership_dispute_forum", K.CHOICE, "london_arbitration", "us_courts_us_law"),
    _s("sanctions_lists", K.CHOICES, *SANCTIONS_LISTS),
    _s("ownership_threshold", K.SHARE),
    _s("ownership_rule", K.CHOICE, "ofac_50_aggregate", "eu_50_or_control"),
    _s("any_sanctioned_owner_review", K.BOOL),
)
SPEC_BY_PATH: dict[str, Spec] = {spec.path: spec for spec in SPECS}


class BadValue(ValueError):
    """A raw value that does not fit its spec: what was expected and what came."""

    def __init__(self, expected: str, got: object, got_text: str | None = None) -> None:
        text = got_text if got_text is not None else describe(got)
        super().__init__(f"expected {expected}, got {text}")
        self.expected = expected
        self.got = got


def describe(raw: object) -> str:
    """How a raw YAML value reads in an error message.

    >>> describe("1.5")
    "'1.5'"
    >>> describe(0.5)
    '0.5 (float)'
    >>> describe(None)
    'nothing (null)'
    >>> describe(["a", "b"])
    "a list ['a', 'b']"
    """
    if raw is None:
        return "nothing (null)"
    if isinstance(raw, float):
        return f"{raw!r} (float)"
    if isinstance(raw, (dict, list)):
        kind = "a mapping" if isinstance(raw, dict) else "a list"
        text = repr(plain_raw(raw))
        return f"{kind} {text if len(text) <= 80 else text[:77] + '...'}"
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return repr(raw)


def plain_raw(raw: object) -> object:
    """A YAML value as plain Python (``CommentedMap`` → ``dict``), for messages."""
    if isinstance(raw, dict):
        return {str(k): plain_raw(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [plain_raw(v) for v in raw]
    return raw


_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def to_date(raw: object) -> dt.date:
    """An ISO date from YAML (a date or a ``YYYY-MM-DD`` string).

    >>> to_date("2025-12-10")
    datetime.date(2025, 12, 10)
    """
    if isinstance(raw, dt.datetime):
        raise BadValue("an ISO date YYYY-MM-DD", raw)
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and len(raw) == 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise BadValue("an ISO date YYYY-MM-DD", raw)


def _decimal(raw: object, expected: str) -> Decimal:
    if isinstance(raw, (bool, float)):
        raise BadValue(expected, raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, str) and _DECIMAL.match(raw.strip()):
        try:
            return Decimal(raw.strip())
        except InvalidOperation:  # pragma: no cover - the regex guards this
            pass
    raise BadValue(expected, raw)


def _count(raw: object, expected: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise BadValue(expected, raw)
    return int(raw)


def _words(raw: object, spec: Spec) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise BadValue(f"a list of {expected_of(spec).removeprefix('a list of ')}", raw)
    out: list[str] = []
    for item in raw:
        word = _word(item, spec)
        if word in out:
            raise BadValue("each item once", raw, f"{word!r} twice")
        out.append(word)
    return tuple(out)


def _word(item: object, spec: Spec) -> str:
    if spec.kind is Kind.RESOURCES:
        if not isinstance(item, str) or item not in RESOURCES:
            raise BadValue(
                f"a known resource id (one of {len(RESOURCES)}, such as lithium or "
                "natural_gas; rare earth elements are listed one by one)",
                item,
            )
        return item
    if not isinstance(item, str) or item not in spec.choices:
        raise BadValue(f"one of {', '.join(spec.choices)}", item)
    return item


def expected_of(spec: Spec) -> str:
    """What a value of ``spec`` looks like, for error messages."""
    text = {
        Kind.DATE: "an ISO date YYYY-MM-DD",
        Kind.SHARE: 'a decimal string from 0 to 1 such as "0.5"',
        Kind.DECIMAL: 'a non-negative decimal string such as "500000000000"',
        Kind.INT: "a non-negative whole number",
        Kind.BOOL: "true or false",
        Kind.CHOICE: f"one of {', '.join(spec.choices)}",
        Kind.TEXT: "a line of text",
        Kind.MONTH_DAY: 'a month and day "MM-DD" such as "04-01"',
        Kind.SEATS: "seats per side {us: N, ua: N}",
        Kind.RESOURCES: "a list of resource ids such as lithium",
        Kind.CHOICES: f"a list of {', '.join(spec.choices)}",
    }[spec.kind]
    return f"{text} or null" if spec.nullable else text


def convert(spec: Spec, raw: object) -> object:
    """Turn a raw YAML value into the typed value ``spec`` describes, or raise ``BadValue``.

    >>> convert(SPEC_BY_PATH["revenue_share"], "0.5")
    Decimal('0.5')
    >>> convert(SPEC_BY_PATH["transfer_due"], "04-01")
    MonthDay(month=4, day=1)
    >>> convert(SPEC_BY_PATH["revenue_share"], "1.5")
    Traceback (most recent call last):
    ...
    urif.terms.catalogue.BadValue: expected a decimal string from 0 to 1 such as "0.5", got '1.5'
    """
    if raw is None:
        if spec.nullable:
            return None
        raise BadValue(expected_of(spec), raw)
    kind = spec.kind
    expected = expected_of(spec)
    if kind is Kind.DATE:
        return to_date(raw)
    if kind is Kind.SHARE:
        share = _decimal(raw, expected)
        if share > 1:
            raise BadValue(expected, raw)
        return share
    if kind is Kind.DECIMAL:
        return _decimal(raw, expected)
    if kind is Kind.INT:
        return _count(raw, expected)
    if kind is Kind.BOOL:
        if not isinstance(raw, bool):
            raise BadValue(expected, raw)
        return raw
    if kind is Kind.CHOICE:
        return _word(raw, spec)
    if kind is Kind.TEXT:
        if not isinstance(raw, str) or not raw.strip() or "\n" in raw.strip():
            raise BadValue(expected, raw)
        return raw.strip()
    if kind is Kind.MONTH_DAY:
        match = _MONTH_DAY.match(raw) if isinstance(raw, str) else None
        if match is None:
            raise BadValue(expected, raw)
        month, day = int(match.group(1)), int(match.group(2))
        try:
            dt.date(2024, month, day)  # a leap year admits 02-29
        except ValueError:
            raise BadValue(expected, raw) from None
        return MonthDay(month, day)
    if kind is Kind.SEATS:
        if not isinstance(raw, dict) or set(raw) != {"us", "ua"}:
            raise BadValue(expected, raw)
        return Seats(_count(raw["us"], expected), _count(raw["ua"], expected))
    return _words(raw, spec)


def plain(value: object) -> object:
    """A typed parameter value as plain JSON-able data (decimals and dates as strings).

    >>> plain(Seats(3, 2))
    {'us': 3, 'ua': 2}
    >>> plain((Decimal("0.5"), MonthDay(4, 1), dt.date(2025, 5, 23)))
    ['0.5', '04-01', '2025-05-23']
    """
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, MonthDay):
        return str(value)
    if isinstance(value, Seats):
        return {"us": value.us, "ua": value.ua}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def show(value: object) -> str:
    """A typed parameter value as short text for people.

    >>> show(Seats(3, 3))
    'US 3 : UA 3'
    >>> show(None)
    'none'
    >>> show(("lithium", "graphite"))
    'lithium, graphite'
    """
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Seats):
        return f"US {value.us} : UA {value.ua}"
    if isinstance(value, (tuple, list)):
        return ", ".join(show(v) for v in value) if value else "(none)"
    return str(plain(value))
