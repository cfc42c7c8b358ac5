"""What a parsed sanctions-list file becomes: FtM entities with their provenance.

Owns ``ListRecord`` (one listed entity, FollowTheMoney-shaped, with list id, source id,
programmes and listing date), ``SourceFile`` (a file's name, SHA-256 and size) and
``ParsedList`` (one snapshot's worth of records from one list, with its licence and the
date printed inside the file, if any).  Parsers in this package return these values and
never touch a database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from urif.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from followthemoney.model import Model
    from followthemoney.proxy import EntityProxy

#: Licence notes per list id; FtM datasets not named here carry ``LICENCE_UNKNOWN``.
LICENCES: dict[str, str] = {
    "ofac-sdn": "US federal work, public domain (US Treasury OFAC)",
    "un-sc": "UN public information (United Nations Security Council)",
    "eu-269": "CC BY-NC 4.0 (OpenSanctions transcription of EUR-Lex): tests and demos only",
    "eu-833": "CC BY-NC 4.0 (OpenSanctions transcription of EUR-Lex): tests and demos only",
    "policy": "urif policy list: the fund's own data",
}
LICENCE_UNKNOWN = "unknown: check the publisher's terms before production use"
#: FtM exports from OpenSanctions are CC BY-NC unless the dataset says otherwise.
LICENCE_OPENSANCTIONS = "CC BY-NC 4.0 (OpenSanctions): tests and demos only"

#: Schemata a listed target may have (relations such as Ownership are kept apart).
TARGET_SCHEMATA = frozenset(
    {
        "Person",
        "Organization",
        "Company",
        "LegalEntity",
        "PublicBody",
        "Vessel",
        "Airplane",
        "Asset",
    }
)

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII slug for ids.

    >>> slug("I.PERSONS 12")
    'i-persons-12'
    """
    return _SLUG.sub("-", text.lower()).strip("-")


def entity_id(list_id: str, source_id: str) -> str:
    """The stable FtM id of a listed entity: list id and source id.

    >>> entity_id("ofac-sdn", "36")
    'ofac-sdn-36'
    """
    return f"{list_id}-{slug(source_id)}"


def sha256_hex(data: bytes) -> str:
    """SHA-256 of bytes as hex.

    >>> sha256_hex(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def ftm_model() -> Model:
    """FollowTheMoney's schema model, imported on first use.

    Importing ``followthemoney`` reads its 71 schema files (about half a second): a
    process that folds the books without parsing or reading list entities (``urif
    ingest``, ``urif accounts``) should not pay for it.
    """
    from followthemoney import model

    return model


def make_entity(schema: str, ident: str) -> EntityProxy:
    """A new FtM entity of ``schema`` with ``ident`` as its id."""
    entity = ftm_model().make_entity(schema)
    entity.id = ident
    return entity


def put(entity: EntityProxy, prop: str, value: str | None, *, raw: bool = False) -> None:
    """Add a value through FtM's cleaning; ``raw`` keeps identifiers FtM would drop."""
    if value is None:
        return
    value = value.strip()
    if not value or prop not in entity.schema.properties:
        return
    before = len(entity.get(prop))
    entity.add(prop, value, quiet=True)
    if raw and len(entity.get(prop)) == before:
        entity.add(prop, value, cleaned=True, quiet=True)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file: its name (no directories), SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class ListRecord:
    """One listed target (person, company, vessel...) as an FtM entity, with provenance."""

    list_id: str
    source_id: str
    entity: EntityProxy = field(compare=False)
    programmes: tuple[str, ...] = ()
    listing_date: dt.date | None = None

    @property
    def entity_id(self) -> str:
        """The FtM id of the entity."""
        return str(self.entity.id)

    @property
    def schema(self) -> str:
        """The FtM schema name (Person, Company, Vessel...)."""
        return str(self.entity.schema.name)

    @property
    def caption(self) -> str:
        """The entity's display name."""
        return str(self.entity.caption)

    def names(self) -> tuple[str, ...]:
        """Every name the entity is listed under (name, aliases, previous names)."""
        out: list[str] = []
        for prop in ("name", "alias", "previousName", "weakAlias"):
            if prop in self.entity.schema.properties:
                out.extend(v for v in self.entity.get(prop) if v not in out)
        return tuple(out)

    def fingerprint(self) -> str:
        """SHA-256 over the entity's sorted properties, programmes and listing date."""
        parts = [self.schema, *sorted(self.programmes), str(self.listing_date or "")]
        for prop, values in sorted(self.entity.properties.items()):
            parts.append(prop + "=" + "|".join(sorted(values)))
        return sha256_hex("\n".join(parts).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class ParsedList:
    """One list's records from one file or folder, ready to be stored as a snapshot."""

    list_id: str
    format: str
    licence: str
    files: tuple[SourceFile, ...]
    records: tuple[ListRecord, ...]
    file_date: dt.date | None = None
    relations: tuple[EntityProxy, ...] = field(default=(), compare=False)
    warnings: tuple[Problem, ...] = ()

    @property
    def checksum(self) -> str:
        """SHA-256 over the files' own checksums, in name order."""
        joined = "\n".join(f"{f.name}:{f.sha256}" for f in sorted(self.files, key=lambda f: f.name))
        return sha256_hex(joined.encode("utf-8"))

    def entities(self) -> tuple[EntityProxy, ...]:
        """The listed targets as FtM entities (what a matcher indexes)."""
        return tuple(r.entity for r in self.records)


def fail_if(problems: list[Problem], what: str) -> None:
    """Raise InvalidInput with every problem when there are any (nothing half-loaded)."""
    if problems:
        raise InvalidInput(
            f"{what}: {len(problems)} problem(s); nothing loaded, the previous snapshot "
            "stays in force",
            tuple(problems),
        )
