"""Term files: read YAML, check every key and value, build a ``TermSet``.

Owns the term-file format (see ``src/urif/terms/README.md``), the checks that report
every problem of a file at once with its file, line, key path, expected and got, and the
term sets shipped as package data under ``urif/terms/data``.

A term file::

    version: signed-2025-04-30
    title: ...
    kind: signed                   # signed | draft | framework
    effective_from: 2025-05-23     # the set's first date
    documents:
      agreement: {title: ..., url: https://...}
    parameters:
      revenue_share:
        meaning: one line on what the parameter means
        values:
          - value: "0.5"
            effective_from: 2025-05-23
            status: known          # known | reported | assumed | disputed
            source: {document: agreement, clause: Art. VI, url: https://..., note: ...}
            alternatives: []       # required (non-empty) for assumed and disputed

A *reading* of another term set (``extends``) lists only the parameters it overrides, one
dated value each, validated like any value; the value must be the base value in force on
its date or one of that value's declared alternatives::

    version: signed-2025-04-30-broad
    title: ...
    extends: signed-2025-04-30     # a shipped set that is not itself a reading
    documents: {...}               # optional: added to the base set's documents
    parameters:
      new_licence_reading:
        value: "broad"
        effective_from: 2025-05-23
        status: disputed
        source: {document: norton_rose, clause: ..., url: https://...}
        alternatives: ["strict"]
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from urif.core.errors import InvalidInput, NotFound, Problem
from urif.core.ids import TermsVersion
from urif.terms.catalogue import (
    SPEC_BY_PATH,
    SPECS,
    BadValue,
    Spec,
    convert,
    describe,
    show,
    to_date,
)
from urif.terms.model import Document, Parameter, Source, Status
from urif.terms.termset import ParameterHistory, TermSet

#: No term of the fund can take effect before the first US draft (February 2025).
EARLIEST = dt.date(2025, 2, 1)
KINDS = ("signed", "draft", "framework")
#: The kind of a term set read from a file with ``extends``.
READING = "reading"

#: Finds the base term set of a reading by version; raises ``BadValue`` when it cannot.
BaseLookup = Callable[[str], TermSet]

_TOP_REQUIRED = ("version", "title", "kind", "effective_from", "documents", "parameters")
_TOP_OPTIONAL = ("description",)
_READING_REQUIRED = ("version", "title", "extends", "parameters")
_READING_OPTIONAL = ("description", "documents")
_VALUE_REQUIRED = ("value", "effective_from", "status", "source")
_VALUE_OPTIONAL = ("alternatives",)
_SOURCE_REQUIRED = ("document", "clause", "url")
_SOURCE_OPTIONAL = ("note",)
_PARAM_REQUIRED = ("meaning", "values")
_DOC_REQUIRED = ("title", "url")
_VERSION = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_URL = re.compile(r"^https?://\S+$")
_STATUSES = ", ".join(s.value for s in Status)


@dataclass
class _Check:
    """Collects every problem of one file with its location."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    start: dt.date | None = None  # the set's effective_from, once read
    documents: dict[str, Document] = field(default_factory=dict)
    documents_ok: bool = False

    def add(self, line: int, path: str, message: str) -> None:
        where = f"{self.name} line {line}" + (f", {path}" if path else "")
        self.problems.append(Problem(where, message))


def _line(container: Any, key: object | None = None) -> int:
    """1-based line of ``key`` in ``container`` (or of the container itself)."""
    lc = getattr(container, "lc", None)
    if lc is None:
        return 1
    try:
        if key is None:
            return int(lc.line) + 1
        if isinstance(key, int) and isinstance(container, list):
            return int(lc.item(key)[0]) + 1
        return int(lc.key(key)[0]) + 1
    except (KeyError, IndexError, TypeError):
        return int(lc.line) + 1


