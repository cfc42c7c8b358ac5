"""The JSON API under ``/api``: one router per area, all installed by :func:`install`."""

from __future__ import annotations

from fastapi import FastAPI

from urif.api.routes import auth, books, compliance, governance, simulations, system, terms


def install(app: FastAPI) -> None:
    """Mount every API router under ``/api``."""
    for module in (system, auth, terms, books, governance, compliance, simulations):
        app.include_router(module.router, prefix="/api")
