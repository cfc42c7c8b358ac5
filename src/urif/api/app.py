"""The FastAPI application: /api for systems, / for the dashboard, one error table.

Every route under ``/api`` except the token route, health and the OpenAPI document needs a
bearer token; errors leave as RFC 9457 problem details; every response carries security
headers; oversized bodies are refused before they are read.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

import urif
from urif.actions.fund_state import StateCache
from urif.api.deps import AppContext, current_principal
from urif.api.guard import SECURITY_HEADERS, Guard
from urif.api.problems import PROBLEM_MEDIA_TYPE, problem, problem_from_error
from urif.api.security import FailedLoginLimiter
from urif.api.settings import ServiceSettings, signing_key
from urif.core.errors import Unavailable, UrifError
from urif.store import Store

_LOG = logging.getLogger("urif.api")


def _problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        body, status_code=int(body["status"]), media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def _undecodable(error: RequestValidationError) -> bool:
    """Whether the framework refused the body because it is not JSON at all."""
    return any(e.get("type") == "json_invalid" for e in error.errors())


async def _unauthenticated(request: Request) -> StarletteHTTPException | None:
    """The 401 a request without a valid bearer token gets, or None when it has one."""
    header = request.headers.get("authorization", "")
    token = header[7:] if header[:7].lower() == "bearer " else None
    try:
        await current_principal(request, token)
    except StarletteHTTPException as refused:
        return refused
    return None


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(UrifError)
    async def urif_error(_: Request, error: UrifError) -> Response:
        if isinstance(error, Unavailable):
            _LOG.error("%s", error)  # the caller gets 503 without the database's details
        return _problem_response(problem_from_error(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        # A body that is not JSON is refused by the framework before the route's token
        # check runs; a write without a valid token must still get 401 whatever its body
        # (DESIGN §5), so the token is checked here first.
        if request.method not in ("GET", "HEAD") and _undecodable(error):
            refused = await _unauthenticated(request)
            if refused is not None:
                return await http_error(request, refused)
        errors = [
            {
                "where": ".".join(str(p) for p in e.get("loc", ())),
                "message": str(e.get("msg", "")),
            }
            for e in error.errors()
        ]
        body = problem(
            422,
            "InvalidInput",
            "the request does not match the schema",
            "invalid-input",
            errors=errors,
        )
        return _problem_response(body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> Response:
        slug = {
            401: "unauthorised",
            403: "forbidden",
            404: "not-found",
            405: "method-not-allowed",
            413: "too-large",
            429: "too-many-requests",
        }.get(error.status_code, "http-error")
        body = problem(
            error.status_code, slug.replace("-", " ").capitalize(), str(error.detail), slug
        )
        headers = dict(error.headers) if error.headers else None
        return _problem_response(body, headers)

    @app.exception_handler(Exception)
    async def server_error(_: Request, error: Exception) -> Response:
        body = problem(
            500,
            "Internal error",
            f"unexpected {type(error).__name__}; see the server log",
            "internal-error",
        )
        return _problem_response(body)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Warm the dashboard's pages when a worker starts (see ``warm_pages``)."""
    from urif.api.dashboard import warm_pages

    ctx = app.state.urif
    assert isinstance(ctx, AppContext)
    await run_in_threadpool(warm_pages, app, ctx.settings.db)
    yield


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """Build the application for ``settings`` (read from the environment when omitted)."""
    settings = settings or ServiceSettings()
    app = FastAPI(
        title="urif",
        version=urif.__version__,
        description="The US–Ukraine Reconstruction Investment Fund: terms, books, governance, "
        "compliance and simulations. Authenticate with POST /api/token (OAuth2 password flow).",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN: not offline, not under our CSP
        redoc_url=None,
        lifespan=_lifespan,
    )
    store = Store.open(settings.db)
    app.state.urif = AppContext(
        settings=settings,
        key=signing_key(settings),
        limiter=FailedLoginLimiter(
            settings.login_failures_allowed, settings.login_window_seconds, store
        ),
        store=store,
        states=StateCache(),
    )
    _install_error_handlers(app)
    app.add_middleware(Guard, max_body_bytes=settings.max_body_bytes)
    from urif.api import dashboard, routes

    routes.install(app)
    dashboard.install_dashboard(app)
    return app


__all__ = ["SECURITY_HEADERS", "HTTPException", "create_app"]
