"""The ledger's screening gate, filled by compliance; and the matcher-backed name screener.

Owns ``ComplianceGate`` (``check(event, counterparty, on)``: return when the payee is
clear on the value date; otherwise raise ``Blocked`` naming the status, the hit and the
ownership path, or that the payee was never screened by then) and ``MatcherScreener``
(adapts the matching engine's ``Matcher`` to the ``NameScreener`` protocol, adding the
policy list's states: a counterparty of kind ``state`` whose country a policy row lists
is blocked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from urif.compliance.matcher import Matcher, Query
from urif.compliance.sources.policy import LIST_ID as POLICY_LIST
from urif.compliance.sources.policy import STATE_SCHEMA
from urif.compliance.sources.record import ListRecord
from urif.compliance.state import BLOCKED, CLEAR, ComplianceState, CounterpartyRecord, NameHit
from urif.core.errors import Blocked
from urif.core.ids import DFC, GP, PPP_AGENCY
from urif.events.model import Event

#: Partners admitted by the agreement itself are not counterparties and are not screened.
FOUNDING_PARTNERS = frozenset({DFC, PPP_AGENCY, GP})
_KIND = {"person": "person", "company": "company", "state": None}


@dataclass(frozen=True, slots=True)
class ComplianceGate:
    """Refuses a payment to a counterparty that is blocked or in unresolved review on the
    value date, or that was not screened on or before it."""

    state: ComplianceState
    exempt: frozenset[str] = FOUNDING_PARTNERS

    def check(self, event: Event, counterparty: str, on: dt.date) -> None:
        """Return if ``counterparty`` is clear on ``on``; raise ``Blocked`` saying why not."""
        if counterparty in self.exempt:
            return
        what = f"{event.type} {event.id}: payment to {counterparty}"
        record = self.state.counterparties.get(counterparty)
        if record is None:
            raise Blocked(f"{what} refused: not a registered counterparty, so never screened")
        entry = self.state.status_on(counterparty, on)
        if entry is None:
            raise Blocked(
                f"{what} ({record.name}) refused: not screened on or before the value date {on}"
            )
        if entry.status == CLEAR:
            return
        if entry.status == BLOCKED:
            raise Blocked(
                f"{what} ({record.name}) refused: screening blocked on {entry.on}: {entry.note}"
            )
        open_cases = [c for c in entry.cases if self.state.cases[c].is_open]
        # Review without a case means the party could not be screened (no lists loaded).
        remedy = (
            f"open case {', '.join(open_cases)}; decide with `urif case decide`"
            if open_cases
            else "no case to decide: load lists with `urif lists load` to screen it"
        )
        raise Blocked(
            f"{what} ({record.name}) refused: screening on {entry.on} is under review without "
            f"a decision ({remedy}): {entry.note}"
        )


@dataclass(frozen=True, slots=True)
class MatcherScreener:
    """A ``NameScreener`` over a built ``Matcher`` and the records it was built from."""

    matcher: Matcher
    fingerprints: Mapping[tuple[str, str], str] = field(default_factory=dict)
    states: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)

    @staticmethod
    def build(records: Iterable[ListRecord], **options: Any) -> MatcherScreener:
        """Build the matcher over records; remember entry fingerprints and listed states."""
        items = list(records)
        fingerprints = {(r.list_id, r.entity_id): r.fingerprint() for r in items}
        states = {
            country: (r.list_id, r.entity_id, r.caption)
            for r in items
            if r.list_id == POLICY_LIST and r.schema == STATE_SCHEMA
            for country in r.entity.get("country")
        }
        return MatcherScreener(Matcher.build(items, **options), fingerprints, states)

    def screen(self, counterparty: CounterpartyRecord) -> tuple[NameHit, ...]:
        """Hits in the review and blocked bands (and a listed state's country)."""
        hits: list[NameHit] = []
        country = counterparty.country.lower()
        if counterparty.kind == "state" and country in self.states:
            list_id, entity_id, caption = self.states[country]
            hits.append(
                NameHit(
                    list_id,
                    entity_id,
                    caption,
                    Decimal(1),
                    BLOCKED,
                    f"state {country.upper()} is on the policy list",
                    self.fingerprints.get((list_id, entity_id), ""),
                )
            )
        query = Query(
            name=counterparty.name,
            kind=_KIND.get(counterparty.kind),
            country=country or None,
            identifiers=tuple(v for _, v in counterparty.identifiers),
        )
        result = self.matcher.screen(query)
        for hit in result.hits:
            if hit.decision == CLEAR:
                continue
            hits.append(
                NameHit(
                    hit.list,
                    hit.entity_id,
                    hit.matched_name,
                    Decimal(str(hit.score)),
                    hit.decision,
                    ", ".join(hit.explanation),
                    self.fingerprints.get((hit.list, hit.entity_id), ""),
                )
            )
        return tuple(hits)
