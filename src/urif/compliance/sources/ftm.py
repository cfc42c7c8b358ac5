"""FollowTheMoney JSON lines (OpenSanctions exports, ownership clusters) → list records.

Owns reading one FtM entity per line.  Entities marked ``target`` (or with no ``target``
key) whose schema is a listed kind (Person, Company, Vessel...) become ``ListRecord``;
everything else (Ownership, Directorship, Family, Sanction, Address, unlisted owners) is
kept as ``relations`` for the ownership graph.  Programmes and listing dates come from
``Sanction`` entities pointing at the target.  The list id is the dataset name: the one
dataset every line shares, else the one given by the caller (the file's stem).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from urif.compliance.sources.encoding import decode
from urif.compliance.sources.record import (
    LICENCE_OPENSANCTIONS,
    TARGET_SCHEMATA,
    ListRecord,
    ParsedList,
    SourceFile,
    fail_if,
    ftm_model,
    sha256_hex,
    slug,
)
from urif.core.errors import Problem

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

FORMAT = "ftm-jsonl"


def _line_entity(
    raw: str, where: str, problems: list[Problem]
) -> tuple[dict[str, Any], EntityProxy] | None:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as error:
        problems.append(Problem(where, f"not JSON: {error.msg} at column {error.colno}"))
        return None
    if not isinstance(obj, dict) or not obj.get("id") or not obj.get("schema"):
        problems.append(Problem(where, "expected an FtM entity object with id and schema"))
        return None
    from followthemoney.exc import InvalidData  # with the model, on first use

    try:
        entity = ftm_model().get_proxy(
            {"id": obj["id"], "schema": obj["schema"], "properties": obj.get("properties", {})}
        )
    except (InvalidData, TypeError, ValueError) as error:
        problems.append(Problem(where, f"not a valid FtM entity: {error}"))
        return None
    return obj, entity


def _date(values: list[str]) -> dt.date | None:
    found: list[dt.date] = []
    for value in values:
        try:
            found.append(dt.date.fromisoformat(value[:10]))
        except ValueError:
            continue
    return min(found) if found else None


def parse_ftm(
    name: str, data: bytes, dataset: str | None = None, fallback: str | None = None
) -> ParsedList:
    """Parse FtM JSON lines; the list is ``dataset``, else the one dataset all lines share,
    else ``fallback``, else the file's stem."""
    problems: list[Problem] = []
    parsed: list[tuple[dict[str, Any], EntityProxy]] = []
    for number, raw in enumerate(decode(data).text.splitlines(), start=1):
        if raw.strip():
            found = _line_entity(raw, f"line {number} of {name}", problems)
            if found is not None:
                parsed.append(found)
    if not parsed and not problems:
        problems.append(Problem(name, "no entities in the file"))
    fail_if(problems, "FtM JSON lines")
    common = set.intersection(*(set(obj.get("datasets") or ()) for obj, _ in parsed))
    stem = fallback or slug(name.split(".", maxsplit=1)[0])
    list_id = dataset or (sorted(common)[0] if len(common) == 1 else stem)
    programmes: dict[str, list[str]] = defaultdict(list)
    listed: dict[str, list[str]] = defaultdict(list)
    for _, entity in parsed:
        if entity.schema.name == "Sanction":
            for target in entity.get("entity"):
                programmes[target].extend(entity.get("programId") + entity.get("program"))
                listed[target].extend(entity.get("listingDate") + entity.get("startDate"))
    records: list[ListRecord] = []
    relations: list[EntityProxy] = []
    for obj, entity in parsed:
        ident = str(entity.id)
        if entity.schema.name in TARGET_SCHEMATA and obj.get("target", True):
            progs = tuple(dict.fromkeys(programmes.get(ident, ())))
            records.append(ListRecord(list_id, ident, entity, progs, _date(listed.get(ident, []))))
        else:
            relations.append(entity)
    source = SourceFile(name, sha256_hex(data), len(data))
    return ParsedList(
        list_id, FORMAT, LICENCE_OPENSANCTIONS, (source,), tuple(records), None, tuple(relations)
    )
