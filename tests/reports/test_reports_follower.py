"""FundFollower: folding only new events gives what a fresh replay gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from urif.actions import books
from urif.actions.governance import list_proposals
from urif.actions.record import ingest_files
from urif.actions.reports import FundFollower, screening_lines

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
AS_OF = dt.date(2027, 12, 31)


def test_follower_catches_up_with_appends_like_a_replay(db_url: str, tmp_path: Path) -> None:
    books.init_database(db_url, None)
    follower = FundFollower()
    assert follower.proposals(db_url, AS_OF) == []
    ingest_files(db_url, [EXAMPLES / "fund-2025-2026.jsonl"], "t", NOW).raise_for_problems()
    assert follower.proposals(db_url, AS_OF) == list_proposals(db_url, as_of=AS_OF)
    ingest_files(db_url, [EXAMPLES / "governance-2025-2027.jsonl"], "t", NOW).raise_for_problems()
    caught_up = follower.proposals(db_url, AS_OF)
    assert caught_up
    assert caught_up == list_proposals(db_url, as_of=AS_OF)
    extra = tmp_path / "cp.jsonl"
    extra.write_text(
        '{"id":"cp-1","type":"counterparty_registered","on":"2026-02-02","counterparty":"cp-1",'
        '"name":"Test Services LLC","kind":"company","country":"UA","identifiers":{},'
        '"owners":[]}\n'
    )
    ingest_files(db_url, [extra], "t", NOW).raise_for_problems()
    lines, _ = follower.screening(db_url, AS_OF)
    assert lines == screening_lines(db_url, AS_OF)
    assert [line.counterparty for line in lines] == ["cp-1"]