def _keys(
    check: _Check,
    mapping: object,
    path: str,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    what: str,
    line: int,
) -> bool:
    """Check a mapping's keys; False when it is not a mapping at all."""
    if not isinstance(mapping, dict):
        check.add(
            line, path, f"expected {what} with keys {', '.join(required)}, got {describe(mapping)}"
        )
        return False
    for key in mapping:
        if key not in required and key not in optional:
            allowed = ", ".join((*required, *optional))
            check.add(
                _line(mapping, key),
                _join(path, str(key)),
                f"unknown key: expected one of {allowed}, got {key!r}",
            )
    for key in required:
        if key not in mapping:
            check.add(
                _line(mapping),
                _join(path, key),
                f"missing {key}: expected {what} to have {key}, got nothing",
            )
    return True


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _duplicates(check: _Check, node: Node | None, path: str = "") -> None:
    """Report every key that appears twice in one mapping, anywhere in the file."""
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                check.add(
                    line,
                    _join(path, key),
                    f"duplicate key: expected each key once in a mapping, got {key!r} "
                    f"again (first on line {seen[key]})",
                )
            else:
                seen[key] = line
            _duplicates(check, value_node, _join(path, key))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _duplicates(check, item, f"{path}[{index}]")


def _text(check: _Check, mapping: dict[str, Any], key: str, path: str) -> str | None:
    raw = mapping.get(key)
    if isinstance(raw, str) and raw.strip() and "\n" not in raw.strip():
        return raw.strip()
    if key in mapping:
        check.add(
            _line(mapping, key), _join(path, key), f"expected one line of text, got {describe(raw)}"
        )
    return None


def _date(check: _Check, mapping: dict[str, Any], key: str, path: str) -> dt.date | None:
    if key not in mapping:
        return None
    try:
        day = to_date(mapping[key])
    except BadValue as bad:
        check.add(_line(mapping, key), _join(path, key), str(bad))
        return None
    if day < EARLIEST:
        check.add(
            _line(mapping, key),
            _join(path, key),
            f"effective date before the agreement existed: expected on or after "
            f"{EARLIEST.isoformat()} (the first US draft), got {day.isoformat()}",
        )
        return None
    return day


def _documents(check: _Check, raw: object, line: int) -> dict[str, Document]:
    out: dict[str, Document] = {}
    if not isinstance(raw, dict) or not raw:
        check.add(
            line,
            "documents",
            f"expected a mapping of document keys to {{title, url}}, got {describe(raw)}",
        )
        return out
    for key, doc in raw.items():
        path = f"documents.{key}"
        if not _keys(
            check, doc, path, required=_DOC_REQUIRED, what="a document", line=_line(raw, key)
        ):
            continue
        title = _text(check, doc, "title", path)
        url = _url(check, doc, path)
        if title is not None and url is not None:
            out[str(key)] = Document(str(key), title, url)
    return out


def _url(check: _Check, mapping: dict[str, Any], path: str) -> str | None:
    raw = mapping.get("url")
    if isinstance(raw, str) and _URL.match(raw.strip()):
        return raw.strip()
    if "url" in mapping:
        check.add(
            _line(mapping, "url"),
            _join(path, "url"),
            f"expected an http(s) URL, got {describe(raw)}",
        )
    return None


def _source(check: _Check, item: dict[str, Any], path: str) -> Source | None:
    if "source" not in item:
        return None  # the key check has reported the missing source
    raw = item["source"]
    spath = f"{path}.source"
    line = _line(item, "source")
    if not _keys(
        check,
        raw,
        spath,
        required=_SOURCE_REQUIRED,
        optional=_SOURCE_OPTIONAL,
        what="a source",
        line=line,
    ):
        return None
    assert isinstance(raw, dict)
    doc: Document | None = None
    if "document" in raw:
        document = raw["document"]
        doc = check.documents.get(str(document))
        if doc is None and check.documents_ok:
            known = ", ".join(check.documents) or "none"
            check.add(
                _line(raw, "document"),
                f"{spath}.document",
                f"unknown document: expected one of the file's documents ({known}), "
                f"got {describe(document)}",
            )
    clause = _text(check, raw, "clause", spath)
    url = _url(check, raw, spath)
    note = raw.get("note", "")
    if not isinstance(note, str):
        check.add(_line(raw, "note"), f"{spath}.note", f"expected text, got {describe(note)}")
        note = ""
    if doc is None or clause is None or url is None:
        return None
    return Source(doc.title, clause, url, " ".join(note.split()))


