"""The event vocabulary: one frozen type per event of DESIGN.md §3, and their enums.

Owns the shape of every fact that enters the fund (``Event`` and its subclasses), the
nested values they carry (``InKindValuation``, ``OwnerShare``, ``ProposalSubject``, ...), and the
closed value sets (``ContributionKind``, ``Side``, ``Body``, ...).  Field names are the JSON
field names.  Parsing, canonical JSON and the schema are derived from these annotations in
``urif.events.codec`` and ``urif.events.schema``; this module is pure data.

Conventions: amounts, rates, shares and scores are ``Decimal``; dates are ``datetime.date``;
ids are the ``urif.core.ids`` NewTypes; lists are tuples; optional fields default to
``None`` (omitted from canonical JSON).  ``type`` and ``system`` are class variables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import KW_ONLY, dataclass
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import ClassVar, NewType

from urif.core.ids import (
    CaseId,
    CounterpartyId,
    Currency,
    DepositId,
    EventId,
    LicenceId,
    MemberId,
    OpportunityId,
    PartnerId,
    ProjectId,
    ProposalId,
    TermsVersion,
)

#: An ISO 3166-1 alpha-2 country code (upper case), or ``XK``.
CountryCode = NewType("CountryCode", str)
#: A resource name of the Annex vocabulary (``lithium``, ``natural_gas``); free text here.
ResourceName = NewType("ResourceName", str)
#: A screening list id (``ofac-sdn``, ``un-sc``, ``eu-269``, ``policy``, an FtM dataset).
ListId = NewType("ListId", str)
#: A list snapshot id (content-addressed or dated; chosen by the loader).
SnapshotId = NewType("SnapshotId", str)


class ContributionKind(StrEnum):
    """How a partner contributes capital."""

    CASH = "cash"
    IN_KIND = "in_kind"
    AGREED_REVENUE = "agreed_revenue"


class Instrument(StrEnum):
    """The legal instrument by which the state grants subsoil use."""

    LICENCE = "licence"
    SPECIAL_PERMIT = "special_permit"
    PSA = "psa"


class ReceiptItem(StrEnum):
    """What a state receipt is for."""

    ROYALTY = "royalty"
    PERMIT_FEE = "permit_fee"
    AUCTION_PRICE = "auction_price"
    PRODUCTION_SHARE = "production_share"
    SIGNING_BONUS = "signing_bonus"


class CounterpartyKind(StrEnum):
    """What kind of party a counterparty is."""

    PERSON = "person"
    COMPANY = "company"
    STATE = "state"


class Side(StrEnum):
    """Which partner appointed a member."""

    US = "us"
    UA = "ua"


class Body(StrEnum):
    """The board and its committees."""

    BOARD = "board"
    INVESTMENT = "investment"
    ADMINISTRATIVE = "administrative"
    AUDIT = "audit"
    SOURCING = "sourcing"


class ProposalKind(StrEnum):
    """What a proposal decides; the decision rule for each comes from the terms."""

    INVESTMENT = "investment"
    DISTRIBUTION = "distribution"
    EXPENSE = "expense"
    ADMIT_PARTNER = "admit_partner"
    AMEND_TERMS = "amend_terms"
    ORDINARY = "ordinary"


class VoteChoice(StrEnum):
    """A member's vote."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class OpportunityKind(StrEnum):
    """What an investment opportunity notified under Art. VII is attached to."""

    PERMIT = "permit"
    PPP = "ppp"
    CONCESSION = "concession"
    OFFTAKE = "offtake"


class FairValueLevel(IntEnum):
    """The fair-value hierarchy level of a valuation's inputs (IFRS 13 / ASC 820)."""

    LEVEL_1 = 1
    LEVEL_2 = 2
    LEVEL_3 = 3


class DecisionOutcome(StrEnum):
    """How a proposal resolved."""

    APPROVED = "approved"
    REJECTED = "rejected"
    LAPSED = "lapsed"


class ScreeningDecision(StrEnum):
    """The result of screening one counterparty."""

    CLEAR = "clear"
    REVIEW = "review"
    BLOCKED = "blocked"


