"""The fund's own policy list (CSV) → list records; and the example list shipped with urif.

Owns the policy-list format: a CSV with a header naming at least ``policy_id`` and
``name``; optional ``schema`` (FtM schema, default ``LegalEntity``; ``PublicBody`` for a
state), ``aliases`` (``;``-separated), ``country`` (ISO alpha-2), ``reason``, ``source``
and ``listed_on`` (ISO date).  A row whose schema is ``PublicBody`` and that has a country
lists a state: any counterparty of kind ``state`` with that country is listed with it.
List id ``policy``.  ``EXAMPLE_POLICY_LIST`` is the example shipped as package data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from importlib import resources

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
)
from urif.core.errors import Problem

LIST_ID = "policy"
FORMAT = "policy-csv"
REQUIRED = ("policy_id", "name")
STATE_SCHEMA = "PublicBody"
EXAMPLE_POLICY_LIST = "policy-states-example.csv"


def parse_policy(name: str, data: bytes) -> ParsedList:
    """Parse a policy-list CSV; every bad row is reported with its line."""
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(decode(data).text, newline=""))
    fields = reader.fieldnames or ()
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        problems.append(Problem(f"line 1 of {name}", f"missing columns {missing}"))
    records: list[ListRecord] = []
    seen: set[str] = set()
    for row in reader if not missing else ():
        where = f"line {reader.line_num} of {name}"
        policy_id = (row.get("policy_id") or "").strip()
        schema = (row.get("schema") or "").strip() or "LegalEntity"
        listed_text = (row.get("listed_on") or "").strip()
        if not policy_id or not (row.get("name") or "").strip():
            problems.append(Problem(where, "policy_id and name must not be empty"))
            continue
        if policy_id in seen:
            problems.append(Problem(where, f"duplicate policy_id {policy_id!r}"))
            continue
        if schema not in TARGET_SCHEMATA:
            problems.append(
                Problem(where, f"schema: expected one of {sorted(TARGET_SCHEMATA)}, got {schema!r}")
            )
            continue
        try:
            listed = dt.date.fromisoformat(listed_text) if listed_text else None
        except ValueError:
            problems.append(Problem(where, f"listed_on: expected YYYY-MM-DD, got {listed_text!r}"))
            continue
        seen.add(policy_id)
        entity = make_entity(schema, entity_id(LIST_ID, policy_id))
        put(entity, "name", row["name"])
        for alias in (row.get("aliases") or "").split(";"):
            put(entity, "alias", alias)
        put(entity, "country", row.get("country"))
        put(entity, "notes", row.get("reason"))
        source = (row.get("source") or "").strip()
        put(entity, "sourceUrl" if source.startswith("http") else "publisher", source)
        records.append(ListRecord(LIST_ID, policy_id, entity, ("urif-policy",), listed))
    if not records and not problems:
        problems.append(Problem(name, "no rows in the policy list"))
    fail_if(problems, "policy list")
    source = SourceFile(name, sha256_hex(data), len(data))
    return ParsedList(LIST_ID, FORMAT, LICENCES[LIST_ID], (source,), tuple(records))


def example_policy_list() -> ParsedList:
    """The example policy list of states shipped with urif (see data/README.md)."""
    data = resources.files("urif.compliance").joinpath("data", EXAMPLE_POLICY_LIST).read_bytes()
    return parse_policy(EXAMPLE_POLICY_LIST, data)
