"""CLI commands of the service: ``urif users add`` and ``urif serve`` (DESIGN.md §5)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from urif.cli.options import DbOption, JsonOption, now, recorder, resolve_db
from urif.cli.output import err_console, out_console, print_json
from urif.core.errors import InvalidInput

users_app = typer.Typer(help="API and dashboard users.", no_args_is_help=True)


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name (the board member id for board roles).")],
    role: Annotated[
        str,
        typer.Option("--role", help="administrator, board_us, board_ua, auditor or analyst."),
    ],
    password: Annotated[
        str | None,
        typer.Option("--password", help="Password (prompted, hidden, when omitted)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a user, or reset the role and password of an existing one."""
    from urif.actions.users import add_user

    url = resolve_db(ctx, db)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    created = add_user(url, name, role, password, created_by=recorder(), created_at=now())
    err_console.print(f"user {name} {'added' if created else 'updated'} with role {role}")


@users_app.command("list")
def users_list(ctx: typer.Context, db: DbOption = None, json_out: JsonOption = False) -> None:
    """List users and their roles."""
    from urif.actions.users import users

    rows = users(resolve_db(ctx, db))
    if json_out:
        print_json(
            {"users": [{"name": r.name, "role": r.role, "created_at": r.created_at} for r in rows]}
        )
        return
    for row in rows:
        out_console.print(f"{row.name:24} {row.role}", highlight=False)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="uvicorn worker processes.")] = 1,
    db: DbOption = None,
) -> None:
    """Serve the API under /api and the dashboard at / (Ctrl-C stops it)."""
    import uvicorn

    if not 1 <= port <= 65535:
        raise InvalidInput(f"--port: expected 1-65535, got {port}")
    # The workers build the app themselves from the environment (uvicorn's factory by import
    # string), so the CLI stays independent of urif.api as DESIGN.md §2 requires.
    url = resolve_db(ctx, db)
    # Migrate once here, before the workers start (they would race to do it): a database
    # made by an older urif gets the tables this version's routes use.  A database that
    # was never initialised is refused rather than created.
    from urif.actions.books import migrate_database

    before, after = migrate_database(url)
    if before != after:
        err_console.print(f"urif: database migrated from revision {before} to {after}")
    os.environ["URIF_DB"] = url
    err_console.print(
        f"urif: serving http://{host}:{port}/ (API at /api, OpenAPI at /api/openapi.json)"
    )
    uvicorn.run(
        "urif.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``users`` and ``serve`` to ``app``."""
    app.add_typer(users_app, name="users")
    app.command("serve")(serve)
