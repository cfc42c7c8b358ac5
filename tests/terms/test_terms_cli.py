"""``urif terms list | show | diff``: the issue's "done when" checks, through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from urif.cli import terms as terms_cli
from urif.core.errors import NotFound

ROOT = Path(__file__).resolve().parents[2]


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


def test_list_json_names_all_four_agreement_versions_then_the_readings() -> None:
    data = _json("list")
    entries = data["term_sets"]
    assert isinstance(entries, list)
    versions = [entry["version"] for entry in entries]
    agreements = [e["version"] for e in entries if e["extends"] is None]
    assert agreements == [
        "signed-2025-04-30",
        "us-draft-2025-03",
        "framework-2025-02",
        "us-draft-2025-02",
    ]
    assert versions[:4] == agreements  # readings come after every agreement version
    for entry in entries[4:]:
        assert entry["kind"] == "reading"
        assert entry["extends"] in agreements
        assert entry["overrides"]


def test_diff_march_draft_to_signed_lists_the_headline_parameters() -> None:
    data = _json("diff", "us-draft-2025-03", "signed-2025-04-30")
    changes = {c["path"]: c for c in data["changes"]}  # type: ignore[union-attr, index]
    for path in (
        "board_seats",
        "us_veto",
        "preferred_return",
        "past_aid_credit",
        "government_dispute_forum",
    ):
        assert path in changes
        assert changes[path]["source_old"]["url"].startswith("http")
        assert changes[path]["source_new"]["url"].startswith("http")
    assert changes["board_seats"]["old"] == {"us": 3, "ua": 2}
    assert changes["board_seats"]["new"] == {"us": 3, "ua": 3}
    assert changes["preferred_return"]["old"] == "0.04"
    assert changes["us_veto"]["old"] is True
    assert changes["government_dispute_forum"]["new"] == "consultations"


def test_show_as_of_year_end_includes_the_1616_transfer_deadline() -> None:
    data = _json("show", "signed-2025-04-30", "--as-of", "2025-12-31")
    params = data["parameters"]
    assert isinstance(params, dict)
    assert params["transfer_due"]["value"] == "04-01"
    assert params["transfer_due"]["effective_from"] == "2025-12-10"
    assert "1616" in params["transfer_due"]["source"]["document"]
    assert data["in_force"] is True


def test_show_as_of_june_has_no_transfer_deadline_yet() -> None:
    data = _json("show", "signed-2025-04-30", "--as-of", "2025-06-01")
    params = data["parameters"]
    assert isinstance(params, dict)
    # the key is there (stable keys, DESIGN §5) and reads as none until 1616 applies
    assert params["transfer_due"]["value"] is None
    assert params["transfer_due"]["status"] is None
    assert params["transfer_due"]["effective_from"] == "2025-12-10"
    assert params["revenue_share"]["value"] == "0.5"


def test_show_has_the_same_keys_on_every_date() -> None:
    dates = ("2025-05-01", "2025-06-01", "2025-11-04", "2026-01-01", "2040-01-01")
    shown = [_json("show", "signed-2025-04-30", "--as-of", d) for d in dates]
    first = shown[0]["parameters"]
    for data in shown:
        assert data.keys() == shown[0].keys()
        assert list(data["parameters"]) == list(first)
        assert all(p.keys() == first["revenue_share"].keys() for p in data["parameters"].values())


def test_show_defaults_to_the_signed_set_and_flags_dates_before_it() -> None:
    data = _json("show", "--as-of", "2025-05-01")
    assert data["version"] == "signed-2025-04-30"
    assert data["in_force"] is False


def test_show_table_for_people() -> None:
    result = CliRunner().invoke(
        _app(), ["terms", "show", "--as-of", "2025-12-31"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "transfer_due" in result.output
    assert "04-01" in result.output
    assert "US 3 : UA 3" in result.output


def test_list_and_diff_tables_for_people() -> None:
    runner = CliRunner()
    listed = runner.invoke(_app(), ["terms", "list"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0
    assert "framework-2025-02" in listed.output
    diffed = runner.invoke(
        _app(), ["terms", "diff", "us-draft-2025-03", "signed-2025-04-30"], env={"COLUMNS": "200"}
    )
    assert diffed.exit_code == 0
    assert "preferred_return" in diffed.output
    assert "(reported)" in diffed.output


def test_unknown_version_raises_not_found() -> None:
    result = CliRunner().invoke(_app(), ["terms", "show", "signed-1999"])
    assert isinstance(result.exception, NotFound)


def test_urif_binary_prints_one_line_and_exits_1_on_unknown_version() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from urif.cli.main import run; run()", "terms", "show", "nope"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "term set 'nope' not found" in result.stderr
