"""``urif simulate`` and ``urif compare``: JSON keyed by partner, reproducible outside meta."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from urif.cli.main import app

runner = CliRunner()


def _json(args: list[str]) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_simulate_json_depends_only_on_arguments_and_seed(tmp_path: Path) -> None:
    a = _json(["simulate", "--paths", "600", "--seed", "3", "--json", "--workers", "1"])
    b = _json(
        [
            "simulate",
            "--paths",
            "600",
            "--seed",
            "3",
            "--json",
            "--chunk-size",
            "512",
            "--workers",
            "2",
            "--out",
            str(tmp_path),
        ]
    )
    assert a.pop("meta") != b.pop("meta")
    assert a == b
    assert set(a["partners"]) == {"dfc", "ppp_agency"}
    assert (tmp_path / "ukraine_contributions_uah.png").stat().st_size > 0
    assert (tmp_path / "paths.parquet").exists()


def test_compare_reports_both_sides_on_the_same_draws(tmp_path: Path) -> None:
    out = _json(
        [
            "compare",
            "us-draft-2025-03",
            "signed-2025-04-30",
            "--paths",
            "512",
            "--json",
            "--out",
            str(tmp_path),
        ]
    )
    assert set(out["partners"]) == {"dfc", "ppp_agency"}
    dfc = out["partners"]["dfc"]["ownership_share_end"]["delta_b_minus_a"]["mean"]
    assert dfc < 0  # the signed text drops the credit for past aid
    assert (tmp_path / "compare.png").exists()


def test_unknown_executor_is_a_usage_error() -> None:
    result = runner.invoke(app, ["simulate", "--paths", "10", "--executor", "spark", "--json"])
    assert result.exit_code != 0


def test_a_negative_seed_or_too_many_paths_is_a_usage_error() -> None:
    for args in (["--seed", "-1"], ["--paths", "99999999999999999999"], ["--paths", "0"]):
        for command in ("simulate", "compare"):
            extra = ["us-draft-2025-03", "signed-2025-04-30"] if command == "compare" else []
            result = runner.invoke(app, [command, *extra, *args, "--json"])
            assert result.exit_code == 2, (command, args, result.output)
            assert "Invalid value" in result.output
