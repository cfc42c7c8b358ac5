"""CLI commands for screening (see DESIGN.md §5).

``urif lists load|list|diff`` and ``urif cases`` / ``urif case decide`` (lists and review,
``register_lists``); ``urif screen`` and ``urif eval pairs`` (matching).  Parse, call one
action, render; the clock and the login name are read here and nowhere below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from urif.cli.options import (
    DbOption,
    JsonOption,
    now,
    recorder,
    resolve_as_of,
    resolve_db,
    today,
)
from urif.cli.output import err_console, out_console, print_json
from urif.core.dates import parse_date
from urif.core.errors import Blocked, InvalidInput

# --- lists and cases (compliance: lists, snapshots, ownership, cases) ---------------------

lists_app = typer.Typer(help="Sanctions and policy list snapshots.", no_args_is_help=True)


@lists_app.command("load")
def lists_load(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="List files or folders (one list each).")],
    snapshot_date: Annotated[
        str | None,
        typer.Option("--snapshot-date", help="Date of the snapshot when the file has none."),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Load list snapshots (format detected from content); re-screens counterparties."""
    from urif.actions.compliance import load_lists

    day = parse_date(snapshot_date, field="--snapshot-date") if snapshot_date else None
    err_console.print(f"parsing {len(paths)} path(s)...")
    report = load_lists(
        resolve_db(ctx, db),
        paths,
        snapshot_date=day,
        loaded_on=today(),
        recorded_by=recorder(),
        recorded_at=now(),
    )
    data = report.to_json()
    for warning in report.warnings:
        err_console.print(f"warning: {warning}")
    if json_out:
        print_json(data)
        return
    for snap in data["loaded"]:
        out_console.print(
            f"loaded {snap['snapshot']}: {snap['entities']} entities "
            f"(dated by {snap['dated_by']}; licence: {snap['licence']})"
        )
    for snap in data["already_loaded"]:
        out_console.print(f"already loaded: {snap['snapshot']}")
    for item in data["rescreened"]:
        out_console.print(f"re-screened {item['counterparty']}: {item['decision']}")
    if data["cases_opened"]:
        out_console.print(f"cases opened: {', '.join(data['cases_opened'])}")


@lists_app.command("list")
def lists_list(
    ctx: typer.Context,
    db: DbOption = None,
    json_out: JsonOption = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only snapshots dated on or before this date.")
    ] = None,
) -> None:
    """Loaded snapshots: list, date, entities, checksum, licence."""
    from urif.actions.compliance import list_snapshots, snapshot_json

    on = resolve_as_of(as_of)
    snaps = [snapshot_json(s) for s in list_snapshots(resolve_db(ctx, db), on)]
    if json_out:
        print_json({"as_of": on.isoformat() if on else None, "snapshots": snaps})
        return
    table = Table("snapshot", "list", "date", "dated by", "entities", "licence")
    for s in snaps:
        table.add_row(
            s["snapshot"],
            s["list"],
            s["snapshot_date"],
            s["dated_by"],
            str(s["entities"]),
            s["licence"],
        )
    out_console.print(table)


@lists_app.command("diff")
def lists_diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Snapshot id (or unique prefix), file or folder.")],
    new: Annotated[str, typer.Argument(help="Snapshot id (or unique prefix), file or folder.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Entries added, removed and changed between two snapshots of one list."""
    from urif.actions.compliance import diff_json, diff_lists

    data = diff_json(diff_lists(resolve_db(ctx, db), old, new))
    if json_out:
        print_json(data)
        return
    counts = data["counts"]
    out_console.print(
        f"{data['old']} → {data['new']}: {counts['added']} added, {counts['removed']} "
        f"removed, {counts['changed']} changed"
    )
    for key, sign in (("added", "+"), ("removed", "-")):
        for item in data[key]:
            out_console.print(f"{sign} {item['entity_id']}  {item['name']}", markup=False)
    for item in data["changed"]:
        props = ", ".join(item["properties"])
        out_console.print(f"~ {item['entity_id']}  {item['name']}  ({props})", markup=False)


def cases_command(
    ctx: typer.Context,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only cases without a decision.")
    ] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The cases opened by this date, as they stood then."),
    ] = None,
) -> None:
    """Screening review cases."""
    from urif.actions.compliance import case_json, list_cases

    on = resolve_as_of(as_of)
    found = list_cases(resolve_db(ctx, db), open_only=open_only, as_of=on)
    cases = [case_json(c) for c in found]
    if json_out:
        print_json({"as_of": on.isoformat() if on else None, "cases": cases})
        return
    table = Table("case", "counterparty", "list", "entity", "score", "opened", "decision")
    for c in cases:
        table.add_row(
            c["case"],
            c["counterparty"],
            c["list"],
            c["entity_id"],
            c["score"],
            c["opened_on"],
            c["decision"] or "open",
        )
    out_console.print(table)


