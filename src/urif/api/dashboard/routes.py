"""The dashboard's routes: sign-in and sign-out, the pages, statement and workbook downloads.

Owns the HTTP side of the dashboard: the cookie session check on every page (redirect to
``/login`` when signed out; the user is read again on every page, so a deactivated user
or one whose password was reset is signed out, and a changed role applies at once), the
permission each page needs from ``urif.api.roles`` (the one table the API uses too:
analysts see no statements, decisions, counterparties or cases), CSRF checks on every
POST, HTML error pages, and the template context.  Every route is left out of the OpenAPI
document.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from urif.actions import reports as report_actions
from urif.actions.users import authenticate, signed_in_user
from urif.api.dashboard import views
from urif.api.dashboard.cache import DashboardState
from urif.api.dashboard.session import COOKIE, Session, csrf_ok, csrf_token, decode, encode
from urif.api.deps import AppContext
from urif.api.problems import status_for
from urif.api.roles import Permission, Role, allows
from urif.core.dates import DateRange, parse_date
from urif.core.errors import InvalidInput, UrifError
from urif.reports.statement import money_text
from urif.store import Store

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["money"] = money_text
templates.env.filters["share"] = lambda v: f"{float(v) * 100:.2f}%"
templates.env.filters["pct"] = lambda v: "n/a" if v is None else f"{float(v) * 100:.1f}%"
templates.env.filters["svg"] = Markup

#: (path, label, permission) of the navigation, in order.
PAGES: tuple[tuple[str, str, Permission], ...] = (
    ("/", "Overview", Permission.READ_AGGREGATES),
    ("/statements", "Statements", Permission.READ_BOOKS),
    ("/governance", "Governance", Permission.READ_BOOKS),
    ("/cases", "Screening", Permission.READ_COUNTERPARTIES),
    ("/simulations", "Simulations", Permission.READ_AGGREGATES),
    ("/terms", "Terms", Permission.READ_AGGREGATES),
    ("/map", "Map", Permission.READ_AGGREGATES),
)
PARTNERS = ("dfc", "ppp_agency", "gp")
MAX_SIM_PATHS = 2_000


class PageError(Exception):
    """Stop building a page: redirect to sign-in, or show an error page."""

    def __init__(self, status: int, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.location = location


def _ctx(request: Request) -> AppContext:
    ctx = request.app.state.urif
    assert isinstance(ctx, AppContext)
    return ctx


def _state(request: Request) -> DashboardState:
    state = request.app.state.dashboard
    assert isinstance(state, DashboardState)
    return state


def _session(request: Request) -> Session | None:
    """The cookie's session as the user stands now: signed out when they no longer may be
    (same nonce, so the sign-in form's CSRF token still matches), else with their role."""
    session = decode(request.cookies.get(COOKIE), _ctx(request).key)
    if session is None or session.user is None or not session.signed_in(time.time()):
        return session
    user = signed_in_user(_ctx(request).store, session.user, session.stamp)
    if user is None:
        return Session(session.nonce)
    return replace(session, role=Role(user.role))


def _set_cookie(request: Request, response: Response, session: Session) -> None:
    settings = _ctx(request).settings
    response.set_cookie(
        COOKIE,
        encode(session, _ctx(request).key),
        max_age=settings.session_minutes * 60,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path="/",
    )


def _safe_next(target: str | None) -> str:
    """A local path to go to after sign-in (never another site).

    >>> _safe_next("/map"), _safe_next("//evil.example/"), _safe_next("https://x"), _safe_next(None)
    ('/map', '/', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _require(request: Request, permission: Permission) -> Session:
    session = _session(request)
    if session is None or not session.signed_in(time.time()):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise PageError(303, "sign in", location=f"/login?next={_quote(target)}")
    assert session.role is not None
    if not allows(session.role, permission):
        raise PageError(
            403,
            f"your role ({session.role.value}) may not see this page "
            f"(it needs {permission.value.replace('_', ' ')})",
        )
    return session


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="/")


def _as_of(value: str | None) -> dt.date:
    """``?as_of=`` or today: the dashboard is an edge and may read the clock."""
    return parse_date(value, field="as_of") if value else dt.date.today()


def _head(request: Request) -> tuple[int, str]:
    return report_actions.log_head(_ctx(request).settings.db)


def _cached(request: Request, key: tuple[Any, ...], compute: Any) -> Any:
    return _state(request).pages.get(key, _head(request), compute)


def _render(
    request: Request, session: Session | None, template: str, status: int = 200, **page: Any
) -> HTMLResponse:
    key = _ctx(request).key
    role = session.role if session is not None and session.signed_in(time.time()) else None
    nav = [(path, label) for path, label, perm in PAGES if role is not None and allows(role, perm)]
    context = {
        "user": session.user if role is not None and session is not None else None,
        "role": role.value if role is not None else None,
        "nav": nav,
        "path": request.url.path,
        "csrf": csrf_token(session, key) if session is not None else "",
        "can_run": role is not None and allows(role, Permission.RUN_SIMULATIONS),
        **page,
    }
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_page(request: Request, error: PageError | UrifError) -> Response:
    if isinstance(error, PageError):
        if error.location is not None:
            return RedirectResponse(error.location, status_code=303)
        status, message = error.status, error.message
    else:
        status, message = status_for(error)[0], str(error)
    return _render(request, _session(request), "error.html", status, title="Error", message=message)


def _page(
    request: Request, permission: Permission, template: str, build: Any, **extra: Any
) -> Response:
    """Check the session and permission, build the page data, render (or an error page)."""
    try:
        session = _require(request, permission)
        data = build(session)
    except (PageError, UrifError) as error:
        return _error_page(request, error)
    return _render(request, session, template, **extra, **data)


# --- sign-in and sign-out ----------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form (issues an anonymous session holding the CSRF nonce)."""
    session = _session(request)
    if session is not None and session.signed_in(time.time()):
        return RedirectResponse(_safe_next(next), status_code=303)
    _state(request).follower.warm(_ctx(request).settings.db)  # replay while they sign in
    fresh = session or Session.anonymous()
    response = _render(
        request, fresh, "login.html", title="Sign in", next=_safe_next(next), error=None
    )
    if session is None:
        _set_cookie(request, response, fresh)
    return response


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the CSRF token and the password; start a signed-in session."""
    session = _session(request)
    target = _safe_next(next)
    if session is None or not csrf_ok(session, _ctx(request).key, csrf):
        fresh = Session.anonymous()
        response = _render(
            request, fresh, "login.html", 400, title="Sign in", next=target,
            error="The form expired; please sign in again.",
        )  # fmt: skip
        _set_cookie(request, response, fresh)
        return response
    ctx = _ctx(request)
    client = request.client.host if request.client else "unknown"
    limit_key = f"dashboard|{username}|{client}"
    if ctx.limiter.blocked(limit_key):
        response = _render(
            request, session, "login.html", 429, title="Sign in", next=target,
            error="Too many failed sign-ins; wait a few minutes and try again.",
        )  # fmt: skip
        response.headers["Retry-After"] = str(ctx.limiter.retry_after(limit_key))
        return response
    with Store.open(ctx.settings.db) as store:
        user = authenticate(store, username, password)
    if user is None:
        ctx.limiter.record_failure(limit_key)
        return _render(
            request, session, "login.html", 401, title="Sign in", next=target,
            error="Wrong user name or password.",
        )  # fmt: skip
    signed = Session(
        Session.anonymous().nonce,
        user.name,
        Role(user.role),
        int(time.time()) + ctx.settings.session_minutes * 60,
        user.stamp,
    )
    redirect = RedirectResponse(target, status_code=303)
    _set_cookie(request, redirect, signed)
    return redirect


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    """End the session (CSRF-checked) and go back to the sign-in form."""
    session = _session(request)
    if session is None or not csrf_ok(session, _ctx(request).key, csrf):
        return _error_page(request, PageError(400, "the form expired; reload the page"))
    response = RedirectResponse("/login", status_code=303)
    _set_cookie(request, response, Session.anonymous())
    return response


# --- pages -------------------------------------------------------------------------------


@router.get("/")
def overview_page(request: Request, as_of: str | None = None) -> Response:
    """Capital by partner and kind, the fund's cash and net assets, Ukraine's obligation."""
    url = _ctx(request).settings.db

    def build(_: Session) -> dict[str, Any]:
        day = _as_of(as_of)
        data = _cached(request, ("overview", day), lambda: views.overview(url, day))
        return {"title": "Overview", "as_of": day, **data}

    return _page(request, Permission.READ_AGGREGATES, "overview.html", build)


@router.get("/statements")
def statements_page(
    request: Request, partner: str = "dfc", period: str | None = None, as_of: str | None = None
) -> Response:
    """A partner's ILPA statement with PDF and XLSX downloads."""
    url = _ctx(request).settings.db

    def build(_: Session) -> dict[str, Any]:
        day = _as_of(as_of)
        chosen = (period or views.default_period(day)).strip()
        DateRange.parse_period(chosen)
        data = _cached(
            request, ("statement", partner, chosen), lambda: views.statement(url, partner, chosen)
        )
        return {
            "title": "Statements",
            "as_of": day,
            "partner": partner,
            "period": chosen,
            "partners": PARTNERS,
            **data,
        }

    return _page(request, Permission.READ_BOOKS, "statements.html", build)


@router.get("/statements/{partner}/{filename}")
def statement_download(request: Request, partner: str, filename: str) -> Response:
    """``/statements/dfc/2026Q2.pdf`` or ``.xlsx``: the statement as a file."""
    try:
        _require(request, Permission.READ_BOOKS)
        period, _, fmt = filename.rpartition(".")
        if fmt not in ("pdf", "xlsx") or not period:
            raise InvalidInput(f"expected PERIOD.pdf or PERIOD.xlsx, got {filename!r}")
        DateRange.parse_period(period)
        data = report_actions.render_statement(_ctx(request).settings.db, partner, period, fmt)
    except (PageError, UrifError) as error:
        return _error_page(request, error)
    return Response(
        data,
        media_type=report_actions.MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="statement-{partner}-{period}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/reports/overview.xlsx")
def overview_download(request: Request, as_of: str | None = None) -> Response:
    """The fund overview workbook; screening sheets only for roles that see counterparties."""
    try:
        session = _require(request, Permission.READ_BOOKS)
        assert session.role is not None
        day = _as_of(as_of)
        url = _ctx(request).settings.db
        overview = report_actions.fund_overview(url, day)
        if not allows(session.role, Permission.READ_COUNTERPARTIES):
            from dataclasses import replace

            overview = replace(overview, screening=(), cases=())
        from urif.reports.overview import overview_workbook

        data = overview_workbook(overview)
    except (PageError, UrifError) as error:
        return _error_page(request, error)
    return Response(
        data,
        media_type=report_actions.MEDIA_TYPES["xlsx"],
        headers={
            "Content-Disposition": f'attachment; filename="overview-{day}.xlsx"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/governance")
def governance_page(request: Request, as_of: str | None = None) -> Response:
    """Open proposals with votes per side, and the decisions taken."""
    url = _ctx(request).settings.db

    def build(_: Session) -> dict[str, Any]:
        day = _as_of(as_of)
        data = _cached(
            request,
            ("governance", day),
            lambda: views.governance(url, day, _state(request).follower),
        )
        return {"title": "Governance", "as_of": day, **data}

    return _page(request, Permission.READ_BOOKS, "governance.html", build)


@router.get("/cases")
def cases_page(request: Request, as_of: str | None = None) -> Response:
    """Screening status per counterparty and the review cases (not for analysts)."""
    url = _ctx(request).settings.db

    def build(_: Session) -> dict[str, Any]:
        day = _as_of(as_of)
        data = _cached(
            request, ("screening", day), lambda: views.screening(url, day, _state(request).follower)
        )
        return {"title": "Screening", "as_of": day, **data}

    return _page(request, Permission.READ_COUNTERPARTIES, "cases.html", build)


def _simulation_page(request: Request, message: str | None = None) -> dict[str, Any]:
    state = _state(request)
    source = "on-demand run"
    summary, comparison = state.simulation, state.comparison
    if summary is None and comparison is None:
        summary, comparison = views.stored_results(_ctx(request).settings.db)
        source = "results written by urif demo" if summary or comparison else "none yet"
    versions = views.terms(None, None)["versions"]
    return {
        "title": "Simulations",
        "source": source,
        "versions": versions,
        "message": message,
        "max_paths": MAX_SIM_PATHS,
        **views.simulation(summary, comparison),
    }


@router.get("/simulations")
def simulations_page(request: Request) -> Response:
    """Fan charts, tornado and the comparison of two term sets."""
    return _page(
        request, Permission.READ_AGGREGATES, "simulations.html", lambda _: _simulation_page(request)
    )


@router.post("/simulations")
def simulations_run(
    request: Request,
    csrf: Annotated[str, Form(max_length=200)] = "",
    terms_a: Annotated[str, Form(max_length=100)] = "us-draft-2025-03",
    terms_b: Annotated[str, Form(max_length=100)] = "signed-2025-04-30",
    paths: Annotated[int, Form(ge=100, le=MAX_SIM_PATHS)] = 500,
    seed: Annotated[int, Form(ge=0, le=2**32 - 1)] = 1,
) -> Response:
    """Run a small simulation and comparison now (CSRF-checked; roles that may simulate)."""

    def build(session: Session) -> dict[str, Any]:
        if not csrf_ok(session, _ctx(request).key, csrf):
            raise PageError(400, "the form expired; reload the page and run again")
        versions = views.terms(None, None)["versions"]
        for name in (terms_a, terms_b):
            if name not in versions:
                raise InvalidInput(f"terms: expected one of {', '.join(versions)}, got {name!r}")
        state = _state(request)
        if not state.run_lock.acquire(blocking=False):
            raise PageError(409, "a simulation is already running; try again in a moment")
        try:
            state.simulation, state.comparison = views.run_small(terms_a, terms_b, paths, seed)
        finally:
            state.run_lock.release()
        return _simulation_page(request, f"ran {paths:,} paths with seed {seed}")

    return _page(request, Permission.RUN_SIMULATIONS, "simulations.html", build)


@router.get("/terms")
def terms_page(request: Request, a: str | None = None, b: str | None = None) -> Response:
    """Two term sets side by side: every changed parameter with its sources and status."""
    return _page(
        request,
        Permission.READ_AGGREGATES,
        "terms.html",
        lambda _: {"title": "Terms", **views.terms(a, b)},
    )


@router.get("/map")
def map_page(request: Request) -> Response:
    """Ukraine with the deposits coloured by status and shaped by territory."""
    return _page(
        request,
        Permission.READ_AGGREGATES,
        "map.html",
        lambda _: {"title": "Map", **views.deposit_map()},
    )
