"""The fund's books: events (POST a batch, list), accounts, obligations, balances, statements."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from urif.actions import books as books_actions
from urif.actions import reports as report_actions
from urif.actions.record import IngestReport, record_events
from urif.api.deps import context, require
from urif.api.roles import Permission
from urif.api.security import Principal
from urif.core.errors import InvalidInput
from urif.events import parse_objects, repeated_key, to_json

router = APIRouter(tags=["books"])
Aggregates = Annotated[Principal, Depends(require(Permission.READ_AGGREGATES))]
Books = Annotated[Principal, Depends(require(Permission.READ_BOOKS))]
Writer = Annotated[Principal, Depends(require(Permission.WRITE_EVENTS))]
AsOf = Annotated[dt.date | None, Query(description="Report as of this date (default today)")]

MAX_EVENTS_PER_POST = 100_000

_EVENT_EXAMPLE = [
    {
        "id": "fx-2025-09-17",
        "type": "fx_rate",
        "on": "2025-09-17",
        "base": "USD",
        "quote": "UAH",
        "rate": "41.2816",
        "source": "NBU official rate",
    },
    {
        "id": "dfc-commit",
        "type": "commitment",
        "on": "2025-09-17",
        "partner": "dfc",
        "amount": "75000000.00",
        "currency": "USD",
        "source": "DFC press release",
    },
]


def _as_of(value: dt.date | None) -> dt.date:
    return value or dt.date.today()


@router.post(
    "/events",
    summary="Record a batch of events (all or nothing, idempotent)",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "read": 2,
                        "appended": 2,
                        "duplicates": 0,
                        "rejected": 0,
                        "ok": True,
                    }
                }
            }
        },
        401: {"description": "no or bad token"},
        403: {"description": "role may not write, or a rule refused the batch"},
        409: {"description": "an id was recorded before with other content"},
        422: {"description": "invalid events; every bad item is listed"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"type": "object"}},
                    "example": _EVENT_EXAMPLE,
                }
            },
        }
    },
)
async def post_events(request: Request, principal: Writer) -> dict[str, Any]:
    """Append events with the same rules as ``urif ingest``: all or nothing, every problem."""
    # The body is decoded here with orjson rather than declared as a pydantic list: the
    # events module validates every field anyway, and a second validation of thousands of
    # dicts cost more than the booking (bench/api.py).
    raw = await request.body()
    try:
        events = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(f"request body: expected a JSON array of events: {error}") from None
    if not isinstance(events, list):
        kind = type(events).__name__
        raise InvalidInput(f"request body: expected a JSON array of events, got a {kind}")
    repeated = repeated_key(raw, events)  # as urif ingest refuses it, line by line
    if repeated is not None:
        raise InvalidInput(f"request body: {repeated}")
    if len(events) > MAX_EVENTS_PER_POST:
        raise InvalidInput(f"events: at most {MAX_EVENTS_PER_POST} per request, got {len(events)}")
    ctx = context(request)
    recorded_at = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def record() -> IngestReport:
        parsed = parse_objects(events, "request body")
        return record_events(
            ctx.store, (parsed,), f"api:{principal.name}", recorded_at, cache=ctx.states
        )

    report = await run_in_threadpool(record)
    report.raise_for_problems()
    return report.summary()


@router.get(
    "/events",
    summary="Read the event log in seq order",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "events": [
                            {
                                "seq": 1,
                                "hash": "ab12...",
                                "recorded_by": "cli:admin",
                                "event": _EVENT_EXAMPLE[0],
                            }
                        ],
                        "next_after": 1,
                    }
                }
            }
        }
    },
)
def list_events(
    request: Request,
    _: Books,
    after: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="Return events with seq > after")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> dict[str, Any]:
    """A page of stored events with their seq, hashes and who recorded them."""
    rows: list[dict[str, Any]] = []
    for stored in context(request).store.iter_events(batch=min(limit, 10_000), after=after):
        rows.append(
            {
                "seq": stored.seq,
                "prev_hash": stored.prev_hash,
                "hash": stored.hash,
                "recorded_at": str(stored.recorded_at),
                "recorded_by": stored.recorded_by,
                "event": to_json(stored.event),
            }
        )
        if len(rows) >= limit:
            break
    return {"events": rows, "next_after": rows[-1]["seq"] if rows else after}


@router.get(
    "/accounts",
    summary="Partners' capital accounts",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "as_of": "2026-06-30",
                        "currency": "USD",
                        "partners": [
                            {
                                "partner": "dfc",
                                "contributed_cash": "75000000.00",
                                "contributed_in_kind": "0.00",
                                "contributed_agreed_revenue": "0.00",
                                "contributed_total": "75000000.00",
                                "income_allocated": "0.00",
                                "distributions": "0.00",
                                "capital": "75000000.00",
                                "ownership_share": "0.5",
                            }
                        ],
                        "net_assets": "150000000.00",
                    }
                }
            }
        }
    },
)
# The three aggregate reads below are ``async``: each is one indexed query over running
# totals (well under a millisecond), so running it on the event loop costs less than the
# thread-pool hop a sync route takes (measured by bench/api.py).
async def get_accounts(request: Request, _: Aggregates, as_of: AsOf = None) -> dict[str, Any]:
    """``urif accounts --json``: capital by partner and kind, net assets."""
    view = books_actions.accounts(context(request).store, _as_of(as_of))
    return books_actions.accounts_json(view)


@router.get(
    "/obligations",
    summary="Ukraine's agreed-revenue obligation by year",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "as_of": "2027-06-30",
                        "years": [
                            {
                                "year": 2026,
                                "receipts_usd": "2000000.00",
                                "due_usd": "1000000.00",
                                "due_on": "2027-04-01",
                                "received_usd": "0.00",
                                "outstanding_usd": "1000000.00",
                                "overdue": True,
                            }
                        ],
                    }
                }
            }
        }
    },
)
async def get_obligations(request: Request, _: Aggregates, as_of: AsOf = None) -> dict[str, Any]:
    """``urif obligations --json``."""
    return books_actions.obligations(context(request).store, _as_of(as_of)).to_json()


@router.get(
    "/balances",
    summary="Trial balance",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "as_of": "2026-06-30",
                        "accounts": [
                            {
                                "account": "cash:USD",
                                "currency": "USD",
                                "debit": "150000000.00",
                                "credit": "0.00",
                            }
                        ],
                    }
                }
            }
        }
    },
)
async def get_balances(request: Request, _: Aggregates, as_of: AsOf = None) -> dict[str, Any]:
    """``urif balances --json``."""
    tb = books_actions.balances(context(request).store, _as_of(as_of))
    return books_actions.balances_json(tb)


@router.get(
    "/statements/{partner}",
    summary="A partner's capital-account statement (ILPA)",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "partner": "dfc",
                        "period": "2026Q1",
                        "currency": "USD",
                        "columns": [],
                    }
                },
                "application/pdf": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            }
        },
        404: {"description": "no such partner"},
    },
)
def get_statement(
    request: Request,
    partner: str,
    _: Books,
    period: Annotated[str, Query(pattern=r"^\d{4}(Q[1-4]|-\d{2})?$", examples=["2026Q1"])],
    format: Annotated[str, Query(pattern="^(json|text|pdf|xlsx)$")] = "json",
) -> Any:
    """Period, quarter-to-date, year-to-date and inception-to-date columns."""
    url = context(request).settings.db
    if format == "json":
        store = context(request).store
        return books_actions.statement_json(books_actions.statement(store, partner, period))
    body = report_actions.render_statement(url, partner, period, format)
    headers = {}
    if format in ("pdf", "xlsx"):
        headers["Content-Disposition"] = (
            f'attachment; filename="statement-{partner}-{period}.{format}"'
        )
    return Response(body, media_type=report_actions.MEDIA_TYPES[format], headers=headers)
