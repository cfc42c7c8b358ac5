"""Reading event files: JSON Lines and CSV into events, every bad line reported at once.

Owns ``ParsedFile``, ``read_file``, ``parse_lines`` (JSON Lines held in memory, e.g. from the
API), ``parse_objects`` (already-decoded JSON objects) and ``parse_csv``.  A problem is
located as ``line N of NAME`` (``item N of NAME`` for objects).  System event types are
refused unless ``allow_system=True`` (the store replaying its own log).

CSV: the header names fields; nested fields use dotted names (``valuation.method``,
``subject.amount``, ``terms.price``); ``owners``, ``identifiers`` and whole nested objects
may also be given as JSON in one cell; an empty cell means the field is absent; ``true`` /
``false`` and integers are converted by the field's type.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from urif.core.errors import InvalidInput, Problem
from urif.events.codec import SPECS, FieldSpec, describe, nested_fields, parse_canonical
from urif.events.model import Event


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """The events of one file in order, with their line numbers, and every problem found.

    ``canonicals[i]`` is ``canonical_bytes(events[i][1])``, computed while parsing (pass it
    to ``Writer.append(..., canonicals=...)`` and use it for duplicate checks).
    ``duplicates`` lists ``(line, id)`` of lines found byte-identical to stored events when
    parsing with ``known`` (those lines are not in ``events``).
    """

    path: str
    events: tuple[tuple[int, Event], ...]
    problems: tuple[Problem, ...]
    canonicals: tuple[bytes, ...] = ()
    duplicates: tuple[tuple[int, str], ...] = ()

    @property
    def ok(self) -> bool:
        """True when no line had a problem."""
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise ``InvalidInput`` carrying every problem when there is any."""
        if self.problems:
            count = len({p.where for p in self.problems})
            raise InvalidInput(
                f"{self.path}: {count} invalid line(s); nothing was recorded", self.problems
            )


def _json_error(error: Exception) -> str:
    text = str(error).split(":", 1)[0]
    return f"expected one JSON object per line, got text that is not valid JSON ({text})"


#: Looks up stored ids: ``ids → {id: stored canonical bytes}`` (``Writer.existing_canonical``).
KnownLookup = Callable[[list[str]], Mapping[str, bytes]]


def parse_lines(
    lines: Iterable[bytes | str],
    name: str,
    *,
    allow_system: bool = False,
    first_line: int = 1,
    known: KnownLookup | None = None,
) -> ParsedFile:
    """Parse JSON Lines (blank lines skipped, still counted) into a ``ParsedFile``.

    With ``known``, lines whose JSON, keys sorted, is byte-identical to the stored canonical
    bytes of their id are duplicates: listed in ``ParsedFile.duplicates`` without being
    validated again (the stored bytes were valid, and equal JSON parses to the same event).
    Every other line, including a changed one with a stored id, is parsed in full.
    """
    events: list[tuple[int, Event]] = []
    canonicals: list[bytes] = []
    problems: list[Problem] = []
    duplicates: list[tuple[int, str]] = []
    loads = orjson.loads
    decoded: list[tuple[int, object]] = []
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except orjson.JSONDecodeError as error:
            problems.append(Problem(f"line {number} of {name}", _json_error(error)))
            continue
        if type(obj) is dict:
            repeated = repeated_key(line, obj)
            if repeated is not None:
                problems.append(Problem(f"line {number} of {name}", repeated))
                continue
        decoded.append((number, obj))
    stored: Mapping[str, bytes] = {}
    if known is not None:
        ids = [
            obj["id"] for _, obj in decoded if isinstance(obj, dict) and type(obj.get("id")) is str
        ]
        stored = known(ids) if ids else {}
    dumps = orjson.dumps
    sort_keys = orjson.OPT_SORT_KEYS
    for number, obj in decoded:
        if stored and isinstance(obj, dict):
            previous = stored.get(obj.get("id"))  # type: ignore[arg-type]
            if previous is not None and dumps(obj, option=sort_keys) == previous:
                duplicates.append((number, obj["id"]))
                continue
        where = f"line {number} of {name}"
        event, found, canonical = parse_canonical(obj, where, allow_system=allow_system)
        if event is None or canonical is None:
            problems.extend(found)
        else:
            events.append((number, event))
            canonicals.append(canonical)
    problems.sort(key=lambda p: _line_number(p.where))
    return ParsedFile(name, tuple(events), tuple(problems), tuple(canonicals), tuple(duplicates))


def _keys(value: object) -> int:
    """How many keys the objects in a decoded JSON value hold, nested ones included."""
    if isinstance(value, dict):
        return len(value) + sum(_keys(item) for item in value.values())
    if isinstance(value, list):
        return sum(_keys(item) for item in value)
    return 0


class _RepeatedKey(Exception):
    """Internal: a JSON object gives one key twice."""


def _refuse_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj: dict[str, object] = {}
    for key, value in pairs:
        if key in obj:
            raise _RepeatedKey(key)
        obj[key] = value
    return obj


