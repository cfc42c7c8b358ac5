"""Rendering helpers for the CLI: strict JSON on stdout, Rich for people on stderr/stdout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
import sys
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rich.console import Console

#: Messages, progress bars and warnings go to stderr so ``--json`` stdout stays clean.
err_console = Console(stderr=True)
out_console = Console()


def to_jsonable(value: Any) -> Any:
    """Convert domain values into JSON-safe data: Decimal → str, NaN/Inf → None."""
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return to_jsonable(value.item())
    return value


def print_json(value: Any) -> None:
    """Write ``value`` to stdout as strict JSON (no NaN), one document, newline-terminated."""
    sys.stdout.write(json.dumps(to_jsonable(value), allow_nan=False, ensure_ascii=False, indent=2))
    sys.stdout.write("\n")
    sys.stdout.flush()


def print_json_line(value: Any) -> None:
    """Write ``value`` as one compact JSON line (for JSON Lines output)."""
    sys.stdout.write(json.dumps(to_jsonable(value), allow_nan=False, ensure_ascii=False))
    sys.stdout.write("\n")
    sys.stdout.flush()
