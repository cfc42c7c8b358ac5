"""The deposit catalogue: the 18 named Ukrainian deposits shipped as package data.

Owns ``Deposit`` (one row of ``data/deposits.csv``, a verbatim copy of
``shared/data/economics/deposits.csv``; see ``data/PROVENANCE.md``) and the loader.
Scenario files refer to deposits by ``id`` and add the project economics.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from urif.core.errors import InvalidInput, Problem

TERRITORY = ("controlled", "frontline", "occupied")
COLUMNS = (
    "id",
    "name",
    "name_uk",
    "commodity",
    "oblast",
    "lat",
    "lon",
    "resource_estimate",
    "resource_unit",
    "status",
    "territory_status_2025",
    "source_url",
    "confidence",
)


@dataclass(frozen=True, slots=True)
class Deposit:
    """One named deposit: where it is, what it holds, who controls the ground, the source."""

    id: str
    name: str
    name_uk: str
    commodity: str
    oblast: str
    lat: float | None
    lon: float | None
    resource_estimate: float | None
    resource_unit: str
    status: str
    territory: str  # controlled | frontline | occupied (2025)
    source_url: str
    confidence: str


def _float(text: str, where: str, problems: list[Problem]) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(Problem(where, f"expected a number or an empty cell, got {text!r}"))
        return None


def parse_catalogue(text: str, *, origin: str = "deposits.csv") -> tuple[Deposit, ...]:
    """Parse catalogue CSV text; every problem is reported at once.

    >>> head = ",".join(COLUMNS)
    >>> row = "x,X,Х,lithium,Kirovohrad,48.3,31.1,,,undeveloped,controlled,https://e.org,low"
    >>> parse_catalogue(head + "\\n" + row)[0].territory
    'controlled'
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InvalidInput(f"{origin}: missing columns {missing}; expected {list(COLUMNS)}")
    problems: list[Problem] = []
    deposits: list[Deposit] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        where = f"{origin} line {line}"
        ident = row["id"].strip()
        if not ident or ident in seen:
            problems.append(Problem(where, f"id must be unique and non-empty, got {ident!r}"))
        seen.add(ident)
        territory = row["territory_status_2025"].strip()
        if territory not in TERRITORY:
            problems.append(Problem(where, f"territory_status_2025 must be one of {TERRITORY}"))
        deposits.append(
            Deposit(
                id=ident,
                name=row["name"],
                name_uk=row["name_uk"],
                commodity=row["commodity"],
                oblast=row["oblast"],
                lat=_float(row["lat"], where, problems),
                lon=_float(row["lon"], where, problems),
                resource_estimate=_float(row["resource_estimate"], where, problems),
                resource_unit=row["resource_unit"],
                status=row["status"],
                territory=territory,
                source_url=row["source_url"],
                confidence=row["confidence"],
            )
        )
    if problems:
        raise InvalidInput(f"{origin}: {len(problems)} problem(s)", tuple(problems))
    return tuple(deposits)


def catalogue_text() -> str:
    """The shipped catalogue CSV as text."""
    return resources.files("urif.sim").joinpath("data/deposits.csv").read_text("utf-8")


def load_catalogue(path: Path | None = None) -> tuple[Deposit, ...]:
    """The shipped catalogue, or the CSV at ``path`` in the same format."""
    if path is None:
        return parse_catalogue(catalogue_text(), origin="urif.sim/data/deposits.csv")
    return parse_catalogue(path.read_text("utf-8"), origin=str(path))
