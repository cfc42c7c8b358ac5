"""Opportunity events take the ``holder`` DESIGN.md §3 names; ``by`` is optional."""

from __future__ import annotations

from typing import Any

import pytest

from urif.events import parse_event
from urif.events.schema import event_schema

LINES: list[dict[str, Any]] = [
    {"type": "interest_expressed"},
    {"type": "offer_declined", "terms": {"price": "100.00"}},
    {"type": "third_party_terms", "counterparty": "cp-x", "price": "94.00"},
    {"type": "opportunity_notified", "kind": "permit"},
]


@pytest.mark.parametrize("extra", LINES, ids=lambda e: e["type"])
def test_every_opportunity_event_accepts_the_holder(extra: dict[str, Any]) -> None:
    obj = {"id": "o3", "on": "2026-06-15", "opportunity": "OPP2", "holder": "Holder B", **extra}
    event = parse_event(obj, "line 1")
    assert event.holder == "Holder B"  # type: ignore[attr-defined]


def test_interest_keeps_accepting_by_without_a_holder() -> None:
    obj = {
        "id": "o3",
        "type": "interest_expressed",
        "on": "2026-06-15",
        "opportunity": "OPP2",
        "by": "partnership",
    }
    assert parse_event(obj, "line 1").by == "partnership"  # type: ignore[attr-defined]


def test_the_schema_lists_the_holder_on_every_opportunity_event() -> None:
    found: dict[str, list[str]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("properties", {}).get("type", {}).get("const")
            if kind in {line["type"] for line in LINES}:
                found[kind] = sorted(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(event_schema())
    assert set(found) == {line["type"] for line in LINES}
    assert all("holder" in props for props in found.values())
