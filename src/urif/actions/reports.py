"""Report use cases: statements as PDF/XLSX, the fund overview workbook, the demo's reports.

Owns ``render_statement`` (behind ``urif statement --format text|json|pdf|xlsx`` and the
dashboard's download links), ``fund_overview`` / ``overview_workbook`` (ledger, capital,
obligations, decisions, screening), ``screening_lines``, ``log_head`` (the log's head, for
callers that cache by it) and this area's demo step: the statements, the workbook and a
capital chart in the demo folder, then the paths and the command that starts the
dashboard.  Nothing here reads the clock: ``as_of`` is passed in.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from urif.actions import books
from urif.actions.compliance import fold_compliance, list_cases
from urif.actions.fund_state import FundState, StateCache
from urif.actions.governance import list_proposals
from urif.compliance.cases import Case
from urif.compliance.state import ComplianceState
from urif.core.dates import DateRange
from urif.core.errors import InvalidInput
from urif.governance import proposals_view
from urif.reports.capital_chart import capital_png
from urif.reports.overview import FundOverview, ScreeningLine
from urif.reports.overview import overview_workbook as _workbook
from urif.reports.statement import statement_pdf, statement_xlsx
from urif.store import Store

if TYPE_CHECKING:
    from urif.actions.demo import DemoContext, DemoStep

T = TypeVar("T")

#: What ``render_statement`` produces.
FORMATS = ("text", "json", "pdf", "xlsx")
#: Media types of the binary formats (for downloads).
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "text": "text/plain; charset=utf-8",
}
#: The quarter and partners of the demo's statements.
DEMO_PERIOD = "2026Q2"
DEMO_PARTNERS = ("dfc", "ppp_agency")


def render_statement(
    url: str, partner: str, period: str, fmt: str, as_of: dt.date | None = None
) -> bytes:
    """A partner's ILPA statement for ``period`` in ``fmt`` (text, json, pdf or xlsx).

    The figures are as of the period's last day, or ``as_of`` when it falls inside the
    period (nothing after it is shown); the document is dated ``as_of`` (default: the
    period's last day).
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt in ("text", "json"):
        rendered = books.render_statement(url, partner, period, fmt, as_of)
        return rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    data = books.statement(url, partner, period, as_of)
    prepared = as_of or DateRange.parse_period(period).last_day
    return statement_pdf(data, prepared) if fmt == "pdf" else statement_xlsx(data, prepared)


def log_head(url: str) -> tuple[int, str]:
    """The event log's head ``(seq, hash)``: a cache key that changes with every append."""
    with Store.open(url) as store:
        return store.head()


def screening_lines(url: str, as_of: dt.date) -> tuple[ScreeningLine, ...]:
    """Each registered counterparty's screening status on ``as_of`` (personal data)."""
    with Store.open(url) as store:
        return _screening_lines(fold_compliance(store), as_of)


def _screening_lines(state: ComplianceState | None, as_of: dt.date) -> tuple[ScreeningLine, ...]:
    if state is None:
        return ()
    lines = []
    for cp, record in sorted(state.counterparties.items()):
        if record.registered_on > as_of:
            continue
        entry = state.status_on(cp, as_of)
        lines.append(
            ScreeningLine(
                cp,
                record.name,
                record.country,
                entry.status if entry is not None else "unscreened",
                entry.note if entry is not None else "",
            )
        )
    return tuple(lines)


class FundFollower:
    """The fund state of each database kept at its log's head for a long-lived caller
    (the dashboard): the first read replays the log, later reads fold only the events
    appended since, so governance and screening pages stay fast on a large log.

    The states live in a ``StateCache``; the API passes the one its ingest keeps, so a
    worker holds one fund state, not one for writes and one for pages.  Reads run under
    the cache's lock, so a view never sees a state while it is being folded.
    """

    def __init__(self, cache: StateCache | None = None) -> None:
        self.cache = cache if cache is not None else StateCache()
        self._warming: set[str] = set()
        self._warming_lock = threading.Lock()

    def warm(self, url: str) -> None:
        """Bring the state of ``url`` to the log's head now (in a background thread once)."""
        with self._warming_lock:
            if url in self._warming:
                return
            self._warming.add(url)
        threading.Thread(target=self.read, args=(url, lambda _: None), daemon=True).start()

    def read(self, url: str, view: Callable[[FundState], T]) -> T:
        """``view`` of the state at the log's head (computed under the cache's lock)."""
        with self.cache.lock, Store.open(url) as store:
            return view(self.cache.at_head(store))

    def proposals(self, url: str, as_of: dt.date) -> list[dict[str, object]]:
        """Every proposal submitted by ``as_of``, with votes by side and outcome."""
        return self.read(url, lambda s: proposals_view(s.governance, as_of=as_of))

    def screening(
        self, url: str, as_of: dt.date
    ) -> tuple[tuple[ScreeningLine, ...], tuple[Case, ...]]:
        """Screening status per counterparty and the cases opened by ``as_of``."""

        def view(state: FundState) -> tuple[tuple[ScreeningLine, ...], tuple[Case, ...]]:
            compliance = state.compliance
            cases = compliance.all_cases() if compliance is not None else ()
            return (
                _screening_lines(compliance, as_of),
                tuple(c for c in cases if c.opened_on <= as_of),
            )

        return self.read(url, view)


def fund_overview(url: str, as_of: dt.date) -> FundOverview:
    """Ledger, capital, obligations, decisions and screening on ``as_of``."""
    with Store.open(url) as store:
        version = store.terms_version()
    return FundOverview(
        as_of=as_of,
        terms_version=version,
        accounts=books.accounts(url, as_of),
        balances=books.balances(url, as_of),
        obligations=books.obligations(url, as_of).years,
        decisions=tuple(list_proposals(url, as_of=as_of)),
        screening=screening_lines(url, as_of),
        cases=tuple(c for c in list_cases(url) if c.opened_on <= as_of),
    )


def overview_workbook(url: str, as_of: dt.date) -> bytes:
    """The fund overview workbook (XLSX) on ``as_of``."""
    return _workbook(fund_overview(url, as_of))


def capital_chart(url: str, as_of: dt.date) -> bytes:
    """Partners' capital by kind on ``as_of`` as a PNG."""
    return capital_png(books.accounts(url, as_of))


# --- demo ----------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _demo_reports(context: DemoContext) -> None:
    as_of = context.as_of or dt.date(2026, 12, 31)
    out = context.out / "reports"
    written: list[Path] = []
    for partner in DEMO_PARTNERS:
        for fmt in ("pdf", "xlsx"):
            name = f"statement-{partner}-{DEMO_PERIOD}.{fmt}"
            data = render_statement(context.url, partner, DEMO_PERIOD, fmt)
            written.append(_write(out / name, data))
    written.append(_write(out / f"overview-{as_of}.xlsx", overview_workbook(context.url, as_of)))
    written.append(_write(out / f"capital-{as_of}.png", capital_chart(context.url, as_of)))
    context.extra["reports"] = tuple(written)
    context.say("heading", "Reports")
    context.say(
        "table",
        (
            f"statements ({DEMO_PERIOD}), overview workbook and chart as of {as_of}",
            ("file", "bytes"),
            [(str(p), f"{p.stat().st_size:,}") for p in written],
        ),
    )
    context.say("heading", "Dashboard and API (the demo does not start a server)")
    for line in (
        f"export URIF_DB={context.url}",
        "urif users add admin --role administrator   # asks for a password",
        "urif serve                                  # Ctrl-C stops it",
        "then open http://127.0.0.1:8000/ and sign in",
    ):
        context.say("text", line)


def demo_steps() -> tuple[DemoStep, ...]:
    """The demo's last step: statements, the overview workbook and how to open the dashboard."""
    from urif.actions.demo import DemoStep

    return (DemoStep("reports", _demo_reports),)
