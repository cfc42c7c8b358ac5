"""The fund's books: chart of accounts, balanced journal entries, booking, capital accounts.

See README.md for what each module owns.  The API other layers use is re-exported here.
"""

from urif.ledger.booking import (
    DEFAULT_GATES,
    LEDGER_EVENT_TYPES,
    LicenceNotRecorded,
    apply,
    book,
    partner_capital,
)
from urif.ledger.capital import AccountsView, CapitalAccount, accounts_from_totals, capital_accounts
from urif.ledger.checks import check_ledger
from urif.ledger.entries import Booking, JournalEntry, ObligationChange, Posting
from urif.ledger.gates import (
    ApprovalGate,
    Gates,
    RejectAllApproval,
    RejectAllScreening,
    ScreeningGate,
)
from urif.ledger.obligations import ObligationYear, obligation_years, obligations
from urif.ledger.state import FOUNDING_PARTNERS, PARTNER_SIDES, LedgerState, Licence
from urif.ledger.statement import Statement, StatementColumn, statement, statement_from
from urif.ledger.trial_balance import BalanceLine, TrialBalance, trial_balance, trial_balance_from

__all__ = [
    "DEFAULT_GATES",
    "FOUNDING_PARTNERS",
    "LEDGER_EVENT_TYPES",
    "PARTNER_SIDES",
    "AccountsView",
    "ApprovalGate",
    "BalanceLine",
    "Booking",
    "CapitalAccount",
    "Gates",
    "JournalEntry",
    "LedgerState",
    "Licence",
    "LicenceNotRecorded",
    "ObligationChange",
    "ObligationYear",
    "Posting",
    "RejectAllApproval",
    "RejectAllScreening",
    "ScreeningGate",
    "Statement",
    "StatementColumn",
    "TrialBalance",
    "accounts_from_totals",
    "apply",
    "book",
    "capital_accounts",
    "check_ledger",
    "obligation_years",
    "obligations",
    "partner_capital",
    "statement",
    "statement_from",
    "trial_balance",
    "trial_balance_from",
]
