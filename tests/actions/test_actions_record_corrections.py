"""Corrections and amendments refused for what they name, and a correction that re-books."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import urif.compliance
from urif.actions import books
from urif.actions.compliance import load_lists
from urif.actions.record import IngestReport, ingest_files
from urif.core.errors import InvalidInput, NotPermitted, UrifError

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LISTS = Path(urif.compliance.__file__).parent / "data"


def _cash(eid: str, partner: str = "dfc", amount: str = "30000000.00") -> dict[str, Any]:
    return {"id": eid, "type": "contribution", "on": "2025-10-01", "partner": partner,
            "kind": "cash", "amount": amount, "currency": "USD"}  # fmt: skip


def _correct(eid: str, target: str, replacement: dict[str, Any] | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": eid,
        "type": "correction",
        "on": "2025-10-06",
        "corrects": target,
        "reason": "audit",
    }
    if replacement is not None:
        event["replacement"] = replacement
    return event


def _ingest(url: str, tmp_path: Path, *events: dict[str, Any]) -> IngestReport:
    path = tmp_path / f"call-{len(list(tmp_path.iterdir()))}.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return ingest_files(url, [path], "test", AT)


def _refused(report: IngestReport) -> str:
    assert report.category is NotPermitted
    assert report.appended == 0
    [problem] = report.problems
    return problem.message


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    """A database with dfc's $30m cash contribution c1 and a screened counterparty."""
    books.init_database(db_url, None)
    load_lists(db_url, [LISTS / "policy-states-example.csv"], snapshot_date=None,
               loaded_on=dt.date(2025, 1, 1), recorded_by="test", recorded_at=AT)  # fmt: skip
    registered = {"id": "cp1", "type": "counterparty_registered", "on": "2025-10-01",
                  "counterparty": "acme", "name": "Acme Mining LLC", "kind": "company",
                  "country": "UA"}  # fmt: skip
    assert _ingest(db_url, tmp_path, _cash("c1"), registered).ok
    return db_url


def test_an_unknown_id_is_refused_and_the_id_stays_free(url: str, tmp_path: Path) -> None:
    message = _refused(_ingest(url, tmp_path, _correct("k4", "nope")))
    assert "no event 'nope' is recorded before this line" in message
    later = _ingest(url, tmp_path, {**_cash("nope"), "amount": "5.00"})
    assert later.ok
    assert later.appended == 1


def test_a_correction_may_name_an_earlier_line_of_the_call_but_not_a_later_one(
    url: str, tmp_path: Path
) -> None:
    message = _refused(_ingest(url, tmp_path, _correct("k1", "c2"), _cash("c2")))
    assert message.startswith("correction k1: corrects: no event 'c2'")
    assert _ingest(url, tmp_path, _cash("c2"), _correct("k1", "c2")).ok


def test_a_system_event_is_never_corrected(url: str, tmp_path: Path) -> None:
    message = _refused(_ingest(url, tmp_path, _correct("k5", "cp1/screening/acme")))
    assert "cp1/screening/acme is a screening_completed event, which urif writes itself" in message


def test_a_replacement_of_another_type_is_refused(url: str, tmp_path: Path) -> None:
    commitment = {"type": "commitment", "on": "2025-10-01", "partner": "dfc",
                  "amount": "1.00", "currency": "USD"}  # fmt: skip
    message = _refused(_ingest(url, tmp_path, _correct("k6", "c1", commitment)))
    assert "replacement: expected a contribution (the type of c1" in message
    assert "got a commitment" in message
    accounts = books.accounts_json(books.accounts(url, dt.date(2026, 1, 1)))
    dfc = next(p for p in accounts["partners"] if p["partner"] == "dfc")
    assert dfc["contributed_cash"] == "30000000.00"


def test_an_event_no_engine_reverses_is_not_corrected(url: str, tmp_path: Path) -> None:
    message = _refused(_ingest(url, tmp_path, _correct("k7", "cp1")))
    assert "counterparty_registered cp1 has no bookings or approvals" in message


def test_a_replacement_of_the_same_type_re_books(url: str, tmp_path: Path) -> None:
    more = {k: v for k, v in _cash("x", amount="31000000.00").items() if k != "id"}
    assert _ingest(url, tmp_path, _correct("k6", "c1", more)).ok
    assert books.verify(url).ok


def _amendment(on: str, effective_from: str) -> dict[str, Any]:
    return {"id": f"t-{on}-{effective_from}", "type": "terms_amended", "on": on,
            "terms_version": "signed-2025-04-30-fifty-fifty",
            "effective_from": effective_from}  # fmt: skip


def test_an_amendment_cannot_take_effect_before_its_own_date(url: str, tmp_path: Path) -> None:
    message = _refused(_ingest(url, tmp_path, _amendment("2026-07-01", "2025-01-01")))
    assert "effective_from 2025-01-01 is before the amendment's own value date 2026-07-01" in (
        message
    )


