"""``verify``: read-model differences read as amounts with their currency."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from urif.actions import books
from urif.actions.record import ingest_files
from urif.core.errors import IntegrityError

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _ingest(url: str, tmp_path: Path, events: list[dict[str, object]]) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    assert ingest_files(url, [path], "test", AT).ok


def test_verify_shows_read_model_differences_as_amounts_with_currency(
    db_url: str, tmp_path: Path
) -> None:
    books.init_database(db_url, None)
    _ingest(
        db_url,
        tmp_path,
        [
            {
                "id": "c-1",
                "type": "contribution",
                "on": "2026-01-05",
                "partner": "dfc",
                "kind": "cash",
                "amount": "900.00",
                "currency": "USD",
            },
            {
                "id": "l-1",
                "type": "licence_issued",
                "on": "2025-06-01",
                "licence": "L1",
                "instrument": "licence",
                "resource": "lithium",
                "deposit": "d-1",
                "holder": "h-1",
                "developed_at_cutoff": False,
            },
            {
                "id": "r-1",
                "type": "state_receipt",
                "on": "2025-07-01",
                "licence": "L1",
                "item": "royalty",
                "amount": "400.00",
                "currency": "USD",
            },
        ],
    )
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE ledger_balance_day SET amount = 10000 "
                "WHERE account = 'assets:cash' AND currency = 'USD'"
            )
        )
        conn.execute(
            sa.text(
                "UPDATE ledger_capital_day SET amount = 10000 WHERE measure = 'contributed_cash'"
            )
        )
        conn.execute(sa.text("UPDATE ledger_obligation_day SET receipts = 1, due = 5"))
    engine.dispose()
    report = books.verify(db_url)
    assert not report.ok
    messages = {p.where: p.message for p in report.problems}
    assert messages["read model ledger_balance_day"] == (
        "('assets:cash', 'USD', '2026-01-05'): stored 100.00 USD, "
        "a replay of the log gives 900.00 USD"
    )
    assert messages["read model ledger_capital_day"] == (
        "('dfc', 'contributed_cash', '2026-01-05'): stored 100.00 USD, "
        "a replay of the log gives 900.00 USD"
    )
    assert messages["read model ledger_obligation_day"] == (
        "(2025, '2025-07-01'): stored receipts 0.01 USD, due 0.000005 USD, received 0.00 USD, "
        "a replay of the log gives receipts 400.00 USD, due 200.000000 USD, received 0.00 USD"
    )
    data = report.to_json()
    assert data["ok"] is False
    assert isinstance(report.error(), IntegrityError)
