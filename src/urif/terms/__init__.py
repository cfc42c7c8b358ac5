"""The agreement as dated data: term files → ``TermSet`` → ``Terms`` on a date.

>>> import datetime as dt
>>> from urif.terms import load_termset
>>> terms = load_termset("signed-2025-04-30").at(dt.date(2025, 12, 31))
>>> str(terms.transfer_due), terms.revenue_share, terms.board_seats.total
('04-01', Decimal('0.5'), 6)
"""

from __future__ import annotations

from urif.terms.catalogue import SPECS, Spec
from urif.terms.diff import TermChange, diff
from urif.terms.loader import (
    list_versions,
    load_termset,
    load_termset_file,
    load_termsets,
    parse_termset,
)
from urif.terms.model import Document, MonthDay, Parameter, Seats, Source, Status, Terms
from urif.terms.termset import ParameterHistory, TermSet

__all__ = [
    "SPECS",
    "Document",
    "MonthDay",
    "Parameter",
    "ParameterHistory",
    "Seats",
    "Source",
    "Spec",
    "Status",
    "TermChange",
    "TermSet",
    "Terms",
    "diff",
    "list_versions",
    "load_termset",
    "load_termset_file",
    "load_termsets",
    "parse_termset",
]
