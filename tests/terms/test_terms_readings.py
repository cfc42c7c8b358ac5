"""Readings: term files that ``extends`` another set and override a few of its parameters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from urif.cli import terms as terms_cli
from urif.core.errors import InvalidInput, NotFound
from urif.terms import (
    Status,
    TermSet,
    diff,
    list_versions,
    load_termset,
    load_termset_file,
    load_termsets,
    parse_termset,
)
from urif.terms import loader as terms_loader
from urif.terms.catalogue import BadValue

SIGNED = "signed-2025-04-30"
BROAD = "signed-2025-04-30-broad"
FIFTY = "signed-2025-04-30-fifty-fifty"
READINGS = {BROAD: ("new_licence_reading",), FIFTY: ("allocation_basis", "distribution_rule")}
BROKEN = Path(__file__).parent / "fixtures" / "broken"
NORTON_ROSE = (
    "https://www.nortonrosefulbright.com/en-sg/knowledge/publications/7516f1f6/"
    "us-ukraine-minerals-deal-digging-into-the-detail"
)
KINSTELLAR = (
    "https://www.kinstellar.com/news-and-insights/detail/3410/"
    "commentary-re-the-us-ukraine-reconstruction-investment-fund-agreement"
)
# The parity statements of reference/agreement.md §1b ("Parity principle") and §1e.
PARITY_URLS = (
    "https://www.lucorg.com/?p=19522",
    "https://www.pravda.com.ua/eng/news/2025/04/30/7509941/",
    "https://thedeepdive.ca/us-ukraine-finalize-minerals-agreement-after-extended-negotiations",
    "https://pinchy.cc/ukraine-us-minerals-agreement/1",
)


def _reading(tmp_path: Path, body: str, *, extends: str = SIGNED, name: str = "r") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"version: {name}\ntitle: A reading for tests\nextends: {extends}\n{body}",
        encoding="utf-8",
    )
    return path


def _override(path: str, value: str, /, **fields: str) -> str:
    entry = {
        "value": value,
        "effective_from": "2025-05-23",
        "status": "disputed",
        "source": '{document: agreement, clause: "Art. VI", url: "https://example.org/a"}',
        "alternatives": '["strict"]',
        **fields,
    }
    lines = [f"    {key}: {text}" for key, text in entry.items() if text != "-"]
    return f"parameters:\n  {path}:\n" + "\n".join(lines) + "\n"


# --- the shipped readings ---------------------------------------------------------------


@pytest.mark.parametrize("version", sorted(READINGS))
def test_shipped_reading_extends_the_signed_set_and_diff_shows_exactly_its_overrides(
    version: str,
) -> None:
    base, reading = load_termset(SIGNED), load_termset(version)
    assert reading.kind == "reading"
    assert reading.extends == SIGNED
    assert reading.overrides == READINGS[version]
    assert reading.effective_from == base.effective_from
    assert tuple(c.path for c in diff(base, reading)) == READINGS[version]
    for day in (dt.date(2025, 6, 1), dt.date(2025, 12, 31), dt.date(2036, 1, 1)):
        assert tuple(c.path for c in diff(base.at(day), reading.at(day))) == READINGS[version]
    base_docs = set(base.documents)
    assert base_docs <= set(reading.documents)


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_a_reading_is_its_base_on_every_date_except_the_overrides(day: dt.date) -> None:
    base = load_termset(SIGNED).at(day)
    for version, paths in READINGS.items():
        terms = load_termset(version).at(day)
        theirs, ours = dict(base.parameters), dict(terms.parameters)
        assert set(theirs) == set(ours)
        for path, value in theirs.items():
            assert (value == ours[path]) is (path not in paths), path
        fields = {path.split(".")[0]: getattr(base, path) for path in paths}
        same = dataclasses.replace(
            terms, version=base.version, title=base.title, parameters=base.parameters, **fields
        )
        assert same == base


def test_broad_reading_counts_undeveloped_licences_citing_norton_rose_and_kinstellar() -> None:
    param = load_termset(BROAD).latest().parameter("new_licence_reading")
    assert param is not None
    assert param.value == "broad"
    assert param.status is Status.DISPUTED
    assert param.alternatives == ("strict",)
    assert param.effective_from == dt.date(2025, 5, 23)
    assert param.source.url == NORTON_ROSE
    assert KINSTELLAR in param.source.note
    assert "Norton Rose" in param.source.document
    assert param.meaning == load_termset(SIGNED).history("new_licence_reading").meaning  # type: ignore[union-attr]
    urls = {doc.url for doc in load_termset(BROAD).documents}
    assert {NORTON_ROSE, KINSTELLAR} <= urls


@pytest.mark.parametrize("path", ["allocation_basis", "distribution_rule"])
def test_fifty_fifty_reading_is_an_assumption_citing_parity_statements(path: str) -> None:
    base = load_termset(SIGNED).latest().parameter(path)
    param = load_termset(FIFTY).latest().parameter(path)
    assert base is not None
    assert param is not None
    assert param.value == "fixed_50_50"
    assert param.value in base.alternatives
    assert param.status is Status.ASSUMED
    assert base.value in param.alternatives  # pro rata stays the named alternative
    cited = f"{param.source.url} {param.source.note}"
    assert sum(url in cited for url in PARITY_URLS) >= 2, cited
    assert "50/50" in param.source.clause


@pytest.mark.parametrize("version", list_versions())
def test_every_value_of_every_shipped_set_is_sourced(version: str) -> None:
    termset = load_termset(version)
    keys = {doc.title for doc in termset.documents}
    for history in termset.parameters:
        assert history.meaning
        for value in history.values:
            assert value.source.url.startswith(("https://", "http://"))
            assert value.source.document in keys
            assert value.source.clause
            if value.status in (Status.ASSUMED, Status.DISPUTED):
                assert value.alternatives


def test_readings_follow_every_agreement_version_so_the_newest_stays_first() -> None:
    sets = load_termsets()
    kinds = [ts.kind for ts in sets]
    assert sets[0].version == SIGNED
    assert kinds.index("reading") == len(kinds) - len(READINGS)
    assert [ts.version for ts in sets if ts.extends] == sorted(READINGS)


def test_unknown_version_not_found_names_readings_too() -> None:
    with pytest.raises(NotFound, match=f"expected one of .*{BROAD}"):
        load_termset("signed-2025-04-30-narrow")


# --- the mechanism ------------------------------------------------------------------------


def test_override_from_a_later_date_keeps_the_base_values_before_it(tmp_path: Path) -> None:
    path = _reading(
        tmp_path, _override("new_licence_reading", '"broad"', effective_from="2026-01-01")
    )
    termset = load_termset_file(path)
    history = termset.history("new_licence_reading")
    assert history is not None
    assert [v.value for v in history.values] == ["strict", "broad"]
    assert termset.at(dt.date(2025, 12, 31)).new_licence_reading == "strict"
    assert termset.at(dt.date(2026, 1, 1)).new_licence_reading == "broad"
    assert termset.origin == str(path)
    assert termset.documents == load_termset(SIGNED).documents


def test_override_replaces_later_base_values_and_may_restate_the_base_value(
    tmp_path: Path,
) -> None:
    first = load_termset(SIGNED).history("investment_sectors").values[0]  # type: ignore[union-attr]
    sectors = "[" + ", ".join(first.value) + "]"  # type: ignore[attr-defined]
    body = _override("investment_sectors", sectors, status="known", alternatives="-")
    termset = load_termset_file(_reading(tmp_path, body))
    assert termset.overrides == ("investment_sectors",)
    assert termset.at(dt.date(2026, 6, 1)).investment_sectors == first.value
    assert load_termset(SIGNED).at(dt.date(2026, 6, 1)).investment_sectors != first.value


def test_reading_documents_add_to_the_base_and_overrides_may_cite_them(tmp_path: Path) -> None:
    body = "documents:\n  memo: {title: A memo, url: 'https://example.org/memo'}\n" + _override(
        "new_licence_reading", '"broad"'
    ).replace("agreement", "memo")
    termset = load_termset_file(_reading(tmp_path, body))
    assert termset.documents[-1].key == "memo"
    param = termset.latest().parameter("new_licence_reading")
    assert param is not None
    assert param.source.document == "A memo"


def test_parse_termset_takes_another_lookup_for_bases() -> None:
    base = load_termset_file(Path(__file__).parent / "fixtures" / "valid-minimal.yaml")
    seen: list[str] = []

    def lookup(version: str) -> TermSet:
        seen.append(version)
        return base

    text = "version: mine\ntitle: Mine\nextends: fixture-valid\n" + _override(
        "new_licence_reading", '"strict"', status="known", alternatives="-"
    )
    termset = parse_termset(text, "mine.yaml", bases=lookup)
    assert seen == ["fixture-valid"]
    assert termset.extends == "fixture-valid"

    def refuse(version: str) -> TermSet:
        raise BadValue("a base I know", version)

    with pytest.raises(InvalidInput, match="expected a base I know, got 'fixture-valid'"):
        parse_termset(text, "mine.yaml", bases=refuse)


def test_a_lookup_that_hands_back_a_reading_is_refused() -> None:
    broad = load_termset(BROAD)
    text = "version: mine\ntitle: Mine\nextends: x\n" + _override("new_licence_reading", '"broad"')
    with pytest.raises(InvalidInput) as caught:
        parse_termset(text, "mine.yaml", bases=lambda _: broad)
    assert "readings extend one level only" in str(caught.value)
    assert "a reading of 'signed-2025-04-30'" in str(caught.value)


def test_a_cycle_of_shipped_readings_is_reported_not_recursed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    override = _override("new_licence_reading", '"broad"')
    _reading(tmp_path, override, extends="cycle-b", name="cycle-a")
    _reading(tmp_path, override, extends="cycle-a", name="cycle-b")
    terms_loader.load_termset.cache_clear()
    terms_loader._base_termset.cache_clear()
    monkeypatch.setattr(terms_loader, "_data_dir", lambda: tmp_path)
    try:
        with pytest.raises(InvalidInput) as caught:
            terms_loader.load_termset("cycle-a")
        (problem,) = caught.value.problems
        assert problem.where == "urif/terms/data/cycle-a.yaml line 3, extends"
        assert "got 'cycle-b', a reading of 'cycle-a'" in problem.message
    finally:
        monkeypatch.undo()
        terms_loader.load_termset.cache_clear()
        terms_loader._base_termset.cache_clear()


# --- bad input ----------------------------------------------------------------------------

# fixture name → (line, key path, words the message must contain)
CASES: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "reading-unknown-base": (
        4,
        "extends",
        (
            "expected the version of a shipped term set to extend",
            "framework-2025-02, signed-2025-04-30, us-draft-2025-02, us-draft-2025-03",
            "got 'signed-2099', which is not shipped",
        ),
    ),
    "reading-of-a-reading": (
        4,
        "extends",
        (
            "a base that is not itself a reading",
            "one level only",
            "got 'signed-2025-04-30-broad', a reading of 'signed-2025-04-30'",
        ),
    ),
    "reading-extends-itself": (
        4,
        "extends",
        ("cannot extend itself", "got 'broken-reading-extends-itself'"),
    ),
    "reading-extends-not-a-version": (
        4,
        "extends",
        ("expected the version of a term set to extend", "got 2025"),
    ),
    "reading-value-not-alternative": (
        7,
        "parameters.new_licence_reading.value",
        (
            "value not a reading of the base",
            "signed-2025-04-30 from 2025-05-23 (strict)",
            "declared alternatives (broad)",
            "got 'all'",
        ),
    ),
    "reading-parameter-not-in-base": (
        6,
        "parameters.transfer_due",
        ("parameter not in the base", "us-draft-2025-03", "got 'transfer_due'"),
    ),
    "reading-duplicate-document": (
        6,
        "documents.agreement",
        ("duplicate document", "base signed-2025-04-30 does not use", "got 'agreement'"),
    ),
    "reading-no-overrides": (
        5,
        "parameters",
        ("parameters this reading overrides (at least one)", "got a mapping {}"),
    ),
}


def test_every_reading_fixture_has_a_case() -> None:
    assert {p.stem for p in BROKEN.glob("reading-*.yaml")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_reading_names_file_line_path_expected_and_got(name: str) -> None:
    line, key_path, words = CASES[name]
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(InvalidInput) as caught:
        load_termset_file(path)
    error = caught.value
    assert len(error.problems) == 1, str(error)
    problem = error.problems[0]
    assert problem.where == f"{path} line {line}, {key_path}"
    assert "expected" in problem.message
    assert "got" in problem.message
    for word in words:
        assert word in problem.message, problem.message
    assert error.message == f"term file {path}: 1 problem"


OVERRIDE_CHECKS: dict[str, tuple[dict[str, str], str, tuple[str, ...]]] = {
    # the checks every dated value gets, applied to an override
    "missing source": ({"source": "-"}, "new_licence_reading.source", ("missing source",)),
    "unknown status": (
        {"status": "confirmed"},
        "new_licence_reading.status",
        ("expected one of known, reported, assumed, disputed", "got 'confirmed'"),
    ),
    "no alternatives": (
        {"alternatives": "-"},
        "new_licence_reading.alternatives",
        ("missing alternatives", "a disputed parameter"),
    ),
    "alternative equals value": (
        {"alternatives": '["broad"]'},
        "new_licence_reading.alternatives[0]",
        ("an alternative other than the value itself",),
    ),
    "unknown document": (
        {"source": '{document: treaty, clause: "Art. VI", url: "https://example.org/a"}'},
        "new_licence_reading.source.document",
        ("unknown document", "agreement, ratification", "got 'treaty'"),
    ),
    "before the base set": (
        {"effective_from": "2025-05-01"},
        "new_licence_reading.effective_from",
        ("before the term set begins", "effective_from 2025-05-23", "got 2025-05-01"),
    ),
    "not a choice": (
        {"value": '"narrow"'},
        "new_licence_reading.value",
        ("expected one of strict, broad, all", "got 'narrow'"),
    ),
    "float": ({"value": "0.5"}, "new_licence_reading.value", ("got 0.5 (float)",)),
    "unknown key": (
        {"meaning": "a new meaning"},
        "new_licence_reading.meaning",
        ("unknown key", "got 'meaning'"),
    ),
}


@pytest.mark.parametrize("case", sorted(OVERRIDE_CHECKS))
def test_an_override_is_checked_like_any_dated_value(tmp_path: Path, case: str) -> None:
    fields, key_path, words = OVERRIDE_CHECKS[case]
    path = _reading(tmp_path, _override("new_licence_reading", '"broad"', **fields))
    with pytest.raises(InvalidInput) as caught:
        load_termset_file(path)
    (problem,) = caught.value.problems
    assert problem.where.startswith(f"{path} line ")
    assert problem.where.endswith(f", parameters.{key_path}")
    for word in words:
        assert word in problem.message, problem.message


def test_a_reading_declares_no_kind_or_first_date_of_its_own(tmp_path: Path) -> None:
    body = "kind: signed\neffective_from: 2025-05-23\n" + _override("new_licence_reading", "broad")
    with pytest.raises(InvalidInput) as caught:
        load_termset_file(_reading(tmp_path, body))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2
    for key, message in zip(("kind", "effective_from"), messages, strict=True):
        assert "unknown key: expected one of version, title, extends, parameters" in message
        assert f"got {key!r}" in message


def test_all_problems_of_a_reading_are_reported_at_once(tmp_path: Path) -> None:
    body = (
        "documents:\n  agreement: {title: Again, url: 'https://example.org/a'}\n"
        "parameters:\n"
        "  revenue_shares: {}\n"
        "  new_licence_reading:\n"
        "    value: all\n"
        "    effective_from: 2025-05-23\n"
        "    status: disputed\n"
        "    source: {document: agreement, clause: x, url: 'https://example.org/a'}\n"
        "    alternatives: [strict]\n"
        "  quorum: {value: '1.5', effective_from: 2025-05-23, status: assumed,"
        " source: {document: agreement, clause: x, url: 'https://example.org/a'},"
        " alternatives: ['0.5']}\n"
    )
    path = _reading(tmp_path, body)
    with pytest.raises(InvalidInput) as caught:
        load_termset_file(path)
    error = caught.value
    assert error.message == f"term file {path}: 4 problems"
    assert [p.where.split(", ", 1)[1] for p in error.problems] == [
        "documents.agreement",
        "parameters.revenue_shares",
        "parameters.new_licence_reading.value",
        "parameters.quorum.value",
    ]
    assert "did you mean 'revenue_share'?" in error.problems[1].message


def test_a_broken_base_file_is_reported_as_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "base.yaml").write_text("- not a term file\n", encoding="utf-8")
    _reading(tmp_path, _override("new_licence_reading", '"broad"'), extends="base", name="kid")
    terms_loader.load_termset.cache_clear()
    terms_loader._base_termset.cache_clear()
    monkeypatch.setattr(terms_loader, "_data_dir", lambda: tmp_path)
    try:
        with pytest.raises(InvalidInput, match=r"term file urif/terms/data/base\.yaml: 1 problem"):
            terms_loader.load_termset("kid")
        assert terms_loader.base_versions() == ()
    finally:
        monkeypatch.undo()
        terms_loader.load_termset.cache_clear()
        terms_loader._base_termset.cache_clear()


# --- the CLI ------------------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()
    terms_cli.register(app)

    @app.callback()
    def main() -> None:
        """Test root."""

    return app


def _json(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(_app(), ["terms", *args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_cli_list_shows_readings_with_kind_extends_and_overrides() -> None:
    entries = _json("list")["term_sets"]
    assert isinstance(entries, list)
    by_version = {e["version"]: e for e in entries}
    for version, paths in READINGS.items():
        assert by_version[version]["kind"] == "reading"
        assert by_version[version]["extends"] == SIGNED
        assert by_version[version]["overrides"] == list(paths)
    assert by_version[SIGNED]["extends"] is None
    assert by_version[SIGNED]["overrides"] == []
    table = CliRunner().invoke(_app(), ["terms", "list"], env={"COLUMNS": "220"})
    assert table.exit_code == 0, table.output
    assert "extends" in table.output
    row = next(line for line in table.output.splitlines() if BROAD in line)
    assert "reading" in row
    assert SIGNED in row.replace(BROAD, "")
    assert "(new_licence_reading)" in table.output


def test_cli_diff_signed_to_broad_shows_exactly_the_override() -> None:
    data = _json("diff", SIGNED, BROAD)
    changes = data["changes"]
    assert isinstance(changes, list)
    assert [c["path"] for c in changes] == ["new_licence_reading"]
    (change,) = changes
    assert (change["old"], change["new"]) == ("strict", "broad")
    assert change["source_new"]["url"] == NORTON_ROSE
    fifty = _json("diff", SIGNED, FIFTY, "--as-of", "2036-01-01")["changes"]
    assert isinstance(fifty, list)
    assert [c["path"] for c in fifty] == ["allocation_basis", "distribution_rule"]


def test_cli_show_a_reading_names_its_base() -> None:
    data = _json("show", BROAD, "--as-of", "2025-12-31")
    assert data["kind"] == "reading"
    assert data["extends"] == SIGNED
    assert data["overrides"] == ["new_licence_reading"]
    params = data["parameters"]
    assert isinstance(params, dict)
    assert params["new_licence_reading"]["value"] == "broad"
    assert params["transfer_due"]["value"] == "04-01"
