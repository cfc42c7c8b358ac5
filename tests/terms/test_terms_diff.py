"""diff between versions: each changed parameter with old, new and both sources."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from urif.terms import Seats, TermChange, diff, load_termset

SIGNED = "signed-2025-04-30"
MARCH = "us-draft-2025-03"


def _by_path(changes: tuple[TermChange, ...]) -> dict[str, TermChange]:
    return {c.path: c for c in changes}


def test_march_draft_to_signed_lists_the_headline_changes() -> None:
    changes = _by_path(diff(load_termset(MARCH), load_termset(SIGNED)))
    assert changes["board_seats"].old == Seats(3, 2)
    assert changes["board_seats"].new == Seats(3, 3)
    assert changes["us_veto"].old is True
    assert changes["us_veto"].new is False
    assert changes["preferred_return"].old == Decimal("0.04")
    assert changes["preferred_return"].new == Decimal(0)
    assert changes["past_aid_credit"].old is True
    assert changes["past_aid_credit"].new is False
    assert changes["government_dispute_forum"].old == "us_courts_us_law"
    assert changes["government_dispute_forum"].new == "consultations"
    for change in changes.values():
        assert change.source_old is not None or change.old is None
        assert change.source_new is not None or change.new is None
    veto = changes["us_veto"]
    assert veto.source_old is not None
    assert veto.source_new is not None
    assert "antikor.info" in veto.source_old.url
    assert veto.source_new.url.startswith("https://")


def test_a_set_has_no_difference_from_itself() -> None:
    termset = load_termset(SIGNED)
    assert diff(termset, termset) == ()


def test_diff_of_dated_terms_shows_the_1616_addition() -> None:
    termset = load_termset(SIGNED)
    changes = _by_path(diff(termset.at(dt.date(2025, 6, 1)), termset.at(dt.date(2025, 12, 31))))
    assert str(changes["transfer_due"].new) == "04-01"
    assert changes["transfer_due"].old is None
    assert changes["transfer_due"].source_old is None
    assert "in_kind_assessor" in changes
    assert "revenue_share" not in changes


def test_diff_is_symmetric_in_paths() -> None:
    a, b = load_termset("us-draft-2025-02"), load_termset(SIGNED)
    forward = diff(a, b)
    backward = diff(b, a)
    assert [c.path for c in forward] == [c.path for c in backward]
    assert all(f.old == r.new and f.new == r.old for f, r in zip(forward, backward, strict=True))
