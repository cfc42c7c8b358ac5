"""Parsing JSON objects into events and writing events back as canonical JSON.

Owns field validation (decimal strings, ISO dates, ISO 4217 currencies, ISO 3166 alpha-2
countries, enums, nested objects), the per-type cross-field checks that need no state
(which fields each contribution kind needs, a proposal subject by kind, owner shares), the
canonical form (sorted keys, no spaces, UTF-8, Decimal as a plain string, dates ISO, fields
equal to their default omitted) and ``differing_fields``.

Each event class's field table is compiled once from its annotations (``_Spec``), so parsing
an object is a loop over precompiled parsers with no reflection.  Business rules that need
the fund's state (partners, proposals, gates) are the ledger's and governance's, not here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import orjson

from urif.core.errors import InvalidInput, Problem
from urif.events import model
from urif.events.codes import ISO_3166_ALPHA2, ISO_4217
from urif.events.model import EVENT_TYPES, Event

_DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE_TEXT: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_ID_LENGTH: Final = 200
MAX_TEXT_LENGTH: Final = 10_000
COMMON_FIELDS: Final = ("id", "type", "on", "source", "illustrative", "note")
_PLAIN_KINDS: Final = frozenset({"id", "text", "currency", "country"})
_NESTED_MARK: Final = "\0nested"
_COUNTED_KINDS: Final = frozenset({"bool", "int"})


class _Bad(Exception):
    """Internal: one field failed; carries the field path, what was expected and what came."""

    def __init__(self, field: str, expected: str, got: object, *, raw: bool = False) -> None:
        super().__init__(field)
        self.field = field
        self.expected = expected
        self.got = got
        self.raw = raw

    def problem(self, where: str) -> Problem:
        got = self.got if self.raw else describe(self.got)
        return Problem(where, f"field {self.field}: expected {self.expected}, got {got}")


def describe(value: object) -> str:
    """How a bad value is shown in an error: JSON-ish, with the JSON kind for non-strings.

    >>> describe(12.5)
    '12.5 (a JSON number)'
    >>> describe("abc")
    '"abc"'
    >>> describe(None)
    'null'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true (a JSON boolean)" if value else "false (a JSON boolean)"
    if isinstance(value, (int, float)):
        return f"{value!r} (a JSON number)"
    if isinstance(value, str):
        shown = value if len(value) <= 80 else value[:77] + "..."
        return orjson.dumps(shown).decode()
    if isinstance(value, Mapping):
        return "a JSON object"
    if isinstance(value, (list, tuple)):
        return "a JSON array"
    return f"{type(value).__name__}"


# --- scalar parsers ----------------------------------------------------------------------

Parser = Callable[[object, str], Any]


def _identifier(value: object, path: str) -> str:
    if (
        type(value) is str
        and 0 < len(value) <= MAX_ID_LENGTH
        and value.isprintable()
        and value.strip() == value
    ):
        return value
    raise _Bad(
        path, f"an identifier (1-{MAX_ID_LENGTH} printable characters, no edge spaces)", value
    )


def _text(value: object, path: str) -> str:
    if type(value) is str and 0 < len(value) <= MAX_TEXT_LENGTH and value.strip():
        return value
    raise _Bad(path, "a non-empty string", value)


#: The dates an event may carry: the years of ``for_year``.  The engines add to them
#: (a proposal's deadline, 1 April of the next year, the lock's ten years), which past
#: year 9999 is an OverflowError, not an answer.
MIN_DATE: Final = dt.date(1900, 1, 1)
MAX_DATE: Final = dt.date(2200, 12, 31)


@functools.lru_cache(maxsize=65536)
def _date_or_none(text: str) -> dt.date | None:
    if not _DATE_TEXT.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


def _date(value: object, path: str) -> dt.date:
    if type(value) is str:
        day = _date_or_none(value)
        if day is not None:
            return day
    raise _Bad(path, f"an ISO date YYYY-MM-DD from {MIN_DATE} to {MAX_DATE}", value)


def _currency(value: object, path: str) -> str:
    if type(value) is str and value in ISO_4217:
        return value
    raise _Bad(path, "an ISO 4217 currency code such as USD or UAH", value)


def _country(value: object, path: str) -> str:
    if type(value) is str and value in ISO_3166_ALPHA2:
        return value
    raise _Bad(path, "an ISO 3166-1 alpha-2 country code such as UA or US", value)


def _bool(value: object, path: str) -> bool:
    if value is True or value is False:
        return value
    raise _Bad(path, "true or false", value)


def _int_in(low: int, high: int) -> Parser:
    def parse(value: object, path: str) -> int:
        if type(value) is int and low <= value <= high:
            return value
        raise _Bad(path, f"an integer from {low} to {high}", value)

    return parse


