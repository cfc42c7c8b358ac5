"""CLI commands for the fund's books (DESIGN.md §5): init, ingest, accounts, obligations,
balances, statement, verify, replay and demo.

Each command parses its options, calls one action of ``urif.actions`` and renders the
result: Rich tables for people, strict JSON (``--json``) for tools.  This module and the
other edges are the only places that read the clock (the default ``--as-of`` is today) and
the environment (who records an ingest).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from urif.actions import books as books_actions
from urif.actions import demo as demo_actions
from urif.actions import record as record_actions
from urif.cli.options import (
    AsOfOption,
    DbOption,
    JsonOption,
    as_of_or_books_end,
    now,
    recorder,
    resolve_as_of,
    resolve_db,
)
from urif.cli.output import err_console, out_console, print_json
from urif.core.errors import InvalidInput
from urif.ledger import AccountsView
from urif.store.log import shown_url

#: Files with at least this many lines get a progress bar on stderr.
PROGRESS_MIN_LINES = 20_000

TermsOption = Annotated[
    str | None,
    typer.Option("--terms", help="Term set of a new database (default signed-2025-04-30)."),
]
PartnerOption = Annotated[str, typer.Option("--partner", help="Partner id (dfc, ppp_agency, gp).")]
PeriodOption = Annotated[str, typer.Option("--period", help="Period: 2026Q1, 2026-03 or 2026.")]
FormatOption = Annotated[
    str, typer.Option("--format", help="Output format: text, json, pdf or xlsx (pdf, xlsx: --out).")
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write the output to this file.")]


def _money(value: object) -> str:
    """Format a decimal amount with thousands separators for people."""
    return f"{value:,}" if value is not None else "—"


# --- init ------------------------------------------------------------------------------------


def init_command(ctx: typer.Context, terms: TermsOption = None, db: DbOption = None) -> None:
    """Create or migrate the database; a new one records its initial term set."""
    url = resolve_db(ctx, db)
    version = books_actions.init_database(url, terms)
    err_console.print(f"database ready: {shown_url(url)} (terms {version})", highlight=False)


# --- ingest ----------------------------------------------------------------------------------


def ingest_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Event files (JSON Lines or CSV).")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Append events from files, all or nothing: appended, duplicate and rejected."""
    url = resolve_db(ctx, db)
    lines = sum(record_actions.count_lines(path) for path in files)
    if lines >= PROGRESS_MIN_LINES:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress:
            task = progress.add_task("ingest", total=lines)

            def advance(stage: str, done: int) -> None:
                progress.update(task, description=stage, completed=min(done, lines))

            report = record_actions.ingest_files(url, files, recorder(), now(), progress=advance)
    else:
        report = record_actions.ingest_files(url, files, recorder(), now())
    if json_output:
        print_json(report.summary())
    else:
        _print_ingest(report)
    error = report.error()
    if error is not None:
        raise error  # stdout already holds the JSON; the message goes to stderr


def _print_ingest(report: record_actions.IngestReport) -> None:
    files = ", ".join(report.files)
    if report.ok:
        extra = f" (+{report.system_appended} system)" if report.system_appended else ""
        err_console.print(
            f"{files}: appended {report.appended}{extra}, duplicates {len(report.duplicates)}, "
            f"rejected 0",
            highlight=False,
        )
        return
    err_console.print(
        f"{files}: appended 0, duplicates {len(report.duplicates)}, "
        f"rejected {report.rejected} (nothing was recorded)",
        highlight=False,
    )


# --- accounts, obligations, balances ---------------------------------------------------------


