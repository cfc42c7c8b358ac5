"""CLI commands for the event format: ``urif events schema`` (DESIGN.md §5)."""

from __future__ import annotations

import typer

from urif.cli.options import JsonOption
from urif.cli.output import print_json
from urif.events import event_schema


def register(app: typer.Typer) -> None:
    """Add the ``events`` command group to ``app``."""
    events_app = typer.Typer(
        name="events", help="The event interchange format.", no_args_is_help=True
    )

    @events_app.command("schema")
    def schema(json_out: JsonOption = False) -> None:
        """Print the JSON Schema of one event line (JSON Lines interchange format)."""
        del json_out  # the schema is JSON either way; --json is accepted as on every read
        print_json(event_schema())

    app.add_typer(events_app, name="events")
