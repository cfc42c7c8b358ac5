"""Differences between two versions of the terms, parameter by parameter, with sources.

Owns ``TermChange`` and ``diff``.  A ``TermSet`` is compared with every one of its dated
values in force (``TermSet.latest()``); a ``Terms`` as it stands on its own date.
"""

from __future__ import annotations

from dataclasses import dataclass

from urif.terms.catalogue import SPECS
from urif.terms.model import Parameter, Source, Status, Terms
from urif.terms.termset import TermSet


@dataclass(frozen=True, slots=True)
class TermChange:
    """One parameter whose value differs between two versions (None: not in that version)."""

    path: str
    old: object
    new: object
    source_old: Source | None
    source_new: Source | None
    status_old: Status | None = None
    status_new: Status | None = None


def _terms(side: Terms | TermSet) -> Terms:
    return side.latest() if isinstance(side, TermSet) else side


def diff(a: Terms | TermSet, b: Terms | TermSet) -> tuple[TermChange, ...]:
    """Every parameter whose value differs from ``a`` to ``b``, in catalogue order."""
    old = dict(_terms(a).parameters)
    new = dict(_terms(b).parameters)
    changes: list[TermChange] = []
    for spec in SPECS:
        before: Parameter | None = old.get(spec.path)
        after: Parameter | None = new.get(spec.path)
        old_value = before.value if before is not None else None
        new_value = after.value if after is not None else None
        if old_value == new_value:  # a null value and a missing one read the same
            continue
        changes.append(
            TermChange(
                path=spec.path,
                old=old_value,
                new=new_value,
                source_old=before.source if before is not None else None,
                source_new=after.source if after is not None else None,
                status_old=before.status if before is not None else None,
                status_new=after.status if after is not None else None,
            )
        )
    return tuple(changes)
