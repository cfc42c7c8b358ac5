"""Format detection by content and grouping of paths into one parsed list per snapshot.

Owns ``detect(data)`` (which parser a file needs, from its bytes, never its name) and
``read_paths(paths)``: a folder is one snapshot of one list (files nobody recognises in it,
such as OFAC's ``dataspec.txt``, are skipped with a warning); separate OFAC legacy files
given together form one snapshot; any other file is a snapshot of its own.  Every problem
of every file is collected and raised at once (InvalidInput): nothing is half-loaded.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from urif.compliance.sources.encoding import decode
from urif.compliance.sources.eu import parse_eu
from urif.compliance.sources.ftm import parse_ftm
from urif.compliance.sources.ofac import HEADER_FIRST, ROLE_COLUMNS, parse_ofac
from urif.compliance.sources.policy import parse_policy
from urif.compliance.sources.record import ParsedList, fail_if, slug
from urif.compliance.sources.un import ROOT as UN_ROOT
from urif.compliance.sources.un import parse_un
from urif.core.errors import InvalidInput, Problem

OFAC = "ofac-legacy-csv"
UN = "un-consolidated-xml"
EU = "eu-journal-csv"
FTM = "ftm-jsonl"
POLICY = "policy-csv"
UNKNOWN = "unknown"
_SNIFF = 64 * 1024


def detect(data: bytes) -> str:
    """The format of a list file from its first bytes.

    >>> detect(b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-02-27">')
    'un-consolidated-xml'
    >>> detect(b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ')
    'ofac-legacy-csv'
    >>> detect(b'{"id": "x", "schema": "Person", "properties": {}}')
    'ftm-jsonl'
    >>> detect(b"celex,recordId,annex,schema,name"), detect(b"policy_id,name"), detect(b"hi")
    ('eu-journal-csv', 'policy-csv', 'unknown')
    """
    text = decode(data[:_SNIFF]).text.lstrip()
    if text.startswith("<"):
        return UN if f"<{UN_ROOT}" in text[:4096] else UNKNOWN
    first = text.split("\n", 1)[0].strip()
    if first.startswith("{"):
        try:
            obj = json.loads(first)
        except json.JSONDecodeError:
            return UNKNOWN
        return FTM if isinstance(obj, dict) and "schema" in obj else UNKNOWN
    try:
        row = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return UNKNOWN
    header = {c.strip().lower() for c in row}
    if {"celex", "schema", "name"} <= header:
        return EU
    if {"policy_id", "name"} <= header:
        return POLICY
    if row and (row[0].strip().lower() == HEADER_FIRST or row[0].strip().isdigit()):
        return OFAC if len(row) in ROLE_COLUMNS.values() else UNKNOWN
    return UNKNOWN


def _parse_one(fmt: str, name: str, data: bytes, dataset: str | None) -> ParsedList:
    if fmt == UN:
        return parse_un(name, data)
    if fmt == EU:
        return parse_eu(name, data)
    if fmt == FTM:
        return parse_ftm(name, data, fallback=dataset)
    if fmt == POLICY:
        return parse_policy(name, data)
    return parse_ofac([(name, data)])


def _read_folder(folder: Path, problems: list[Problem]) -> ParsedList | None:
    found: dict[str, list[tuple[str, bytes]]] = {}
    skipped: list[Problem] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        fmt = detect(data)
        if fmt == UNKNOWN:
            skipped.append(Problem(str(path), "not a list file; skipped"))
            continue
        found.setdefault(fmt, []).append((path.name, data))
    if len(found) != 1:
        kinds = sorted(found) or ["none"]
        problems.append(Problem(str(folder), f"a folder must hold one list, found {kinds}"))
        return None
    fmt, files = next(iter(found.items()))
    if fmt == OFAC:
        parsed = parse_ofac(files)
    elif len(files) == 1:
        parsed = _parse_one(fmt, files[0][0], files[0][1], slug(folder.name))
    else:
        problems.append(Problem(str(folder), f"{len(files)} {fmt} files: one snapshot per file"))
        return None
    return replace(parsed, warnings=parsed.warnings + tuple(skipped))


def read_paths(paths: Sequence[Path]) -> tuple[ParsedList, ...]:
    """Parse files and folders into one ParsedList per snapshot; all-or-nothing."""
    problems: list[Problem] = []
    out: list[ParsedList] = []
    ofac_files: list[tuple[str, bytes]] = []
    for path in paths:
        try:
            if path.is_dir():
                parsed = _read_folder(path, problems)
                if parsed is not None:
                    out.append(parsed)
                continue
            data = path.read_bytes()
        except InvalidInput as error:
            problems.extend(error.problems or (Problem(str(path), error.message),))
            continue
        except OSError as error:
            problems.append(Problem(str(path), f"cannot read: {error.strerror or error}"))
            continue
        fmt = detect(data)
        if fmt == UNKNOWN:
            problems.append(
                Problem(
                    str(path),
                    "format not recognised (expected OFAC legacy "
                    "CSV, UN XML, EU journal CSV, FtM JSON lines or policy CSV)",
                )
            )
        elif fmt == OFAC:
            ofac_files.append((path.name, data))
        else:
            try:
                out.append(_parse_one(fmt, path.name, data, None))
            except InvalidInput as error:
                problems.extend(error.problems or (Problem(str(path), error.message),))
    if ofac_files:
        try:
            out.append(parse_ofac(ofac_files))
        except InvalidInput as error:
            problems.extend(error.problems)
    fail_if(problems, "list files")
    return tuple(out)
