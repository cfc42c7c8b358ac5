"""OFAC SDN legacy delimited files (``sdn.csv``, ``alt.csv``, ``add.csv``, comments) → FtM.

Owns reading the four legacy CSV files of one OFAC snapshot, with or without header rows,
``-0-`` as empty, aliases both in ``alt.csv`` and hidden in remarks (``a.k.a. 'X'``,
``f.k.a.``, ``n.k.a.``), structured remarks (DOB, POB, nationality, passports, INN, OGRN,
IMO, LEI, gender) turned into FtM properties, the remarks overflow file appended to its
entry, and Latin-1 bytes handled by ``sources.encoding``.  List id ``ofac-sdn``; an
entity's id is ``ofac-sdn-<ent_num>``.  Columns as in OFAC's ``dataspec.txt``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from urif.compliance.sources.encoding import decode
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

LIST_ID = "ofac-sdn"
FORMAT = "ofac-legacy-csv"

#: File role → number of columns in OFAC's legacy layout.
ROLE_COLUMNS = {"sdn": 12, "add": 6, "alt": 5, "comments": 2}
HEADER_FIRST = "ent_num"

_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.),?\s+'(.+)'\.?$", re.IGNORECASE)
_ID_WITH_COUNTRY = re.compile(r"^(?P<label>.+?)\s+(?P<value>\S+)\s+\((?P<country>[^)]+)\)")


def empty(value: str) -> str | None:
    """OFAC's ``-0-`` (and blank) as None, else the stripped value.

    >>> empty("-0- ") is None, empty(' "X" ')
    (True, '"X"')
    """
    value = value.strip()
    return None if value in {"", "-0-"} else value


def ofac_date(text: str) -> tuple[str, ...]:
    """OFAC DOB text as ISO date prefixes (day, month or year precision; ranges give both ends).

    >>> ofac_date("10 Dec 1948"), ofac_date("Dec 1948"), ofac_date("circa 1951")
    (('1948-12-10',), ('1948-12',), ('1951',))
    >>> ofac_date("1958 to 1960")
    ('1958', '1960')
    """
    out: list[str] = []
    for part in re.split(r"\s+to\s+", text.replace("circa", "").strip()):
        bits = part.split()
        if len(bits) == 3 and bits[0].isdigit() and bits[1][:3].lower() in _MONTHS:
            out.append(f"{bits[2]}-{_MONTHS[bits[1][:3].lower()]:02d}-{int(bits[0]):02d}")
        elif len(bits) == 2 and bits[0][:3].lower() in _MONTHS and bits[1].isdigit():
            out.append(f"{bits[1]}-{_MONTHS[bits[0][:3].lower()]:02d}")
        elif len(bits) == 1 and bits[0].isdigit() and len(bits[0]) == 4:
            out.append(bits[0])
    return tuple(out)


def split_programmes(text: str | None) -> tuple[str, ...]:
    """OFAC's Program column (``CYBER2] [ELECTION-EO13848``) as a tuple of tags.

    >>> split_programmes("CYBER2] [ELECTION-EO13848")
    ('CYBER2', 'ELECTION-EO13848')
    """
    if not text:
        return ()
    return tuple(p.strip(" []") for p in text.split("] [") if p.strip(" []"))


def split_remarks(text: str) -> list[str]:
    """Remarks as their ``;``-separated parts, the final full stop removed.

    >>> split_remarks("a.k.a. 'BNC'; DOB 1950.")
    ["a.k.a. 'BNC'", 'DOB 1950']
    """
    text = text.strip()
    if text.endswith("."):
        text = text[:-1]
    return [p.strip() for p in re.split(r";\s+", text) if p.strip()]


def apply_remark(entity: EntityProxy, part: str) -> None:
    """Turn one remark part into FtM properties (aliases, DOB, identifiers...)."""
    alias = _ALIAS.match(part)
    if alias:
        prop = "previousName" if alias.group(1).lower().startswith("f") else "alias"
        put(entity, prop, alias.group(2))
        return
    body = re.sub(r"^alt\.\s+", "", part)
    lowered = body.lower()
    if body.startswith("DOB "):
        for value in ofac_date(body[4:]):
            put(entity, "birthDate", value)
    elif body.startswith("POB "):
        put(entity, "birthPlace", body[4:])
    elif lowered.startswith(("nationality ", "citizen ")):
        put(entity, "nationality", body.split(" ", 1)[1])
    elif lowered.startswith("gender "):
        put(entity, "gender", body.split(" ", 1)[1].lower())
    elif "IMO " in body and ("Vessel" in body or "Identification Number" in body):
        put(entity, "imoNumber", body.rsplit("IMO ", 1)[1].split()[0], raw=True)
    elif body.startswith("MMSI "):
        put(entity, "mmsi", body[5:].split()[0], raw=True)
    elif body.startswith(("Website ", "Email Address ")):
        prop = "website" if body.startswith("Website") else "email"
        put(entity, prop, body.split(" ", 2)[-1])
    elif body.startswith("Organization Established Date "):
        for value in ofac_date(body[len("Organization Established Date ") :]):
            put(entity, "incorporationDate", value)
    else:
        _identifier(entity, body)


def _identifier(entity: EntityProxy, body: str) -> None:
    match = _ID_WITH_COUNTRY.match(body)
    if not match:
        return
    label, value, country = match["label"], match["value"], match["country"]
    russian = country.strip().lower() == "russia"
    digits = value.isdigit()
    if label.endswith("Tax ID No.") and russian and digits and len(value) in (10, 12):
        put(entity, "innCode", value, raw=True)
    elif "Registration" in label and russian and digits and len(value) in (13, 15):
        put(entity, "ogrnCode", value, raw=True)
    elif label == "Legal Entity Number":
        put(entity, "leiCode", value, raw=True)
    elif label.endswith("Passport"):
        put(entity, "passportNumber", value, raw=True)
    elif label.endswith("Tax ID No."):
        put(entity, "taxNumber", value, raw=True)
    elif "Registration" in label or label.endswith("Company Number"):
        put(entity, "registrationNumber", value, raw=True)
    elif label.endswith(("National ID No.", "Identification Number")):
        put(entity, "idNumber", value, raw=True)


@dataclass(frozen=True, slots=True)
class OfacRows:
    """The data rows of one legacy file with their line numbers, and its role."""

    role: str
    name: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_rows(name: str, data: bytes, problems: list[Problem]) -> OfacRows | None:
    """Read one legacy OFAC file; its role is detected from the column count."""
    text = decode(data).text
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, tuple[str, ...]]] = []
    start = 1
    try:
        for row in reader:
            if row and not (len(row) == 1 and not row[0].strip()):
                rows.append((start, tuple(row)))
            start = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(f"line {start} of {name}", f"not valid CSV: {error}"))
        return None
    if rows and rows[0][1][0].strip().lower() == HEADER_FIRST:
        rows = rows[1:]
    widths = {len(r) for _, r in rows}
    role = next((r for r, n in ROLE_COLUMNS.items() if n == max(widths, default=0)), None)
    if role is None:
        problems.append(
            Problem(name, f"not an OFAC legacy file: rows have {sorted(widths)} columns")
        )
        return None
    expected = ROLE_COLUMNS[role]
    for line, cells in rows:
        if len(cells) != expected:
            problems.append(
                Problem(
                    f"line {line} of {name}",
                    f"expected {expected} columns for an OFAC {role} file, got {len(cells)}",
                )
            )
        elif not cells[0].strip().isdigit():
            problems.append(
                Problem(f"line {line} of {name}", f"ent_num: expected an integer, got {cells[0]!r}")
            )
    return OfacRows(role, name, tuple(rows))


def _person_name_parts(entity: EntityProxy, name: str) -> None:
    if entity.schema.name != "Person" or "," not in name:
        return
    last, first = (p.strip() for p in name.split(",", 1))
    put(entity, "lastName", last)
    put(entity, "firstName", first)


def _records(by_role: dict[str, OfacRows], problems: list[Problem]) -> Iterator[ListRecord]:
    comments: dict[str, str] = {}
    if "comments" in by_role:
        for _, row in by_role["comments"].rows:
            comments[row[0].strip()] = comments.get(row[0].strip(), "") + row[1]
    entities: dict[str, tuple[EntityProxy, tuple[str, ...]]] = {}
    for line, row in by_role["sdn"].rows:
        ent_num = row[0].strip()
        name = empty(row[1])
        if name is None:
            problems.append(Problem(f"line {line} of {by_role['sdn'].name}", "SDN_Name is empty"))
            continue
        kind = (empty(row[2]) or "").lower()
        entity = make_entity(_SCHEMA.get(kind, "Organization"), entity_id(LIST_ID, ent_num))
        put(entity, "name", name)
        _person_name_parts(entity, name)
        put(entity, "position", empty(row[4]))
        if entity.schema.name in ("Vessel", "Airplane"):
            put(entity, "callSign", empty(row[5]))
            put(entity, "type", empty(row[6]))
            put(entity, "tonnage", empty(row[7]))
            put(entity, "grossRegisteredTonnage", empty(row[8]))
            put(entity, "flag", empty(row[9]))
        remarks = (empty(row[11]) or "") + comments.get(ent_num, "")
        if remarks:
            put(entity, "notes", remarks)
            for part in split_remarks(remarks):
                apply_remark(entity, part)
        entities[ent_num] = (entity, split_programmes(empty(row[3])))
    for role in ("alt", "add"):
        if role not in by_role:
            continue
        for _, row in by_role[role].rows:
            found = entities.get(row[0].strip())
            if found is None:
                continue  # orphans happen in OFAC's own files; not an error
            entity = found[0]
            if role == "alt":
                alt_name = empty(row[3])
                alt_type = (empty(row[2]) or "aka").lower()
                weak = "weak" in (empty(row[4]) or "").lower()
                prop = "weakAlias" if weak else "previousName" if alt_type == "fka" else "alias"
                put(entity, prop, alt_name)
            else:
                parts = [p for p in (empty(row[2]), empty(row[3]), empty(row[4])) if p]
                put(entity, "address", ", ".join(parts))
                put(entity, "country", empty(row[4]))
    for ent_num, (entity, programmes) in entities.items():
        yield ListRecord(LIST_ID, ent_num, entity, programmes, None)


def parse_ofac(files: Sequence[tuple[str, bytes]]) -> ParsedList:
    """Parse one OFAC snapshot's legacy files (sdn required; alt, add, comments optional)."""
    problems: list[Problem] = []
    by_role: dict[str, OfacRows] = {}
    for name, data in files:
        rows = read_rows(name, data, problems)
        if rows is None:
            continue
        if rows.role in by_role:
            problems.append(
                Problem(name, f"a second OFAC {rows.role} file (first: {by_role[rows.role].name})")
            )
        by_role[rows.role] = rows
    if not problems and "sdn" not in by_role:
        problems.append(Problem(", ".join(n for n, _ in files), "no OFAC sdn file among these"))
    fail_if(problems, "OFAC SDN")
    records = tuple(_records(by_role, problems))
    fail_if(problems, "OFAC SDN")
    sources = tuple(SourceFile(n, sha256_hex(d), len(d)) for n, d in files)
    return ParsedList(LIST_ID, FORMAT, LICENCES[LIST_ID], sources, records)