case_app = typer.Typer(help="Decide a screening review case.", no_args_is_help=True)


@case_app.command("decide")
def case_decide(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="Case id (see urif cases).")],
    *,
    decision: Annotated[str, typer.Option("--decision", help="confirm or false_positive.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded on the chain).")],
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the decision (default today).")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Record a reviewer's decision (a case_decided event); re-screens what the party owns."""
    from urif.actions.compliance import decide_case

    if decision not in ("confirm", "false_positive"):
        raise InvalidInput(f"--decision: expected confirm or false_positive, got {decision!r}")
    day = parse_date(on, field="--on") if on else today()
    events = decide_case(
        resolve_db(ctx, db),
        case,
        decision,
        reason,
        on=day,
        decided_by=recorder(),
        recorded_at=now(),
    )
    data = {
        "case": case,
        "decision": decision,
        "on": day.isoformat(),
        "events": [{"id": e.id, "type": e.type} for e in events],
    }
    if json_out:
        print_json(data)
        return
    out_console.print(f"case {case}: {decision} on {day} ({len(events)} event(s) appended)")


def register_lists(app: typer.Typer) -> None:
    """Add ``lists``, ``cases`` and ``case`` to app."""
    app.add_typer(lists_app, name="lists")
    app.command("cases")(cases_command)
    app.add_typer(case_app, name="case")


def register(app: typer.Typer) -> None:
    """Add this module's commands to app."""
    register_lists(app)
    register_matching(app)


# --- screening and evaluation (compliance: matching) --------------------------------------

#: Environment variables the matching commands read (only here, at the edge).
SANCTIONS_DIR_ENV = "URIF_SANCTIONS_DIR"
CACHE_DIR_ENV = "URIF_CACHE_DIR"


def _cache_dir() -> Path:
    """Where built screening indexes are cached (``URIF_CACHE_DIR``, else ~/.cache/urif)."""
    import os
    import tempfile

    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    home = Path.home()
    base = home / ".cache" if home.is_dir() else Path(tempfile.gettempdir())
    return base / "urif"


def _sanctions_dir() -> Path | None:
    """The sanctions folder: ``URIF_SANCTIONS_DIR``, else ``../shared/data/sanctions`` from
    the working directory (the action falls back to the one beside the repository)."""
    import os

    configured = os.environ.get(SANCTIONS_DIR_ENV)
    if configured and Path(configured).is_dir():
        return Path(configured)
    beside = Path.cwd().parent / "shared" / "data" / "sanctions"
    return beside if beside.is_dir() else None


def _note(message: str) -> None:
    err_console.print(message)


