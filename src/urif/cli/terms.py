"""CLI commands for terms (DESIGN.md §5): ``urif terms list | show [VERSION] | diff A B``.

Parses arguments, calls ``urif.terms`` and renders: strict JSON with ``--json``, Rich
tables otherwise.  The edge decides what "today" is for ``show`` without ``--as-of``.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from urif.cli.options import AsOfOption, JsonOption, as_of_or_today, resolve_as_of
from urif.cli.output import out_console, print_json
from urif.terms import (
    Parameter,
    Source,
    TermChange,
    Terms,
    TermSet,
    diff,
    load_termset,
    load_termsets,
)
from urif.terms.catalogue import plain, show

DEFAULT_VERSION = "signed-2025-04-30"

terms_app = typer.Typer(
    name="terms",
    help="The agreement's terms as dated, sourced data: list, show, diff.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to app."""
    app.add_typer(terms_app, name="terms")


def source_json(source: Source | None) -> dict[str, str] | None:
    """A source as a JSON object (None stays None)."""
    if source is None:
        return None
    return {
        "document": source.document,
        "clause": source.clause,
        "url": source.url,
        "note": source.note,
    }


def parameter_json(param: Parameter) -> dict[str, Any]:
    """One parameter in force as a JSON object."""
    return {
        "value": plain(param.value),
        "effective_from": param.effective_from.isoformat(),
        "status": param.status.value,
        "alternatives": [plain(a) for a in param.alternatives],
        "meaning": param.meaning,
        "source": source_json(param.source),
    }


def terms_json(terms: Terms, termset: TermSet) -> dict[str, Any]:
    """Terms on a date as a JSON object keyed by parameter path."""
    return {
        "version": terms.version,
        "title": terms.title,
        "kind": termset.kind,
        "extends": termset.extends,
        "overrides": list(termset.overrides),
        "as_of": terms.as_of.isoformat(),
        "in_force": terms.in_force,
        "effective_from": termset.effective_from.isoformat(),
        "parameters": _parameters_json(terms, termset),
    }


def _parameters_json(terms: Terms, termset: TermSet) -> dict[str, Any]:
    """Every parameter path of the set, in force or not: the keys do not depend on the
    date (DESIGN §5: stable keys). One with no value yet on the date reads as none with
    no status, and the date its first value takes effect."""
    in_force = dict(terms.parameters)
    out: dict[str, Any] = {}
    for history in termset.parameters:
        param = in_force.pop(history.path, None)
        if param is not None:
            out[history.path] = parameter_json(param)
        else:
            first = history.values[0] if history.values else None
            out[history.path] = {
                "value": None,
                "effective_from": first.effective_from.isoformat() if first else None,
                "status": None,
                "alternatives": [],
                "meaning": history.meaning,
                "source": None,
            }
    out.update((path, parameter_json(param)) for path, param in in_force.items())
    return out


def change_json(change: TermChange) -> dict[str, Any]:
    """One changed parameter as a JSON object."""
    return {
        "path": change.path,
        "old": plain(change.old),
        "new": plain(change.new),
        "status_old": change.status_old.value if change.status_old else None,
        "status_new": change.status_new.value if change.status_new else None,
        "source_old": source_json(change.source_old),
        "source_new": source_json(change.source_new),
    }


def _row(*cells: str) -> list[Text]:
    """Cells as plain text: no Rich markup is read from data (URLs, brackets)."""
    return [Text(cell) for cell in cells]


def _cite(source: Source | None) -> str:
    if source is None:
        return ""
    return f"{source.document}, {source.clause}\n{source.url}"


@terms_app.command("list")
def list_command(json_out: JsonOption = False) -> None:
    """List the term sets shipped with urif."""
    sets = load_termsets()
    if json_out:
        print_json(
            {
                "term_sets": [
                    {
                        "version": ts.version,
                        "title": ts.title,
                        "kind": ts.kind,
                        "extends": ts.extends,
                        "overrides": list(ts.overrides),
                        "effective_from": ts.effective_from.isoformat(),
                        "last_change": ts.last_change.isoformat(),
                        "parameters": len(ts.parameters),
                    }
                    for ts in sets
                ]
            }
        )
        return
    table = Table(
        title="Term sets",
        caption="A reading is the set it extends with the parameters in brackets overridden.",
    )
    table.add_column("version", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("extends", overflow="fold")
    for column in ("from", "changed"):
        table.add_column(column, no_wrap=True)
    table.add_column("title")
    for ts in sets:
        extends = f"{ts.extends}\n({', '.join(ts.overrides)})" if ts.extends else "-"
        table.add_row(
            *_row(
                ts.version,
                ts.kind,
                extends,
                ts.effective_from.isoformat(),
                ts.last_change.isoformat(),
                ts.title,
            )
        )
    out_console.print(table)


@terms_app.command("show")
def show_command(
    version: Annotated[
        str, typer.Argument(help="Term set version (see `urif terms list`).")
    ] = DEFAULT_VERSION,
    as_of: AsOfOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show every parameter of a term set as in force on a date (default: today)."""
    day = as_of_or_today(as_of)
    termset = load_termset(version)
    terms = termset.at(day)
    if json_out:
        print_json(terms_json(terms, termset))
        return
    note = "" if terms.in_force else f" (not yet in force; first date {termset.effective_from})"
    title = f"{terms.version} as of {day.isoformat()}{note}"
    table = Table(title=Text(title), show_lines=True)
    table.add_column("parameter", no_wrap=True)
    for column in ("value", "from", "status", "source"):
        table.add_column(column, overflow="fold")
    for path, param in terms.parameters:
        value = show(param.value)
        if param.alternatives:
            value += "\nalternatives: " + "; ".join(show(a) for a in param.alternatives)
        table.add_row(
            *_row(
                path,
                value,
                param.effective_from.isoformat(),
                param.status.value,
                _cite(param.source),
            )
        )
    out_console.print(table)


@terms_app.command("diff")
def diff_command(
    a: Annotated[str, typer.Argument(help="The old term set version.")],
    b: Annotated[str, typer.Argument(help="The new term set version.")],
    as_of: AsOfOption = None,
    json_out: JsonOption = False,
) -> None:
    """Every parameter that differs from A to B, with both sources.

    Without --as-of each set is compared with all its dated values in force.
    """
    day = resolve_as_of(as_of)
    left, right = load_termset(a), load_termset(b)
    changes = diff(left, right) if day is None else diff(left.at(day), right.at(day))
    if json_out:
        print_json(
            {
                "a": left.version,
                "b": right.version,
                "as_of": day.isoformat() if day else None,
                "changes": [change_json(c) for c in changes],
            }
        )
        return
    table = Table(
        title=f"{left.version} → {right.version}: {len(changes)} changes", show_lines=True
    )
    for column in ("parameter", left.version, right.version, f"source ({a})", f"source ({b})"):
        table.add_column(column, overflow="fold")
    for change in changes:
        table.add_row(
            *_row(
                change.path,
                f"{show(change.old)}\n({change.status_old or 'absent'})",
                f"{show(change.new)}\n({change.status_new or 'absent'})",
                _cite(change.source_old),
                _cite(change.source_new),
            )
        )
    out_console.print(table)
