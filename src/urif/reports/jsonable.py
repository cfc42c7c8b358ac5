"""JSON rendering of domain values, shared by the CLI and the API (DESIGN.md §5).

Decimals become strings, dates ISO strings, enums their values, dataclasses objects, and
non-finite numbers ``null`` (strict JSON never carries NaN or Infinity).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def to_jsonable(value: Any) -> Any:
    """Convert domain values into JSON-safe data: Decimal → str, NaN/Inf → None.

    >>> to_jsonable({"amount": Decimal("1.50"), "on": dt.date(2026, 1, 12), "x": float("nan")})
    {'amount': '1.50', 'on': '2026-01-12', 'x': None}
    """
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else None
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
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
