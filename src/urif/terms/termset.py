"""Term sets: every dated value of every parameter of one version, and the Terms on a date.

Owns ``TermSet`` (version, title, kind, documents, parameter histories) and the choice of
the values in force on a date (``TermSet.at``).  A term set is built by
``urif.terms.loader`` from a validated term file; this module trusts its input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from urif.core.ids import TermsVersion
from urif.terms.catalogue import SPECS
from urif.terms.model import Document, Parameter, Seats, Terms

#: Fields of ``Terms`` that are not parameters of a term file.
FRAME_FIELDS = frozenset({"version", "title", "as_of", "in_force", "committee_seats", "parameters"})


@dataclass(frozen=True, slots=True)
class ParameterHistory:
    """One parameter of a term set: its meaning and its dated values, oldest first."""

    path: str
    meaning: str
    values: tuple[Parameter, ...]

    def at(self, as_of: dt.date) -> Parameter | None:
        """The value in force on ``as_of`` (the latest one dated on or before it)."""
        found: Parameter | None = None
        for value in self.values:
            if value.effective_from <= as_of:
                found = value
            else:
                break
        return found


@dataclass(frozen=True, slots=True)
class TermSet:
    """One version of the terms (signed text, draft or framework) with dated values.

    A *reading* (``kind == "reading"``) is another set with some parameters overridden:
    ``extends`` names that set and ``overrides`` the overridden paths.
    """

    version: TermsVersion
    title: str
    kind: str  # "signed" | "draft" | "framework" | "reading"
    effective_from: dt.date
    documents: tuple[Document, ...]
    parameters: tuple[ParameterHistory, ...]
    origin: str = ""  # the file it was read from
    description: str = ""
    extends: TermsVersion | None = None  # a reading: the set it reads differently
    overrides: tuple[str, ...] = ()  # a reading: the parameter paths it overrides

    def history(self, path: str) -> ParameterHistory | None:
        """All dated values of ``path``, or None when this set does not have it."""
        for history in self.parameters:
            if history.path == path:
                return history
        return None

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """Every date on which some value takes effect, in order."""
        return tuple(sorted({v.effective_from for h in self.parameters for v in h.values}))

    @property
    def last_change(self) -> dt.date:
        """The date the latest value takes effect."""
        return self.dates[-1] if self.dates else self.effective_from

    def latest(self) -> Terms:
        """The terms with every dated value of this set in force."""
        return self.at(self.last_change)

    def at(self, as_of: dt.date) -> Terms:
        """The terms in force on ``as_of``.

        Before the set's first date, the terms as first in force, with ``in_force=False``.
        """
        in_force = as_of >= self.effective_from
        day = as_of if in_force else self.effective_from
        fields: dict[str, Any] = {}
        in_force_params: list[tuple[str, Parameter]] = []
        committees: list[tuple[str, Seats]] = []
        for spec in SPECS:
            history = self.history(spec.path)
            param = history.at(day) if history is not None else None
            if param is None:
                if spec.field != "committee_seats":
                    fields[spec.field] = None
                continue
            in_force_params.append((spec.path, param))
            if spec.field == "committee_seats":
                assert isinstance(param.value, Seats)
                committees.append((spec.path.split(".", 1)[1], param.value))
            else:
                fields[spec.field] = param.value
        return Terms(
            version=self.version,
            title=self.title,
            as_of=as_of,
            in_force=in_force,
            committee_seats=tuple(committees),
            parameters=tuple(in_force_params),
            **fields,
        )
