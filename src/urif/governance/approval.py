"""The approval gate: no money moves without the decision the terms require.

Owns ``GovernanceApprovalGate`` (the ledger's ``ApprovalGate`` protocol, structurally:
``check(event, terms) -> None``) and ``check_money`` behind it.  An ``investment``, a
``distribution``, or an ``expense`` above the terms' threshold is allowed only when it
names an approved proposal of the right kind, decided on or before its value date, whose
subject matches (project, counterparty, currency), with the amount within what remains
of the approved amount.  Investments also need Ukraine's site consent for the deposit in
force on the value date.  Every refusal is a ``NotPermitted`` saying which condition
failed.  The gate reads the state; ``urif.governance.engine.apply`` records the usage.
"""

from __future__ import annotations

from decimal import Decimal

from urif.core.errors import NotPermitted
from urif.events.model import Correction, Distribution, Event, Expense, Investment
from urif.governance.consent import require_consent
from urif.governance.proposals import article
from urif.governance.state import GovernanceState
from urif.governance.voting import Outcome
from urif.terms.model import Terms

MoneyEvent = Investment | Distribution | Expense


def _fail(event: Event, condition: str, detail: str) -> NotPermitted:
    return NotPermitted(f"{event.type} {event.id}: approval check failed ({condition}): {detail}")


def needs_approval(state: GovernanceState, event: MoneyEvent, terms: Terms) -> bool:
    """True for investments and distributions, and for expenses above the threshold."""
    if not isinstance(event, Expense):
        return True
    if event.proposal is not None:
        return True
    rate = state.usd_rate(event.currency, event.on)
    if rate is None:
        raise _fail(
            event,
            "threshold",
            f"no USD rate for {event.currency} on or before {event.on}, so whether "
            f"{event.amount} {event.currency} exceeds the approval threshold of "
            f"{terms.expense_approval_threshold_usd} USD cannot be told; record an fx_rate",
        )
    return event.amount * rate > terms.expense_approval_threshold_usd


def check_money(
    state: GovernanceState, event: MoneyEvent, terms: Terms, *, excluding: str | None = None
) -> str | None:
    """Check one money event; return the proposal it draws on (None: no approval needed).

    ``excluding`` leaves out the usage of one earlier event (the one a correction replaces).
    """
    if not needs_approval(state, event, terms):
        return None
    kind = {Investment: "investment", Distribution: "distribution", Expense: "expense"}[type(event)]
    pid = event.proposal
    if pid is None:  # only an expense can get here without a proposal
        raise _fail(
            event,
            "proposal named",
            f"an expense of {event.amount} {event.currency} is above the threshold of "
            f"{terms.expense_approval_threshold_usd} USD and needs an approved expense "
            f"proposal in its 'proposal' field",
        )
    proposal = state.proposals.get(pid)
    if proposal is None:
        raise _fail(event, "proposal exists", f"no proposal {pid} has been submitted")
    if proposal.kind != kind:
        raise _fail(
            event,
            "kind",
            (f"proposal {pid} is {article(proposal.kind)} {proposal.kind} proposal, not {kind}"),
        )
    decision = proposal.decision
    if decision is None or decision.on > event.on:
        raise _fail(event, "approved", f"proposal {pid} was not decided on or before {event.on}")
    if decision.outcome is not Outcome.APPROVED:
        raise _fail(
            event,
            "approved",
            f"proposal {pid} was {decision.outcome.value} on {decision.on}: {decision.reason}",
        )
    subject = proposal.subject
    if isinstance(event, Investment) and subject.project != event.project:
        raise _fail(
            event,
            "project",
            f"proposal {pid} approved project {subject.project}, not {event.project}",
        )
    if (
        isinstance(event, (Investment, Expense))
        and subject.counterparty is not None
        and subject.counterparty != event.counterparty
    ):
        raise _fail(
            event,
            "counterparty",
            f"proposal {pid} approved counterparty {subject.counterparty}, "
            f"not {event.counterparty}",
        )
    if subject.currency != event.currency:
        raise _fail(
            event,
            "currency",
            f"proposal {pid} approved {subject.currency}, not {event.currency}",
        )
    approved = subject.amount if subject.amount is not None else Decimal(0)
    if event.amount > approved:
        raise _fail(
            event,
            "amount within approved",
            f"{event.amount} {event.currency} is above the {approved} {subject.currency} "
            f"approved by proposal {pid}",
        )
    used = state.used(pid, excluding=excluding)
    if used + event.amount > approved:
        users = ", ".join(u.event for u in state.usage.get(pid, ()) if u.event != excluding)
        raise _fail(
            event,
            "not used up",
            f"proposal {pid} approved {approved} {subject.currency}, of which {used} is "
            f"already used (by {users}); {approved - used} remains, {event.amount} asked",
        )
    if isinstance(event, Investment):
        try:
            require_consent(state.consents, event.project, event.on)
        except NotPermitted as error:
            raise _fail(event, "site consent", error.message) from None
    return pid


class GovernanceApprovalGate:
    """The ledger's ApprovalGate, backed by a live ``GovernanceState`` (read only).

    Build it over the state object the fund folds into; when that object is replaced (a
    copy for an all-or-nothing file), build a new gate over the copy.
    """

    def __init__(self, state: GovernanceState) -> None:
        self.state = state

    def check(self, event: Event, terms: Terms) -> None:
        """Raise NotPermitted unless the decision the terms require for ``event`` exists."""
        if isinstance(event, (Investment, Distribution, Expense)):
            check_money(self.state, event, terms)
        elif isinstance(event, Correction) and isinstance(
            event.replacement, (Investment, Distribution, Expense)
        ):
            check_money(self.state, event.replacement, terms, excluding=event.corrects)


class SiteConsentGate:
    """Site consent alone, for callers that check it apart from approval."""

    def __init__(self, state: GovernanceState) -> None:
        self.state = state

    def check(self, event: Event, terms: Terms) -> None:
        """Raise NotPermitted when an investment's deposit lacks consent on its value date."""
        del terms
        if isinstance(event, Investment):
            require_consent(self.state.consents, event.project, event.on)