def screen_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Name to screen.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="CSV with a `name` column (batch).")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="person, company, organization or vessel.")
    ] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166 alpha-2.")] = None,
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    lists: Annotated[
        list[str] | None, typer.Option("--lists", help="Only these list ids (repeatable).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Screen with the lists in force then.")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Screen a name (or a CSV of counterparties) against the sanctions lists."""
    from urif.actions import screening as screening_actions

    if (name is None) == (file is None):
        raise typer.BadParameter("give a NAME or --file FILE.csv (one of them)")
    screening_actions.check_kind(kind)
    on = parse_date(as_of, field="--as-of") if as_of else today()
    wanted = [x for item in lists or [] for x in item.split(",") if x] or None
    in_use = screening_actions.open_lists(
        resolve_db(ctx, db),
        as_of=on,
        lists=wanted,
        cache_dir=_cache_dir(),
        sanctions_dir=_sanctions_dir(),
        notify=_note,
    )
    import gc

    gc.freeze()  # the index lives as long as the command: keep the collector off it
    if file is not None:
        _screen_batch(in_use, file, wanted, json_out)
        return
    assert name is not None
    data = screening_actions.screen_with(
        in_use, name, kind=kind, country=country, birth_date=birth_date, lists=wanted
    )
    for note in data["meta"]["notes"]:
        err_console.print(f"note: {note}")
    if json_out:
        print_json(data)
    else:
        _show_hits(name, data)
    if data["decision"] == "blocked":  # DESIGN §5: 4, blocked (stdout holds the result)
        best = data["hits"][0]
        raise Blocked(
            f"{name}: blocked ({best['list']} {best['entity_id']} "
            f"{best['matched_name']!r}, score {best['score']:.2f})"
        )


def _show_hits(name: str, data: dict[str, Any]) -> None:
    """The decision and a table of hits, as text."""
    out_console.print(f"{name}: {data['decision']}", markup=False)
    table = Table("score", "list", "entity", "matched name", "why")
    for hit in data["hits"]:
        table.add_row(
            f"{hit['score']:.2f}",
            hit["list"],
            hit["entity_id"],
            hit["matched_name"],
            "; ".join(hit["explanation"]),
        )
    if data["hits"]:
        out_console.print(table)


def _screen_batch(in_use: Any, file: Path, wanted: list[str] | None, json_out: bool) -> None:
    """Screen every row of a CSV; one result per row, in input order."""
    from rich.progress import Progress

    from urif.actions.screening import read_batch, screen_rows
    from urif.cli.output import print_json_line

    rows, warnings = read_batch(file)
    for warning in warnings:
        err_console.print(f"warning: {warning}")
    counts: dict[str, int] = {}
    table = Table("id", "name", "decision", "best hit")
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("screening", total=len(rows))
        for row in screen_rows(in_use, rows, where=str(file), lists=wanted):
            item = row.item
            for warning in row.warnings:
                err_console.print(f"warning: {warning}")
            counts[item["decision"]] = counts.get(item["decision"], 0) + 1
            if json_out:
                print_json_line(item)
            else:
                best = item["hits"][0]["matched_name"] if item["hits"] else ""
                table.add_row(item["id"], item["name"][:60], item["decision"], best)
            progress.advance(task)
    if not json_out:
        out_console.print(table)
    err_console.print(
        f"screened {len(rows)} row(s): "
        + ", ".join(f"{counts.get(d, 0)} {d}" for d in ("clear", "review", "blocked"))
    )
    if counts.get("blocked"):  # DESIGN §5: 4, blocked (every row's result is on stdout)
        raise Blocked(f"{file}: {counts['blocked']} of {len(rows)} row(s) blocked")


eval_app = typer.Typer(help="Matcher quality.", no_args_is_help=True)


@eval_app.command("pairs")
def eval_pairs(
    file: Annotated[Path, typer.Argument(help="CSV: schema,name1,name2,is_match.")],
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Operating threshold (default: review).")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Precision, recall and F1 of the name matcher on labelled pairs, with the curve."""
    from urif.compliance.evaluation import evaluate, read_pairs
    from urif.compliance.matcher import Thresholds

    try:
        text = file.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as error:
        raise InvalidInput(f"{file}: cannot be read ({error.strerror})") from error
    pairs = read_pairs(text, where=str(file))
    bands = Thresholds() if threshold is None else Thresholds(review=threshold)
    result = evaluate(pairs, bands)
    if json_out:
        print_json(result)
        return
    out_console.print(
        f"{len(pairs)} pairs at threshold {result['threshold']}: precision {result['precision']}, "
        f"recall {result['recall']}, F1 {result['f1']}"
    )
    for group in ("by_schema", "by_category", "by_script"):
        table_data = result.get(group)
        if not isinstance(table_data, dict) or not table_data:
            continue
        table = Table(group.removeprefix("by_"), "pairs", "positives", "precision", "recall", "F1")
        for key, m in table_data.items():
            table.add_row(
                key,
                str(m["pairs"]),
                str(m["positives"]),
                str(m["precision"]),
                str(m["recall"]),
                str(m["f1"]),
            )
        out_console.print(table)


def register_matching(app: typer.Typer) -> None:
    """Add ``screen`` and ``eval pairs`` to app."""
    app.command("screen")(screen_command)
    app.add_typer(eval_app, name="eval")