def _decimal_parser(low: Decimal | None, high: Decimal | None, low_open: bool, what: str) -> Parser:
    """A decimal-string parser with bounds; ``what`` describes the range for messages."""
    expected = f'a decimal string such as "1250.00"{what}'

    def parse(value: object, path: str) -> Decimal:
        if type(value) is str and _DECIMAL_TEXT.fullmatch(value):
            try:
                number = Decimal(value)
            except InvalidOperation:  # pragma: no cover - the pattern guards this
                raise _Bad(path, expected, value) from None
            if low is not None and (number <= low if low_open else number < low):
                raise _Bad(path, expected, value)
            if high is not None and number > high:
                raise _Bad(path, expected, value)
            return number
        raise _Bad(path, expected, value)

    return parse


#: The largest amount an event may carry (``amount``, ``fair_value``, ``price``): 12 digits
#: before the point.  The read models hold integers of minor units in BIGINT columns (at
#: most 9223372036854775807 on SQLite and PostgreSQL), Ukraine's share due in micro-dollars:
#: one such amount is 10**18 of them, so it and sums of several fit, where a 20-digit
#: amount overflowed the column and a 27-digit one the 28-digit Decimal context.
MAX_AMOUNT: Final = Decimal("999999999999.99")
#: Canonical decimal text this long or shorter is at most ``MAX_AMOUNT`` ("999999999999"):
#: the fast path compares the value only for longer text.
_SHORT_AMOUNT: Final = 12

#: A decimal field's range: (low, high, low excluded, how the range reads in a message).
_Range = tuple[Decimal | None, Decimal | None, bool, str]
_POSITIVE: Final[_Range] = (
    Decimal(0),
    MAX_AMOUNT,
    True,
    f" greater than 0 and at most {MAX_AMOUNT}",
)
_NON_NEGATIVE: Final[_Range] = (Decimal(0), MAX_AMOUNT, False, f" from 0 to {MAX_AMOUNT}")
_RATE: Final[_Range] = (Decimal(0), None, True, " greater than 0")
_SCORE: Final[_Range] = (Decimal(0), None, False, " of at least 0")
_FRACTION: Final[_Range] = (Decimal(0), Decimal(1), True, ' greater than 0 and at most 1 ("0.60")')
_ANY: Final[_Range] = (None, None, False, "")

#: Ranges of decimal fields by name (anything else: any finite decimal).
_DECIMAL_RANGES: Final[dict[str, _Range]] = {
    "amount": _POSITIVE,
    "rate": _RATE,
    "share": _FRACTION,
    "fair_value": _NON_NEGATIVE,
    "price": _NON_NEGATIVE,
    "cost_of_capital": _SCORE,
    "score": _SCORE,
}
_DECIMAL_BOUNDS: Final[dict[str, Parser]] = {
    name: _decimal_parser(*bounds) for name, bounds in _DECIMAL_RANGES.items()
}

#: Bounds of integer fields by name.
_INT_BOUNDS: Final[dict[str, tuple[int, int]]] = {
    "for_year": (1900, 2200),
}


def _enum_parser(cls: type[enum.Enum]) -> Parser:
    by_value: dict[object, enum.Enum] = {member.value: member for member in cls}
    choices = ", ".join(str(member.value) for member in cls)

    def parse(value: object, path: str) -> enum.Enum:
        if type(value) is not bool:
            try:
                member = by_value.get(value)
            except TypeError:  # unhashable (a list or an object)
                member = None
            if member is not None:
                return member
        raise _Bad(path, f"one of {choices}", value)

    return parse


# --- compiled specs ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of an event or nested object: its parser, whether required, its default."""

    name: str
    annotation: Any
    parse: Parser
    required: bool
    default: object
    kind: str  # id, text, decimal, date, currency, country, bool, int, enum, object, ...
    nested: type | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Spec:
    """The compiled field table of one dataclass (an event type or a nested value)."""

    cls: type
    fields: tuple[FieldSpec, ...]
    allowed: frozenset[str]
    required: frozenset[str]


def _classify(name: str, annotation: Any) -> tuple[str, Parser, type | None]:
    """Map a field annotation onto a (kind, parser, nested class)."""
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"field {name}: unsupported union {annotation!r}")
        return _classify(name, inner[0])
    if annotation is model.CountryCode:
        return "country", _country, None
    supertype = getattr(annotation, "__supertype__", None)
    if supertype is str:
        if getattr(annotation, "__name__", "") == "Currency":
            return "currency", _currency, None
        return "id", _identifier, None
    if annotation is str:
        return "text", _text, None
    if annotation is Decimal:
        return "decimal", _DECIMAL_BOUNDS.get(name, _decimal_parser(*_ANY)), None
    if annotation is dt.date:
        return "date", _date, None
    if annotation is bool:
        return "bool", _bool, None
    if annotation is int:
        low, high = _INT_BOUNDS.get(name, (0, 2**53))
        return "int", _int_in(low, high), None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "enum", _enum_parser(annotation), annotation
    if annotation is Event:
        return "event", _replacement, None
    if origin is tuple:
        args = typing.get_args(annotation)
        if name == "identifiers":
            return "identifiers", _parse_identifiers, None
        item = args[0] if len(args) == 2 and args[1] is Ellipsis else None
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            return "objects", _list_of(item), item
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return "object", _object_of(annotation), annotation
    raise TypeError(f"field {name}: unsupported annotation {annotation!r}")


