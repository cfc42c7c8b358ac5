"""Governance use cases: read the board, proposals and opportunities from the stored log.

Owns the read actions behind ``urif proposals``, ``urif proposal show``, ``urif board`` and
``urif opportunities`` (each replays the log into the fund state and renders governance's
read models), and this area's demo steps: the board and the Dobra decision with its
votes, the Dobra investment, and a 2027 distribution refused by the reinvestment lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from urif.actions.demo import DemoContext, DemoStep
from urif.actions.fund_state import FundState, replay_state
from urif.actions.record import record_events
from urif.core.errors import NotFound, NotPermitted
from urif.events import parse_objects
from urif.governance import (
    board_view,
    opportunities_view,
    proposal_view,
    proposals_view,
)
from urif.store import Store

View = dict[str, object]

#: Demo files of this area beside the main governance example (ingested by the steps below).
INVESTMENT_FILE = "governance-investment-2026.jsonl"
DISTRIBUTION_FILE = "governance-distribution-2027.jsonl"


@contextmanager
def _state(url: str) -> Iterator[FundState]:
    store = Store.open(url)
    try:
        yield replay_state(store)
    finally:
        store.close()


def list_proposals(
    url: str, *, open_only: bool = False, as_of: dt.date | None = None
) -> list[View]:
    """Every proposal (or the open ones) as of a date, with votes by side and outcome."""
    with _state(url) as state:
        return proposals_view(state.governance, open_only=open_only, as_of=as_of)


def show_proposal(url: str, proposal: str, *, as_of: dt.date | None = None) -> View:
    """One proposal: votes by side, conflicts, rule applied, outcome, usage."""
    with _state(url) as state:
        found = state.governance.proposals.get(proposal)
        if found is None or (as_of is not None and found.submitted_on > as_of):
            known = ", ".join(state.governance.proposals) or "none"
            raise NotFound(f"proposal {proposal!r} not found; known proposals: {known}")
        return proposal_view(state.governance, found, as_of)


def list_opportunities(url: str, *, as_of: dt.date | None = None) -> list[View]:
    """Opportunities with their first-look and protection windows and any breaches."""
    with _state(url) as state:
        return opportunities_view(state.governance, as_of)


def board(url: str, as_of: dt.date) -> View:
    """Seats of the board and committees under the terms in force on ``as_of``."""
    with _state(url) as state:
        return board_view(state.governance, state.terms_on(as_of), as_of)


def site_consents(url: str, *, as_of: dt.date | None = None) -> list[View]:
    """Every grant or withdrawal of site consent, by deposit, up to ``as_of``."""
    with _state(url) as state:
        return [
            {
                "deposit": record.deposit,
                "on": record.on.isoformat(),
                "granted": record.granted,
                "authority": record.authority,
                "event": record.event,
            }
            for records in state.governance.consents.values()
            for record in records
            if as_of is None or record.on <= as_of
        ]


def cast_vote(
    url: str,
    proposal: str,
    member: str,
    side: str,
    vote: str,
    *,
    conflict_declared: bool,
    on: dt.date,
    recorded_by: str,
    recorded_at: dt.datetime,
) -> dict[str, Any]:
    """Record ``member``'s vote (or changed vote) on ``proposal``; the member must sit on ``side``."""
    with _state(url) as state:
        seated = state.governance.members.get(member)
        found = state.governance.proposals.get(proposal)
        already = found is not None and found.ballot_of(member) is not None
    if seated is None:
        raise NotPermitted(f"member {member!r} holds no seat; only appointed members vote")
    if seated[1] != side:
        raise NotPermitted(
            f"member {member!r} sits for side {seated[1]!r}; this user votes only for {side!r}"
        )
    if found is None:
        raise NotFound(f"proposal {proposal!r} not found")
    kind = "vote_changed" if already else "vote_cast"
    obj = {
        "id": f"vote:{proposal}:{member}:{recorded_at.isoformat()}",
        "type": kind,
        "on": on.isoformat(),
        "proposal": proposal,
        "member": member,
        "vote": vote,
        "conflict_declared": conflict_declared,
    }
    parsed = parse_objects([obj], "vote")
    store = Store.open(url)
    try:
        report = record_events(store, (parsed,), recorded_by, recorded_at)
    finally:
        store.close()
    report.raise_for_problems()
    return {"event": obj, **report.summary()}


# --- demo ----------------------------------------------------------------------------------


def _vote_rows(view: View) -> list[list[str]]:
    rows: list[list[str]] = []
    votes: Any = view["votes"]
    for side in ("us", "ua"):
        for vote in votes[side]:
            mark = "conflict declared (excluded)" if vote["conflict_declared"] else vote["vote"]
            rows.append([side.upper(), str(vote["name"]), mark])
    return rows


def _show_governance(context: DemoContext) -> None:
    as_of = context.as_of or dt.date(2027, 12, 31)
    summary = board(context.url, as_of)
    context.say("heading", f"Board of managers as of {as_of}")
    bodies: Any = summary["bodies"]
    board_body = bodies[0]
    rows = [
        [side.upper(), m["name"]]
        for side in ("us", "ua")
        for m in board_body["sides"][side]["members"]
    ]
    context.say("table", ("Board seats", ["side", "member"], rows))
    for view in list_proposals(context.url, as_of=as_of):
        subject: Any = view["subject"]
        title = subject.get("title") or f"{subject.get('amount')} {subject.get('currency')}"
        label = " (illustrative)" if view["illustrative"] else ""
        context.say(
            "text",
            f"{view['proposal']} [{view['kind']}{label}] {title}: {view['status']} "
            f"under rule {view['rule']}",
        )
        if view["kind"] == "investment":
            context.say(
                "table",
                (f"Votes on {view['proposal']}", ["side", "member", "vote"], _vote_rows(view)),
            )
        if view["reason"]:
            context.say("text", f"  reason: {view['reason']}")


def _ingest_one(context: DemoContext, name: str, expect_refusal: bool) -> None:
    from urif.actions import record

    path = context.examples / name
    if not path.is_file():
        context.say("text", f"({name} not found in {context.examples}; skipped)")
        return
    report = record.ingest_files(context.url, [path], context.recorded_by, context.recorded_at)
    error = report.error()
    if error is None:
        context.ingested.append(path)
        context.say("text", f"{name}: recorded {report.appended} events")
        if expect_refusal:
            context.say("text", "  (expected a refusal, but the events were recorded)")
        return
    verdict = "refused as it must be" if expect_refusal else "refused"
    context.say("text", f"{name}: {verdict}: {error}")


def _dobra_investment(context: DemoContext) -> None:
    context.say("heading", "The Dobra investment (hypothetical) and a 2027 distribution")
    _ingest_one(context, INVESTMENT_FILE, expect_refusal=False)
    _ingest_one(context, DISTRIBUTION_FILE, expect_refusal=True)


def demo_steps() -> tuple[DemoStep, ...]:
    """This area's steps of ``urif demo``."""
    return (
        DemoStep("governance payments", _dobra_investment, after="ingest examples"),
        DemoStep("governance", _show_governance, after="governance payments"),
    )