def _effective(check: _Check, item: dict[str, Any], path: str) -> dt.date | None:
    effective = _date(check, item, "effective_from", path)
    if effective is not None and check.start is not None and effective < check.start:
        check.add(
            _line(item, "effective_from"),
            f"{path}.effective_from",
            f"effective date before the term set begins: expected on or after its "
            f"effective_from {check.start.isoformat()}, got {effective.isoformat()}",
        )
        return None
    return effective


def _status(check: _Check, item: dict[str, Any], path: str) -> Status | None:
    if "status" not in item:
        return None
    try:
        return Status(item["status"])
    except ValueError:
        check.add(
            _line(item, "status"),
            f"{path}.status",
            f"expected one of {_STATUSES}, got {describe(item['status'])}",
        )
        return None


def _value_entry(
    check: _Check, item: object, path: str, spec: Spec, *, meaning: str, line: int
) -> Parameter | None:
    if not _keys(
        check,
        item,
        path,
        required=_VALUE_REQUIRED,
        optional=_VALUE_OPTIONAL,
        what="a dated value",
        line=line,
    ):
        return None
    assert isinstance(item, dict)
    ok = "value" in item
    value: object = None
    if ok:
        try:
            value = convert(spec, item["value"])
        except BadValue as bad:
            check.add(_line(item, "value"), f"{path}.value", str(bad))
            ok = False
    effective = _effective(check, item, path)
    status = _status(check, item, path)
    source = _source(check, item, path)
    alternatives = _alternatives(
        check, item, path, spec, status=status, value=value if ok else None
    )
    if not ok or effective is None or status is None or source is None or alternatives is None:
        return None
    return Parameter(spec.path, value, effective, source, status, alternatives, meaning)


def _alternatives(
    check: _Check,
    item: dict[str, Any],
    path: str,
    spec: Spec,
    *,
    status: Status | None,
    value: object,
) -> tuple[object, ...] | None:
    raw = item.get("alternatives", [])
    apath = f"{path}.alternatives"
    line = _line(item, "alternatives") if "alternatives" in item else _line(item)
    if not isinstance(raw, list):
        check.add(
            line,
            apath,
            f"expected a list of other values the parameter can take, got {describe(raw)}",
        )
        return None
    if status in (Status.ASSUMED, Status.DISPUTED) and not raw:
        assert status is not None
        check.add(
            line,
            apath,
            f"missing alternatives: expected the other values {'an' if status is Status.ASSUMED else 'a'} {status.value} parameter "
            "can take (a non-empty list), got nothing",
        )
        return None
    out: list[object] = []
    for index, alt in enumerate(raw):
        try:
            typed = convert(spec, alt)
        except BadValue as bad:
            check.add(_line(raw, index), f"{apath}[{index}]", str(bad))
            return None
        if typed == value:
            check.add(
                _line(raw, index),
                f"{apath}[{index}]",
                f"expected an alternative other than the value itself, got {describe(alt)}",
            )
            return None
        out.append(typed)
    return tuple(out)


def _parameter(check: _Check, raw: object, spec: Spec, line: int) -> ParameterHistory | None:
    path = f"parameters.{spec.path}"
    if not _keys(check, raw, path, required=_PARAM_REQUIRED, what="a parameter", line=line):
        return None
    assert isinstance(raw, dict)
    meaning = _text(check, raw, "meaning", path)
    values_raw = raw.get("values")
    if "values" in raw and (not isinstance(values_raw, list) or not values_raw):
        check.add(
            _line(raw, "values"),
            f"{path}.values",
            f"expected a non-empty list of dated values, got {describe(values_raw)}",
        )
        return None
    if not isinstance(values_raw, list):
        return None
    values: list[Parameter] = []
    complete = True
    for index, item in enumerate(values_raw):
        vpath = f"{path}.values[{index}]"
        param = _value_entry(
            check, item, vpath, spec, meaning=meaning or "", line=_line(values_raw, index)
        )
        if param is None:
            complete = False
            continue
        if values and param.effective_from <= values[-1].effective_from:
            check.add(
                _line(item, "effective_from"),
                f"{vpath}.effective_from",
                f"expected effective dates in increasing order, after "
                f"{values[-1].effective_from.isoformat()}, got {param.effective_from.isoformat()}",
            )
            complete = False
        values.append(param)
    if values and complete and check.start is not None and not spec.optional:
        first = values[0].effective_from
        if first != check.start:
            check.add(
                _line(values_raw[0], "effective_from"),
                f"{path}.values[0].effective_from",
                f"expected the first value in force from the term set's effective_from "
                f"{check.start.isoformat()}, got {first.isoformat()}",
            )
            complete = False
    if meaning is None or not complete:
        return None
    return ParameterHistory(spec.path, meaning, tuple(values))


