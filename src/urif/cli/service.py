"""CLI commands of the service: ``urif users add|role|deactivate|list`` and ``urif serve``.

DESIGN.md §5.  Role changes and deactivations apply to the user's tokens and dashboard
sessions on their next request (``urif.actions.users``).
"""

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
    """Add a user, or reset an existing one (role, password, active; ends their sessions)."""
    from urif.actions.users import add_user

    url = resolve_db(ctx, db)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    created = add_user(url, name, role, password, created_by=recorder(), created_at=now())
    if created:
        err_console.print(f"user {name} added with role {role}")
    else:
        err_console.print(
            f"user {name} updated with role {role} and a new password, active; "
            "their earlier tokens and sessions are refused"
        )


@users_app.command("role")
def users_role(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[
        str,
        typer.Option("--role", help="administrator, board_us, board_ua, auditor or analyst."),
    ],
    db: DbOption = None,
) -> None:
    """Change a user's role (their tokens and sessions carry it from their next request)."""
    from urif.actions.users import change_role

    change_role(resolve_db(ctx, db), name, role)
    err_console.print(f"user {name} now has role {role}")


@users_app.command("deactivate")
def users_deactivate(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    db: DbOption = None,
) -> None:
    """Refuse a user sign-in and every token and session they hold (users add reactivates)."""
    from urif.actions.users import deactivate_user

    deactivate_user(resolve_db(ctx, db), name)
    err_console.print(f"user {name} deactivated; their tokens and sessions are refused from now on")


@users_app.command("list")
def users_list(ctx: typer.Context, db: DbOption = None, json_out: JsonOption = False) -> None:
    """List users and their roles."""
    from urif.actions.users import users

    rows = users(resolve_db(ctx, db))
    if json_out:
        print_json(
            {
                "users": [
                    {
                        "name": r.name,
                        "role": r.role,
                        "created_at": r.created_at,
                        "active": r.active,
                    }
                    for r in rows
                ]
            }
        )
        return
    for row in rows:
        state = "" if row.active else " (deactivated)"
        out_console.print(f"{row.name:24} {row.role}{state}", highlight=False)


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
