"""Name matching by the parts of a person's name: short forms, initials, common namesakes,
birth dates and countries as evidence."""

from __future__ import annotations

import random
import string

import pytest

from urif.compliance.matcher import Matcher, NamedRecord, Query, Thresholds
from urif.compliance.normalise import NORMAL, analyse, family_words

PUTIN = NamedRecord(
    "ofac-sdn",
    "p-1",
    "person",
    ("PUTIN, Vladimir Vladimirovich",),
    countries=("ru",),
    birth_dates=("1952-10-07",),
)
RECORDS = (
    PUTIN,
    NamedRecord(
        "eu-269",
        "p-2",
        "person",
        ("Yelena Veniaminovna BONDARENKO", "Елена Вениаминовна БОНДАРЕНКО"),
        birth_dates=("1968-08-09",),
    ),
    NamedRecord("eu-269", "p-3", "person", ("Igor Yurevich KASTYUKEVICH",)),
    NamedRecord("ofac-sdn", "p-4", "person", ("GOMEZ JARAMILLO, Olga Cecilia",)),
    NamedRecord(
        "un-sc",
        "p-5",
        "person",
        ("HASSAN, Mohammed",),
        birth_dates=("1970-05-01",),
        countries=("iq",),
    ),
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(8)).title()


def _filler() -> tuple[NamedRecord, ...]:
    """Listed people who make Mohammed and Hassan common words of the list."""
    rng = random.Random(3)
    out = []
    for n in range(120):
        out.append(NamedRecord("un-sc", f"f-{n}", "person", (f"{_word(rng)}, Mohammed",)))
        out.append(NamedRecord("un-sc", f"g-{n}", "person", (f"HASSAN, {_word(rng)}",)))
    return tuple(out)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(RECORDS + _filler())


def decision(matcher: Matcher, query: Query, entity: str) -> str:
    result = matcher.screen(query)
    hits = [h for h in result.hits if h.entity_id == entity]
    return hits[0].decision if hits else "clear"


def test_family_name_is_found_by_comma_capitals_patronymic_or_position() -> None:
    assert family_words("PUTIN, Vladimir Vladimirovich") == {0}
    assert family_words("Igor Yurevich KASTYUKEVICH") == {2}
    assert family_words("Путин Владимир Владимирович") == {0}
    assert family_words("Olga Gomez") == {1}
    form = analyse("GOMEZ JARAMILLO, Olga Cecilia", "person")[0]
    assert [form.tokens[i] for i in form.family] == ["gomez", "iaramilo"]


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("V. Putin", "p-1"),
        ("Putin V.V.", "p-1"),
        ("Putin V.", "p-1"),
        ("Y. Bondarenko", "p-2"),  # Yelena folds to elena: the initial still agrees
        ("E. Bondarenko", "p-2"),
        ("O. Bondarenko", "p-2"),  # Olena, the Ukrainian form
        ("I. Kastyukevich", "p-3"),  # a family name in -evich is not a patronymic
    ],
)
def test_initials_that_agree_with_the_given_names_are_flagged(
    matcher: Matcher, name: str, entity: str
) -> None:
    assert decision(matcher, Query(name, "person"), entity) == "review"


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("Vladimir Putin", "p-1"),
        ("Elena Bondarenko", "p-2"),
        ("Igor Kastyukevich", "p-3"),
        ("Olga Gomez", "p-4"),  # first given name and first family name
    ],
)
def test_short_forms_are_reviewed_not_blocked_on_the_name_alone(
    matcher: Matcher, name: str, entity: str
) -> None:
    result = matcher.screen(Query(name, "person"))
    hit = next(h for h in result.hits if h.entity_id == entity)
    assert hit.decision == "review"
    assert any("agree" in feature for feature in hit.explanation), hit.explanation


def test_short_form_with_matching_birth_date_and_country_is_blocked(matcher: Matcher) -> None:
    query = Query("Vladimir Putin", "person", country="RU", birth_date="1952-10-7")
    assert decision(matcher, query, "p-1") == "blocked"


def test_wrong_initial_is_clear(matcher: Matcher) -> None:
    assert decision(matcher, Query("P. Putin", "person"), "p-1") == "clear"
    assert decision(matcher, Query("Olga Jaramillo Cecilia Smith", "person"), "p-4") == "clear"


def test_a_distinctive_family_name_alone_is_reviewed_never_blocked(matcher: Matcher) -> None:
    # urif-names-4: people are named by their family name alone (press, payment notes).
    assert decision(matcher, Query("Putin", "person"), "p-1") == "review"
    corroborated = Query("Putin", "person", country="RU", birth_date="1952-10-07")
    assert decision(matcher, corroborated, "p-1") == "review"
    hit = next(h for h in matcher.screen(Query("Putin")).hits if h.entity_id == "p-1")
    assert "family name alone: at most 0.83" in hit.explanation
    # A family name that many listed people carry is not distinctive on its own.
    assert decision(matcher, Query("Hassan", "person"), "p-5") == "clear"


def test_later_given_name_with_the_family_name_is_not_a_short_form(matcher: Matcher) -> None:
    assert decision(matcher, Query("Cecilia Gomez", "person"), "p-4") == "clear"


def test_second_family_name_alone_is_not_a_short_form(matcher: Matcher) -> None:
    assert decision(matcher, Query("Olga Jaramillo", "person"), "p-4") == "clear"
    assert decision(matcher, Query("Olga Gomez Jaramillo", "person"), "p-4") != "clear"


def test_namesake_with_a_conflicting_birth_date_is_not_blocked(matcher: Matcher) -> None:
    exact = Query("Vladimir Vladimirovich Putin", "person")
    assert decision(matcher, exact, "p-1") == "blocked"
    other = Query("Vladimir Vladimirovich Putin", "person", birth_date="1991-02-03")
    assert decision(matcher, other, "p-1") == "clear"


def test_common_namesake_needs_corroboration(matcher: Matcher) -> None:
    bare = matcher.screen(Query("Mohammed Hassan", "person"))
    assert bare.decision == "clear"
    born = Query("Mohammed Hassan", "person", birth_date="1970-05-01")
    assert decision(matcher, born, "p-5") == "review"
    both = Query("Mohammed Hassan", "person", birth_date="1970-05-01", country="IQ")
    hit = next(h for h in matcher.screen(both).hits if h.entity_id == "p-5")
    assert hit.score > matcher.screen(born).hits[0].score
    assert any("common names" in feature for feature in hit.explanation)
    assert any("birth date" in feature for feature in hit.explanation)
    elsewhere = Query("Mohammed Hassan", "person", birth_date="1970-05-01", country="FR")
    lower = next(h for h in matcher.screen(elsewhere).hits if h.entity_id == "p-5")
    assert lower.score < matcher.screen(born).hits[0].score
    assert decision(matcher, Query("Mohammed Hassan", "person", country="FR"), "p-5") == "clear"


def test_lee_is_a_name_not_a_particle() -> None:
    form = analyse("Patricia Lee", "person")[0]
    assert form.roles == (NORMAL, NORMAL)


def test_scores_stay_in_bands_and_thresholds_hold(matcher: Matcher) -> None:
    for name in ("V. Putin", "Vladimir Putin", "Mohammed Hassan", "Olga Gomez"):
        for hit in matcher.screen(Query(name, "person")).hits:
            assert 0.0 <= hit.score <= 1.0
            assert hit.decision == Thresholds().decision(hit.score)
