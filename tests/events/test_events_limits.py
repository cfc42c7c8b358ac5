"""Values past what the books hold, and keys given twice, are refused when a line is read."""

from __future__ import annotations

import json
from decimal import Decimal

import orjson
from hypothesis import given
from hypothesis import strategies as st

from urif.events import parse_lines, parse_objects
from urif.events.codec import MAX_AMOUNT, MAX_DATE, MIN_DATE, fast_parser
from urif.events.reader import parse_csv

CASH = {
    "id": "b20",
    "type": "contribution",
    "on": "2025-10-01",
    "partner": "dfc",
    "kind": "cash",
    "amount": "1.00",
    "currency": "USD",
}


def _problems(*lines: str) -> list[str]:
    return [p.message for p in parse_lines(list(lines), "f.jsonl").problems]


def test_a_20_and_a_27_digit_amount_are_invalid_input_naming_field_and_bound() -> None:
    for amount in ("99999999999999999999.00", "999999999999999999999999999.00"):
        [message] = _problems(json.dumps({**CASH, "amount": amount}))
        assert message.startswith("field amount: expected a decimal string")
        assert f"at most {MAX_AMOUNT}" in message
        assert amount in message


def test_the_largest_amount_is_accepted_and_one_cent_more_is_not() -> None:
    assert _problems(json.dumps({**CASH, "amount": f"{MAX_AMOUNT}"})) == []
    assert _problems(json.dumps({**CASH, "amount": f"{MAX_AMOUNT + Decimal('0.01')}"}))


@given(
    st.decimals(min_value=0, max_value=MAX_AMOUNT * 10, places=2)
    | st.decimals(places=4, allow_nan=False, allow_infinity=False)
)
def test_the_fast_path_and_the_general_parser_agree_on_every_amount(amount: Decimal) -> None:
    obj = {**CASH, "amount": f"{amount:f}"}
    fast = fast_parser("contribution")(obj)
    parsed = parse_objects([obj], "x")
    if fast is not None:
        assert parsed.ok
        assert parsed.events[0][1] == fast[0]
    assert parsed.ok == (0 < amount <= MAX_AMOUNT)


def test_dates_outside_the_for_year_range_are_invalid_input() -> None:
    proposal = {
        "id": "pz",
        "type": "proposal_submitted",
        "on": "9999-12-20",
        "proposal": "PZ",
        "body": "board",
        "kind": "ordinary",
        "subject": {"title": "x"},
        "submitted_by": "us-1",
    }
    [message] = _problems(json.dumps(proposal))
    assert message == (
        f'field on: expected an ISO date YYYY-MM-DD from {MIN_DATE} to {MAX_DATE}, got "9999-12-20"'
    )
    assert _problems(json.dumps({**CASH, "on": "1899-12-31"}))
    assert _problems(json.dumps({**CASH, "on": f"{MAX_DATE}"})) == []


def test_a_key_given_twice_rejects_the_line_naming_the_key() -> None:
    line = (
        '{"id":"c9","type":"contribution","on":"2025-10-01","partner":"dfc",'
        '"partner":"ppp_agency","kind":"cash","amount":"1.00","currency":"USD"}'
    )
    parsed = parse_lines([line, json.dumps(CASH)], "f.jsonl")
    assert [p.where for p in parsed.problems] == ["line 1 of f.jsonl"]
    assert parsed.problems[0].message.startswith("field partner: expected each key once")
    assert [n for n, _ in parsed.events] == [2]


def test_a_key_given_twice_inside_a_nested_object_is_found_too() -> None:
    line = (
        '{"id":"k1","type":"correction","on":"2025-10-06","corrects":"c1","reason":"x",'
        '"replacement":{"type":"commitment","type":"commitment","on":"2025-10-01",'
        '"partner":"dfc","amount":"1.00","currency":"USD"}}'
    )
    [message] = _problems(line)
    assert message.startswith("field type: expected each key once")


def test_colons_inside_strings_and_nested_objects_are_not_repeated_keys() -> None:
    line = json.dumps({**CASH, "note": "a: b: c", "source": "https://example.org/x"})
    assert _problems(line) == []


@given(st.sampled_from(sorted(k for k in CASH if k != "type")), st.sampled_from(["dfc", "x"]))
def test_every_line_that_repeats_a_key_is_refused(key: str, value: str) -> None:
    body = orjson.dumps(CASH).decode()
    line = body[:-1] + f",{json.dumps(key)}:{json.dumps(value)}}}"
    assert any(f"field {key}: expected each key once" in m for m in _problems(line))


def test_a_csv_header_naming_a_column_twice_is_refused() -> None:
    text = "id,type,on,partner,partner,kind,amount,currency\nc1,contribution,2025-10-01,dfc,ppp_agency,cash,1.00,USD\n"
    parsed = parse_csv(text, "f.csv")
    assert not parsed.events
    assert parsed.problems[0].message == (
        "expected each column once in the header, got partner more than once"
    )
