"""Reading event files: JSON Lines and CSV, every bad line reported in one pass."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from urif.core.errors import InvalidInput
from urif.events import (
    Contribution,
    CounterpartyRegistered,
    OfferDeclined,
    canonical_bytes,
    event_schema,
    parse_objects,
    read_file,
)

GOOD = {
    "id": "c-1",
    "type": "commitment",
    "on": "2025-09-17",
    "partner": "dfc",
    "amount": "75000000.00",
    "currency": "USD",
}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_file_gives_events_with_line_numbers_and_canonicals(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "events.jsonl",
        [json.dumps(GOOD), "", json.dumps({**GOOD, "id": "c-2", "partner": "ppp_agency"})],
    )
    parsed = read_file(path)
    assert parsed.ok
    assert [number for number, _ in parsed.events] == [1, 3]
    assert list(parsed.canonicals) == [canonical_bytes(e) for _, e in parsed.events]


def test_every_bad_line_is_reported_at_once_with_its_number(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "events.jsonl",
        [
            json.dumps(GOOD),
            "{not json",
            json.dumps({**GOOD, "id": "c-3", "amount": 12.5}),
            json.dumps({**GOOD, "id": "c-4", "type": "screening_completed"}),
            json.dumps([1, 2]),
        ],
    )
    parsed = read_file(path)
    wheres = [p.where for p in parsed.problems]
    name = str(path)
    assert wheres == [f"line {n} of {name}" for n in (2, 3, 4, 5)]
    assert "not valid JSON" in parsed.problems[0].message
    assert "got 12.5 (a JSON number)" in parsed.problems[1].message
    with pytest.raises(InvalidInput) as caught:
        parsed.raise_for_problems()
    assert len(caught.value.problems) == 4
    assert "nothing was recorded" in caught.value.message


def test_csv_columns_map_to_fields_with_dotted_nesting_and_json_cells(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "id,type,on,partner,kind,amount,currency,category,agreed,delivered_on,"
        "valuation.method,valuation.assessed_by,valuation.assessed_on,illustrative\n"
        "k-1,contribution,2025-11-01,dfc,in_kind,25000000.00,USD,air_defence,true,2025-10-20,"
        "mod_report,Ministry of Defence,2025-10-25,true\n"
        "k-2,contribution,2025-11-02,dfc,cash,1.00,USD,,,,,,,\n",
        encoding="utf-8",
    )
    parsed = read_file(path)
    assert parsed.ok, parsed.problems
    (_, first), (_, second) = parsed.events
    assert isinstance(first, Contribution)
    assert first.agreed
    assert first.illustrative
    assert first.valuation is not None
    assert first.valuation.assessed_by == "Ministry of Defence"
    assert isinstance(second, Contribution)
    assert second.amount == Decimal("1.00")
    assert [n for n, _ in parsed.events] == [2, 3]


def test_csv_owners_and_identifiers_as_json_cells(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text(
        "id,type,on,counterparty,name,kind,country,identifiers,owners\n"
        'r-1,counterparty_registered,2026-01-12,tm,TechMet,company,IE,"{""lei"": ""L1""}",'
        '"[{""owner"": ""dfc-holding"", ""share"": ""0.2""}]"\n'
        "o-1,offer_declined,2026-02-01,,,,,,\n",
        encoding="utf-8",
    )
    parsed = read_file(path)
    ((_, party),) = parsed.events
    assert isinstance(party, CounterpartyRegistered)
    assert party.identifiers == (("lei", "L1"),)
    assert party.owners[0].share == Decimal("0.2")
    assert [p.where for p in parsed.problems] == [f"line 3 of {path}"]
    assert "field opportunity: expected a value" in parsed.problems[0].message


def test_csv_bad_cells_are_reported_by_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,type,on,partner,amount,currency\n"
        "c-1,commitment,2025-09-17,dfc,lots,USD\n"
        "c-2,commitment,17/09/2025,dfc,1,USD\n",
        encoding="utf-8",
    )
    parsed = read_file(path)
    assert [(p.where, p.message.split(":")[0]) for p in parsed.problems] == [
        (f"line 2 of {path}", "field amount"),
        (f"line 3 of {path}", "field on"),
    ]


def test_objects_from_the_api_are_numbered_items() -> None:
    parsed = parse_objects([GOOD, {**GOOD, "id": "c-2", "currency": "XYZ"}], "request")
    assert len(parsed.events) == 1
    assert parsed.problems[0].where == "item 2 of request"


def test_offer_declined_terms_default_to_empty() -> None:
    parsed = parse_objects(
        [{"id": "o", "type": "offer_declined", "on": "2026-02-01", "opportunity": "op-1"}], "r"
    )
    ((_, event),) = parsed.events
    assert isinstance(event, OfferDeclined)
    assert event.terms.price is None


def test_missing_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        read_file(tmp_path / "absent.jsonl")


def test_schema_lists_file_types_closed_and_amounts_as_strings() -> None:
    schema = event_schema()
    refs = {branch["$ref"].rsplit("/", 1)[1] for branch in schema["oneOf"]}
    assert "contribution" in refs
    assert "decision_recorded" not in refs
    contribution = schema["$defs"]["contribution"]
    assert contribution["additionalProperties"] is False
    assert contribution["properties"]["amount"]["type"] == "string"
    assert contribution["properties"]["kind"]["enum"] == ["cash", "in_kind", "agreed_revenue"]
    assert schema["$defs"]["decision_recorded"]["x-system"] is True
    json.dumps(schema, allow_nan=False)


def test_cli_events_schema_prints_the_schema_as_json() -> None:
    from urif.cli.main import app

    result = CliRunner().invoke(app, ["events", "schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "urif event"


def test_lines_identical_to_stored_events_are_duplicates_without_reparsing() -> None:
    from urif.events import parse_lines

    first = parse_lines([json.dumps(GOOD)], "a.jsonl")
    stored = {GOOD["id"]: first.canonicals[0]}
    asked: list[list[str]] = []

    def known(ids: list[str]) -> dict[str, bytes]:
        asked.append(ids)
        return {i: stored[i] for i in ids if i in stored}

    reordered = json.dumps(dict(reversed(list(GOOD.items()))))
    changed = json.dumps({**GOOD, "amount": "75000000.0"})
    new = json.dumps({**GOOD, "id": "c-9"})
    parsed = parse_lines([reordered, changed, new, "{bad"], "b.jsonl", known=known)
    assert asked == [["c-1", "c-1", "c-9"]]
    assert parsed.duplicates == ((1, "c-1"),)
    assert [n for n, _ in parsed.events] == [2, 3]
    assert [p.where for p in parsed.problems] == ["line 4 of b.jsonl"]
