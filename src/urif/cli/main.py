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
        app(standalone_mode=False)
    except UrifError as error:
        err_console.print(f"error: {error}", style="bold red", highlight=False, markup=False)
        sys.exit(exit_code(error))
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as usage:  # click usage errors
        import click

        if isinstance(usage, click.exceptions.ClickException):
            usage.show()
            sys.exit(usage.exit_code)
        raise


if __name__ == "__main__":
    run()
