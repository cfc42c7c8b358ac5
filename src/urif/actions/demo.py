"""``urif demo``: the main job end to end on a fresh SQLite database.

Owns the demo as an ordered sequence of ``DemoStep``s: create the database, ingest the
example chronology (``examples/fund-2025-2026.jsonl`` and, where present, the governance
example), then print capital accounts and Ukraine's obligations.  Other areas append
their own steps (governance, screening, simulation) by defining ``demo_steps() ->
tuple[DemoStep, ...]`` in their module of ``urif.actions`` (listed in ``EXTENSIONS``); a
step with ``after`` set goes right after the step of that name, else at the end.  Each
step gets the shared ``DemoContext`` and says what it has to say through ``context.say``
(the CLI renders it), so this layer never prints.

The demo's reports are as of the last value date in the examples, not today, so its
output does not depend on the clock.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from urif.actions import books, record
from urif.actions.fund_state import DEFAULT_TERMS
from urif.core.errors import NotFound

#: ``say(kind, value)``: kind is "heading", "text", "accounts", "obligations", "table"
#: (value: ``(title, columns, rows)``) or another kind the CLI knows.
Say = Callable[[str, Any], None]

#: The example files, in ingest order; missing ones are skipped with a note.
EXAMPLE_FILES = ("fund-2025-2026.jsonl", "governance-2025-2027.jsonl")
DB_NAME = "urif-demo.db"


def examples_dir() -> Path:
    """The repository's ``examples/`` folder (the demo runs from a clone)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples"
        if (candidate / EXAMPLE_FILES[0]).is_file():
            return candidate
    return Path.cwd() / "examples"


@dataclass(slots=True)
class DemoContext:
    """What the demo steps share: where to write, who records, and how to speak."""

    out: Path
    recorded_by: str
    recorded_at: dt.datetime
    say: Say
    examples: Path = field(default_factory=examples_dir)
    url: str = ""
    as_of: dt.date | None = None
    ingested: list[Path] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DemoStep:
    """One named step of the demo."""

    name: str
    run: Callable[[DemoContext], None]
    after: str | None = None


def _create_database(context: DemoContext) -> None:
    context.out.mkdir(parents=True, exist_ok=True)
    path = context.out / DB_NAME
    for stale in (path, path.with_name(DB_NAME + "-wal"), path.with_name(DB_NAME + "-shm")):
        if stale.exists():
            stale.unlink()
    context.url = f"sqlite:///{path}"
    version = books.init_database(context.url, DEFAULT_TERMS)
    context.say("heading", "urif demo: the fund's books, 2025–2026")
    context.say("text", f"database {path} (terms {version})")


def _last_value_date(paths: list[Path]) -> dt.date | None:
    latest: dt.date | None = None
    for parsed in record.read_files(paths):
        for _, event in parsed.events:
            if latest is None or event.on > latest:
                latest = event.on
    return latest


def _ingest_examples(context: DemoContext) -> None:
    paths: list[Path] = []
    for index, name in enumerate(EXAMPLE_FILES):
        path = context.examples / name
        if path.is_file():
            paths.append(path)
        elif index == 0:
            raise NotFound(
                f"demo: {path} not found; run urif demo from a clone of the repository "
                "(it reads examples/)"
            )
        else:
            context.say("text", f"({name} not found in {context.examples}; skipped)")
    report = record.ingest_files(context.url, paths, context.recorded_by, context.recorded_at)
    report.raise_for_problems()
    context.ingested.extend(paths)
    context.as_of = _last_value_date(paths)
    names = ", ".join(p.name for p in paths)
    system = f" and {report.system_appended} system events" if report.system_appended else ""
    context.say("text", f"ingested {report.appended} events{system} from {names}")


def _print_accounts(context: DemoContext) -> None:
    as_of = context.as_of or dt.date(2026, 12, 31)
    context.say("heading", f"Partners' capital accounts as of {as_of}")
    context.say("accounts", books.accounts(context.url, as_of))


def _print_obligations(context: DemoContext) -> None:
    as_of = context.as_of or dt.date(2026, 12, 31)
    context.say("heading", f"Ukraine's agreed-revenue obligation as of {as_of}")
    context.say("obligations", books.obligations(context.url, as_of))


def _verify(context: DemoContext) -> None:
    report = books.verify(context.url)
    report_error = report.error()
    if report_error is not None:
        raise report_error
    context.say(
        "text",
        f"verify: {report.events} events up to seq {report.head_seq}; chain, invariants and "
        "read models agree",
    )


_STEPS: tuple[DemoStep, ...] = (
    DemoStep("create database", _create_database),
    DemoStep("ingest examples", _ingest_examples),
    DemoStep("capital accounts", _print_accounts),
    DemoStep("obligations", _print_obligations),
    DemoStep("verify", _verify),
)
#: Modules of ``urif.actions`` whose ``demo_steps()`` extend the demo, in this order.
EXTENSIONS = ("governance", "compliance", "simulation", "reports")


def _extension_steps() -> list[DemoStep]:
    import importlib

    found: list[DemoStep] = []
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(f"urif.actions.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"urif.actions.{name}":
                continue
            raise
        provider = getattr(module, "demo_steps", None)
        if callable(provider):
            found.extend(provider())
    return found


def steps() -> tuple[DemoStep, ...]:
    """The demo's steps in order: the books' own, then each area's where it asks to be."""
    ordered = list(_STEPS)
    for step in _extension_steps():
        names = [s.name for s in ordered]
        if step.after is not None and step.after in names:
            ordered.insert(names.index(step.after) + 1, step)
        else:
            ordered.append(step)
    return tuple(ordered)


def clean(out: Path) -> None:
    """Remove a demo output folder (tests)."""
    shutil.rmtree(out, ignore_errors=True)
