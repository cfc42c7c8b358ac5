"""Write the books of a urif database as a beancount ledger (for ``bench/ledger.py``).

Beancount is GPL: it is never imported here or anywhere in urif.  This module only writes
text that beancount's own ``bean-check`` program reads, so the benchmark can compare
urif's ``verify`` with an established double-entry checker on the same transactions.

Every journal entry of every booking becomes one transaction on its value date, with its
postings unchanged (each entry balances per currency, which is how beancount balances a
transaction without prices).  Accounts are renamed into beancount's five roots:
``assets`` -> Assets, ``income`` and ``gains`` -> Income, ``expenses`` -> Expenses, and
everything on the equity side (partners' capital, FX clearing, allocated P&L, reserves,
memo commitments) -> Equity; each component is capitalised and ``_`` becomes ``-``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from urif.ledger.entries import Booking

_ROOTS = {"assets": "Assets", "income": "Income", "gains": "Income", "expenses": "Expenses"}
_BAD = re.compile(r"[^A-Za-z0-9-]")


def _component(text: str) -> str:
    cleaned = _BAD.sub("-", text.replace("_", "-"))
    return cleaned[:1].upper() + cleaned[1:] if cleaned else "X"


def account_name(account: str) -> str:
    """The beancount name of a urif account (``assets:cash`` -> ``Assets:Cash``)."""
    parts = account.split(":")
    if parts[0] == "equity":
        return ":".join(["Equity", *(_component(p) for p in parts[1:])])
    root = _ROOTS.get(parts[0])
    if root is None:  # partners, equity, fx, pnl, memo: the equity side
        return ":".join(["Equity", *(_component(p) for p in parts)])
    rest = parts[1:] if parts[0] != "gains" else parts
    return ":".join([root, *(_component(p) for p in rest)])


def write_beancount(bookings: Iterable[Booking], path: Path) -> int:
    """Write ``bookings`` to ``path``; the number of transactions written."""
    accounts: set[str] = set()
    body: list[str] = []
    count = 0
    for booking in bookings:
        for entry in booking.entries:
            count += 1
            body.append(f'{entry.on.isoformat()} * "{entry.kind}" "{booking.event_id}"')
            for posting in entry.postings:
                name = account_name(posting.account)
                accounts.add(name)
                body.append(f"  {name}  {posting.amount} {posting.currency}")
            body.append("")
    head = ['option "title" "urif benchmark books"', ""]
    head.extend(f"1900-01-01 open {name}" for name in sorted(accounts))
    head.append("")
    path.write_text("\n".join(head + body), encoding="utf-8")
    return count