def _compile(cls: type) -> Spec:
    hints = typing.get_type_hints(cls, vars(model))
    specs = []
    for f in dataclasses.fields(cls):
        annotation = hints[f.name]
        kind, parse, nested = _classify(f.name, annotation)
        has_default = f.default is not dataclasses.MISSING
        specs.append(
            FieldSpec(
                name=f.name,
                annotation=annotation,
                parse=parse,
                required=not has_default,
                default=f.default if has_default else None,
                kind=kind,
                nested=nested,
            )
        )
    names = frozenset(f.name for f in specs)
    if issubclass(cls, Event):
        names = names | {"type"}
    return Spec(
        cls=cls,
        fields=tuple(specs),
        allowed=names,
        required=frozenset(f.name for f in specs if f.required),
    )


_NESTED_SPECS: dict[type, Spec] = {}


def _nested_spec(cls: type) -> Spec:
    spec = _NESTED_SPECS.get(cls)
    if spec is None:
        spec = _NESTED_SPECS[cls] = _compile(cls)
    return spec


def _build(
    spec: Spec,
    obj: Mapping[str, object],
    prefix: str,
    bad: list[_Bad],
    canon: dict[str, object] | None = None,
    values: dict[str, object] | None = None,
) -> Any:
    """Parse ``obj`` against ``spec``; append every field problem to ``bad``; None if any.

    With ``canon``, also fill it with the canonical JSON of the scalar fields (as
    ``to_json`` would write them); a nested field sets ``canon["\0nested"]`` so the caller
    falls back to ``to_json``.  With ``values``, the fields that parsed are left in it even
    when others did not (for the cross-field checks of a bad line).
    """
    problems_before = len(bad)
    keys = obj.keys()
    extra = keys - spec.allowed
    if extra:
        allowed = ", ".join(sorted(spec.allowed))
        owner = getattr(spec.cls, "type", "") or spec.cls.__name__
        for name in sorted(extra, key=str):
            bad.append(
                _Bad(
                    f"{prefix}{name}",
                    f"one of the fields of {owner} ({allowed})",
                    f"an unknown field with value {describe(obj[name])}",
                    raw=True,
                )
            )
    if values is None:
        values = {}
    for field in spec.fields:
        value = obj.get(field.name)
        if value is None:
            if field.required:
                if field.name in keys:
                    bad.append(_Bad(prefix + field.name, "a value (required)", None))
                else:
                    bad.append(_Bad(prefix + field.name, "a value (required)", "nothing", raw=True))
            continue
        try:
            parsed = values[field.name] = field.parse(value, prefix + field.name)
        except _Bad as error:
            bad.append(error)
            continue
        except _Many as many:
            bad.extend(many.errors)
            continue
        if canon is not None:
            kind = field.kind
            if kind in _PLAIN_KINDS or kind == "date":
                canon[field.name] = value
            elif kind == "decimal":
                canon[field.name] = f"{parsed:f}"
            elif kind == "enum":
                canon[field.name] = parsed.value
            elif kind in _COUNTED_KINDS:
                if field.required or parsed != field.default:
                    canon[field.name] = parsed
            else:
                canon[_NESTED_MARK] = True
    if len(bad) > problems_before:
        return None
    return spec.cls(**values)


class _Many(Exception):
    """Internal: several nested fields failed at once."""

    def __init__(self, errors: list[_Bad]) -> None:
        super().__init__(len(errors))
        self.errors = errors


def _object_of(cls: type) -> Parser:
    def parse(value: object, path: str) -> object:
        if not isinstance(value, Mapping):
            raise _Bad(path, "a JSON object", value)
        bad: list[_Bad] = []
        built = _build(_nested_spec(cls), value, path + ".", bad)
        if bad:
            raise _Many(bad)
        return built

    return parse


def _list_of(cls: type) -> Parser:
    item = _object_of(cls)

    def parse(value: object, path: str) -> tuple[object, ...]:
        if not isinstance(value, (list, tuple)):
            raise _Bad(path, "a JSON array of objects", value)
        out = []
        errors: list[_Bad] = []
        for index, entry in enumerate(value):
            try:
                out.append(item(entry, f"{path}[{index}]"))
            except _Bad as error:
                errors.append(error)
            except _Many as many:
                errors.extend(many.errors)
        if errors:
            raise _Many(errors)
        return tuple(out)

    return parse


