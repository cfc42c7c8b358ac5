"""The beancount export of bench/ledger.py: names beancount accepts, balanced transactions."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from urif.ledger.entries import Booking, JournalEntry, Posting

# Loaded from its file: bench/ is not a package, and putting it on sys.path would let its
# modules (ledger.py, api.py, sim.py) shadow other imports in the same test process.
_SPEC = importlib.util.spec_from_file_location(
    "beancount_export", Path(__file__).resolve().parents[2] / "bench" / "beancount_export.py"
)
assert _SPEC is not None
assert _SPEC.loader is not None
_MODULE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_MODULE)
account_name = _MODULE.account_name
write_beancount = _MODULE.write_beancount

#: beancount's account grammar: a root, then components starting upper-case or a digit.
ACCOUNT = re.compile(r"(Assets|Liabilities|Equity|Income|Expenses)(:[A-Z0-9][A-Za-z0-9-]*)+")


def test_every_kind_of_urif_account_gets_a_beancount_name() -> None:
    names = {
        "assets:cash": "Assets:Cash",
        "partners:dfc:contributed:in_kind": "Equity:Partners:Dfc:Contributed:In-kind",
        "fx:UAH": "Equity:Fx:UAH",
        "equity:in_kind_reserve": "Equity:In-kind-reserve",
        "gains:valuation": "Income:Gains:Valuation",
        "income:royalty_stream": "Income:Royalty-stream",
        "expenses:audit": "Expenses:Audit",
        "memo:commitments:ppp_agency": "Equity:Memo:Commitments:Ppp-agency",
        "assets:investments:proj.01": "Assets:Investments:Proj-01",
    }
    for urif_name, expected in names.items():
        assert account_name(urif_name) == expected
        assert ACCOUNT.fullmatch(expected)


def test_each_entry_is_one_transaction_balanced_per_currency(tmp_path: Path) -> None:
    on = dt.date(2026, 3, 31)
    entry = JournalEntry(
        "e1",
        on,
        "contribution",
        (
            Posting("assets:cash", "UAH", Decimal("4130.00")),
            Posting("fx:UAH", "UAH", Decimal("-4130.00")),
            Posting("fx:UAH", "USD", Decimal("100.00")),
            Posting("partners:ppp_agency:contributed:cash", "USD", Decimal("-100.00")),
        ),
    )
    bookings = [Booking("e1", on, "contribution", (entry,)), Booking("r1", on, "fx_rate")]
    path = tmp_path / "books.beancount"
    assert write_beancount(bookings, path) == 1
    text = path.read_text(encoding="utf-8")
    opened = set(re.findall(r"^1900-01-01 open (\S+)$", text, re.M))
    assert '2026-03-31 * "contribution" "e1"' in text
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for account, amount, code in re.findall(r"^  (\S+)  (-?[\d.]+) ([A-Z]{3})$", text, re.M):
        assert account in opened
        sums[code] += Decimal(amount)
    assert dict(sums) == {"UAH": Decimal(0), "USD": Decimal(0)}