class CaseDecision(StrEnum):
    """A reviewer's decision on a screening case."""

    CONFIRM = "confirm"
    FALSE_POSITIVE = "false_positive"


# --- nested values -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InKindValuation:
    """How an in-kind contribution was valued, by whom and when."""

    method: str
    assessed_by: str
    assessed_on: dt.date


@dataclass(frozen=True, slots=True)
class OwnerShare:
    """One owner of a counterparty and its share (a fraction in (0, 1])."""

    owner: CounterpartyId
    share: Decimal


@dataclass(frozen=True, slots=True)
class ProposalSubject:
    """What a proposal is about; which fields are required depends on its kind."""

    project: ProjectId | None = None
    counterparty: CounterpartyId | None = None
    amount: Decimal | None = None
    currency: Currency | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class OfferTerms:
    """Terms of an offer: a price and/or a cost of capital (a decimal rate)."""

    price: Decimal | None = None
    cost_of_capital: Decimal | None = None


@dataclass(frozen=True, slots=True)
class VoteCounts:
    """Votes that counted, per side, when a proposal resolved; ``conflicted`` did not count."""

    us_yes: int = 0
    us_no: int = 0
    us_abstain: int = 0
    ua_yes: int = 0
    ua_no: int = 0
    ua_abstain: int = 0
    conflicted: int = 0


# --- the event base ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One fact about the fund: an id (the producer's idempotency key) and a value date.

    ``source``, ``illustrative`` and ``note`` are common optional fields for provenance.
    """

    type: ClassVar[str] = ""
    system: ClassVar[bool] = False

    id: EventId
    on: dt.date
    _: KW_ONLY
    source: str | None = None
    illustrative: bool = False
    note: str | None = None


# --- fund events -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FxRate(Event):
    """An official (NBU) rate: ``rate`` units of ``quote`` per one ``base``."""

    type: ClassVar[str] = "fx_rate"

    base: Currency
    quote: Currency
    rate: Decimal


@dataclass(frozen=True, slots=True)
class Commitment(Event):
    """A partner commits capital; capital accounts show committed, paid in and unfunded."""

    type: ClassVar[str] = "commitment"

    partner: PartnerId
    amount: Decimal
    currency: Currency


@dataclass(frozen=True, slots=True)
class Contribution(Event):
    """A partner contributes capital in cash, in kind, or as agreed revenue.

    ``in_kind`` requires ``category``, ``valuation`` and ``delivered_on`` (``agreed``
    defaults to false); ``agreed_revenue`` requires ``for_year``.  Fields of another kind
    are refused.
    """

    type: ClassVar[str] = "contribution"

    partner: PartnerId
    kind: ContributionKind
    amount: Decimal
    currency: Currency
    category: str | None = None
    valuation: InKindValuation | None = None
    agreed: bool = False
    delivered_on: dt.date | None = None
    for_year: int | None = None


@dataclass(frozen=True, slots=True)
class LicenceIssued(Event):
    """The state issues a licence, special permit or PSA (``on`` is the issue date)."""

    type: ClassVar[str] = "licence_issued"

    licence: LicenceId
    instrument: Instrument
    resource: ResourceName
    deposit: DepositId
    holder: str
    developed_at_cutoff: bool = False


@dataclass(frozen=True, slots=True)
class StateReceipt(Event):
    """Ukraine's budget received this amount under ``licence`` (an obligation, no posting)."""

    type: ClassVar[str] = "state_receipt"

    licence: LicenceId
    item: ReceiptItem
    amount: Decimal
    currency: Currency


@dataclass(frozen=True, slots=True)
class CounterpartyRegistered(Event):
    """A party the fund may pay or invest with, its identifiers and its owners.

    ``identifiers`` is a sorted tuple of ``(scheme, value)``; owner shares lie in (0, 1]
    and sum to at most 1.
    """

    type: ClassVar[str] = "counterparty_registered"

    counterparty: CounterpartyId
    name: str
    kind: CounterpartyKind
    country: CountryCode
    identifiers: tuple[tuple[str, str], ...] = ()
    owners: tuple[OwnerShare, ...] = ()


