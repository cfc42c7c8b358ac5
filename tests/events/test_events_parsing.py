"""Parsing event objects: every type, field validation, and error messages that locate."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urif.core.errors import InvalidInput
from urif.events import (
    EVENT_TYPES,
    Contribution,
    ContributionKind,
    Correction,
    CounterpartyRegistered,
    FxRate,
    InKindValuation,
    OwnerShare,
    ProposalSubmitted,
    Valuation,
    event_from_json,
    event_problems,
    parse_event,
)
from urif.events.codec import parse_canonical

WHERE = "line 7 of events.jsonl"


def problems_of(obj: dict[str, object]) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_event(obj, WHERE)
    assert all(p.where == WHERE for p in caught.value.problems)
    return [p.message for p in caught.value.problems]


def cash(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "c-1",
        "type": "contribution",
        "on": "2025-09-17",
        "partner": "dfc",
        "kind": "cash",
        "amount": "75000000.00",
        "currency": "USD",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_every_design_type_has_a_class_and_system_events_are_marked() -> None:
    expected_file = {
        "fx_rate", "commitment", "contribution", "licence_issued", "state_receipt",
        "counterparty_registered", "member_appointed", "member_removed", "proposal_submitted",
        "vote_cast", "vote_changed", "site_consent", "opportunity_notified",
        "interest_expressed", "offer_declined", "third_party_terms", "investment",
        "project_income", "expense", "valuation", "distribution", "terms_amended", "correction",
    }  # fmt: skip
    expected_system = {
        "decision_recorded", "list_snapshot_loaded", "screening_completed", "case_opened",
        "case_decided",
    }  # fmt: skip
    assert {t for t, c in EVENT_TYPES.items() if not c.system} == expected_file
    assert {t for t, c in EVENT_TYPES.items() if c.system} == expected_system


def test_cash_contribution_parses_to_exact_decimal() -> None:
    event = parse_event(cash(), WHERE)
    assert isinstance(event, Contribution)
    assert event.amount == Decimal("75000000.00")
    assert event.kind is ContributionKind.CASH
    assert event.on == dt.date(2025, 9, 17)
    assert event.illustrative is False


def test_in_kind_contribution_carries_its_valuation() -> None:
    event = parse_event(
        cash(
            kind="in_kind",
            category="air_defence",
            agreed=True,
            delivered_on="2025-10-02",
            valuation={"method": "mod_report", "assessed_by": "MoD", "assessed_on": "2025-10-10"},
        ),
        WHERE,
    )
    assert isinstance(event, Contribution)
    assert event.valuation == InKindValuation("mod_report", "MoD", dt.date(2025, 10, 10))


def test_json_number_amount_is_refused_with_field_expected_and_got() -> None:
    (message,) = problems_of(cash(amount=75000000.5))
    assert message.startswith("field amount: expected a decimal string")
    assert "got 75000000.5 (a JSON number)" in message


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("on", "2025-9-17", "expected an ISO date YYYY-MM-DD"),
        ("on", "2025-02-30", "expected an ISO date YYYY-MM-DD"),
        ("on", "2025-W01-1", "expected an ISO date YYYY-MM-DD"),
        ("currency", "usd", "ISO 4217"),
        ("currency", "ABC", "ISO 4217"),
        ("kind", "gift", "one of cash, in_kind, agreed_revenue"),
        ("amount", "-5", "greater than 0"),
        ("amount", "1e6", "decimal string"),
        ("amount", "NaN", "decimal string"),
        ("partner", "", "an identifier"),
        ("id", " padded", "an identifier"),
        ("illustrative", "yes", "true or false"),
    ],
)
def test_bad_field_is_named_with_expected_and_got(field: str, value: object, fragment: str) -> None:
    messages = problems_of(cash(**{field: value}))
    assert any(m.startswith(f"field {field}: expected") and fragment in m for m in messages), (
        messages
    )


def test_unknown_field_and_unknown_type_are_refused() -> None:
    (message,) = problems_of(cash(colour="blue"))
    assert message.startswith("field colour: expected one of the fields of contribution")
    assert '"blue"' in message
    (message,) = problems_of({"id": "x", "type": "gift", "on": "2025-01-01"})
    assert message.startswith("field type: expected one of ")
    assert '"gift"' in message


def test_every_problem_of_a_line_is_reported_at_once() -> None:
    messages = problems_of(cash(amount=1, currency="usd", on="tomorrow", extra="x"))
    assert {m.split(":")[0] for m in messages} == {
        "field amount",
        "field currency",
        "field on",
        "field extra",
    }


def test_missing_required_field_is_named() -> None:
    obj = cash()
    del obj["partner"]
    assert problems_of(obj) == ["field partner: expected a value (required), got nothing"]


def test_system_events_are_refused_from_files_but_read_back_from_the_log() -> None:
    obj = {
        "id": "d-1",
        "type": "decision_recorded",
        "on": "2025-10-01",
        "proposal": "P-1",
        "outcome": "approved",
        "reason": "unanimous",
        "counts": {"us_yes": 3, "ua_yes": 3},
    }
    (message,) = problems_of(obj)
    assert "system events are written by urif itself" in message
    event = event_from_json(obj)
    assert event.system
    assert event.type == "decision_recorded"


def test_kind_specific_contribution_fields_are_checked() -> None:
    assert problems_of(cash(for_year=2025)) == [
        "field for_year: expected no value (only for kind agreed_revenue), got kind cash"
    ]
    messages = problems_of(cash(kind="in_kind"))
    assert {m.split(":")[0] for m in messages} == {
        "field category",
        "field valuation",
        "field delivered_on",
    }
    assert problems_of(cash(kind="agreed_revenue")) == [
        "field for_year: expected a value (required for kind agreed_revenue), got nothing"
    ]


def in_kind(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "kind": "in_kind",
        "category": "air_defence",
        "valuation": {
            "method": "assessed_value",
            "assessed_by": "MoD",
            "assessed_on": "2025-09-10",
        },
        "agreed": True,
        "delivered_on": "2025-09-01",
    }
    return cash(**{**fields, **changes})


def test_an_in_kind_line_reports_every_missing_field_besides_a_bad_one() -> None:
    obj = in_kind(amount="lots")
    del obj["category"], obj["valuation"]
    assert problems_of(obj) == [
        'field amount: expected a decimal string such as "1250.00" greater than 0 and at most 999999999999.99, got "lots"',
        "field category: expected a value (required for kind in_kind), got nothing",
        "field valuation: expected a value (required for kind in_kind), got nothing",
    ]
    partial = in_kind(valuation={"method": "assessed_value"})
    del partial["category"]
    assert [m.split(":")[0] for m in problems_of(partial)] == [
        "field category",
        "field valuation.assessed_by",
        "field valuation.assessed_on",
    ]


def test_a_bad_field_is_not_also_reported_as_missing() -> None:
    assert problems_of(in_kind(category="")) == [
        'field category: expected a non-empty string, got ""'
    ]
    # the kind decides which fields are needed: a bad kind reports only itself
    obj = in_kind(kind="gift")
    del obj["category"]
    (message,) = problems_of(obj)
    assert message.startswith("field kind: expected one of cash, in_kind, agreed_revenue")


#: Fields an in_kind contribution may lack, and fields a test may spoil, with a bad value.
_DROPPABLE = ("category", "valuation", "delivered_on")
_SPOILABLE = {
    "on": "2025-13-01",
    "partner": " dfc",
    "amount": "-1",
    "currency": "usd",
    "agreed": "yes",
}
_FIELD_ORDER = [f.name for f in dataclasses.fields(Contribution)]


@given(
    dropped=st.sets(st.sampled_from(_DROPPABLE)),
    spoiled=st.sets(st.sampled_from(sorted(_SPOILABLE))),
)
def test_every_missing_and_every_bad_field_is_reported_once_in_field_order(
    dropped: set[str], spoiled: set[str]
) -> None:
    obj = in_kind(**{name: _SPOILABLE[name] for name in spoiled})
    for name in dropped:
        del obj[name]
    event, problems = event_problems(obj, WHERE)
    fields = [p.message.split(":")[0].removeprefix("field ") for p in problems]
    assert fields == sorted(dropped | spoiled, key=_FIELD_ORDER.index)
    assert all(p.where == WHERE for p in problems)
    assert (event is None) == bool(dropped | spoiled)


def test_nested_fields_are_located_by_dotted_path() -> None:
    messages = problems_of(
        cash(
            kind="in_kind",
            category="x",
            delivered_on="2025-10-02",
            valuation={"method": "m", "assessed_by": "MoD", "assessed_on": "10/10/2025", "z": 1},
        )
    )
    assert any(m.startswith("field valuation.assessed_on: expected an ISO date") for m in messages)
    assert any(m.startswith("field valuation.z: expected one of the fields") for m in messages)


def counterparty(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "cp-1",
        "type": "counterparty_registered",
        "on": "2026-01-12",
        "counterparty": "techmet-dobra",
        "name": "TechMet Dobra",
        "kind": "company",
        "country": "UA",
        "identifiers": {"edrpou": "12345678", "lei": "LEI1"},
        "owners": [{"owner": "techmet", "share": "0.60"}, {"owner": "other", "share": "0.40"}],
    }
    base.update(changes)
    return base


def test_counterparty_owners_and_identifiers_become_sorted_tuples() -> None:
    event = parse_event(counterparty(), WHERE)
    assert isinstance(event, CounterpartyRegistered)
    assert event.identifiers == (("edrpou", "12345678"), ("lei", "LEI1"))
    assert event.owners == (
        OwnerShare("techmet", Decimal("0.60")),
        OwnerShare("other", Decimal("0.40")),
    )


def test_counterparty_checks_country_and_owner_shares() -> None:
    messages = problems_of(
        counterparty(country="UK", owners=[{"owner": "a", "share": "1.5"}, {"owner": "b"}])
    )
    assert any(m.startswith("field country: expected an ISO 3166-1 alpha-2") for m in messages)
    assert any(m.startswith("field owners[0].share: expected a decimal") for m in messages)
    assert any(m.startswith("field owners[1].share: expected a value") for m in messages)
    assert problems_of(
        counterparty(owners=[{"owner": "a", "share": "0.7"}, {"owner": "b", "share": "0.4"}])
    ) == ["field owners: expected shares summing to at most 1, got a sum of 1.1"]


def test_proposal_subject_requirements_follow_its_kind() -> None:
    base = {
        "id": "p-1",
        "type": "proposal_submitted",
        "on": "2026-02-01",
        "proposal": "P-1",
        "body": "board",
        "kind": "investment",
        "subject": {"project": "dobra", "amount": "1000000", "currency": "USD"},
        "submitted_by": "ua-1",
    }
    assert problems_of(base) == [
        "field subject.counterparty: expected a value (required for kind investment), got nothing"
    ]
    ordinary = {**base, "kind": "ordinary", "subject": {"title": "Adopt the audit plan"}}
    assert isinstance(parse_event(ordinary, WHERE), ProposalSubmitted)


def test_fx_rate_with_equal_currencies_is_refused() -> None:
    obj = {"id": "fx", "type": "fx_rate", "on": "2025-09-17", "base": "USD", "quote": "USD"}
    assert problems_of({**obj, "rate": "1"}) == [
        'field quote: expected a currency other than base USD, got "USD"'
    ]
    event = parse_event({**obj, "quote": "UAH", "rate": "41.2574", "source": "NBU"}, WHERE)
    assert isinstance(event, FxRate)
    assert event.rate == Decimal("41.2574")


def test_valuation_level_is_one_to_three() -> None:
    obj = {
        "id": "v",
        "type": "valuation",
        "on": "2026-12-31",
        "project": "dobra",
        "fair_value": "0",
        "currency": "USD",
        "method": "dcf",
        "level": 3,
    }
    assert isinstance(parse_event(obj, WHERE), Valuation)
    assert problems_of({**obj, "level": 4})[0].startswith("field level: expected one of 1, 2, 3")


def test_correction_replacement_takes_the_correction_id_and_is_validated() -> None:
    obj = {
        "id": "k-1",
        "type": "correction",
        "on": "2025-09-18",
        "corrects": "c-1",
        "reason": "wrong amount",
        "replacement": {k: v for k, v in cash(amount="70000000.00").items() if k != "id"},
    }
    event = parse_event(obj, WHERE)
    assert isinstance(event, Correction)
    assert isinstance(event.replacement, Contribution)
    assert event.replacement.id == "k-1"
    bad = {**obj, "replacement": {**obj["replacement"], "amount": "x"}}  # type: ignore[dict-item]
    assert problems_of(bad)[0].startswith("field replacement.amount: expected a decimal")
    nested = {**obj, "replacement": {**obj, "id": None}}
    assert "correction" in problems_of(nested)[0]


def test_fast_canonical_of_a_parsed_line_equals_canonical_bytes() -> None:
    from urif.events import canonical_bytes

    for obj in (cash(), cash(illustrative=False, note="x", amount="+007.50"), counterparty()):
        event, problems, canonical = parse_canonical(obj, WHERE)
        assert not problems
        assert event is not None
        assert canonical == canonical_bytes(event)
