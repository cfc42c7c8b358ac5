"""Review cases: one per (counterparty, listed entity, their data), and reviewers' decisions.

Owns ``Case`` and ``case_id``.  A case id is content-addressed: it hashes the counterparty,
the list entry and fingerprints of both parties' data.  So when a reviewer's
``false_positive`` decision was made about one version of the data, a change to the list
entry (a new snapshot) or to the counterparty (a re-registration) gives a new case id: the
old decision no longer applies (it lapses) and a new case opens.  The same data screened
again finds the same case and keeps its decision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal

from urif.core.errors import Conflict
from urif.core.ids import CaseId

CONFIRM = "confirm"
FALSE_POSITIVE = "false_positive"
DECISIONS = (CONFIRM, FALSE_POSITIVE)


def case_id(
    counterparty: str,
    list_id: str,
    entity_id: str,
    entry_fingerprint: str,
    counterparty_fingerprint: str,
) -> CaseId:
    """Content-addressed case id.

    >>> case_id("cp-1", "ofac-sdn", "ofac-sdn-36", "aa", "bb")
    'case-7170e1c7e15859c2'
    """
    text = "\n".join(
        (counterparty, list_id, entity_id, entry_fingerprint, counterparty_fingerprint)
    )
    return CaseId("case-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])


@dataclass(frozen=True, slots=True)
class Case:
    """A screening hit a person must review, and their decision once made."""

    case: CaseId
    counterparty: str
    list_id: str
    entity_id: str
    score: Decimal
    opened_on: dt.date
    decision: str | None = None
    reason: str | None = None
    decided_by: str | None = None
    decided_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        """Whether no decision has been recorded."""
        return self.decision is None

    def decide(self, decision: str, reason: str, decided_by: str, on: dt.date) -> Case:
        """The case with a decision; Conflict if it already has one."""
        if decision not in DECISIONS:
            raise Conflict(
                f"case {self.case}: decision must be one of {DECISIONS}, got {decision!r}"
            )
        if self.decision is not None:
            raise Conflict(
                f"case {self.case}: already decided {self.decision} on {self.decided_on} by "
                f"{self.decided_by}; a decision is final (a change of data opens a new case)"
            )
        return replace(self, decision=decision, reason=reason, decided_by=decided_by, decided_on=on)