def _parse_identifiers(value: object, path: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        raise _Bad(path, 'a JSON object of scheme to value, such as {"edrpou": "12345678"}', value)
    pairs = []
    for scheme, text in value.items():
        _identifier(scheme, f"{path} key")
        pairs.append((scheme, _text(text, f"{path}.{scheme}")))
    return tuple(sorted(pairs))


SPECS: dict[str, Spec] = {}


# --- the fast path: one generated function per event type ---------------------------------
#
# Parsing a well-formed line is the common case of every ingest and every replay.  For each
# event type, ``_fast_parser`` writes (once, at import) a straight-line function that
# checks each field inline and builds the event and its canonical JSON object, or returns
# None at the first thing it does not handle: a bad or missing value, an unknown field, a
# decimal not written canonically ("+5", ".5", "1."), a nested object.  The general
# ``_build`` then parses that object and reports every problem, so messages never depend
# on the fast path, which only ever accepts a subset of what ``_build`` accepts and builds
# the same event and canonical form from it.

#: Decimal text that is already canonical (``f"{Decimal(text):f}" == text``).
_CANONICAL_DECIMAL: Final = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")

FastParser = Callable[[Mapping[str, object]], "tuple[Any, dict[str, object]] | None"]


def _fast_field(index: int, spec: FieldSpec, env: dict[str, object]) -> list[str] | None:
    """Statements checking field ``index`` held in ``v{index}`` (not None); None: no fast path."""
    v, name = f"v{index}", repr(spec.name)
    kind = spec.kind
    keep = [f"canon[{name}] = {v}"]
    if kind == "id":
        test = (
            f"type({v}) is not str or not 0 < len({v}) <= {MAX_ID_LENGTH} "
            f"or not {v}.isprintable() or {v}.strip() != {v}"
        )
        return [f"if {test}:", "    return None", *keep]
    if kind == "text":
        test = f"type({v}) is not str or not 0 < len({v}) <= {MAX_TEXT_LENGTH} or not {v}.strip()"
        return [f"if {test}:", "    return None", *keep]
    if kind in ("currency", "country"):
        codes = "ISO_4217" if kind == "currency" else "ISO_3166_ALPHA2"
        return [f"if type({v}) is not str or {v} not in {codes}:", "    return None", *keep]
    if kind == "date":
        return [
            f"if type({v}) is not str:",
            "    return None",
            *keep,
            f"{v} = date_of({v})",
            f"if {v} is None:",
            "    return None",
        ]
    if kind == "decimal":
        low, high, low_open, _ = _DECIMAL_RANGES.get(spec.name, _ANY)
        # An amount is compared with MAX_AMOUNT only when its text is long enough to
        # exceed it: the common amount costs a len(), not a Decimal comparison.
        short = high is MAX_AMOUNT
        out = [
            f"if type({v}) is not str or canonical_decimal({v}) is None:",
            "    return None",
            *keep,
            *([f"long{index} = len({v}) > {_SHORT_AMOUNT}"] if short else []),
            f"{v} = Decimal({v})",
        ]
        if low is not None:
            env[f"low{index}"] = low
            out += [f"if {v} {'<=' if low_open else '<'} low{index}:", "    return None"]
        if high is not None:
            env[f"high{index}"] = high
            test = f"long{index} and {v} > high{index}" if short else f"{v} > high{index}"
            out += [f"if {test}:", "    return None"]
        return out
    if kind in _COUNTED_KINDS:
        if kind == "bool":
            test = f"{v} is not True and {v} is not False"
        else:
            low_int, high_int = _INT_BOUNDS.get(spec.name, (0, 2**53))
            test = f"type({v}) is not int or not {low_int} <= {v} <= {high_int}"
        out = [f"if {test}:", "    return None"]
        if spec.required:
            return out + keep
        env[f"d{index}"] = spec.default
        return [*out, f"if {v} != d{index}:", f"    canon[{name}] = {v}"]
    if kind == "enum" and isinstance(spec.nested, type) and issubclass(spec.nested, enum.Enum):
        env[f"members{index}"] = {member.value: member for member in spec.nested}
        return [
            f"if type({v}) is not str and type({v}) is not int:",
            "    return None",
            *keep,  # a member's value equals the str or int that finds it
            f"{v} = members{index}.get({v})",
            f"if {v} is None:",
            "    return None",
        ]
    return None


def _fast_parser(spec: Spec) -> FastParser:
    """Generate the fast-path parser of one event type (see the section comment)."""
    env: dict[str, object] = {
        "cls": spec.cls,
        "allowed": spec.allowed,
        "Decimal": Decimal,
        "ISO_4217": ISO_4217,
        "ISO_3166_ALPHA2": ISO_3166_ALPHA2,
        "canonical_decimal": _CANONICAL_DECIMAL.fullmatch,
        "date_of": _date_or_none,
    }
    kind = getattr(spec.cls, "type", "")
    body = [
        "if not obj.keys() <= allowed:",
        "    return None",
        "get = obj.get",
        f"canon = {{'type': {kind!r}}}",
    ]
    arguments = []
    for index, field in enumerate(spec.fields):
        v = f"v{index}"
        checks = _fast_field(index, field, env)
        body.append(f"{v} = get({field.name!r})")
        if field.required:
            if checks is None:
                checks = ["return None"]
            body += [f"if {v} is None:", "    return None", *checks]
        else:
            env[f"d{index}"] = field.default
            body += [f"if {v} is None:", f"    {v} = d{index}", "else:"]
            body += ["    " + line for line in checks or ["return None"]]
        arguments.append(f"{field.name}={v}")
    if hasattr(spec.cls, "__post_init__"):
        body.append(f"return cls({', '.join(arguments)}), canon")
    else:
        # Every field is set straight through its slot: the same instance the frozen
        # dataclass's ``__init__`` builds (it only assigns, through the slower
        # ``object.__setattr__``), at half the cost on the path every ingest takes.
        env["new"] = object.__new__
        body.append("event = new(cls)")
        for index, field in enumerate(spec.fields):
            env[f"s{index}"] = getattr(spec.cls, field.name).__set__
            body.append(f"s{index}(event, v{index})")
        body.append("return event, canon")
    source = "def fast(obj):\n" + "".join(f"    {line}\n" for line in body)
    exec(compile(source, f"<urif fast parser {kind}>", "exec"), env)
    return env["fast"]  # type: ignore[return-value]


#: The fast-path parser of each event type, generated on first use (``fast_parser``).
FAST: dict[str, FastParser] = {}


def fast_parser(kind: str) -> FastParser:
    """The generated fast-path parser of event type ``kind`` (made once, then kept)."""
    found = FAST.get(kind)
    if found is None:
        found = FAST[kind] = _fast_parser(SPECS[kind])
    return found


# --- cross-field checks (structure only, no fund state) ----------------------------------


def _check_contribution(event: model.Contribution) -> list[_Bad]:
    bad = []
    kind = event.kind
    in_kind_fields: dict[str, object] = {
        "category": event.category,
        "valuation": event.valuation,
        "delivered_on": event.delivered_on,
    }
    if kind is model.ContributionKind.IN_KIND:
        for name, value in in_kind_fields.items():
            if value is None:
                bad.append(_Bad(name, "a value (required for kind in_kind)", "nothing", raw=True))
    else:
        for name, value in (*in_kind_fields.items(), ("agreed", event.agreed or None)):
            if value is not None:
                bad.append(_Bad(name, "no value (only for kind in_kind)", f"kind {kind}", raw=True))
    if kind is model.ContributionKind.AGREED_REVENUE:
        if event.for_year is None:
            bad.append(
                _Bad("for_year", "a value (required for kind agreed_revenue)", "nothing", raw=True)
            )
    elif event.for_year is not None:
        bad.append(
            _Bad("for_year", "no value (only for kind agreed_revenue)", f"kind {kind}", raw=True)
        )
    return bad


_SUBJECT_NEEDS: Final[dict[str, tuple[str, ...]]] = {
    "investment": ("project", "counterparty", "amount", "currency"),
    "expense": ("counterparty", "amount", "currency"),
    "distribution": ("amount", "currency"),
}


def _check_proposal(event: model.ProposalSubmitted) -> list[_Bad]:
    needs = _SUBJECT_NEEDS.get(event.kind.value, ("title",))
    bad = []
    for name in needs:
        if getattr(event.subject, name) is None:
            bad.append(
                _Bad(
                    f"subject.{name}",
                    f"a value (required for kind {event.kind})",
                    "nothing",
                    raw=True,
                )
            )
    if (event.subject.amount is None) != (event.subject.currency is None):
        bad.append(_Bad("subject", "amount and currency together", "only one of them", raw=True))
    return bad


def _check_counterparty(event: model.CounterpartyRegistered) -> list[_Bad]:
    bad = []
    seen: set[str] = set()
    for index, owner in enumerate(event.owners):
        if owner.owner == event.counterparty:
            bad.append(
                _Bad(f"owners[{index}].owner", "another counterparty", owner.owner, raw=False)
            )
        if owner.owner in seen:
            bad.append(_Bad(f"owners[{index}].owner", "each owner once", owner.owner))
        seen.add(owner.owner)
    total = sum((o.share for o in event.owners), Decimal(0))
    if total > 1:
        bad.append(_Bad("owners", "shares summing to at most 1", f"a sum of {total}", raw=True))
    return bad


def _check_fx(event: model.FxRate) -> list[_Bad]:
    if event.base == event.quote:
        return [_Bad("quote", f"a currency other than base {event.base}", event.quote)]
    return []


def _check_amount_currency(event: Any) -> list[_Bad]:
    if (event.amount is None) != (event.currency is None):
        return [_Bad("amount", "amount and currency together", "only one of them", raw=True)]
    return []


def _check_third_party(event: model.ThirdPartyTerms) -> list[_Bad]:
    if event.price is None and event.cost_of_capital is None:
        return [_Bad("price", "a price or a cost_of_capital", "neither", raw=True)]
    return []


_CHECKS: Final[dict[type, Callable[[Any], list[_Bad]]]] = {
    model.Contribution: _check_contribution,
    model.ProposalSubmitted: _check_proposal,
    model.CounterpartyRegistered: _check_counterparty,
    model.FxRate: _check_fx,
    model.OpportunityNotified: _check_amount_currency,
    model.ThirdPartyTerms: _check_third_party,
}

#: The fields each check reads to decide; on a line where one of them is bad the check
#: cannot run (a contribution of unknown kind needs no particular fields).
_CHECK_NEEDS: Final[dict[type, frozenset[str]]] = {
    model.Contribution: frozenset({"kind"}),
    model.ProposalSubmitted: frozenset({"kind", "subject"}),
    model.CounterpartyRegistered: frozenset({"counterparty", "owners"}),
    model.FxRate: frozenset({"base", "quote"}),
    model.OpportunityNotified: frozenset({"amount", "currency"}),
    model.ThirdPartyTerms: frozenset({"price", "cost_of_capital"}),
}


def _top_field(path: str) -> str:
    """The event field a problem's path starts with (``valuation.method`` → ``valuation``)."""
    end = len(path)
    for mark in (".", "["):
        found = path.find(mark)
        if found != -1 and found < end:
            end = found
    return path[:end]


def _in_field_order(spec: Spec, bad: list[_Bad]) -> list[_Bad]:
    """``bad`` sorted by the event's field order (unknown fields first, as ``_build`` has them)."""
    order = {field.name: index for index, field in enumerate(spec.fields)}
    return sorted(bad, key=lambda error: order.get(_top_field(error.field), -1))


def _partial_check(
    spec: Spec, check: Callable[[Any], list[_Bad]], values: Mapping[str, object], bad: list[_Bad]
) -> list[_Bad]:
    """The cross-field problems of a line whose field parsing already failed.

    The check sees the fields that parsed, the others as absent; what it says about a field
    that already has a problem is dropped (that problem says more).
    """
    failed = {_top_field(error.field) for error in bad}
    if failed & _CHECK_NEEDS.get(spec.cls, frozenset()):
        return []
    view = types.SimpleNamespace(
        **{
            field.name: values.get(field.name, None if field.required else field.default)
            for field in spec.fields
        }
    )
    return [error for error in check(view) if _top_field(error.field) not in failed]


# --- parsing -----------------------------------------------------------------------------


def _event_problems(
    obj: object, allow_system: bool, replacement_of: str | None = None
) -> tuple[Event | None, list[_Bad]]:
    """Parse one event object; return the event or the list of field problems."""
    event, bad, _ = _event_canonical(obj, allow_system, replacement_of, want_canonical=False)
    return event, bad


def _event_canonical(
    obj: object, allow_system: bool, replacement_of: str | None, want_canonical: bool
) -> tuple[Event | None, list[_Bad], bytes | None]:
    """Parse one event object; the event and its canonical bytes, or the field problems."""
    if type(obj) is not dict and not isinstance(obj, Mapping):
        return None, [_Bad("(line)", "a JSON object", obj)], None
    kind = obj.get("type")
    cls = EVENT_TYPES.get(kind) if type(kind) is str else None
    if cls is None:
        known = ", ".join(sorted(t for t, c in EVENT_TYPES.items() if not c.system))
        got = kind if kind is not None else "nothing"
        return None, [_Bad("type", f"one of {known}", got, raw=kind is None)], None
    if cls.system and not allow_system:
        expected = "an event type accepted from files (system events are written by urif itself)"
        return None, [_Bad("type", expected, kind)], None
    bad: list[_Bad] = []
    if replacement_of is not None:
        if "id" in obj:
            bad.append(_Bad("id", "no id (a replacement takes the correction's id)", obj["id"]))
        obj = {**obj, "id": replacement_of}
    canon: dict[str, object] | None = None
    parser = FAST.get(cls.type) or fast_parser(cls.type)
    fast = parser(obj) if replacement_of is None else None
    if fast is not None:
        event, canon = fast
        if not want_canonical:
            canon = None
    else:
        # The slow path reports every problem of the line: each bad field, then what the
        # cross-field check finds among the fields that parsed, in field order.
        canon = {"type": cls.type} if want_canonical else None
        spec = SPECS[cls.type]
        values: dict[str, object] = {}
        event = _build(spec, obj, "", bad, canon, values)
        if event is None:
            check = _CHECKS.get(cls)
            if check is not None:
                bad = _in_field_order(spec, bad + _partial_check(spec, check, values, bad))
            return None, bad, None
    check = _CHECKS.get(cls)
    if check is not None:
        extra = check(event)
        if extra:
            return None, _in_field_order(SPECS[cls.type], extra), None
    if cls is model.Correction and event.replacement is not None:
        event = dataclasses.replace(
            event, replacement=dataclasses.replace(event.replacement, id=event.id)
        )
    canonical = None
    if canon is not None:
        if _NESTED_MARK in canon:
            canonical = canonical_bytes(event)
        else:
            canonical = _kept(orjson.dumps(canon, option=orjson.OPT_SORT_KEYS))
    return event, bad, canonical


def _replacement(value: object, path: str) -> Event:
    if not isinstance(value, Mapping):
        raise _Bad(path, "a JSON object (an event without id)", value)
    if value.get("type") == "correction":
        raise _Bad(f"{path}.type", "an event type other than correction", "correction", raw=True)
    event, bad = _event_problems(value, False, replacement_of="replacement")
    if event is None:
        for error in bad:
            error.field = f"{path}.{error.field}"
        raise _Many(bad)
    return event


def parse_event(obj: Mapping[str, object], where: str, *, allow_system: bool = False) -> Event:
    """Parse one JSON object into an event, or raise ``InvalidInput`` listing every problem."""
    event, bad = _event_problems(obj, allow_system)
    if event is None:
        problems = tuple(error.problem(where) for error in bad)
        raise InvalidInput(f"{where}: invalid event", problems)
    return event


def event_problems(
    obj: object, where: str, *, allow_system: bool = False
) -> tuple[Event | None, tuple[Problem, ...]]:
    """Parse one object without raising: the event, or None and its problems."""
    event, bad = _event_problems(obj, allow_system)
    return event, tuple(error.problem(where) for error in bad)


def parse_canonical(
    obj: object, where: str, *, allow_system: bool = False
) -> tuple[Event | None, tuple[Problem, ...], bytes | None]:
    """Parse one object without raising: the event, its problems and its canonical bytes.

    The canonical bytes are built from the validated input on the way (the fast path of
    ingest) and equal ``canonical_bytes(event)``; None when the object is invalid.
    """
    event, bad, canonical = _event_canonical(obj, allow_system, None, want_canonical=True)
    return event, tuple([error.problem(where) for error in bad]) if bad else (), canonical


def event_from_json(obj: Mapping[str, object]) -> Event:
    """Rebuild any event (system events included) from its JSON form, e.g. from the store."""
    return parse_event(obj, "stored event", allow_system=True)


# --- canonical JSON ----------------------------------------------------------------------


def _value_to_json(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Event):
        body = to_json(value)
        del body["id"]
        return body
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _object_to_json(value)
    return value


def _object_to_json(value: Any) -> dict[str, object]:
    spec = _nested_spec(type(value))
    out: dict[str, object] = {}
    for field in spec.fields:
        item = getattr(value, field.name)
        if item is None or (not field.required and item == field.default):
            continue
        if field.kind == "objects":
            out[field.name] = [_object_to_json(entry) for entry in item]
        elif field.kind == "identifiers":
            out[field.name] = dict(item)
        else:
            out[field.name] = _value_to_json(item)
    return out


def to_json(event: Event) -> dict[str, object]:
    """The event as JSON-ready data: Decimal → str, dates ISO, defaults and None omitted.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from urif.events.model import FxRate
    >>> to_json(FxRate(id="fx-1", on=dt.date(2025, 9, 17), base="USD", quote="UAH",
    ...                rate=Decimal("41.2574")))
    {'type': 'fx_rate', 'id': 'fx-1', 'on': '2025-09-17', 'base': 'USD', 'quote': 'UAH', 'rate': '41.2574'}
    """
    spec = SPECS[event.type]
    out: dict[str, object] = {"type": event.type}
    for field in spec.fields:
        item = getattr(event, field.name)
        if item is None or (not field.required and item == field.default):
            continue
        kind = field.kind
        if kind in _PLAIN_KINDS:
            out[field.name] = item
        elif kind == "decimal":
            out[field.name] = f"{item:f}"
        elif kind == "date":
            out[field.name] = item.isoformat()
        elif kind == "objects":
            out[field.name] = [_object_to_json(entry) for entry in item]
        elif kind == "identifiers":
            out[field.name] = dict(item)
        else:
            out[field.name] = _value_to_json(item)
    return out


def canonical_bytes(event: Event) -> bytes:
    """The canonical bytes of an event: sorted keys, no spaces, UTF-8, decimals as strings.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from urif.events.model import Commitment
    >>> canonical_bytes(Commitment(id="c1", on=dt.date(2025, 9, 17), partner="dfc",
    ...                            amount=Decimal("75000000.00"), currency="USD"))
    b'{"amount":"75000000.00","currency":"USD","id":"c1","on":"2025-09-17","partner":"dfc","type":"commitment"}'
    """
    return _kept(orjson.dumps(to_json(event), option=orjson.OPT_SORT_KEYS))


def canonical_json(obj: Mapping[str, object]) -> bytes:
    """Canonical bytes of already JSON-ready data (sorted keys, no spaces, UTF-8)."""
    return _kept(orjson.dumps(obj, option=orjson.OPT_SORT_KEYS))


def _kept(data: bytes) -> bytes:
    """A right-sized copy of ``data``, for bytes that outlive the call (an ingest's batch).

    ``orjson.dumps`` returns its output in an oversized block; keeping 100,000 of them
    alive touches fresh memory for each (about 2 µs an event, measured), while a copy is a
    small allocation and the big block is reused by the next call.
    """
    return bytes(memoryview(data))


def differing_fields(a: Event, b: Event) -> tuple[str, ...]:
    """Names of the fields whose canonical JSON differs between two events (sorted).

    ``type`` is listed when the types differ; ``"1.50"`` and ``"1.5"`` differ (the producer
    sent other text for the same id).

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from urif.events.model import Commitment
    >>> a = Commitment(id="c1", on=dt.date(2025, 9, 17), partner="dfc",
    ...                amount=Decimal("75"), currency="USD")
    >>> differing_fields(a, Commitment(id="c1", on=dt.date(2025, 9, 18), partner="dfc",
    ...                                amount=Decimal("76"), currency="USD"))
    ('amount', 'on')
    """
    return _differing(to_json(a), to_json(b))


def _differing(left: Mapping[str, Any], right: Mapping[str, Any]) -> tuple[str, ...]:
    """Names whose JSON values differ between two events' JSON objects (sorted)."""
    return tuple(sorted(n for n in set(left) | set(right) if left.get(n) != right.get(n)))


#: Longest value shown in a conflict message; longer ones end in "...".
MAX_SHOWN_VALUE: Final = 80


def shown_value(value: object, limit: int = MAX_SHOWN_VALUE) -> str:
    """A canonical JSON value as a message shows it: compact JSON, ``nothing`` when absent.

    >>> shown_value("100000.00")
    '"100000.00"'
    >>> shown_value(None)
    'nothing'
    >>> shown_value({"method": "assessed_value", "assessed_by": "x" * 100}, limit=30)
    '{"assessed_by":"xxxxxxxxxxx...'
    """
    if value is None:
        return "nothing"
    text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_differences(
    first: Event, second: Event, labels: tuple[str, str] = ("stored", "received")
) -> str:
    """The differing fields with both values: ``amount (stored "1.50", received "1.5")``.

    Fields in ``differing_fields`` order; each value as canonical JSON, long ones cut.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from urif.events.model import Commitment
    >>> a = Commitment(id="c1", on=dt.date(2025, 9, 17), partner="dfc",
    ...                amount=Decimal("100000.00"), currency="USD")
    >>> describe_differences(a, Commitment(id="c1", on=dt.date(2025, 9, 17), partner="dfc",
    ...                                    amount=Decimal("100000"), currency="USD"))
    'amount (stored "100000.00", received "100000")'
    """
    left, right = to_json(first), to_json(second)  # once: differing_fields would redo it
    return ", ".join(
        f"{name} ({labels[0]} {shown_value(left.get(name))}, "
        f"{labels[1]} {shown_value(right.get(name))})"
        for name in _differing(left, right)
    )


def loads(data: bytes | str) -> object:
    """Parse JSON text (orjson); raises ``ValueError`` (orjson.JSONDecodeError) when invalid."""
    return orjson.loads(data)


def _init() -> None:
    for name, cls in EVENT_TYPES.items():
        SPECS[name] = _compile(cls)


_init()


def field_specs(kind: str) -> tuple[FieldSpec, ...]:
    """The compiled fields of an event type (for the schema and CSV readers)."""
    return SPECS[kind].fields


def nested_fields(cls: type) -> tuple[FieldSpec, ...]:
    """The compiled fields of a nested value class (``InKindValuation``, ``OwnerShare``...)."""
    return _nested_spec(cls).fields


def iter_types(include_system: bool = True) -> Iterable[type[Event]]:
    """Event classes in DESIGN.md §3 order."""
    return (c for c in EVENT_TYPES.values() if include_system or not c.system)