def test_an_amendment_cannot_take_effect_before_its_term_sets_first_date(
    url: str, tmp_path: Path
) -> None:
    message = _refused(_ingest(url, tmp_path, _amendment("2025-01-01", "2025-02-01")))
    assert "before signed-2025-04-30-fifty-fifty's first date 2025-05-23" in message


def test_identical_income_books_alike_whenever_an_amendment_arrives(
    url: str, tmp_path: Path
) -> None:
    income = {"type": "project_income", "on": "2026-06-01", "project": "p1",
              "amount": "1000.00", "currency": "USD", "category": "dividend"}  # fmt: skip
    assert _ingest(url, tmp_path, _cash("c2", "ppp_agency", "10000000.00")).ok
    assert _ingest(url, tmp_path, {**income, "id": "inc-1"}).ok
    assert _ingest(url, tmp_path, _amendment("2026-07-01", "2026-07-01")).ok
    assert _ingest(url, tmp_path, {**income, "id": "inc-2"}).ok
    accounts = books.accounts_json(books.accounts(url, dt.date(2026, 6, 30)))
    income_by = {p["partner"]: p["income_allocated"] for p in accounts["partners"]}
    assert income_by["dfc"] == "1500.00"  # 75% of each, both under the terms of June
    assert books.verify(url).ok


def _board(url: str, tmp_path: Path) -> None:
    members = [
        {"id": f"m-{side}{n}", "type": "member_appointed", "on": "2025-09-01",
         "member": f"{side}-{n}", "name": f"{side} {n}", "side": side, "body": "board"}
        for side in ("us", "ua") for n in (1, 2, 3)
    ]  # fmt: skip
    proposal = {"id": "p1", "type": "proposal_submitted", "on": "2026-01-02", "proposal": "PA",
                "body": "board", "kind": "investment", "submitted_by": "us-1",
                "subject": {"project": "dep-a", "counterparty": "acme",
                            "amount": "1000000.00", "currency": "USD"}}  # fmt: skip
    votes = [
        {"id": f"v-{m['member']}", "type": "vote_cast", "on": "2026-01-03", "proposal": "PA",
         "member": m["member"], "vote": "yes"}
        for m in members
    ]  # fmt: skip
    consent = {"id": "s1", "type": "site_consent", "on": "2025-12-01", "deposit": "dep-a",
               "granted": True, "authority": "Cabinet"}  # fmt: skip
    assert _ingest(url, tmp_path, consent, *members, proposal, *votes).ok


INVESTMENT = {"type": "investment", "proposal": "PA", "project": "dep-a",
              "counterparty": "acme", "amount": "1000000.00", "currency": "USD"}  # fmt: skip


def test_a_correction_re_books_an_investment_on_the_approval_it_releases(
    url: str, tmp_path: Path
) -> None:
    _board(url, tmp_path)
    assert _ingest(url, tmp_path, {**INVESTMENT, "id": "i2", "on": "2026-01-10"}).ok
    moved = {**INVESTMENT, "on": "2026-01-11"}
    k8 = {**_correct("k8", "i2", moved), "on": "2026-01-20"}
    report = _ingest(url, tmp_path, k8)
    assert report.ok, report.problems
    # The approval is used once, now by k8: a further draw on it is still refused.
    again = _ingest(url, tmp_path, {**INVESTMENT, "id": "i3", "on": "2026-01-21", "amount": "1.00"})
    assert "of which 1000000.00 is already used (by k8)" in _refused(again)
    assert books.verify(url).ok


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.sampled_from(["", "USD", "dfc", "2025-10-01", "9999-12-31", "1e400", "-0", "NaN",
                       "99999999999999999999999999999.99", "0.0000000000000000000000001"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip
_FIELDS = st.sampled_from(
    ["id", "on", "partner", "kind", "amount", "currency", "corrects", "replacement", "rate",
     "terms_version", "effective_from", "subject", "owners", "valuation", "for_year"]
)  # fmt: skip


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["contribution", "correction", "fx_rate", "terms_amended",
                          "state_receipt", "proposal_submitted", "counterparty_registered",
                          "valuation", "investment", "screening_completed"]),
    changes=st.dictionaries(_FIELDS, _JSON, max_size=4),
)  # fmt: skip
def test_hostile_lines_end_in_a_report_never_a_traceback(
    sqlite_url: str, tmp_path: Path, kind: str, changes: dict[str, Any]
) -> None:
    if not (tmp_path / "urif.db").exists():
        books.init_database(sqlite_url, None)
        assert _ingest(sqlite_url, tmp_path, _cash("c1")).ok
    line = {**_cash("h1"), "type": kind, **changes}
    try:
        report = _ingest(sqlite_url, tmp_path, line)
    except UrifError:  # a clear error line is fine; anything else is a bug
        return
    if not report.ok:
        assert report.category is not None
        assert issubclass(report.category, (InvalidInput, NotPermitted, UrifError))
