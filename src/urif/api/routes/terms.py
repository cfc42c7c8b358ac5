"""Term sets: list, show on a date, diff (any authenticated role)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from urif.api.deps import require
from urif.api.roles import Permission
from urif.api.security import Principal
from urif.reports.jsonable import to_jsonable
from urif.terms import diff, list_versions, load_termset

router = APIRouter(prefix="/terms", tags=["terms"])
Reader = Annotated[Principal, Depends(require(Permission.READ_AGGREGATES))]


@router.get(
    "",
    summary="List term sets",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "term_sets": [{"version": "signed-2025-04-30", "title": "Signed agreement"}]
                    }
                }
            }
        }
    },
)
def list_terms(_: Reader) -> dict[str, Any]:
    """Every shipped term set with its title and first effective date."""
    sets = []
    for version in list_versions():
        termset = load_termset(version)
        sets.append(
            {
                "version": version,
                "title": termset.title,
                "effective_from": to_jsonable(termset.effective_from),
            }
        )
    return {"term_sets": sets}


@router.get(
    "/{version}",
    summary="Show a term set on a date",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "version": "signed-2025-04-30",
                        "as_of": "2025-12-31",
                        "parameters": {"revenue_share": {"value": "0.50", "status": "known"}},
                    }
                }
            }
        },
        404: {"description": "no such term set"},
    },
)
def show_terms(
    version: str, _: Reader, as_of: Annotated[dt.date | None, Query()] = None
) -> dict[str, Any]:
    """The parameters in force on ``as_of`` with value, status and source."""
    termset = load_termset(version)
    terms = termset.at(as_of or termset.effective_from)
    parameters = {
        path: {
            "value": to_jsonable(param.value),
            "effective_from": param.effective_from.isoformat(),
            "status": param.status.value,
            "source": to_jsonable(param.source),
        }
        for path, param in terms.parameters
    }
    return {
        "version": version,
        "title": terms.title,
        "as_of": terms.as_of.isoformat(),
        "in_force": terms.in_force,
        "parameters": parameters,
    }


@router.get(
    "/{version_a}/diff/{version_b}",
    summary="Diff two term sets",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "a": "us-draft-2025-03",
                        "b": "signed-2025-04-30",
                        "changes": [{"path": "us_veto", "old": True, "new": False}],
                    }
                }
            }
        }
    },
)
def diff_terms(version_a: str, version_b: str, _: Reader) -> dict[str, Any]:
    """Each changed parameter: path, old, new and both sources."""
    changes = diff(load_termset(version_a), load_termset(version_b))
    return {"a": version_a, "b": version_b, "changes": to_jsonable(list(changes))}