def repeated_key(text: bytes | str, decoded: object) -> str | None:
    """The problem of a JSON text (``decoded`` is what orjson made of it) that gives some
    key twice in one object, or None.

    A JSON object's keys each come with one colon; more colons than keys mean a nested
    object, a colon inside a string, or a key given twice (which orjson keeps silently,
    last one winning).  Only then is the text decoded again to tell them apart: the
    common flat line costs one count.
    """
    colons = text.count(b":") if isinstance(text, bytes) else text.count(":")
    if isinstance(decoded, dict) and colons <= len(decoded):
        return None  # a flat object: no need to count nested keys
    if colons <= _keys(decoded):
        return None
    return _repeated_key(text)


def _repeated_key(line: bytes | str) -> str | None:
    """The problem of a line that gives some key twice in one object, or None."""
    try:
        json.loads(line, object_pairs_hook=_refuse_repeats)
    except _RepeatedKey as repeated:
        key = describe(repeated.args[0])
        return (
            f"field {repeated.args[0]}: expected each key once per JSON object, got {key} "
            "more than once (which value is meant cannot be told)"
        )
    except (ValueError, RecursionError):  # orjson accepted it; nothing more to learn
        return None
    return None


def _line_number(where: str) -> int:
    """The N of ``line N of NAME`` (problems are reported in line order)."""
    parts = where.split(" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def parse_objects(
    objects: Sequence[object], name: str, *, allow_system: bool = False
) -> ParsedFile:
    """Parse decoded JSON objects (an API request body); items are numbered from 1."""
    events: list[tuple[int, Event]] = []
    canonicals: list[bytes] = []
    problems: list[Problem] = []
    for number, obj in enumerate(objects, start=1):
        where = f"item {number} of {name}"
        event, found, canonical = parse_canonical(obj, where, allow_system=allow_system)
        if event is None or canonical is None:
            problems.extend(found)
        else:
            events.append((number, event))
            canonicals.append(canonical)
    return ParsedFile(name, tuple(events), tuple(problems), tuple(canonicals))


# --- CSV ---------------------------------------------------------------------------------

_JSON_KINDS = frozenset({"object", "objects", "identifiers", "event"})


def _convert(cell: str, field: FieldSpec | None) -> object:
    """Turn a CSV cell into the JSON value the field expects (strings stay strings)."""
    if field is None:
        return cell
    kind = field.kind
    if kind == "bool":
        lowered = cell.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        return cell
    if kind == "int" or (kind == "enum" and field.nested is not None and _is_int_enum(field)):
        text = cell.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        return cell
    if kind in _JSON_KINDS:
        try:
            return orjson.loads(cell)
        except orjson.JSONDecodeError:
            return cell
    return cell


def _is_int_enum(field: FieldSpec) -> bool:
    nested = field.nested
    return isinstance(nested, type) and issubclass(nested, int)


def _row_object(row: Mapping[str, str], kind: object) -> dict[str, object]:
    """Build the JSON object of one CSV row, nesting dotted columns."""
    fields = (
        {f.name: f for f in SPECS[kind].fields} if isinstance(kind, str) and kind in SPECS else {}
    )
    obj: dict[str, object] = {}
    for column, cell in row.items():
        if column is None or cell is None or cell == "":
            continue
        column = column.strip()
        if "." in column:
            head, _, tail = column.partition(".")
            parent = fields.get(head)
            sub: dict[str, FieldSpec] = {}
            if parent is not None and parent.kind == "object" and parent.nested is not None:
                sub = {f.name: f for f in nested_fields(parent.nested)}
            target = obj.setdefault(head, {})
            if isinstance(target, dict):
                target[tail] = _convert(cell, sub.get(tail))
            continue
        obj[column] = _convert(cell, fields.get(column))
    return obj


def parse_csv(text: str, name: str, *, allow_system: bool = False) -> ParsedFile:
    """Parse CSV text with a header row; row problems are located by their line number."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    events: list[tuple[int, Event]] = []
    canonicals: list[bytes] = []
    problems: list[Problem] = []
    if reader.fieldnames is None:
        return ParsedFile(name, (), ())
    # DictReader keeps the last of two columns of the same name without a word.
    names = [column.strip() for column in reader.fieldnames]
    repeated = sorted({column for column in names if names.count(column) > 1})
    if repeated:
        shown = ", ".join(repeated)
        message = f"expected each column once in the header, got {shown} more than once"
        return ParsedFile(name, (), (Problem(f"line 1 of {name}", message),))
    for row in reader:
        number = reader.line_num
        where = f"line {number} of {name}"
        if None in row:
            problems.append(
                Problem(where, f"expected {len(reader.fieldnames)} cells, got more than the header")
            )
            continue
        obj = _row_object(row, row.get("type"))
        event, found, canonical = parse_canonical(obj, where, allow_system=allow_system)
        if event is None or canonical is None:
            problems.extend(found)
        else:
            events.append((number, event))
            canonicals.append(canonical)
    return ParsedFile(name, tuple(events), tuple(problems), tuple(canonicals))


def read_file(path: str | Path, *, allow_system: bool = False) -> ParsedFile:
    """Read a JSON Lines (``.jsonl``, ``.ndjson``, ``.json``) or CSV (``.csv``) event file."""
    source = Path(path)
    name = str(path)
    try:
        data = source.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{name}: cannot read the file ({error.strerror or error})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if source.suffix.lower() == ".csv":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"{name}: expected UTF-8 text, got {error.reason}") from None
        return parse_csv(text, name, allow_system=allow_system)
    return parse_lines(data.split(b"\n"), name, allow_system=allow_system)
