"""Broken term files: every problem names the file, the line, the key path, expected and got."""

from __future__ import annotations

from pathlib import Path

import pytest

from urif.core.errors import InvalidInput
from urif.terms import load_termset_file

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"

# fixture name → (line, key path, words the message must contain)
CASES: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "share-out-of-range": (
        25,
        "parameters.revenue_share.values[0].value",
        ("expected a decimal string from 0 to 1", "got '1.5'"),
    ),
    "float-share": (25, "parameters.revenue_share.values[0].value", ("got 0.5 (float)",)),
    "unknown-resource": (
        29,
        "parameters.annex_resources.values[0].value",
        ("expected a known resource id", "listed one by one", "got 'rare_earths'"),
    ),
    "duplicate-resource": (
        29,
        "parameters.annex_resources.values[0].value",
        ("expected each item once", "got 'neodymium' twice"),
    ),
    "effective-before-agreement": (
        25,
        "parameters.revenue_share.values[0].effective_from",
        ("before the agreement existed", "on or after 2025-02-01", "got 2024-12-01"),
    ),
    "effective-before-set": (
        25,
        "parameters.revenue_share.values[0].effective_from",
        ("before the term set begins", "effective_from 2025-05-23", "got 2025-04-30"),
    ),
    "first-value-late": (
        25,
        "parameters.revenue_share.values[0].effective_from",
        ("expected the first value in force from", "2025-05-23", "got 2025-06-01"),
    ),
    "dates-out-of-order": (
        130,
        "parameters.board_seats.values[1].effective_from",
        ("increasing order", "after 2025-05-23", "got 2025-05-23"),
    ),
    "duplicate-key": (
        24,
        "parameters.revenue_share.meaning",
        ("duplicate key", "each key once", "got 'meaning' again (first on line 23)"),
    ),
    "missing-source": (
        25,
        "parameters.revenue_share.values[0].source",
        ("missing source", "got nothing"),
    ),
    "unknown-status": (
        25,
        "parameters.revenue_share.values[0].status",
        ("expected one of known, reported, assumed, disputed", "got 'confirmed'"),
    ),
    "assumed-without-alternatives": (
        25,
        "parameters.revenue_share.values[0].alternatives",
        ("missing alternatives", "an assumed parameter", "got nothing"),
    ),
    "alternative-equals-value": (
        25,
        "parameters.revenue_share.values[0].alternatives[0]",
        ("an alternative other than the value itself", "got '0.5'"),
    ),
    "missing-parameter": (
        9,
        "parameters.board_seats",
        ("missing parameter", "expected board_seats", "got nothing"),
    ),
    "wrong-seats": (
        129,
        "parameters.board_seats.values[0].value",
        ("expected seats per side {us: N, ua: N}", "got 'three'"),
    ),
    "unknown-choice": (
        101,
        "parameters.distribution_rule.values[0].value",
        ("expected one of pro_rata_capital, fixed_50_50, us_first_preferred", "got 'whatever'"),
    ),
    "bad-month-day": (
        45,
        "parameters.transfer_due.values[0].value",
        ('expected a month and day "MM-DD"', "got '13-01'"),
    ),
    "bad-url": (
        25,
        "parameters.revenue_share.values[0].source.url",
        ("expected an http(s) URL", "got 'www.example.org/agreement'"),
    ),
    "unknown-document": (
        25,
        "parameters.revenue_share.values[0].source.document",
        ("unknown document", "(agreement, res1616)", "got 'treaty'"),
    ),
    "bad-date": (
        25,
        "parameters.revenue_share.values[0].effective_from",
        ("expected an ISO date YYYY-MM-DD", "got '23.05.2025'"),
    ),
    "yaml-syntax": (11, "", ("expected valid YAML", "got")),
    "not-a-mapping": (1, "", ("expected a term file with keys version", "got a list")),
}


def _problems(name: str) -> tuple[Path, InvalidInput]:
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(InvalidInput) as caught:
        load_termset_file(path)
    return path, caught.value


def test_every_broken_fixture_has_a_case() -> None:
    # reading-*.yaml (files with extends) have their cases in test_terms_readings.py
    shipped = {p.stem for p in BROKEN.glob("*.yaml") if not p.stem.startswith("reading-")}
    assert shipped == set(CASES) | {"many-problems", "unknown-key", "unknown-parameter"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_names_file_line_path_expected_and_got(name: str) -> None:
    line, key_path, words = CASES[name]
    path, error = _problems(name)
    assert len(error.problems) == 1, str(error)
    problem = error.problems[0]
    where = f"{path} line {line}" + (f", {key_path}" if key_path else "")
    assert problem.where == where
    assert "expected" in problem.message
    assert "got" in problem.message
    for word in words:
        assert word in problem.message, problem.message
    assert str(path) in str(error)
    assert "1 problem" in error.message


def test_misspelt_key_is_unknown_and_the_real_key_missing() -> None:
    _, error = _problems("unknown-key")
    messages = [str(p) for p in error.problems]
    assert len(messages) == 2
    assert "unknown key" in messages[0]
    assert "got 'efective_from'" in messages[0]
    assert "missing effective_from" in messages[1]


def test_misspelt_parameter_suggests_the_catalogue_name() -> None:
    _, error = _problems("unknown-parameter")
    text = str(error)
    assert "unknown parameter" in text
    assert "did you mean 'revenue_share'?" in text
    assert "missing parameter: expected revenue_share" in text


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    path, error = _problems("many-problems")
    assert error.message == f"term file {path}: 4 problems"
    paths = [p.where.split(", ", 1)[1] for p in error.problems]
    assert paths == [
        "parameters.revenue_share.values[0].value",
        "parameters.annex_resources.values[0].value",
        "parameters.distribution_rule.values[0].value",
        "parameters.board_seats.values[0].value",
    ]


def test_the_valid_fixture_loads() -> None:
    termset = load_termset_file(FIXTURES / "valid-minimal.yaml")
    assert termset.version == "fixture-valid"
    assert str(termset.latest().transfer_due) == "04-01"


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    from urif.core.errors import NotFound

    with pytest.raises(NotFound, match="cannot read it"):
        load_termset_file(tmp_path / "absent.yaml")
