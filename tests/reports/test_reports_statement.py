"""Statements as PDF and XLSX, the overview workbook and the capital chart, from a real log."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from urif.actions import books
from urif.actions import reports as report_actions
from urif.actions.record import ingest_files
from urif.cli.main import app
from urif.core.errors import InvalidInput, NotFound
from urif.reports.statement import STATEMENT_ROWS, money_text, signed, statement_html

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
AS_OF = dt.date(2026, 12, 31)


@pytest.fixture
def fund_url(db_url: str) -> str:
    """The example chronology on a fresh database (SQLite and PostgreSQL)."""
    books.init_database(db_url, None)
    files = [EXAMPLES / "fund-2025-2026.jsonl", EXAMPLES / "governance-2025-2027.jsonl"]
    ingest_files(db_url, files, "test", NOW).raise_for_problems()
    return db_url


def test_xlsx_statement_holds_the_ledger_figures_as_numbers(fund_url: str) -> None:
    data = books.statement(fund_url, "dfc", "2026Q2")
    sheet = load_workbook(
        io.BytesIO(report_actions.render_statement(fund_url, "dfc", "2026Q2", "xlsx"))
    ).active
    labels = [sheet.cell(r, 1).value.strip() for r in range(9, 9 + len(STATEMENT_ROWS))]
    assert labels == [label for _, label, _, _ in STATEMENT_ROWS]
    for offset, (key, _, _, _) in enumerate(STATEMENT_ROWS):
        for col, column in enumerate(data.columns, start=2):
            cell = sheet.cell(9 + offset, col).value
            assert Decimal(str(cell)) == signed(column, key), (key, column.label)
    assert sheet["B4"].value.startswith("2026Q2")
    ending = [c.ending for c in data.columns]
    assert ending[-1] == ending[0]  # the period's ending balance is the ITD ending balance


def test_pdf_statement_is_a_pdf_of_the_same_figures(fund_url: str) -> None:
    pdf = report_actions.render_statement(
        fund_url, "ppp_agency", "2026Q2", "pdf", dt.date(2026, 11, 25)
    )
    assert pdf.startswith(b"%PDF-")
    data = books.statement(fund_url, "ppp_agency", "2026Q2")
    html = statement_html(data, dt.date(2026, 11, 25))
    for column in data.columns:
        assert money_text(column.ending) in html
    assert "2026-11-25" in html


def test_text_and_json_match_the_books_renderer(fund_url: str) -> None:
    text = report_actions.render_statement(fund_url, "dfc", "2026Q1", "text")
    assert text.decode() == books.render_statement(fund_url, "dfc", "2026Q1", "text")


def test_bad_format_and_unknown_partner_are_refused(fund_url: str) -> None:
    with pytest.raises(InvalidInput, match="--format"):
        report_actions.render_statement(fund_url, "dfc", "2026Q1", "docx")
    with pytest.raises(NotFound, match="no partner"):
        report_actions.render_statement(fund_url, "nobody", "2026Q1", "pdf")


def test_overview_workbook_has_every_subject_and_the_capital_figures(fund_url: str) -> None:
    book = load_workbook(io.BytesIO(report_actions.overview_workbook(fund_url, AS_OF)))
    assert book.sheetnames == [
        "Summary", "Ledger", "Capital", "Obligations", "Decisions", "Screening", "Cases",
    ]  # fmt: skip
    accounts = books.accounts(fund_url, AS_OF)
    capital = {row[0]: row for row in book["Capital"].iter_rows(min_row=2, values_only=True)}
    for p in accounts.partners:
        assert Decimal(str(capital[p.partner][10])) == p.capital
    ledger = list(book["Ledger"].iter_rows(min_row=2, values_only=True))
    totals = [row for row in ledger if row[0] == "total"]
    assert totals
    assert all(Decimal(str(r[2])) == Decimal(str(r[3])) for r in totals)  # balanced
    decisions = [row[0] for row in book["Decisions"].iter_rows(min_row=2, values_only=True)]
    assert "inv-2026-dobra" in decisions


def test_capital_chart_is_a_png(fund_url: str) -> None:
    assert report_actions.capital_chart(fund_url, AS_OF).startswith(b"\x89PNG")


def test_cli_writes_pdf_and_xlsx_and_refuses_binary_on_stdout(
    fund_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        out = tmp_path / f"s.{fmt}"
        result = runner.invoke(
            app,
            ["--db", fund_url, "statement", "--partner", "dfc", "--period", "2026Q2",
             "--format", fmt, "--out", str(out)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)
    refused = runner.invoke(
        app, ["--db", fund_url, "statement", "--partner", "dfc", "--period", "2026Q2",
              "--format", "pdf"],
    )  # fmt: skip
    assert refused.exit_code == 1