def parse_termset(text: str, name: str, *, bases: BaseLookup | None = None) -> TermSet:
    """Build a ``TermSet`` from term-file text, or raise ``InvalidInput`` with every problem.

    ``bases`` finds the set a reading ``extends`` (default: the shipped sets).
    """
    return _parse(text, name, bases if bases is not None else shipped_base)


class _IsReading(Exception):
    """A file asked for as a base turned out to be a reading (of ``base``)."""

    def __init__(self, base: object) -> None:
        super().__init__(base)
        self.base = base


def _parse(text: str, name: str, bases: BaseLookup | None, *, fast: bool = False) -> TermSet:
    """Parse a term file; ``bases=None``: it is wanted as a base, so a reading raises _IsReading.

    ``fast`` (the shipped files) reads the YAML with libyaml first, about fifteen times
    quicker than the round-trip parser, whose only extra is line numbers for messages: a
    file the fast reading finds anything wrong with is parsed again the full way, so
    every message is the same.  Every shipped file gives the same term set both ways
    (tests/terms).
    """
    if fast:
        data = _fast_yaml(text)
        if data is not _UNREAD:
            try:
                return _parse_data(_Check(name), data, bases)
            except _IsReading:
                raise
            except Exception:  # whatever it is, the full parse below reports it
                pass
    check = _Check(name)
    return _parse_data(check, _yaml(check, text), bases)


#: ``_fast_yaml``'s answer when it cannot read a text (the full parser reports why).
_UNREAD: Any = object()


def _fast_yaml(text: str) -> object:
    """The YAML document through libyaml (PyYAML's C loader), or ``_UNREAD``.

    ``_UNREAD`` when libyaml is missing, on any syntax error and on a duplicate key (which
    the safe loader would silently take the last of).
    """
    loader_class = getattr(pyyaml, "CSafeLoader", None)
    if loader_class is None:
        return _UNREAD
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None or _has_duplicate_keys(node):
            return _UNREAD
        return loader.construct_document(node)
    except Exception:  # a syntax error, an impossible date, ...: the full parse reports it
        return _UNREAD
    finally:
        loader.dispose()


def _has_duplicate_keys(node: pyyaml.Node) -> bool:
    if isinstance(node, pyyaml.MappingNode):
        keys = [key.value for key, _ in node.value]
        if len(keys) != len(set(map(str, keys))):
            return True
        return any(_has_duplicate_keys(value) for _, value in node.value)
    if isinstance(node, pyyaml.SequenceNode):
        return any(_has_duplicate_keys(item) for item in node.value)
    return False


def _parse_data(check: _Check, data: object, bases: BaseLookup | None) -> TermSet:
    """Build the term set from a parsed YAML document (see ``_parse``)."""
    if isinstance(data, dict) and "extends" in data:
        if bases is None:
            raise _IsReading(data["extends"])
        return _parse_reading(check, data, bases)
    if not _keys(
        check, data, "", required=_TOP_REQUIRED, optional=_TOP_OPTIONAL, what="a term file", line=1
    ):
        raise _invalid(check)
    assert isinstance(data, dict)
    return _parse_base(check, data)


