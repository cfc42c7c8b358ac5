"""Compliance: list snapshots, screening, review cases and their decisions.

Analysts never reach this router's personal data (no READ_COUNTERPARTIES); snapshot
metadata is an aggregate and open to every reader of aggregates.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from urif.actions import compliance as compliance_actions
from urif.api.deps import context, require
from urif.api.roles import Permission
from urif.api.security import Principal
from urif.reports.jsonable import to_jsonable

router = APIRouter(tags=["compliance"])
Aggregates = Annotated[Principal, Depends(require(Permission.READ_AGGREGATES))]
Counterparties = Annotated[Principal, Depends(require(Permission.READ_COUNTERPARTIES))]
Decider = Annotated[Principal, Depends(require(Permission.DECIDE_CASES))]
Screener = Annotated[Principal, Depends(require(Permission.SCREEN))]
AsOf = Annotated[dt.date | None, Query(description="As of this date (default: everything)")]


class CaseDecision(BaseModel):
    """A reviewer's decision on a screening case."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"decision": "false_positive", "reason": "different birth date and nationality"}
            ]
        },
    )

    decision: Literal["confirm", "false_positive"]
    reason: str = Field(min_length=1, max_length=2000)
    on: dt.date | None = None


@router.get(
    "/lists",
    summary="Loaded sanctions-list snapshots",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "snapshots": [
                            {
                                "snapshot_id": "un-sc@2026-02-27",
                                "list_id": "un-sc",
                                "snapshot_date": "2026-02-27",
                                "entities": 1003,
                            }
                        ]
                    }
                }
            }
        }
    },
)
def list_snapshots(request: Request, _: Aggregates, as_of: AsOf = None) -> dict[str, Any]:
    """Every stored snapshot (dated on or before ``as_of``) with its list, date, checksum
    and licence."""
    snaps = compliance_actions.list_snapshots(context(request).settings.db, as_of)
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "snapshots": [compliance_actions.snapshot_json(s) for s in snaps],
    }


@router.get(
    "/cases",
    summary="Screening review cases",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "cases": [
                            {
                                "case": "case-1",
                                "counterparty": "cp-1",
                                "list_id": "eu-833",
                                "score": "0.81",
                                "decision": None,
                            }
                        ]
                    }
                }
            }
        }
    },
)
def list_cases(
    request: Request, _: Counterparties, open: bool = False, as_of: AsOf = None
) -> dict[str, Any]:
    """Every case (or only open ones) with its hit and decision (as they stood on ``as_of``)."""
    cases = compliance_actions.list_cases(context(request).settings.db, open_only=open, as_of=as_of)
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "cases": [compliance_actions.case_json(c) for c in cases],
    }


@router.post(
    "/cases/{case}/decision",
    summary="Decide a review case",
    responses={404: {"description": "no such case"}, 409: {"description": "already decided"}},
)
def decide_case(request: Request, case: str, body: CaseDecision, principal: Decider) -> Any:
    """Record confirm or false_positive with a reason; re-screens what depends on it."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    events = compliance_actions.decide_case(
        context(request).settings.db,
        case,
        body.decision,
        body.reason,
        on=body.on or now.date(),
        decided_by=f"api:{principal.name}",
        recorded_at=now,
    )
    return {"recorded": [str(e.id) for e in events]}


@router.get(
    "/screen",
    summary="Screen one name against the loaded lists",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "decision": "review",
                        "hits": [
                            {
                                "list": "ofac-sdn",
                                "entity_id": "ofac-123",
                                "matched_name": "IVANOV, Ivan",
                                "score": 0.86,
                                "explanation": ["name"],
                            }
                        ],
                        "lists": [{"list": "ofac-sdn", "snapshot_date": "2024-06-01"}],
                    }
                }
            }
        }
    },
)
def screen(
    request: Request,
    _: Screener,
    name: Annotated[str, Query(min_length=1, max_length=10_000)],
    kind: Literal["person", "company", "vessel", "organization"] | None = None,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    birth_date: Annotated[str | None, Query(max_length=10)] = None,
    as_of: dt.date | None = None,
) -> Any:
    """``urif screen NAME --json``: decision, hits with explanations, lists used."""
    from urif.actions import screening as screening_actions

    settings = context(request).settings
    memo = getattr(request.app.state, "screening_matchers", None)
    if memo is None:  # the last index built, kept for the next request
        memo = request.app.state.screening_matchers = {}
    result = screening_actions.screen_name(
        settings.db,
        name,
        kind=kind,
        country=country,
        birth_date=birth_date,
        as_of=as_of or dt.date.today(),
        cache_dir=settings.cache_dir,
        sanctions_dir=settings.sanctions_dir,
        memo=memo,
    )
    return to_jsonable(result)
