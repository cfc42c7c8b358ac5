"""Persistence, the only SQL: tables, migrations, the append-only event log, read models.

Public API: ``Store`` (``open``, ``init``, ``terms_version``, ``settings``, ``writer``,
``reader``, ``head``, ``count``, ``iter_events``, ``iter_rows``, ``verify_chain``,
``verify_or_raise``, ``revision``), ``Writer`` (``existing``, ``existing_canonical``,
``append``, ``head``, ``connection``), ``StoredEvent``, ``metadata`` and the ``events`` /
``fund_settings`` tables (``urif.store.schema``), ``DEFAULT_TERMS_VERSION``.
"""

from __future__ import annotations

from urif.store.log import DEFAULT_TERMS_VERSION, Store, StoredEvent, Writer
from urif.store.schema import events, fund_settings, metadata

__all__ = [
    "DEFAULT_TERMS_VERSION",
    "Store",
    "StoredEvent",
    "Writer",
    "events",
    "fund_settings",
    "metadata",
]