def _yaml(check: _Check, text: str) -> object:
    """The YAML document of a term file (duplicate keys reported, syntax errors raised)."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True
    try:
        constructor, _parser = yaml.get_constructor_parser(text)
        node = constructor.composer.get_single_node()
        _duplicates(check, node)
        return constructor.construct_document(node) if node is not None else None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        check.add(line, "", f"expected valid YAML, got {error.problem or error.context}")
        raise _invalid(check) from None
    except YAMLError as error:
        check.add(1, "", f"expected valid YAML, got {error}")
        raise _invalid(check) from None
    except ValueError as error:  # a date that does not exist (2025-02-30), ...
        check.add(1, "", f"expected valid YAML values, got one that is not: {error}")
        raise _invalid(check) from None


def _version(check: _Check, data: dict[str, Any]) -> TermsVersion | None:
    version = data.get("version")
    if isinstance(version, str) and _VERSION.match(version):
        return TermsVersion(version)
    if "version" in data:
        check.add(
            _line(data, "version"),
            "version",
            f"expected a lower-case version id such as signed-2025-04-30, got {describe(version)}",
        )
    return None


def _parse_base(check: _Check, data: dict[str, Any]) -> TermSet:
    version = _version(check, data)
    title = _text(check, data, "title", "")
    description = _text(check, data, "description", "")
    kind = data.get("kind")
    if "kind" in data and kind not in KINDS:
        check.add(
            _line(data, "kind"), "kind", f"expected one of {', '.join(KINDS)}, got {describe(kind)}"
        )
    start = _date(check, data, "effective_from", "")
    check.start = start
    if "documents" in data:
        before = len(check.problems)
        check.documents = _documents(check, data["documents"], _line(data, "documents"))
        check.documents_ok = len(check.problems) == before
    histories: dict[str, ParameterHistory] = {}
    params = data.get("parameters")
    if "parameters" in data and not isinstance(params, dict):
        check.add(
            _line(data, "parameters"),
            "parameters",
            f"expected a mapping of parameter paths to their values, got {describe(params)}",
        )
    elif isinstance(params, dict):
        for key, raw in params.items():
            spec = _spec(check, params, key)
            if spec is None:
                continue
            history = _parameter(check, raw, spec, _line(params, key))
            if history is not None:
                histories[spec.path] = history
        for spec in SPECS:
            if not spec.optional and spec.path not in params:
                check.add(
                    _line(data, "parameters"),
                    f"parameters.{spec.path}",
                    f"missing parameter: expected {spec.path} with a value in force from the "
                    "term set's effective_from, got nothing",
                )
    if check.problems:
        raise _invalid(check)
    assert version is not None
    assert title is not None
    assert isinstance(kind, str)
    assert start is not None
    return TermSet(
        version=version,
        title=title,
        kind=kind,
        effective_from=start,
        documents=tuple(check.documents.values()),
        parameters=tuple(histories[s.path] for s in SPECS if s.path in histories),
        origin=check.name,
        description=description or "",
    )


def _parse_reading(check: _Check, data: dict[str, Any], bases: BaseLookup) -> TermSet:
    """A reading: the base set with the listed parameters overridden from their dates."""
    _keys(
        check,
        data,
        "",
        required=_READING_REQUIRED,
        optional=_READING_OPTIONAL,
        what="a reading (a term file with extends)",
        line=1,
    )
    version = _version(check, data)
    title = _text(check, data, "title", "")
    description = _text(check, data, "description", "")
    base = _base(check, data, version, bases)
    if base is not None:
        check.start = base.effective_from
        check.documents = {doc.key: doc for doc in base.documents}
        check.documents_ok = True
    if "documents" in data:
        before = len(check.problems)
        own = _documents(check, data["documents"], _line(data, "documents"))
        if base is not None:
            for key, doc in own.items():
                if key in check.documents:
                    check.add(
                        _line(data["documents"], key),
                        f"documents.{key}",
                        f"duplicate document: expected a key that base {base.version} does not "
                        f"use ({', '.join(check.documents)}), got {key!r}",
                    )
                else:
                    check.documents[key] = doc
        check.documents_ok = base is not None and len(check.problems) == before
    overrides = _overrides(check, data, base)
    if check.problems:
        raise _invalid(check)
    assert version is not None
    assert title is not None
    assert base is not None
    histories = {h.path: h for h in base.parameters}
    histories.update(overrides)
    return TermSet(
        version=version,
        title=title,
        kind=READING,
        effective_from=base.effective_from,
        documents=tuple(check.documents.values()),
        parameters=tuple(histories[s.path] for s in SPECS if s.path in histories),
        origin=check.name,
        description=description or "",
        extends=base.version,
        overrides=tuple(s.path for s in SPECS if s.path in overrides),
    )


def _base(
    check: _Check, data: dict[str, Any], version: TermsVersion | None, bases: BaseLookup
) -> TermSet | None:
    """The set a reading extends, or None (with a problem) when it cannot be used."""
    if "extends" not in data:
        return None
    raw = data["extends"]
    line = _line(data, "extends")
    if raw == version:
        check.add(
            line,
            "extends",
            f"a reading cannot extend itself: expected the version of another term set, "
            f"got {describe(raw)}",
        )
        return None
    if not isinstance(raw, str):
        check.add(
            line,
            "extends",
            f"expected the version of a term set to extend, such as signed-2025-04-30, "
            f"got {describe(raw)}",
        )
        return None
    try:
        base = bases(raw)
    except BadValue as bad:
        check.add(line, "extends", str(bad))
        return None
    if base.extends is not None:  # a lookup other than the shipped one may hand back a reading
        check.add(
            line,
            "extends",
            f"expected a base that is not itself a reading (readings extend one level only), "
            f"got {raw!r}, a reading of {base.extends!r}",
        )
        return None
    return base


def _overrides(
    check: _Check, data: dict[str, Any], base: TermSet | None
) -> dict[str, ParameterHistory]:
    """Each overridden parameter's history: base values before the override, then it."""
    params = data.get("parameters")
    if "parameters" not in data:
        return {}
    if not isinstance(params, dict) or not params:
        check.add(
            _line(data, "parameters"),
            "parameters",
            "expected a mapping of the parameters this reading overrides (at least one) to "
            f"one dated value each, got {describe(params)}",
        )
        return {}
    out: dict[str, ParameterHistory] = {}
    for key, raw in params.items():
        path_key = str(key)
        spec = _spec(check, params, key)
        if spec is None or base is None:
            continue
        history = base.history(path_key)
        line = _line(params, key)
        if history is None:
            check.add(
                line,
                f"parameters.{path_key}",
                f"parameter not in the base: expected one of the {len(base.parameters)} "
                f"parameters {base.version} sets (urif terms show {base.version}), "
                f"got {path_key!r}",
            )
            continue
        param = _value_entry(
            check, raw, f"parameters.{path_key}", spec, meaning=history.meaning, line=line
        )
        if param is None:
            continue
        assert isinstance(raw, dict)
        replaced = history.at(param.effective_from) or history.values[0]
        if param.value != replaced.value and param.value not in replaced.alternatives:
            declared = "; ".join(show(v) for v in replaced.alternatives) or "none declared"
            check.add(
                _line(raw, "value"),
                f"parameters.{path_key}.value",
                f"value not a reading of the base: expected the value of {base.version} from "
                f"{replaced.effective_from.isoformat()} ({show(replaced.value)}) or one of its "
                f"declared alternatives ({declared}), got {describe(raw['value'])}",
            )
            continue
        kept = tuple(v for v in history.values if v.effective_from < param.effective_from)
        out[path_key] = ParameterHistory(path_key, history.meaning, (*kept, param))
    return out


