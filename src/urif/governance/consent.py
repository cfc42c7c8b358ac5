"""Site consent: Ukraine alone decides where extraction happens.

Owns the dated record of ``site_consent`` grants and withdrawals per deposit and the
question the approval gate asks: was consent in force on a value date?  A withdrawal
blocks investments dated on or after it and never rewrites earlier ones; a
``granted: false`` with no grant before it is a refusal, and is reported as one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from urif.core.errors import NotPermitted


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """One grant or withdrawal of consent for a deposit."""

    deposit: str
    on: dt.date
    granted: bool
    authority: str
    event: str


def consent_on(records: tuple[ConsentRecord, ...], on: dt.date) -> ConsentRecord | None:
    """The record in force on ``on``: the latest dated on or before it (last recorded wins).

    >>> g = ConsentRecord("d", dt.date(2026, 1, 1), True, "cabinet", "e1")
    >>> w = ConsentRecord("d", dt.date(2026, 6, 1), False, "cabinet", "e2")
    >>> consent_on((g, w), dt.date(2026, 3, 1)).granted
    True
    >>> consent_on((g, w), dt.date(2026, 6, 1)).granted
    False
    """
    best: ConsentRecord | None = None
    for record in records:
        if record.on <= on and (best is None or record.on >= best.on):
            best = record
    return best


def require_consent(
    consents: Mapping[str, tuple[ConsentRecord, ...]], deposit: str, on: dt.date
) -> None:
    """Raise NotPermitted unless Ukraine's consent for ``deposit`` is in force on ``on``."""
    record = consent_on(consents.get(deposit, ()), on)
    if record is None:
        raise NotPermitted(
            f"site consent: no consent from Ukraine for deposit {deposit} in force on {on} "
            f"(no site_consent granted on or before that date)"
        )
    if not record.granted:
        records = consents.get(deposit, ())
        earlier = records[: records.index(record)]  # same day: recorded before it
        granted_before = any(r.granted and r.on <= record.on for r in earlier) or any(
            r.granted and r.on < record.on for r in records
        )
        how = "withdrawn" if granted_before else "refused (never granted)"
        raise NotPermitted(
            f"site consent: consent for deposit {deposit} was {how} on {record.on} by "
            f"{record.authority} (event {record.event}); no new investment from that date"
        )
