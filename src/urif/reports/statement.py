"""Partner capital-account statements in the ILPA layout, as PDF (WeasyPrint) and XLSX.

Owns the statement's rows and labels (``STATEMENT_ROWS``), and the two binary renderings
of a ``urif.ledger.Statement``: ``statement_xlsx`` (openpyxl, numbers as numbers with a
currency format) and ``statement_pdf`` (an HTML page from ``templates/statement.html``
printed by WeasyPrint).  Both show the same figures as ``urif statement --format text``:
beginning balance, contributions by kind, distributions, allocations and ending balance,
for the period, quarter-to-date, year-to-date and inception-to-date.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from jinja2 import Environment, StrictUndefined, select_autoescape

from urif.ledger import Statement, StatementColumn

#: Column headings of the four ILPA windows.
COLUMN_LABELS = {
    "period": "Period",
    "quarter_to_date": "QTD",
    "year_to_date": "YTD",
    "inception_to_date": "ITD",
}

#: The statement's lines: (field of ``StatementColumn``, label, indented, shown negative).
STATEMENT_ROWS: tuple[tuple[str, str, bool, bool], ...] = (
    ("beginning", "Beginning balance", False, False),
    ("contributions_cash", "Contributions: cash", True, False),
    ("contributions_in_kind", "Contributions: in kind", True, False),
    ("contributions_agreed_revenue", "Contributions: agreed revenue", True, False),
    ("contributions", "Total contributions", False, False),
    ("distributions", "Distributions", False, True),
    ("allocations", "Income and gains allocated", False, False),
    ("ending", "Ending balance", False, False),
)

PARTNER_NAMES = {
    "dfc": "U.S. International Development Finance Corporation",
    "ppp_agency": "State Organization “Agency on Support of Public-Private Partnership”",
    "gp": "DFC Ukraine Subsoil LLC (general partner)",
}
FUND_NAME = "United States–Ukraine Reconstruction Investment Fund"


def signed(column: StatementColumn, key: str) -> Decimal:
    """The value of line ``key`` as the statement shows it (distributions negative).

    >>> from urif.ledger import StatementColumn
    >>> z = Decimal("0.00")
    >>> c = StatementColumn("period", None, dt.date(2026, 3, 31), z, z, z, z, z,
    ...                     Decimal("5.00"), z, z)
    >>> signed(c, "distributions")
    Decimal('-5.00')
    """
    value: Decimal = getattr(column, key)
    return -value if key == "distributions" else value


def money_text(value: Decimal) -> str:
    """An amount for people: thousands separators, negatives in parentheses.

    >>> money_text(Decimal("-1234.5")), money_text(Decimal("0"))
    ('(1,234.50)', '0.00')
    """
    text = f"{abs(value):,.2f}"
    return f"({text})" if value < 0 else text


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One printed line: label, indentation and the four column values."""

    label: str
    indented: bool
    total: bool
    values: tuple[Decimal, ...]


def statement_rows(st: Statement) -> tuple[StatementRow, ...]:
    """The statement's lines with one value per column, as printed."""
    return tuple(
        StatementRow(
            label,
            indented,
            key in ("contributions", "ending"),
            tuple(signed(c, key) for c in st.columns),
        )
        for key, label, indented, _ in STATEMENT_ROWS
    )


def _column_heading(column: StatementColumn) -> str:
    label = COLUMN_LABELS.get(column.label, column.label)
    start = column.start.isoformat() if column.start else "inception"
    return f"{label}\n{start} – {column.end.isoformat()}"


def statement_xlsx(st: Statement, prepared_on: dt.date) -> bytes:
    """The statement as an XLSX workbook (one sheet, numbers stored as numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    sheet = book.active
    sheet.title = "Capital account"
    bold = Font(bold=True)
    number = '#,##0.00;(#,##0.00);"–"'
    sheet["A1"] = FUND_NAME
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = "Partner's capital account statement (ILPA layout)"
    sheet["A3"] = "Partner"
    sheet["B3"] = f"{st.partner}: {PARTNER_NAMES.get(st.partner, st.partner)}"
    sheet["A4"] = "Period"
    sheet["B4"] = f"{st.period} ({st.start.isoformat()} to {st.end.isoformat()})"
    sheet["A5"] = "Currency"
    sheet["B5"] = st.currency
    sheet["A6"] = "Prepared as of"
    sheet["B6"] = prepared_on
    sheet["B6"].number_format = "yyyy-mm-dd"
    header_row = 8
    sheet.cell(header_row, 1, "").font = bold
    for index, column in enumerate(st.columns, start=2):
        cell = sheet.cell(header_row, index, _column_heading(column))
        cell.font = bold
        cell.alignment = Alignment(horizontal="right", wrap_text=True)
    thin = Side(style="thin")
    for offset, row in enumerate(statement_rows(st), start=1):
        r = header_row + offset
        label = sheet.cell(r, 1, ("    " if row.indented else "") + row.label)
        if row.total:
            label.font = bold
        for index, value in enumerate(row.values, start=2):
            cell = sheet.cell(r, index, value)
            cell.number_format = number
            if row.total:
                cell.font = bold
                cell.border = Border(top=thin)
    r = header_row + len(STATEMENT_ROWS) + 2
    for label, value in (
        ("Commitment", st.commitment),
        ("Paid in", st.paid_in),
        ("Unfunded commitment", st.unfunded),
    ):
        sheet.cell(r, 1, label)
        sheet.cell(r, 2, value).number_format = number
        r += 1
    sheet.cell(r, 1, "Ownership share")
    sheet.cell(r, 2, st.ownership_share).number_format = "0.0000%"
    sheet.column_dimensions["A"].width = 36
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 20
    sheet.row_dimensions[header_row].height = 32
    sheet.freeze_panes = sheet.cell(header_row + 1, 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(["html"]), undefined=StrictUndefined)
    env.filters["money"] = money_text
    return env


def statement_html(st: Statement, prepared_on: dt.date) -> str:
    """The statement as a printable HTML page (the PDF's source)."""
    template = (
        resources.files("urif.reports").joinpath("templates/statement.html").read_text("utf-8")
    )
    return (
        _environment()
        .from_string(template)
        .render(
            fund=FUND_NAME,
            st=st,
            partner_name=PARTNER_NAMES.get(st.partner, st.partner),
            headings=[
                (
                    COLUMN_LABELS.get(c.label, c.label),
                    c.start.isoformat() if c.start else "inception",
                    c.end.isoformat(),
                )
                for c in st.columns
            ],
            rows=statement_rows(st),
            prepared_on=prepared_on.isoformat(),
            share=f"{st.ownership_share * 100:.4f}%",
        )
    )


def statement_pdf(st: Statement, prepared_on: dt.date) -> bytes:
    """The statement as a one-page A4 landscape PDF (WeasyPrint)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=statement_html(st, prepared_on)).write_pdf()
    return pdf
