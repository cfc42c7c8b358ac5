"""Options shared by every command: the database URL, ``--json`` and ``--as-of``."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Annotated

import typer

from urif.core.dates import parse_date

DEFAULT_DB = "sqlite:///urif.db"

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="URIF_DB", help="Database URL (default sqlite:///urif.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print only JSON on stdout.")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Report as of this date (YYYY-MM-DD); default: today, or the latest value "
        "date recorded when later.",
    ),
]


def resolve_db(ctx: typer.Context, db: str | None) -> str:
    """The database URL: the command's ``--db``, else the global one, else the default."""
    if db:
        return db
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    value = obj.get("db")
    return value if isinstance(value, str) and value else DEFAULT_DB


def resolve_as_of(as_of: str | None, default: dt.date | None = None) -> dt.date | None:
    """Parse ``--as-of`` or fall back to ``default`` (the edge decides what "today" is)."""
    if as_of is None:
        return default
    return parse_date(as_of, field="--as-of")


def as_of_or_today(as_of: str | None) -> dt.date:
    """Parse ``--as-of``, defaulting to today (the edge is where the clock is read)."""
    return parse_date(as_of, field="--as-of") if as_of is not None else today()


def as_of_or_books_end(as_of: str | None, url: str) -> dt.date:
    """Parse ``--as-of``; by default today, or the latest value date in the log when that
    is later (a distribution dated 2035), so a read without a date shows every event
    recorded, and never less than what is in force today."""
    if as_of is not None:
        return parse_date(as_of, field="--as-of")
    day = today()
    from urif.store import Store

    try:  # a read never creates a missing SQLite file (Store refuses it)
        with Store.open(url) as store:
            end = store.latest_value_date()
    except Exception:  # no database or no log yet: the action says what is wrong
        return day
    return max(day, end) if end is not None else day


def today() -> dt.date:
    """Today's date: the CLI edge is the only place that reads the clock."""
    return dt.date.today()


def now() -> dt.datetime:
    """The current UTC time, stamped on appended events as ``recorded_at``."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def recorder() -> str:
    """Who records from the command line: ``cli:<login name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
