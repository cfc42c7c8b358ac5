"""JSON Schema (draft 2020-12) of the event interchange format, derived from the event types.

Owns ``event_schema()``: one ``oneOf`` branch per event type accepted from files (system
events are listed under ``$defs`` with ``"x-system": true`` so readers of the log can
validate them too), each closed (``additionalProperties: false``), with decimal strings,
ISO dates and code lists as patterns and enums.  The schema documents the format; the
parser in ``urif.events.codec`` is what enforces it (it adds cross-field checks the
schema states only in ``description``).
"""

from __future__ import annotations

from typing import Any

from urif.events.codec import FieldSpec, field_specs, nested_fields
from urif.events.codes import ISO_3166_ALPHA2, ISO_4217
from urif.events.model import EVENT_TYPES

SCHEMA_ID = "https://urif.example.org/schema/events.json"

_DECIMAL_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _scalar(field: FieldSpec) -> dict[str, Any]:
    kind = field.kind
    if kind == "id":
        return {"type": "string", "minLength": 1, "maxLength": 200}
    if kind == "text":
        return {"type": "string", "minLength": 1}
    if kind == "decimal":
        return {"type": "string", "pattern": _DECIMAL_PATTERN, "description": "decimal string"}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": _DATE_PATTERN}
    if kind == "currency":
        return {"$ref": "#/$defs/currency"}
    if kind == "country":
        return {"$ref": "#/$defs/country"}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "int":
        return {"type": "integer"}
    if kind == "enum" and field.nested is not None:
        values = [member.value for member in field.nested]  # type: ignore[attr-defined]
        return {"enum": values}
    if kind == "identifiers":
        return {
            "type": "object",
            "additionalProperties": {"type": "string", "minLength": 1},
            "description": "identifier scheme to value",
        }
    if kind == "object" and field.nested is not None:
        return _object(field.nested)
    if kind == "objects" and field.nested is not None:
        return {"type": "array", "items": _object(field.nested)}
    if kind == "event":
        return {
            "type": "object",
            "description": "an event object without id (the correction's replacement)",
            "required": ["type", "on"],
        }
    raise AssertionError(f"no schema for field kind {kind}")  # pragma: no cover


def _object(cls: type) -> dict[str, Any]:
    fields = nested_fields(cls)
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": {f.name: _scalar(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def _event(kind: str) -> dict[str, Any]:
    cls = EVENT_TYPES[kind]
    fields = field_specs(kind)
    properties: dict[str, Any] = {"type": {"const": kind}}
    properties.update({f.name: _scalar(f) for f in fields})
    doc = " ".join((cls.__doc__ or "").split())
    branch: dict[str, Any] = {
        "type": "object",
        "title": kind,
        "description": doc,
        "properties": properties,
        "required": ["type", *(f.name for f in fields if f.required)],
        "additionalProperties": False,
    }
    if cls.system:
        branch["x-system"] = True
    return branch


def event_schema() -> dict[str, Any]:
    """The JSON Schema of one event line: ``oneOf`` the event types accepted from files."""
    defs: dict[str, Any] = {
        "currency": {"type": "string", "enum": sorted(ISO_4217)},
        "country": {"type": "string", "enum": sorted(ISO_3166_ALPHA2)},
    }
    for kind in EVENT_TYPES:
        defs[kind] = _event(kind)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "urif event",
        "description": (
            "One line of a urif JSON Lines event file. Amounts, rates and shares are decimal "
            "strings, never JSON numbers; dates are ISO YYYY-MM-DD; unknown fields are refused."
        ),
        "oneOf": [
            {"$ref": f"#/$defs/{kind}"} for kind, cls in EVENT_TYPES.items() if not cls.system
        ],
        "$defs": defs,
    }
