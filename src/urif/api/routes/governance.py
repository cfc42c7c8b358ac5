"""Governance: proposals and votes, the board, site consents and opportunities."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from urif.actions import governance as gov_actions
from urif.api.deps import context, require
from urif.api.roles import Permission, board_side
from urif.api.security import Principal
from urif.core.errors import NotPermitted
from urif.reports.jsonable import to_jsonable

router = APIRouter(tags=["governance"])
Books = Annotated[Principal, Depends(require(Permission.READ_BOOKS))]
Voter = Annotated[Principal, Depends(require(Permission.VOTE))]
AsOf = Annotated[dt.date | None, Query(description="As of this date (default: everything)")]


class VoteRequest(BaseModel):
    """A board member's vote on a proposal (the member is the logged-in user)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"vote": "yes", "conflict_declared": False, "on": "2026-02-10"}]
        },
    )

    vote: Literal["yes", "no", "abstain"]
    conflict_declared: bool = False
    on: dt.date | None = None


@router.get(
    "/proposals",
    summary="Board and committee proposals",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "proposals": [
                            {
                                "proposal": "inv-2026-dobra",
                                "kind": "investment",
                                "outcome": "approved",
                            }
                        ]
                    }
                }
            }
        }
    },
)
def list_proposals(
    request: Request, _: Books, open: bool = False, as_of: AsOf = None
) -> dict[str, Any]:
    """Every proposal (or only open ones) with votes by side and outcome."""
    rows = gov_actions.list_proposals(context(request).settings.db, open_only=open, as_of=as_of)
    return {"as_of": as_of.isoformat() if as_of else None, "proposals": to_jsonable(rows)}


@router.get(
    "/proposals/{proposal}",
    summary="One proposal: votes, conflicts, rule, outcome",
    responses={404: {"description": "no such proposal"}},
)
def show_proposal(request: Request, proposal: str, _: Books, as_of: AsOf = None) -> Any:
    """Votes by side, conflicts declared, the rule applied and the outcome."""
    return to_jsonable(
        gov_actions.show_proposal(context(request).settings.db, proposal, as_of=as_of)
    )


@router.post(
    "/proposals/{proposal}/votes",
    summary="Vote as yourself on your side's seat",
    responses={403: {"description": "not a board role, or not your side's seat"}},
)
def vote(request: Request, proposal: str, body: VoteRequest, principal: Voter) -> Any:
    """Record the logged-in member's vote; board_us votes only US seats, board_ua UA seats."""
    side = board_side(principal.role)
    if side is None:
        raise NotPermitted(f"role {principal.role.value} does not vote")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return to_jsonable(
        gov_actions.cast_vote(
            context(request).settings.db,
            proposal,
            principal.name,
            side,
            body.vote,
            conflict_declared=body.conflict_declared,
            on=body.on or now.date(),
            recorded_by=f"api:{principal.name}",
            recorded_at=now,
        )
    )


@router.get(
    "/board",
    summary="Seats of the board and committees",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"bodies": [{"body": "board", "seats": {"us": 3, "ua": 3}}]}
                }
            }
        }
    },
)
def board(request: Request, _: Books, as_of: AsOf = None) -> Any:
    """Seats per side under the terms in force, and who holds them."""
    return to_jsonable(gov_actions.board(context(request).settings.db, as_of or dt.date.today()))


@router.get(
    "/site-consents",
    summary="Ukraine's site consents by deposit",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "consents": [
                            {
                                "deposit": "dobra",
                                "on": "2026-01-20",
                                "granted": True,
                                "authority": "State Service of Geology and Subsoil of Ukraine",
                            }
                        ]
                    }
                }
            }
        }
    },
)
def site_consents(request: Request, _: Books, as_of: AsOf = None) -> dict[str, Any]:
    """Every grant or withdrawal of consent."""
    return {"consents": gov_actions.site_consents(context(request).settings.db, as_of=as_of)}


@router.get(
    "/opportunities",
    summary="Investment opportunity rights: windows and breaches",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"opportunities": [{"opportunity": "dobra-phase-2", "breaches": []}]}
                }
            }
        }
    },
)
def opportunities(request: Request, _: Books, as_of: AsOf = None) -> dict[str, Any]:
    """First-look and favourable-terms windows, and breaches the board must see."""
    rows = gov_actions.list_opportunities(context(request).settings.db, as_of=as_of)
    return {"as_of": as_of.isoformat() if as_of else None, "opportunities": to_jsonable(rows)}
