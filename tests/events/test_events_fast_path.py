"""The generated fast-path parsers build exactly what the general parser builds, or defer."""

from __future__ import annotations

import string

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from urif.events import canonical_bytes
from urif.events.codec import SPECS, _build, fast_parser

BASE: dict[str, dict[str, object]] = {
    "contribution": {
        "id": "c-1",
        "type": "contribution",
        "on": "2025-09-17",
        "partner": "dfc",
        "kind": "agreed_revenue",
        "amount": "1000.00",
        "currency": "UAH",
        "for_year": 2025,
    },
    "state_receipt": {
        "id": "r-1",
        "type": "state_receipt",
        "on": "2025-10-01",
        "licence": "UA-1",
        "item": "royalty",
        "amount": "12.5",
        "currency": "UAH",
        "illustrative": True,
        "note": "n",
    },
    "valuation": {
        "id": "v-1",
        "type": "valuation",
        "on": "2025-10-01",
        "project": "p",
        "fair_value": "0",
        "currency": "USD",
        "method": "dcf",
        "level": 3,
    },
    "fx_rate": {
        "id": "f-1",
        "type": "fx_rate",
        "on": "2025-10-01",
        "base": "USD",
        "quote": "UAH",
        "rate": "41.2574",
        "source": "NBU",
    },
}

#: Values the fast path must either parse exactly like ``_build`` or hand back to it.
ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    1,
    3,
    -1,
    2.5,
    "",
    " ",
    " x",
    "x ",
    "0",
    "-0",
    "+5",
    ".5",
    "5.",
    "05",
    "1e3",
    "-0.00",
    "0.10",
    "100",
    "2025-02-30",
    "2025-9-1",
    "2025-09-17",
    "USD",
    "usd",
    "royalty",
    "in_kind",
    [],
    {},
    "a" * 201,
]


def both(obj: dict[str, object]) -> tuple[object, object]:
    """(fast result, general result) for ``obj``: (event, canonical bytes) or None."""
    spec = SPECS[str(obj["type"])]
    fast = fast_parser(spec.cls.type)(obj)  # type: ignore[attr-defined]
    bad: list[object] = []
    canon: dict[str, object] = {"type": spec.cls.type}  # type: ignore[attr-defined]
    event = _build(spec, obj, "", bad, canon)  # type: ignore[arg-type]
    general = None if event is None else (event, orjson.dumps(canon, option=orjson.OPT_SORT_KEYS))
    if fast is not None:
        fast = (fast[0], orjson.dumps(fast[1], option=orjson.OPT_SORT_KEYS))
    return fast, general


def test_fast_path_takes_the_common_lines() -> None:
    for obj in BASE.values():
        fast, general = both(obj)
        assert fast is not None
        assert fast == general
        assert fast[1] == canonical_bytes(fast[0])  # type: ignore[index]


@settings(max_examples=400, deadline=None)
@given(
    kind=st.sampled_from(sorted(BASE)),
    field=st.sampled_from(
        [
            "id",
            "on",
            "amount",
            "rate",
            "fair_value",
            "currency",
            "kind",
            "item",
            "level",
            "for_year",
            "illustrative",
            "note",
            "source",
            "extra",
        ]
    ),
    value=st.one_of(
        st.sampled_from(ODD_VALUES),
        st.from_regex(r"[+-]?[0-9]{0,4}(\.[0-9]{0,3})?", fullmatch=True),
        st.text(string.printable, max_size=6),
    ),
)
def test_fast_path_agrees_with_the_general_parser_or_defers(
    kind: str, field: str, value: object
) -> None:
    obj = {**BASE[kind], field: value}
    fast, general = both(obj)
    if fast is not None:
        assert general is not None
        assert fast == general
