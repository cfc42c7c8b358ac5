"""Which licences feed Ukraine's contribution: the "new licence" readings and the Annex.

Owns two clause formulas of the Agreement (Art. III and the Annex): whether a licence,
special permit or PSA counts as *new* under the reading in force, and whether a resource
is in the Annex.  Pure functions of their arguments and the ``Terms`` in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from urif.core.errors import InvalidInput

if TYPE_CHECKING:
    from urif.terms.model import Terms

#: The readings of "new" the term sets may name.
NEW_LICENCE_READINGS = ("strict", "broad", "all")


def is_new_licence(
    issued_on: dt.date, developed_at_cutoff: bool, reading: str, cutoff: dt.date
) -> bool:
    """Whether a licence counts as new under ``reading`` with ``cutoff``.

    ``strict``: issued on or after the cut-off.  ``broad``: also issued earlier but not
    yet developed at the cut-off.  ``all`` (the February 2025 draft): every licence.

    >>> cutoff = dt.date(2025, 5, 23)
    >>> is_new_licence(dt.date(2025, 5, 23), False, "strict", cutoff)
    True
    >>> is_new_licence(dt.date(2024, 3, 1), False, "strict", cutoff)
    False
    >>> is_new_licence(dt.date(2024, 3, 1), False, "broad", cutoff)
    True
    >>> is_new_licence(dt.date(2024, 3, 1), True, "broad", cutoff)
    False
    >>> is_new_licence(dt.date(1999, 1, 1), True, "all", cutoff)
    True
    """
    if reading == "strict":
        return issued_on >= cutoff
    if reading == "broad":
        return issued_on >= cutoff or not developed_at_cutoff
    if reading == "all":
        return True
    raise InvalidInput(
        f"new_licence_reading: expected one of {', '.join(NEW_LICENCE_READINGS)}, got {reading!r}"
    )


def licence_is_new(issued_on: dt.date, developed_at_cutoff: bool, terms: Terms) -> bool:
    """:func:`is_new_licence` with the reading and cut-off of ``terms``."""
    return is_new_licence(
        issued_on, developed_at_cutoff, terms.new_licence_reading, terms.new_licence_cutoff
    )


#: Other names of one Annex resource, in comparison form, mapped to the Annex's own id.
#: The Annex's "natural gas" includes LNG (the term files' clause: "55 minerals plus oil and
#: natural gas, LNG included"; reference/agreement.md, Freshfields), so a licence for LNG
#: feeds Ukraine's contribution wherever natural gas is in the Annex.  Gas condensate
#: and LPG are not aliases: no term file or reference names them as natural gas.
RESOURCE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "lng": "natural_gas",
        "liquefied_natural_gas": "natural_gas",
    }
)


@lru_cache(maxsize=4096)
def normalise_resource(resource: str) -> str:
    """The comparison form of a resource name: trimmed, lower case, ``_`` for spaces.

    >>> normalise_resource("  Natural Gas ")
    'natural_gas'
    """
    return "_".join(resource.strip().lower().replace("-", " ").split())


@lru_cache(maxsize=4096)
def annex_resource_id(resource: str) -> str:
    """The Annex id a resource name stands for: its comparison form, aliases resolved.

    >>> annex_resource_id("LNG")
    'natural_gas'
    >>> annex_resource_id("Liquefied natural gas")
    'natural_gas'
    >>> annex_resource_id("Lithium")
    'lithium'
    """
    key = normalise_resource(resource)
    return RESOURCE_ALIASES.get(key, key)


def in_annex(resource: str, annex_resources: tuple[str, ...]) -> bool:
    """Whether ``resource`` is one of the Annex resources (case, spacing and aliases ignored).

    >>> in_annex("Lithium", ("lithium", "natural_gas"))
    True
    >>> in_annex("natural gas", ("lithium", "natural_gas"))
    True
    >>> in_annex("lng", ("lithium", "natural_gas"))
    True
    >>> in_annex("lng", ("lithium",))
    False
    >>> in_annex("iron_ore", ("lithium", "natural_gas"))
    False
    """
    return annex_resource_id(resource) in _normalised(annex_resources)


@lru_cache(maxsize=64)
def _normalised(annex_resources: tuple[str, ...]) -> frozenset[str]:
    """The Annex ids of an Annex (computed once per term set's tuple)."""
    return frozenset(annex_resource_id(item) for item in annex_resources)
