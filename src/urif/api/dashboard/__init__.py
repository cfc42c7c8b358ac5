"""The web dashboard at ``/``: server-rendered pages over the actions, with its own sign-in.

``install_dashboard(app)`` adds the pages (left out of the OpenAPI document), the local
static files under ``/assets`` (no CDN: the dashboard works offline) and the dashboard's
state.  See README.md for the pages and who may see each.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from urif.actions.reports import FundFollower
from urif.api.dashboard.cache import DashboardState
from urif.api.dashboard.routes import router

STATIC = Path(__file__).parent / "static"


def install_dashboard(app: FastAPI) -> None:
    """Mount the dashboard's pages and assets on ``app``."""
    # The pages read the fund state the API's ingest keeps: one state per worker.
    app.state.dashboard = DashboardState(follower=FundFollower(app.state.urif.states))
    app.include_router(router)
    app.mount("/assets", StaticFiles(directory=STATIC), name="dashboard-assets")


def warm_pages(app: FastAPI, db: str) -> None:
    """Load what the first pages would otherwise wait for; run once per worker at start-up.

    The fund state's replay starts in the background (governance and screening pages read
    it; on a long log it takes a while, and signing in would only start it then); every
    term set is parsed for the version pickers (~0.5 s) and the simulation modules are
    imported.
    """
    from urif.actions import simulation  # noqa: F401  (imported for its side effect)
    from urif.api.dashboard import views

    state = app.state.dashboard
    assert isinstance(state, DashboardState)
    state.follower.warm(db)
    views.terms(None, None)


__all__ = ["install_dashboard", "warm_pages"]
