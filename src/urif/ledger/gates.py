"""Gates: the seams where governance and compliance may refuse a payment.

Owns the two Protocols the ledger calls before it books an investment, an expense above
the approval threshold, or a distribution: ``ApprovalGate.check(event, terms)`` (is there an
approved decision for it?) and ``ScreeningGate.check(event, counterparty, on)`` (is the payee
clear on the value date?).  Each returns None or raises ``NotPermitted`` / ``Blocked`` with
the reason.  ``urif.governance`` and ``urif.compliance`` provide the real ones and
``urif.actions`` wires them; the defaults here refuse everything and say why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from urif.core.errors import Blocked, NotPermitted
from urif.events.model import Event
from urif.terms.model import Terms


class ApprovalGate(Protocol):
    """Refuses an event that has no approved decision behind it."""

    def check(self, event: Event, terms: Terms) -> None:
        """Return if approved; raise ``NotPermitted`` saying why not."""
        ...


class ScreeningGate(Protocol):
    """Refuses a payment to a party that is not clear on the value date."""

    def check(self, event: Event, counterparty: str, on: dt.date) -> None:
        """Return if ``counterparty`` is clear on ``on``; raise ``Blocked`` if not."""
        ...


class RejectAllApproval:
    """The default approval gate: no governance is configured, so nothing is approved."""

    def check(self, event: Event, terms: Terms) -> None:
        """Always refuse, naming the event."""
        del terms
        raise NotPermitted(
            f"{event.type} {event.id}: no approval gate is configured (governance is not "
            "wired in), so payments that need a board decision are refused"
        )


class RejectAllScreening:
    """The default screening gate: no compliance is configured, so no one is clear."""

    def check(self, event: Event, counterparty: str, on: dt.date) -> None:
        """Always refuse, naming the payee."""
        raise Blocked(
            f"{event.type} {event.id}: no screening gate is configured (compliance is not "
            f"wired in), so {counterparty} cannot be shown clear on {on} and is not paid"
        )


@dataclass(frozen=True, slots=True)
class Gates:
    """The gates one ``apply`` call passes payments through."""

    approval: ApprovalGate = field(default_factory=RejectAllApproval)
    screening: ScreeningGate = field(default_factory=RejectAllScreening)
