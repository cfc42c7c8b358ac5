"""``urif proposals``, ``proposal show``, ``board`` and ``opportunities`` on a real store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from urif.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_demo_governance_is_readable_from_the_store(db_url: str) -> None:
    _run(db_url, "init")
    _run(
        db_url,
        "ingest",
        str(EXAMPLES / "fund-2025-2026.jsonl"),
        str(EXAMPLES / "governance-2025-2027.jsonl"),
    )
    listing = json.loads(_run(db_url, "proposals", "--json"))
    status = {p["proposal"]: p["status"] for p in listing["proposals"]}
    assert status == {
        "ord-2025-12-defence-sector": "rejected",
        "inv-2026-dobra": "approved",
        "dist-2027-01": "approved",
    }
    dobra = json.loads(_run(db_url, "proposal", "show", "inv-2026-dobra", "--json"))
    assert dobra["conflicts"] == ["us-manager-1"]
    assert dobra["counts"]["us"]["yes"] == 2
    assert dobra["counts"]["ua"]["yes"] == 3
    assert dobra["rule"] == "unanimous"
    assert dobra["illustrative"] is True
    board = json.loads(_run(db_url, "board", "--as-of", "2026-03-01", "--json"))
    seats = board["bodies"][0]["sides"]
    assert (seats["us"]["filled"], seats["ua"]["filled"]) == (3, 3)
    assert {m["name"] for m in seats["ua"]["members"]} == {
        "Oleksiy Sobolev",
        "Yehor Perelyhin",
        "Oleksandr Karasevich",
    }
    opps = json.loads(_run(db_url, "opportunities", "--as-of", "2026-12-31", "--json"))
    assert opps["opportunities"][0]["first_look"]["until"] == "2026-09-01"
    assert json.loads(_run(db_url, "proposals", "--open", "--json"))["proposals"] == []
    # without --as-of: today, or the books' last value date when later (never null)
    ends = {json.loads(_run(db_url, c, "--json"))["as_of"] for c in ("proposals", "board")}
    ends.add(json.loads(_run(db_url, "opportunities", "--json"))["as_of"])
    assert len(ends) == 1
    assert None not in ends


def _board_lines() -> list[dict[str, object]]:
    return [
        {
            "id": f"m-{member}",
            "type": "member_appointed",
            "on": "2025-12-01",
            "member": member,
            "name": member.upper(),
            "side": "us" if member.startswith("u") else "ua",
            "body": "board",
        }
        for member in ("u1", "u2", "u3", "a1", "a2", "a3")
    ]


def _write(path: Path, lines: list[dict[str, object]]) -> str:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_money_before_the_vote_that_completed_unanimity_is_refused(
    urif_cli: Any, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'urif.db'}"
    votes = [
        {
            "id": f"v-{member}",
            "type": "vote_cast",
            "on": on,
            "proposal": "P1",
            "member": member,
            "vote": "yes",
        }
        for member, on in [
            *((m, "2026-01-10") for m in ("u1", "u2", "u3", "a1", "a2")),
            ("a3", "2026-01-06"),
        ]
    ]
    subject = {
        "project": "dep-1",
        "counterparty": "cp-1",
        "amount": "1000000.00",
        "currency": "USD",
    }
    setup = [
        *_board_lines(),
        {
            "id": "p1",
            "type": "proposal_submitted",
            "on": "2026-01-05",
            "proposal": "P1",
            "body": "board",
            "kind": "investment",
            "subject": subject,
            "submitted_by": "u1",
        },
        *votes,
        {
            "id": "sc",
            "type": "site_consent",
            "on": "2026-01-05",
            "deposit": "dep-1",
            "granted": True,
            "authority": "Cabinet of Ministers of Ukraine",
        },
    ]
    investment = {"id": "i1", "type": "investment", "on": "2026-01-07", "proposal": "P1", **subject}
    assert urif_cli("--db", db, "init")[0] == 0
    assert urif_cli("--db", db, "ingest", _write(tmp_path / "a.jsonl", setup))[0] == 0
    code, _, err = urif_cli("--db", db, "ingest", _write(tmp_path / "i.jsonl", [investment]))
    assert code == 4, err
    assert "not decided on or before 2026-01-07" in err
    code, out, _ = urif_cli("--db", db, "proposal", "show", "P1", "--json")
    assert (json.loads(out)["status"], json.loads(out)["decided_on"]) == ("approved", "2026-01-10")


def test_opportunity_events_with_the_holder_are_recorded(urif_cli: Any, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'urif.db'}"
    lines = [
        {
            "id": "o1",
            "type": "opportunity_notified",
            "on": "2026-06-01",
            "opportunity": "OPP2",
            "holder": "Holder B",
            "kind": "permit",
        },
        {
            "id": "o3",
            "type": "interest_expressed",
            "on": "2026-06-15",
            "opportunity": "OPP2",
            "holder": "Holder B",
        },
    ]
    assert urif_cli("--db", db, "init")[0] == 0
    code, _, err = urif_cli("--db", db, "ingest", _write(tmp_path / "o.jsonl", lines))
    assert code == 0, err
    code, out, _ = urif_cli("events", "schema")
    props = json.dumps(json.loads(out))
    assert '"holder"' in props


def test_the_board_reports_a_side_over_its_seats_after_an_amendment(
    urif_cli: Any, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'urif.db'}"
    amendment = {
        "id": "t1",
        "type": "terms_amended",
        "on": "2026-01-01",
        "terms_version": "us-draft-2025-03",
        "effective_from": "2026-01-01",
    }
    assert urif_cli("--db", db, "init")[0] == 0
    path = _write(tmp_path / "b.jsonl", [*_board_lines(), amendment])
    assert urif_cli("--db", db, "ingest", path)[0] == 0
    code, out, _ = urif_cli("--db", db, "board", "--as-of", "2026-02-01", "--json")
    assert code == 0
    view = json.loads(out)
    assert view["bodies"][0]["sides"]["ua"]["filled"] == 3
    assert [(b["body"], b["side"], b["rule"]) for b in view["breaches"]] == [
        ("board", "ua", "seat_ratio")
    ]