def accounts_command(
    ctx: typer.Context,
    db: DbOption = None,
    json_output: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    """Partners' capital accounts in USD: commitment, paid in, contributed by kind, capital."""
    url = resolve_db(ctx, db)
    day = as_of_or_books_end(as_of, url)
    report = books_actions.accounts(url, day)
    if json_output:
        print_json(books_actions.accounts_json(report))
        return
    render_accounts(report)


_ACCOUNT_ROWS = (
    ("commitment", "Commitment"),
    ("paid_in", "Paid in"),
    ("unfunded", "Unfunded"),
    ("contributed_cash", "Contributed: cash"),
    ("contributed_in_kind", "Contributed: in kind"),
    ("contributed_agreed_revenue", "Contributed: agreed revenue"),
    ("contributed_total", "Contributed capital"),
    ("income_allocated", "Income allocated"),
    ("distributions", "Distributions"),
    ("capital", "Capital"),
    ("ownership_share", "Ownership share"),
)


def render_accounts(report: AccountsView) -> None:
    """Print capital accounts for people: one column per partner, one row per figure."""
    table = Table(title=f"Capital accounts as of {report.as_of} ({report.currency})")
    table.add_column("")
    for account in report.partners:
        table.add_column(account.partner, justify="right")
    for key, label in _ACCOUNT_ROWS:
        values = [getattr(p, key) for p in report.partners]
        cells = [str(v) if key == "ownership_share" else _money(v) for v in values]
        table.add_row(label, *cells, end_section=key in ("unfunded", "contributed_total"))
    out_console.print(table)
    total = sum((p.capital for p in report.partners), Decimal("0.00"))
    out_console.print(
        f"net assets {_money(report.net_assets)} {report.currency} + in-kind credit reserve "
        f"{_money(report.in_kind_reserve)} = Σ capital {_money(total)}",
        highlight=False,
    )


def obligations_command(
    ctx: typer.Context,
    db: DbOption = None,
    json_output: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    """Ukraine's agreed-revenue obligation by year: counted, due, received, outstanding."""
    url = resolve_db(ctx, db)
    day = as_of_or_books_end(as_of, url)
    report = books_actions.obligations(url, day)
    if json_output:
        print_json(report.to_json())
        return
    render_obligations(report)


def render_obligations(report: books_actions.ObligationsReport) -> None:
    """Print Ukraine's obligations for people: one column per year of receipts."""
    table = Table(title=f"Ukraine's agreed revenue as of {report.as_of} (USD)")
    table.add_column("receipts of")
    for y in report.years:
        table.add_column(str(y.year), justify="right")
    table.add_row("Receipts counted", *(_money(y.receipts_usd) for y in report.years))
    table.add_row("Share due", *(_money(y.due_usd) for y in report.years))
    table.add_row("Due on", *(str(y.due_on) if y.due_on else "—" for y in report.years))
    table.add_row("Received", *(_money(y.received_usd) for y in report.years))
    table.add_row("Outstanding", *(_money(y.outstanding_usd) for y in report.years))
    table.add_row("Overdue", *("yes" if y.overdue else "no" for y in report.years))
    out_console.print(table)
    if not report.years:
        out_console.print("no receipts from new licences recorded yet", highlight=False)


def balances_command(
    ctx: typer.Context,
    db: DbOption = None,
    json_output: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    """Trial balance by account and currency."""
    url = resolve_db(ctx, db)
    day = as_of_or_books_end(as_of, url)
    report = books_actions.balances(url, day)
    if json_output:
        print_json(books_actions.balances_json(report))
        return
    table = Table(title=f"Trial balance as of {report.as_of}")
    for name in ("account", "currency", "debit", "credit"):
        table.add_column(name, justify="left" if name in ("account", "currency") else "right")
    for line in report.lines:
        table.add_row(line.account, line.currency, _money(line.debit), _money(line.credit))
    for total in report.totals:
        table.add_row("total", total.currency, _money(total.debit), _money(total.credit))
    out_console.print(table)


# --- statement -------------------------------------------------------------------------------


def statement_command(
    ctx: typer.Context,
    partner: PartnerOption,
    period: PeriodOption,
    output_format: FormatOption = "text",
    out: OutOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    """A partner's ILPA capital-account statement: period, QTD, YTD and ITD columns."""
    from urif.actions import reports as reports_actions

    url = resolve_db(ctx, db)
    fmt = "json" if json_output else output_format
    if fmt not in books_actions.STATEMENT_FORMATS:
        raise InvalidInput(
            f"--format: expected one of {', '.join(books_actions.STATEMENT_FORMATS)}, got {fmt!r}"
        )
    if out is None and fmt in ("pdf", "xlsx"):
        raise InvalidInput(f"--format {fmt} writes a binary file: give --out FILE")
    # figures up to --as-of when it falls inside the period (else the period's last day);
    # --as-of also dates the pdf and xlsx documents
    prepared = resolve_as_of(as_of, None)
    data = reports_actions.render_statement(url, partner, period, fmt, prepared)
    if out is not None:
        out.write_bytes(data)
        if not json_output:
            err_console.print(f"wrote {out}", highlight=False)
        return
    rendered = data.decode("utf-8")
    typer.echo(rendered, nl=not rendered.endswith("\n"))


# --- verify and replay -----------------------------------------------------------------------


def verify_command(
    ctx: typer.Context, db: DbOption = None, json_output: JsonOption = False
) -> None:
    """Check the hash chain, the invariants and the read models against a fresh replay."""
    url = resolve_db(ctx, db)
    report = books_actions.verify(url)
    if json_output:
        print_json(report.to_json())
    elif report.ok:
        err_console.print(
            f"verified {report.events} events up to seq {report.head_seq}: chain, invariants "
            f"and read models agree",
            highlight=False,
        )
    error = report.error()
    if error is not None:
        raise error  # stdout already holds the JSON; the message goes to stderr


def replay_command(
    ctx: typer.Context, db: DbOption = None, json_output: JsonOption = False
) -> None:
    """Rebuild the read models from the event log."""
    url = resolve_db(ctx, db)
    report = books_actions.replay(url)
    if json_output:
        print_json(report.to_json())
        return
    err_console.print(
        f"replayed {report.events} events up to seq {report.head_seq}; read models rebuilt",
        highlight=False,
    )


# --- demo ------------------------------------------------------------------------------------


def demo_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo database.")] = Path(
        "demo-output"
    ),
) -> None:
    """The main job end to end: fresh SQLite database, ingest the examples, print the books."""
    context = demo_actions.DemoContext(out=out, recorded_by=recorder(), recorded_at=now(), say=_say)
    for step in demo_actions.steps():
        step.run(context)


def _say(kind: str, value: Any) -> None:
    """Render one piece of demo output (a heading, a line, or a report).

    Text is printed literally: ids such as ``[jsc-kalashnikov]`` are not Rich markup.
    """
    if kind == "heading":
        out_console.rule(Text(str(value)))
    elif kind == "accounts":
        render_accounts(value)
    elif kind == "obligations":
        render_obligations(value)
    elif kind == "table":
        title, columns, rows = value
        table = Table(title=Text(str(title)))
        for column in columns:
            table.add_column(str(column))
        for row in rows:
            table.add_row(*(Text(str(cell)) for cell in row))
        out_console.print(table)
    else:
        out_console.print(str(value), highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to app."""
    app.command("init")(init_command)
    app.command("ingest")(ingest_command)
    app.command("accounts")(accounts_command)
    app.command("obligations")(obligations_command)
    app.command("balances")(balances_command)
    app.command("statement")(statement_command)
    app.command("verify")(verify_command)
    app.command("replay")(replay_command)
    app.command("demo")(demo_command)
