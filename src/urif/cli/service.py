"""CLI commands for service (see DESIGN.md §5)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to app."""
    del app