@dataclass(frozen=True, slots=True)
class MemberAppointed(Event):
    """A member takes a seat on the board or a committee for one side."""

    type: ClassVar[str] = "member_appointed"

    member: MemberId
    name: str
    side: Side
    body: Body


@dataclass(frozen=True, slots=True)
class MemberRemoved(Event):
    """A member leaves a body; ``name`` and ``side`` are optional (the appointment has them)."""

    type: ClassVar[str] = "member_removed"

    member: MemberId
    body: Body
    name: str | None = None
    side: Side | None = None


@dataclass(frozen=True, slots=True)
class ProposalSubmitted(Event):
    """A proposal opens a decision of ``body``; ``deadline`` (optional) is when it lapses.

    ``subject``: investment needs project, counterparty, amount, currency; expense needs
    counterparty, amount, currency; distribution needs amount, currency; other kinds a title.
    """

    type: ClassVar[str] = "proposal_submitted"

    proposal: ProposalId
    body: Body
    kind: ProposalKind
    subject: ProposalSubject
    submitted_by: MemberId
    deadline: dt.date | None = None


@dataclass(frozen=True, slots=True)
class VoteCast(Event):
    """A member votes on a proposal; a conflicted member's vote does not count."""

    type: ClassVar[str] = "vote_cast"

    proposal: ProposalId
    member: MemberId
    vote: VoteChoice
    conflict_declared: bool = False


@dataclass(frozen=True, slots=True)
class VoteChanged(Event):
    """A member replaces an earlier vote before the proposal resolves."""

    type: ClassVar[str] = "vote_changed"

    proposal: ProposalId
    member: MemberId
    vote: VoteChoice
    conflict_declared: bool = False


@dataclass(frozen=True, slots=True)
class SiteConsent(Event):
    """Ukraine grants or withdraws consent to extraction in a deposit."""

    type: ClassVar[str] = "site_consent"

    deposit: DepositId
    granted: bool
    authority: str


@dataclass(frozen=True, slots=True)
class OpportunityNotified(Event):
    """A holder notifies the PPP Agency of a capital raise (Art. VII); opens the windows.

    ``third_parties_notified_on``: the day the holder told anyone else (must not precede
    ``on`` under the agreement; checked by governance).
    """

    type: ClassVar[str] = "opportunity_notified"

    opportunity: OpportunityId
    holder: str
    kind: OpportunityKind
    resource: ResourceName | None = None
    deposit: DepositId | None = None
    amount: Decimal | None = None
    currency: Currency | None = None
    third_parties_notified_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class InterestExpressed(Event):
    """The Partnership formally expresses interest to the ``holder`` (``by``: who for it)."""

    type: ClassVar[str] = "interest_expressed"

    opportunity: OpportunityId
    holder: str | None = None
    by: str | None = None


@dataclass(frozen=True, slots=True)
class OfferDeclined(Event):
    """The Partnership declines an opportunity on these terms; the protection window opens."""

    type: ClassVar[str] = "offer_declined"

    opportunity: OpportunityId
    holder: str | None = None
    terms: OfferTerms = OfferTerms()


@dataclass(frozen=True, slots=True)
class ThirdPartyTerms(Event):
    """The holder agrees terms with a third party (compared with the declined offer)."""

    type: ClassVar[str] = "third_party_terms"

    opportunity: OpportunityId
    counterparty: CounterpartyId
    holder: str | None = None
    price: Decimal | None = None
    cost_of_capital: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Investment(Event):
    """The fund pays out cash into a project under an approved proposal."""

    type: ClassVar[str] = "investment"

    proposal: ProposalId
    project: ProjectId
    counterparty: CounterpartyId
    amount: Decimal
    currency: Currency


@dataclass(frozen=True, slots=True)
class ProjectIncome(Event):
    """Income from a project, retained in the fund (reinvested)."""

    type: ClassVar[str] = "project_income"

    project: ProjectId
    amount: Decimal
    currency: Currency
    category: str
    counterparty: CounterpartyId | None = None


