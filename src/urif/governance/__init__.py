"""Joint governance: bodies, seats, proposals, votes, decisions, site consent, opportunity rights.

Public API (pure; imports core, terms, events only)::

    state = GovernanceState()
    emitted = apply(state, event, terms)        # -> tuple[DecisionRecorded, ...]
    gate = GovernanceApprovalGate(state)        # ledger ApprovalGate: gate.check(event, terms)
    proposals_view(state, open_only=..., as_of=...), board_view(state, terms, as_of)
    opportunities_view(state, as_of)
"""

from urif.governance.approval import GovernanceApprovalGate, SiteConsentGate, check_money
from urif.governance.engine import GOVERNANCE_TYPES, advance, apply, decision_id
from urif.governance.state import GovernanceState
from urif.governance.views import (
    board_view,
    opportunities_view,
    opportunity_view,
    proposal_view,
    proposals_view,
)
from urif.governance.voting import DecisionRule, Outcome, rule_for, verdict

__all__ = [
    "GOVERNANCE_TYPES",
    "DecisionRule",
    "GovernanceApprovalGate",
    "GovernanceState",
    "Outcome",
    "SiteConsentGate",
    "advance",
    "apply",
    "board_view",
    "check_money",
    "decision_id",
    "opportunities_view",
    "opportunity_view",
    "proposal_view",
    "proposals_view",
    "rule_for",
    "verdict",
]
