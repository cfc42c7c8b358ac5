"""UN Security Council Consolidated List (XML) → FtM entities.

Owns reading ``CONSOLIDATED_LIST`` (``dateGenerated`` dates the snapshot):
``INDIVIDUALS/INDIVIDUAL`` become ``Person`` and ``ENTITIES/ENTITY`` become
``Organization``; names from FIRST..FOURTH_NAME; ``Good`` aliases as ``alias``, ``Low`` as
``weakAlias``; the original-script name as an alias; birth dates (exact, approximate,
between), nationalities, documents.  List id ``un-sc``; source id ``REFERENCE_NUMBER``
(e.g. ``CDi.001``); programme ``UN_LIST_TYPE``; listing date ``LISTED_ON``.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from urif.compliance.sources.record import (
    LICENCES,
    ListRecord,
    ParsedList,
    SourceFile,
    entity_id,
    fail_if,
    make_entity,
    put,
    sha256_hex,
)
from urif.core.errors import Problem

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

LIST_ID = "un-sc"
FORMAT = "un-consolidated-xml"
ROOT = "CONSOLIDATED_LIST"


def _text(node: ET.Element | None, tag: str) -> str | None:
    if node is None:
        return None
    value = node.findtext(tag)
    return value.strip() if value and value.strip() else None


def _values(node: ET.Element, tag: str) -> list[str]:
    out: list[str] = []
    for child in node.findall(tag):
        out.extend(v.text.strip() for v in child.findall("VALUE") if v.text and v.text.strip())
    return out


def _iso_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _person(entity: EntityProxy, node: ET.Element) -> None:
    for dob in node.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        for tag in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR"):
            put(entity, "birthDate", _text(dob, tag))
    for pob in node.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = ", ".join(
            p for p in (_text(pob, t) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")) if p
        )
        put(entity, "birthPlace", place)
    for nationality in _values(node, "NATIONALITY"):
        put(entity, "nationality", nationality)
    for title in _values(node, "DESIGNATION"):
        put(entity, "position", title)
    put(entity, "gender", (_text(node, "GENDER") or "").lower())
    put(entity, "firstName", _text(node, "FIRST_NAME"))
    for document in node.findall("INDIVIDUAL_DOCUMENT"):
        number = _text(document, "NUMBER")
        kind = (_text(document, "TYPE_OF_DOCUMENT") or "").lower()
        put(entity, "passportNumber" if "passport" in kind else "idNumber", number, raw=True)


def _record(
    node: ET.Element, person: bool, where: str, problems: list[Problem]
) -> ListRecord | None:
    reference = _text(node, "REFERENCE_NUMBER")
    parts = [_text(node, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = " ".join(p for p in parts if p)
    if not reference:
        problems.append(Problem(where, "REFERENCE_NUMBER is missing"))
        return None
    if not name:
        problems.append(Problem(where, f"{reference}: no name (FIRST_NAME..FOURTH_NAME empty)"))
        return None
    entity = make_entity("Person" if person else "Organization", entity_id(LIST_ID, reference))
    put(entity, "name", name)
    put(entity, "alias", _text(node, "NAME_ORIGINAL_SCRIPT"))
    for alias in node.findall("INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"):
        quality = (_text(alias, "QUALITY") or "").lower()
        put(entity, "weakAlias" if quality == "low" else "alias", _text(alias, "ALIAS_NAME"))
    for address in node.findall("INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"):
        bits = [_text(address, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
        put(entity, "address", ", ".join(b for b in bits if b))
        put(entity, "country", _text(address, "COUNTRY"))
    put(entity, "notes", _text(node, "COMMENTS1"))
    if person:
        _person(entity, node)
    programme = _text(node, "UN_LIST_TYPE")
    listed = _iso_date(_text(node, "LISTED_ON"))
    return ListRecord(LIST_ID, reference, entity, (programme,) if programme else (), listed)


def parse_un(name: str, data: bytes) -> ParsedList:
    """Parse one UN consolidated XML file; malformed XML is reported with its line."""
    problems: list[Problem] = []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        line, column = error.position
        problems.append(Problem(f"line {line} of {name}", f"not well-formed XML (column {column})"))
        fail_if(problems, "UN consolidated list")
        raise AssertionError("unreachable") from error
    if root.tag != ROOT:
        problems.append(Problem(name, f"root element: expected {ROOT}, got {root.tag}"))
    generated = _iso_date(root.get("dateGenerated"))
    records: list[ListRecord] = []
    for group, person in (("INDIVIDUALS/INDIVIDUAL", True), ("ENTITIES/ENTITY", False)):
        for number, node in enumerate(root.findall(group), start=1):
            where = f"{group.split('/')[1]} #{number} of {name}"
            record = _record(node, person, where, problems)
            if record is not None:
                records.append(record)
    fail_if(problems, "UN consolidated list")
    source = SourceFile(name, sha256_hex(data), len(data))
    return ParsedList(LIST_ID, FORMAT, LICENCES[LIST_ID], (source,), tuple(records), generated)
