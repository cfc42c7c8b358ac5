"""The ``urif`` Typer application: global options, command registration, error exits."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

import urif
from urif.cli import books, events, governance, screening, service, simulation, terms
from urif.cli.errors import exit_code
from urif.cli.options import DbOption
from urif.cli.output import err_console
from urif.core.errors import UrifError

app = typer.Typer(
    name="urif",
    help="urif: the United States–Ukraine Reconstruction Investment Fund, as open software.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"urif {urif.__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    ctx: typer.Context,
    db: DbOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """urif: terms as code, the fund's books, governance, compliance and simulation."""
    del version  # handled eagerly by its callback
    ctx.obj = {"db": db}


for module in (terms, books, governance, screening, simulation, service, events):
    module.register(app)


def run() -> None:
    """Console entry point: run the app, turning UrifError into one line and an exit code."""
    try:
        # Without standalone mode, a command's ``typer.Exit(n)`` comes back as the result.
        result = app(standalone_mode=False)
    except UrifError as error:
        _fail(str(error), exit_code(error))
    except OSError as error:
        # A file or folder the user named cannot be read or written (--out in a folder
        # that does not exist, no permission): one line, exit 1, as for other bad input.
        where = f"{error.filename}: " if error.filename else ""
        _fail(f"{where}{error.strerror or error}", 1)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as usage:
        shown = _usage_error(usage)
        if shown is None:
            raise
        sys.exit(shown)
    sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    """Print ``error: message`` on stderr and exit with ``code``."""
    err_console.print(
        f"error: {message}", style="bold red", highlight=False, markup=False, soft_wrap=True
    )
    sys.exit(code)


def _usage_error(error: Exception) -> int | None:
    """Show a Click/Typer usage error and return its exit code (2), else None."""
    import click
    from typer._click import exceptions as typer_click

    for family in (typer_click.ClickException, click.exceptions.ClickException):
        if isinstance(error, family):
            error.show()
            return int(getattr(error, "exit_code", 2))
    return None


if __name__ == "__main__":
    run()
