"""The fund overview workbook: ledger, capital, obligations, decisions, screening (XLSX).

Owns ``FundOverview`` (plain data gathered by ``urif.actions.reports``) and
``overview_workbook``, which writes one sheet per subject: a summary, the trial balance,
partners' capital accounts, Ukraine's obligation by year, the board's and committees'
decisions with votes per side, and a screening summary (status per counterparty and every
review case).  Amounts are written as numbers with a two-decimal format.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from urif.compliance.cases import Case
from urif.ledger import AccountsView, ObligationYear, TrialBalance

NUMBER = '#,##0.00;(#,##0.00);"–"'


@dataclass(frozen=True, slots=True)
class ScreeningLine:
    """One counterparty's screening status on the overview's date."""

    counterparty: str
    name: str
    country: str
    status: str  # clear | review | blocked | unscreened
    note: str


@dataclass(frozen=True, slots=True)
class FundOverview:
    """Everything the overview workbook shows, as of one date."""

    as_of: dt.date
    terms_version: str
    accounts: AccountsView
    balances: TrialBalance
    obligations: tuple[ObligationYear, ...]
    decisions: tuple[Mapping[str, Any], ...]
    screening: tuple[ScreeningLine, ...]
    cases: tuple[Case, ...]

    def cash(self) -> dict[str, Decimal]:
        """Fund cash per currency (``assets:cash``) on ``as_of``."""
        return {
            line.currency: line.balance
            for line in self.balances.lines
            if line.account == "assets:cash"
        }


def _sheet(book: Any, title: str, header: Sequence[str]) -> Any:
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _widths(sheet: Any, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _numbers(sheet: Any, columns: Sequence[int]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for index in columns:
            row[index - 1].number_format = NUMBER


def _summary(book: Any, ov: FundOverview) -> None:
    from openpyxl.styles import Font

    sheet = book.active
    sheet.title = "Summary"
    sheet.append(["United States–Ukraine Reconstruction Investment Fund: overview"])
    sheet["A1"].font = Font(bold=True, size=13)
    total = sum((p.capital for p in ov.accounts.partners), Decimal("0.00"))
    rows: list[tuple[str, object]] = [
        ("As of", ov.as_of),
        ("Terms", ov.terms_version),
        ("Net assets (USD)", ov.accounts.net_assets),
        ("In-kind credit reserve (USD)", ov.accounts.in_kind_reserve),
        ("Σ partners' capital (USD)", total),
    ]
    rows += [(f"Cash ({code})", amount) for code, amount in sorted(ov.cash().items())]
    outstanding = sum((y.outstanding_usd for y in ov.obligations), Decimal("0.00"))
    rows += [
        ("Ukraine's agreed revenue outstanding (USD)", outstanding),
        ("Years overdue", ", ".join(str(y.year) for y in ov.obligations if y.overdue) or "none"),
        ("Decisions", len(ov.decisions)),
        ("Open review cases", sum(1 for c in ov.cases if c.is_open)),
    ]
    for label, value in rows:
        sheet.append([label, value])
        cell = sheet.cell(sheet.max_row, 2)
        if isinstance(value, Decimal):
            cell.number_format = NUMBER
        elif isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    _widths(sheet, (44, 24))


def _ledger(book: Any, ov: FundOverview) -> None:
    sheet = _sheet(book, "Ledger", ("account", "currency", "debit", "credit", "balance"))
    for line in ov.balances.lines:
        sheet.append([line.account, line.currency, line.debit, line.credit, line.balance])
    for total in ov.balances.totals:
        sheet.append(["total", total.currency, total.debit, total.credit, None])
    _numbers(sheet, (3, 4, 5))
    _widths(sheet, (40, 10, 18, 18, 18))


_CAPITAL = (
    ("commitment", "commitment"),
    ("paid_in", "paid in"),
    ("unfunded", "unfunded"),
    ("contributed_cash", "contributed: cash"),
    ("contributed_in_kind", "contributed: in kind"),
    ("contributed_agreed_revenue", "contributed: agreed revenue"),
    ("contributed_total", "contributed capital"),
    ("income_allocated", "income allocated"),
    ("distributions", "distributions"),
    ("capital", "capital"),
)


def _capital(book: Any, ov: FundOverview) -> None:
    sheet = _sheet(book, "Capital", ["partner", *(label for _, label in _CAPITAL), "share"])
    for p in ov.accounts.partners:
        sheet.append([p.partner, *(getattr(p, key) for key, _ in _CAPITAL), p.ownership_share])
    _numbers(sheet, range(2, len(_CAPITAL) + 2))
    for row in sheet.iter_rows(min_row=2):
        row[len(_CAPITAL) + 1].number_format = "0.0000%"
    _widths(sheet, (14, *([18] * len(_CAPITAL)), 10))


def _obligations(book: Any, ov: FundOverview) -> None:
    sheet = _sheet(
        book,
        "Obligations",
        ("receipts of", "receipts (USD)", "due (USD)", "due on", "received (USD)",
         "outstanding (USD)", "overdue"),
    )  # fmt: skip
    for y in ov.obligations:
        sheet.append(
            [y.year, y.receipts_usd, y.due_usd, y.due_on, y.received_usd, y.outstanding_usd,
             "yes" if y.overdue else "no"]
        )  # fmt: skip
    _numbers(sheet, (2, 3, 5, 6))
    for row in sheet.iter_rows(min_row=2):
        row[3].number_format = "yyyy-mm-dd"
    _widths(sheet, (12, 18, 18, 12, 18, 18, 9))


def _votes(view: Mapping[str, Any], side: str) -> str:
    counts = view.get("counts", {}).get(side)
    if not counts:
        return ""
    return f"{counts['yes']} yes / {counts['no']} no / {counts['abstain']} abstain"


def _decisions(book: Any, ov: FundOverview) -> None:
    sheet = _sheet(
        book,
        "Decisions",
        ("proposal", "body", "kind", "subject", "amount", "currency", "submitted on",
         "status", "decided on", "US votes", "UA votes", "conflicts", "rule"),
    )  # fmt: skip
    for view in ov.decisions:
        subject = view.get("subject", {})
        title = subject.get("title") or subject.get("project") or ""
        amount = subject.get("amount")
        sheet.append(
            [
                view["proposal"], view["body"], view["kind"], title,
                Decimal(str(amount)) if amount is not None else None, subject.get("currency"),
                view.get("submitted_on"), view["status"], view.get("decided_on"),
                _votes(view, "us"), _votes(view, "ua"),
                ", ".join(view.get("conflicts", ())), view.get("rule"),
            ]
        )  # fmt: skip
    _numbers(sheet, (5,))
    for row in sheet.iter_rows(min_row=2):
        row[6].number_format = "yyyy-mm-dd"
        row[8].number_format = "yyyy-mm-dd"
    _widths(sheet, (30, 14, 12, 36, 16, 9, 12, 10, 12, 24, 24, 18, 16))


def _screening(book: Any, ov: FundOverview) -> None:
    sheet = _sheet(book, "Screening", ("counterparty", "name", "country", "status", "note"))
    for line in ov.screening:
        sheet.append([line.counterparty, line.name, line.country, line.status, line.note])
    _widths(sheet, (24, 40, 8, 12, 60))
    cases = _sheet(
        book,
        "Cases",
        ("case", "counterparty", "list", "entity", "score", "opened on", "status", "decision",
         "decided by", "decided on"),
    )  # fmt: skip
    for c in ov.cases:
        cases.append(
            [c.case, c.counterparty, c.list_id, c.entity_id, float(c.score), c.opened_on,
             "open" if c.is_open else "decided", c.decision, c.decided_by, c.decided_on]
        )  # fmt: skip
    _widths(cases, (26, 24, 12, 20, 8, 12, 10, 16, 16, 12))


def overview_workbook(ov: FundOverview) -> bytes:
    """The overview as an XLSX workbook, one sheet per subject."""
    from openpyxl import Workbook

    book = Workbook()
    _summary(book, ov)
    _ledger(book, ov)
    _capital(book, ov)
    _obligations(book, ov)
    _decisions(book, ov)
    _screening(book, ov)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