@dataclass(frozen=True, slots=True)
class Expense(Event):
    """A fund expense paid to a counterparty; above the threshold it needs ``proposal``."""

    type: ClassVar[str] = "expense"

    counterparty: CounterpartyId
    amount: Decimal
    currency: Currency
    category: str
    project: ProjectId | None = None
    proposal: ProposalId | None = None


@dataclass(frozen=True, slots=True)
class Valuation(Event):
    """A project marked to fair value; the gain or loss is income allocated to partners."""

    type: ClassVar[str] = "valuation"

    project: ProjectId
    fair_value: Decimal
    currency: Currency
    method: str
    level: FairValueLevel


@dataclass(frozen=True, slots=True)
class Distribution(Event):
    """A distribution to partners under an approved proposal (never inside the lock)."""

    type: ClassVar[str] = "distribution"

    proposal: ProposalId
    amount: Decimal
    currency: Currency


@dataclass(frozen=True, slots=True)
class TermsAmended(Event):
    """The term set in force switches to ``terms_version`` from ``effective_from``."""

    type: ClassVar[str] = "terms_amended"

    terms_version: TermsVersion
    effective_from: dt.date


@dataclass(frozen=True, slots=True)
class Correction(Event):
    """Reverse the event ``corrects`` and, when given, book ``replacement`` instead.

    ``replacement`` is a full event object without ``id`` (it takes this correction's id);
    it may not itself be a correction or a system event.
    """

    type: ClassVar[str] = "correction"

    corrects: EventId
    reason: str
    replacement: Event | None = None


# --- system events (appended by urif, never accepted from a file) -------------------------


@dataclass(frozen=True, slots=True)
class DecisionRecorded(Event):
    """A proposal resolved (or lapsed), with the reason and the counted votes."""

    type: ClassVar[str] = "decision_recorded"
    system: ClassVar[bool] = True

    proposal: ProposalId
    outcome: DecisionOutcome
    reason: str
    counts: VoteCounts


@dataclass(frozen=True, slots=True)
class ListSnapshotLoaded(Event):
    """A snapshot of a screening list was loaded (its date, checksum and entity count)."""

    type: ClassVar[str] = "list_snapshot_loaded"
    system: ClassVar[bool] = True

    list: ListId
    snapshot: SnapshotId
    snapshot_date: dt.date
    checksum: str
    entities: int


@dataclass(frozen=True, slots=True)
class ScreeningCompleted(Event):
    """A counterparty was screened; ``hits_digest`` fingerprints the hits behind it."""

    type: ClassVar[str] = "screening_completed"
    system: ClassVar[bool] = True

    counterparty: CounterpartyId
    decision: ScreeningDecision
    hits_digest: str | None = None


@dataclass(frozen=True, slots=True)
class CaseOpened(Event):
    """A screening hit needs review: the counterparty, the list entity and its score."""

    type: ClassVar[str] = "case_opened"
    system: ClassVar[bool] = True

    case: CaseId
    counterparty: CounterpartyId
    list: ListId
    entity_id: str
    score: Decimal


@dataclass(frozen=True, slots=True)
class CaseDecided(Event):
    """A reviewer decided a case (``urif case decide``)."""

    type: ClassVar[str] = "case_decided"
    system: ClassVar[bool] = True

    case: CaseId
    decision: CaseDecision
    reason: str
    decided_by: str


#: Every event type by its ``type`` string, in DESIGN.md §3 order (system events last).
EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        FxRate,
        Commitment,
        Contribution,
        LicenceIssued,
        StateReceipt,
        CounterpartyRegistered,
        MemberAppointed,
        MemberRemoved,
        ProposalSubmitted,
        VoteCast,
        VoteChanged,
        SiteConsent,
        OpportunityNotified,
        InterestExpressed,
        OfferDeclined,
        ThirdPartyTerms,
        Investment,
        ProjectIncome,
        Expense,
        Valuation,
        Distribution,
        TermsAmended,
        Correction,
        DecisionRecorded,
        ListSnapshotLoaded,
        ScreeningCompleted,
        CaseOpened,
        CaseDecided,
    )
}
