"""EU Official Journal annexes (Reg. 269/2014 Annex I, Reg. 833/2014 annexes) as CSV → FtM.

Owns reading OpenSanctions' transcription of the Official Journal annexes (columns
``celex, recordId, programKey, annex, measure, startDate, reason, schema, name, alias,
weakAlias, previousName, ..., innCode, ogrnCode, ..., imoNumber, ...``): Cyrillic originals
and every romanisation become aliases (``Name (Имя)`` gives both), INN/OGRN/KPP/OKPO/LEI/
IMO identifiers are kept, ``startDate`` is the listing date, and Annex IV of 833/2014 (the
military-industrial-complex list) is tagged.  List id from CELEX: ``32014R0269`` →
``eu-269``, ``32014R0833`` → ``eu-833``.  Licence CC BY-NC 4.0: tests and demos only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import TYPE_CHECKING

from urif.compliance.sources.encoding import decode
from urif.compliance.sources.record import (
    LICENCES,
    TARGET_SCHEMATA,
    ListRecord,
    ParsedList,
    SourceFile,
    entity_id,
    fail_if,
    make_entity,
    put,
    sha256_hex,
    slug,
)
from urif.core.errors import Problem

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

FORMAT = "eu-journal-csv"
REQUIRED = ("celex", "annex", "schema", "name")
MILITARY_INDUSTRIAL_ANNEX = "IV"
MILITARY_INDUSTRIAL_PROGRAMME = "EU-833 Annex IV (military-industrial complex)"

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_PAREN = re.compile(r"^(?P<outer>.*?)\s*\((?P<inner>[^()]+)\)$")
_CELEX = re.compile(r"^3(?P<year>\d{4})R0*(?P<number>\d+)$")
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_PLAIN = ("country", "nationality", "jurisdiction", "birthPlace", "position", "gender")
_MORE = ("fatherName", "legalForm", "address", "phone", "email", "website", "flag")
_IDS = ("innCode", "ogrnCode", "kppCode", "okpoCode", "leiCode", "swiftBic", "imoNumber", "mmsi")
_OTHER_IDS = ("passportNumber", "taxNumber", "idNumber")


def list_id_for(celex: str) -> str | None:
    """List id for a CELEX regulation number, or None when it is not one.

    >>> list_id_for("32014R0269"), list_id_for("32014R0833"), list_id_for("x")
    ('eu-269', 'eu-833', None)
    """
    match = _CELEX.match(celex.strip())
    return f"eu-{match['number']}" if match else None


def eu_date(text: str) -> str | None:
    """An Official Journal date (``17.3.2014``, ``12 March 2022``, ``1972``) as ISO text.

    >>> eu_date("17.3.2014"), eu_date("12 March 2022"), eu_date("1972"), eu_date("n/a")
    ('2014-03-17', '2022-03-12', '1972', None)
    """
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if match:
        return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    match = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", text)
    if match and match[2].lower() in _MONTHS:
        return f"{match[3]}-{_MONTHS.index(match[2].lower()) + 1:02d}-{int(match[1]):02d}"
    if re.fullmatch(r"\d{4}", text):
        return text
    return None


def split_names(text: str) -> list[str]:
    """An alias cell as names: ``;``-separated, ``Latin (Кириллица)`` giving both.

    >>> split_names("Sergei AKSENOV (Сергей АКСЁНОВ); Serhiy AKSYONOV")
    ['Sergei AKSENOV', 'Сергей АКСЁНОВ', 'Serhiy AKSYONOV']
    >>> split_names("Acme (Russia)")
    ['Acme (Russia)']
    """
    out: list[str] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = _PAREN.match(part)
        if match and match["outer"] and _CYRILLIC.search(part):
            out.extend([match["outer"].strip(), match["inner"].strip()])
        else:
            out.append(part)
    return out


def _cells(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _registration(entity: EntityProxy, text: str) -> None:
    for part in _cells(text):
        digits = re.match(r"^(\d+)", part)
        upper = part.upper()
        if digits and "INN" in upper:
            put(entity, "innCode", digits[1], raw=True)
        elif digits and "OGRN" in upper:
            put(entity, "ogrnCode", digits[1], raw=True)
        else:
            put(entity, "registrationNumber", part, raw=True)


def _fill(entity: EntityProxy, row: dict[str, str]) -> None:
    put(entity, "name", row["name"])
    for prop in ("alias", "weakAlias", "previousName"):
        for name in split_names(row.get(prop) or ""):
            put(entity, prop, name)
    for prop in _PLAIN + _MORE:
        for value in _cells(row.get(prop)):
            put(entity, prop, value.lower() if prop == "gender" else value)
    for prop in ("birthDate", "incorporationDate"):
        for value in _cells(row.get(prop)):
            put(entity, prop, eu_date(value))
    for prop in _IDS + _OTHER_IDS:
        for value in _cells(row.get(prop)):
            put(entity, prop, value, raw=True)
    _registration(entity, row.get("registrationNumber") or "")
    put(entity, "notes", row.get("reason"))


def parse_eu(name: str, data: bytes) -> ParsedList:
    """Parse one EU journal CSV (one regulation per file); every bad row is reported."""
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(decode(data).text, newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        problems.append(Problem(f"line 1 of {name}", f"missing columns {missing}"))
        fail_if(problems, "EU journal CSV")
    records: list[ListRecord] = []
    list_ids: set[str] = set()
    seen: set[str] = set()
    try:
        for row in reader:
            where = f"line {reader.line_num} of {name}"
            list_id = list_id_for(row.get("celex") or "")
            schema = (row.get("schema") or "").strip()
            if list_id is None:
                problems.append(Problem(where, f"celex: expected 3YYYYRNNNN, got {row['celex']!r}"))
                continue
            if schema not in TARGET_SCHEMATA:
                problems.append(
                    Problem(
                        where, f"schema: expected one of {sorted(TARGET_SCHEMATA)}, got {schema!r}"
                    )
                )
                continue
            if not (row.get("name") or "").strip():
                problems.append(Problem(where, "name is empty"))
                continue
            list_ids.add(list_id)
            annex = (row.get("annex") or "").strip()
            record_id = (row.get("recordId") or "").strip() or slug(row["name"])[:60]
            source_id = f"{annex}/{record_id}"
            ident = entity_id(list_id, source_id)
            if ident in seen:
                problems.append(Problem(where, f"duplicate record {source_id!r} in annex {annex}"))
                continue
            seen.add(ident)
            entity = make_entity(schema, ident)
            _fill(entity, row)
            programmes = [p for p in ((row.get("programKey") or "").strip(),) if p]
            programmes.append(f"{list_id.upper()} Annex {annex}")
            if list_id == "eu-833" and annex == MILITARY_INDUSTRIAL_ANNEX:
                programmes.append(MILITARY_INDUSTRIAL_PROGRAMME)
            listed = eu_date(row.get("startDate") or "")
            listing = dt.date.fromisoformat(listed) if listed and len(listed) == 10 else None
            records.append(ListRecord(list_id, source_id, entity, tuple(programmes), listing))
    except csv.Error as error:
        problems.append(Problem(f"line {reader.line_num} of {name}", f"not valid CSV: {error}"))
    if len(list_ids) > 1:
        problems.append(Problem(name, f"one regulation per file expected, got {sorted(list_ids)}"))
    if not records and not problems:
        problems.append(Problem(name, "no listings in the file"))
    fail_if(problems, "EU journal CSV")
    list_id = list_ids.pop()
    source = SourceFile(name, sha256_hex(data), len(data))
    return ParsedList(
        list_id, FORMAT, LICENCES.get(list_id, LICENCES["eu-269"]), (source,), tuple(records)
    )