def _spec(check: _Check, params: dict[Any, Any], key: object) -> Spec | None:
    """The catalogue entry of a parameter key, or None (with a problem) when unknown."""
    path_key = str(key)
    if path_key in SPEC_BY_PATH:
        return SPEC_BY_PATH[path_key]
    close = difflib.get_close_matches(path_key, SPEC_BY_PATH, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    check.add(
        _line(params, key),
        f"parameters.{path_key}",
        f"unknown parameter: expected a parameter of the catalogue (docs/terms.md), "
        f"got {path_key!r}{hint}",
    )
    return None


def _invalid(check: _Check) -> InvalidInput:
    count = len(check.problems)
    noun = "problem" if count == 1 else "problems"
    return InvalidInput(f"term file {check.name}: {count} {noun}", problems=tuple(check.problems))


def load_termset_file(path: str | Path) -> TermSet:
    """Read and check one term file (any path; a reading extends a shipped set)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise NotFound(f"term file {file}: cannot read it ({error.strerror})") from None
    return parse_termset(text, str(file))


def _data_dir() -> Any:
    return resources.files("urif.terms").joinpath("data")


def _shipped_names() -> tuple[str, ...]:
    return tuple(
        sorted(
            entry.name.removesuffix(".yaml")
            for entry in _data_dir().iterdir()
            if entry.name.endswith(".yaml")
        )
    )


def list_versions() -> tuple[TermsVersion, ...]:
    """Versions of the term sets shipped with urif: agreement versions newest first, then
    the readings (each after the ones of sets listed before its base)."""
    return tuple(ts.version for ts in load_termsets())


def load_termsets() -> tuple[TermSet, ...]:
    """Every shipped term set: agreement versions newest first (by first date), then readings.

    Readings follow in the order of their bases, then by version, so the first set is
    always the newest agreement version.
    """
    sets = [load_termset(name) for name in _shipped_names()]
    bases = sorted(
        (ts for ts in sets if ts.extends is None),
        key=lambda ts: (ts.effective_from, ts.version),
        reverse=True,
    )
    order: dict[str, int] = {ts.version: index for index, ts in enumerate(bases)}
    readings = sorted(
        (ts for ts in sets if ts.extends is not None),
        key=lambda ts: (order.get(str(ts.extends), len(order)), ts.version),
    )
    return (*bases, *readings)


def _not_found(version: str) -> NotFound:
    known = ", ".join(_shipped_names())
    return NotFound(f"term set {version!r} not found: expected one of {known}")


def _read_shipped(version: str) -> tuple[str, str]:
    """The text of a shipped term file and the name it is reported under."""
    entry = _data_dir().joinpath(f"{version}.yaml")
    if not _VERSION.match(version) or not entry.is_file():
        raise _not_found(version)
    return entry.read_text(encoding="utf-8"), f"urif/terms/data/{version}.yaml"


def _checked(termset: TermSet, version: str, name: str) -> TermSet:
    if termset.version != version:
        raise InvalidInput(
            f"term file {name}: version {termset.version!r} does not match its file name; "
            f"expected {version!r}"
        )
    return termset


@functools.cache
def load_termset(version: str) -> TermSet:
    """The shipped term set ``version`` (for example ``signed-2025-04-30``)."""
    text, name = _read_shipped(version)
    return _checked(_parse(text, name, shipped_base, fast=True), version, name)


@functools.cache
def _base_termset(version: str) -> TermSet:
    """A shipped set wanted as a base; raises ``_IsReading`` when it extends another."""
    text, name = _read_shipped(version)
    return _checked(_parse(text, name, None, fast=True), version, name)


def base_versions() -> tuple[str, ...]:
    """Shipped versions a reading may extend (those that are not readings themselves)."""
    out: list[str] = []
    for name in _shipped_names():
        try:
            _base_termset(name)
        except (_IsReading, InvalidInput):
            continue
        out.append(name)
    return tuple(out)


def shipped_base(version: str) -> TermSet:
    """The shipped set ``version`` as the base of a reading, or ``BadValue`` saying why not."""
    if version not in _shipped_names():
        raise BadValue(
            f"the version of a shipped term set to extend (one of {', '.join(base_versions())})",
            version,
            f"{version!r}, which is not shipped",
        )
    try:
        return _base_termset(version)
    except _IsReading as reading:
        raise BadValue(
            "a base that is not itself a reading (readings extend one level only; one of "
            f"{', '.join(base_versions())})",
            version,
            f"{version!r}, a reading of {describe(reading.base)}",
        ) from None
