"""CLI commands for governance (DESIGN.md §5): proposals, proposal show, board, opportunities.

Each command calls one read action of ``urif.actions.governance`` and renders it: Rich
tables for people, strict JSON (``--json``) for tools.  ``urif board`` reads the terms in
force on ``--as-of`` (default today: the edge reads the clock).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from urif.actions import governance as actions
from urif.cli.options import (
    AsOfOption,
    DbOption,
    JsonOption,
    as_of_or_books_end,
    resolve_as_of,
    resolve_db,
)
from urif.cli.output import out_console, print_json

OpenOption = Annotated[bool, typer.Option("--open", help="Only proposals still open.")]


def _counts(view: dict[str, Any]) -> str:
    parts = []
    for side in ("us", "ua"):
        c = view["counts"][side]
        conflict = f" {c['conflicted']} conflicted" if c["conflicted"] else ""
        parts.append(f"{side.upper()} {c['yes']}y/{c['no']}n/{c['abstain']}a{conflict}")
    return ", ".join(parts)


def proposals_command(
    ctx: typer.Context,
    open_only: OpenOption = False,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Board and committee proposals: rule, counts per side and outcome."""
    url = resolve_db(ctx, db)
    day = as_of_or_books_end(as_of, url)
    views = actions.list_proposals(url, open_only=open_only, as_of=day)
    if as_json:
        print_json({"as_of": day, "proposals": views})
        return
    table = Table(title="Proposals" + (" (open)" if open_only else ""))
    for column in ("proposal", "body", "kind", "submitted", "rule", "votes", "status"):
        table.add_column(column)
    for view in views:
        label = " *" if view["illustrative"] else ""
        table.add_row(
            f"{view['proposal']}{label}",
            str(view["body"]),
            str(view["kind"]),
            str(view["submitted_on"]),
            str(view["rule"]),
            _counts(view),
            str(view["status"]),
        )
    out_console.print(table)
    if any(v["illustrative"] for v in views):
        out_console.print("* illustrative", highlight=False)


def proposal_show_command(
    ctx: typer.Context,
    proposal: Annotated[str, typer.Argument(help="Proposal id.")],
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """One proposal: votes by side, conflicts, rule applied, outcome."""
    view: Any = actions.show_proposal(resolve_db(ctx, db), proposal, as_of=resolve_as_of(as_of))
    if as_json:
        print_json(view)
        return
    illustrative = " (illustrative)" if view["illustrative"] else ""
    out_console.print(
        f"[bold]{view['proposal']}[/bold]{illustrative}: {view['kind']} for the {view['body']}"
    )
    subject = "; ".join(f"{k} {v}" for k, v in view["subject"].items() if v is not None)
    out_console.print(f"subject: {subject}", highlight=False)
    out_console.print(
        f"submitted {view['submitted_on']} by {view['submitted_by']}; deadline "
        f"{view['deadline']}; terms {view['terms_version']}",
        highlight=False,
    )
    out_console.print(f"rule: {view['rule']} ({view['rule_basis']})", highlight=False)
    table = Table(title="Votes by side")
    for column in ("side", "member", "vote", "on", "note"):
        table.add_column(column)
    for side in ("us", "ua"):
        for vote in view["votes"][side]:
            note = "conflict declared: excluded" if vote["conflict_declared"] else ""
            if vote["changed"]:
                note = (note + "; " if note else "") + "changed"
            table.add_row(side.upper(), vote["name"], vote["vote"], str(vote["on"]), note)
    out_console.print(table)
    out_console.print(f"counts: {_counts(view)}", highlight=False)
    out_console.print(f"conflicts: {', '.join(view['conflicts']) or 'none'}", highlight=False)
    decided = f" on {view['decided_on']}" if view["decided_on"] else ""
    out_console.print(f"outcome: [bold]{view['status']}[/bold]{decided}")
    if view["reason"]:
        out_console.print(f"reason: {view['reason']}", highlight=False)
    if "usage" in view:
        u = view["usage"]
        out_console.print(
            f"approved {u['approved']}, used {u['used']}, remaining {u['remaining']}",
            highlight=False,
        )


def board_command(
    ctx: typer.Context,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Seats of the board and committees per side, who fills them, open items."""
    url = resolve_db(ctx, db)
    day = as_of_or_books_end(as_of, url)
    view: Any = actions.board(url, day)
    if as_json:
        print_json(view)
        return
    veto = ", US veto" if view["us_veto"] else ""
    out_console.print(
        f"terms {view['terms_version']} as of {day}: investment rule "
        f"{view['investment_rule']}{veto}; critical: {', '.join(view['critical_decisions'])}",
        highlight=False,
    )
    table = Table(title="Seats")
    for column in ("body", "US seats", "US members", "UA seats", "UA members"):
        table.add_column(column)
    for body in view["bodies"]:
        us, ua = body["sides"]["us"], body["sides"]["ua"]
        table.add_row(
            body["body"],
            f"{us['filled']}/{us['seats']}",
            ", ".join(m["name"] for m in us["members"]),
            f"{ua['filled']}/{ua['seats']}",
            ", ".join(m["name"] for m in ua["members"]),
        )
    out_console.print(table)
    out_console.print(f"open proposals: {', '.join(view['open_proposals']) or 'none'}")
    for breach in view["breaches"]:
        # A seat breach names a body and side, an opportunity breach the opportunity.
        about = breach["opportunity"] or f"{breach['body']} {breach['side']}"
        out_console.print(
            f"[red]breach[/red] {about} ({breach['rule']}, {breach['on']}): {breach['message']}",
            highlight=False,
        )


def opportunities_command(
    ctx: typer.Context,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Investment and offtake opportunities: windows and breaches."""
    url = resolve_db(ctx, db)
    day = as_of_or_books_end(as_of, url)
    views: Any = actions.list_opportunities(url, as_of=day)
    if as_json:
        print_json({"as_of": day, "opportunities": views})
        return
    table = Table(title="Opportunities")
    for column in (
        "opportunity",
        "holder",
        "kind",
        "notified",
        "first look",
        "protection",
        "breaches",
    ):
        table.add_column(column)
    for view in views:
        first = view["first_look"]
        protection = view["favourable_terms_protection"]
        table.add_row(
            view["opportunity"] + (" *" if view["illustrative"] else ""),
            view["holder"],
            view["kind"],
            str(view["notified_on"]),
            f"until {first['until']} ({first['status']})" if first else "—",
            (
                "no time limit"
                if protection and protection["no_time_limit"]
                else f"until {protection['until']} ({protection['status']})"
                if protection
                else "—"
            ),
            str(len(view["breaches"])),
        )
    out_console.print(table)
    for view in views:
        for breach in view["breaches"]:
            out_console.print(
                f"[red]breach[/red] {breach['opportunity']} ({breach['rule']}, "
                f"{breach['status']}): {breach['message']}",
                highlight=False,
            )


def register(app: typer.Typer) -> None:
    """Add this module's commands to app."""
    app.command("proposals")(proposals_command)
    proposal_app = typer.Typer(help="One proposal.", no_args_is_help=True)
    proposal_app.command("show")(proposal_show_command)
    app.add_typer(proposal_app, name="proposal")
    app.command("board")(board_command)
    app.command("opportunities")(opportunities_command)
