"""Name matching: normalisation, romanisation, scoring, the matcher API, bad input, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from urif.cli.main import app
from urif.compliance.evaluation import score_pair
from urif.compliance.matcher import Matcher, NamedRecord, Query, Thresholds
from urif.compliance.normalise import analyse, check_name, clean
from urif.compliance.transliterate import romanise, skeleton
from urif.core.errors import Blocked, InvalidInput

FIXTURES = Path(__file__).parent / "fixtures"

RECORDS = (
    NamedRecord(
        "eu-269",
        "eu-1",
        "person",
        ("Aleksandr Viktorovich ERMAKOV", "Александр Викторович ЕРМАКОВ"),
        countries=("ru",),
        birth_dates=("1962-03-14",),
    ),
    NamedRecord(
        "eu-269",
        "eu-2",
        "person",
        ("Mikhail Borisovich KHODORKOVSKY", "Михаил Борисович ХОДОРКОВСКИЙ"),
        birth_dates=("1963-06-26",),
    ),
    NamedRecord("ofac-sdn", "ofac-3", "person", ("PETROV, Ivan Sergeyevich",)),
    NamedRecord(
        "eu-833",
        "eu-4",
        "company",
        ("OOO Romashka Trade", "ООО «Ромашка Трейд»"),
        identifiers=("7707083893",),
    ),
    NamedRecord("ofac-sdn", "ofac-5", "vessel", ("SEA EAGLE",), identifiers=("IMO 9123456",)),
    NamedRecord("un-sc", "un-6", "company", ("Alpha Trade Bank Holding",)),
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(RECORDS)


def flagged(matcher: Matcher, query: Query, entity: str) -> bool:
    result = matcher.screen(query)
    return any(h.entity_id == entity for h in result.hits) and result.decision != "clear"


def test_german_and_french_press_romanisations_meet_on_one_skeleton() -> None:
    assert romanise("Ходорковский", "german_press") == "chodorkowski"
    assert romanise("Ходорковский", "french_press") == "khodorkovski"
    assert {skeleton(x) for x in ("Jermakow", "Iermakov", "Yermakov", "Ermakov")} == {"ermakov"}


@pytest.mark.parametrize(
    "name",
    [
        "Alexander Jermakow",
        "Aleksandr Iermakov",
        "Ermakov Aleksandr",
        "ЕРМАКОВ Александр",
        "Oleksandr Yermakov",
        "A. Ermakov",
        "Aleksandr Ermakow Viktorovich",
        "ALEKSANDR ERMAKOV",
    ],
)
def test_variants_of_a_listed_person_are_flagged(matcher: Matcher, name: str) -> None:
    assert flagged(matcher, Query(name, "person"), "eu-1")


@pytest.mark.parametrize(
    "name", ["Michail Chodorkowski", "Mikhaïl Khodorkovski", "Khodorkovskiy Mikhail"]
)
def test_press_spellings_of_cyrillic_names_are_flagged(matcher: Matcher, name: str) -> None:
    assert flagged(matcher, Query(name), "eu-2")


def test_feminine_form_of_a_family_name_is_not_the_listed_man(matcher: Matcher) -> None:
    assert not flagged(matcher, Query("Ivan Petrova", "person"), "ofac-3")
    assert score_pair("Person", "Ivan Petrov", "Ivan Petrova") < Thresholds().review


def test_same_family_name_with_another_given_name_is_clear(matcher: Matcher) -> None:
    assert matcher.screen(Query("Sergei Petrov", "person")).decision == "clear"


def test_generic_words_never_match_alone(matcher: Matcher) -> None:
    result = matcher.screen(Query("Omega Trade Bank Holding", "company"))
    assert result.decision == "clear", result.hits


def test_legal_forms_and_scripts_are_normalised(matcher: Matcher) -> None:
    for name in ("ТОВ Ромашка Трейд", "Romashka Trade LLC", "«Ромашка Трейд» АО"):
        assert flagged(matcher, Query(name, "company"), "eu-4"), name


def test_a_person_query_never_hits_a_vessel(matcher: Matcher) -> None:
    assert not flagged(matcher, Query("Sea Eagle", "person"), "ofac-5")
    assert flagged(matcher, Query("Sea Eagle", "vessel"), "ofac-5")


def test_identifier_match_blocks_whatever_the_name(matcher: Matcher) -> None:
    result = matcher.screen(Query("Some Shipping", identifiers=("IMO9123456",)))
    assert result.decision == "blocked"
    assert result.hits[0].entity_id == "ofac-5"
    assert "identifier" in result.hits[0].explanation[0]


def test_birth_date_conflict_lowers_and_match_raises(matcher: Matcher) -> None:
    base = matcher.screen(Query("Aleksandr Ermakov", "person")).hits[0].score
    same = matcher.screen(Query("Aleksandr Ermakov", "person", birth_date="1962-3-14")).hits
    other = matcher.screen(Query("Aleksandr Ermakov", "person", birth_date="1990"))
    assert same[0].score > base
    assert all(h.entity_id != "eu-1" or h.score < base for h in other.hits)
    assert any("birth date" in e for e in same[0].explanation)


def test_unparseable_birth_date_is_ignored_with_a_warning(matcher: Matcher) -> None:
    result = matcher.screen(Query("Aleksandr Ermakov", "person", birth_date="14 March"))
    assert result.warnings
    assert result.hits


def test_saved_index_loads_with_the_same_answers(matcher: Matcher, tmp_path: Path) -> None:
    path = tmp_path / "index.pkl"
    matcher.save(path)
    again = Matcher.load(path)
    query = Query("Jermakow Alexander", "person")
    assert again.screen(query) == matcher.screen(query)


@pytest.mark.parametrize(
    "bad", ["", " ", "x", "...", "!!!???", "\u200b\u200c", "a" * 10_000, "\x00\x01"]
)
def test_bad_names_raise_invalid_input(matcher: Matcher, bad: str) -> None:
    with pytest.raises(InvalidInput):
        matcher.screen(Query(bad))


@pytest.mark.parametrize(
    "odd", ["Vla\u200bdimir Put\u200din", "Vlаdimir", "Ермakov", "Jo\udcffhn Smith"]
)
def test_odd_but_screenable_names_give_a_result(matcher: Matcher, odd: str) -> None:
    assert matcher.screen(Query(odd)).decision in ("clear", "review", "blocked")


def test_invalid_utf8_bytes_are_cleaned() -> None:
    assert clean(b"Iv\xffan") == "ivan"
    assert check_name(b"Iv\xc3an") == "ivan"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_screening_any_text_never_crashes(matcher: Matcher, text: str) -> None:
    try:
        result = matcher.screen(Query(text))
    except InvalidInput:
        return
    assert result.decision in ("clear", "review", "blocked")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L"]), min_size=2, max_size=20))
def test_name_score_is_symmetric_in_word_order(word: str) -> None:
    forms = analyse(f"{word} Smith", "person")
    if forms:
        assert score_pair("Person", f"{word} Smith", f"Smith {word}") == pytest.approx(1.0)


def test_eval_pairs_on_the_held_out_split_reaches_f1_085() -> None:
    result = CliRunner().invoke(
        app, ["eval", "pairs", str(FIXTURES / "pairs_heldout.csv"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["f1"] >= 0.85
    assert {"threshold", "precision", "recall", "by_schema", "curve"} <= data.keys()


def test_eval_pairs_reports_bad_labels_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("schema,name1,name2,is_match\nPerson,A B,A B,maybe\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "pairs", str(path)])
    assert result.exit_code != 0


_SDN = (
    "ent_num,SDN_name,SDN_type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,"
    "Vess_owner,Remarks\n"
    '1,"ERMAKOV, Aleksandr Viktorovich","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,'
    '-0- ,-0- ,-0- ,"DOB 14 Mar 1962; nationality Russia."\n'
    '2,"ROMASHKA TRADE, OOO",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
)


@pytest.fixture
def shipped_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sanctions" / "ofac-sdn-2024-06"
    folder.mkdir(parents=True)
    (folder / "sdn.csv").write_text(_SDN, encoding="utf-8")
    monkeypatch.setenv("URIF_SANCTIONS_DIR", str(tmp_path / "sanctions"))
    monkeypatch.setenv("URIF_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def test_screen_without_a_database_uses_the_shipped_lists(shipped_lists: Path) -> None:
    db = f"sqlite:///{shipped_lists / 'absent.db'}"
    result = CliRunner().invoke(app, ["--db", db, "screen", "Alexander Jermakow", "--json"])
    assert result.exit_code == 0, result.output  # review exits 0; blocked would exit 4
    data = json.loads(result.stdout)
    assert data["decision"] == "review"
    hit = data["hits"][0]
    assert {"list", "entity_id", "matched_name", "score", "explanation"} <= hit.keys()
    assert data["lists"][0]["list"] == "ofac-sdn"
    assert not (shipped_lists / "absent.db").exists()


def test_screen_batch_gives_one_line_per_row_in_order(shipped_lists: Path) -> None:
    csv_path = shipped_lists / "batch.csv"
    csv_path.write_bytes(
        b"id,name,kind,country,birth_date\n"
        b"a,Aleksandr Ermakov,person,RU,1962-3-14\n"
        b"b,,person,,\n"
        b"c,Jane Doe,person,GB,not a date\n"
        b"d,Romashka Trade LLC,company,,\n"
        b"e,Iv\xffan Ivanov,,,1970\n"
    )
    db = f"sqlite:///{shipped_lists / 'absent.db'}"
    result = CliRunner().invoke(app, ["--db", db, "screen", "--file", str(csv_path), "--json"])
    # a blocked row makes the command exit 4 (Blocked) after every row is written
    assert isinstance(result.exception, Blocked), result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert [x["id"] for x in lines] == ["a", "b", "c", "d", "e"]
    assert lines[0]["decision"] == "blocked"
    assert "error" in lines[1]
    assert lines[2]["decision"] == "clear"
    assert lines[3]["decision"] != "clear"
