"""Screening a name against the loaded lists: query in, decision and explained hits out.

Owns the screening API the rest of urif calls:

- ``NamedRecord``: what the matcher needs of one listed entity (list id, entity id, kind,
  names, weak aliases, countries, birth dates, identifiers); ``record_from_entity`` makes
  one from a FollowTheMoney proxy or a ``sources.ListRecord``.
- ``Query``: name, kind (person, company, organization, vessel or None), country, birth
  date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and identifiers.
- ``Thresholds``: the bands (``review`` from, ``blocked`` from) as parameters.
- ``Matcher.build(entities)``, ``matcher.screen(query) -> ScreeningResult`` with
  ``decision`` (clear, review, blocked) and ``hits`` (each ``Hit`` with list, entity id,
  matched name, score and explanation), ``matcher.save(path)`` and ``Matcher.load(path)``.

Scores combine the name score (``score.compare``) with evidence: an identifier match is
decisive, a birth date or country that agrees raises the score, one that conflicts lowers
it; a name that alone reaches review stays among the hits (decision clear) when such
evidence takes it below, so that the reviewer sees why.  Entity kinds are respected: a
person query never hits a vessel.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from urif.compliance.index import NameIndex, identifier_keys
from urif.compliance.normalise import NameForm, analyse, check_name
from urif.compliance.score import ALGORITHM, compare
from urif.core.errors import InvalidInput

#: File format version of a saved matcher; bump when the pickled layout changes.
FORMAT_VERSION = 3

KINDS = ("person", "company", "organization", "vessel")
_SCHEMA_KIND = {
    "Person": "person",
    "Company": "company",
    "Organization": "company",
    "LegalEntity": "company",
    "PublicBody": "company",
    "Vessel": "vessel",
    "Airplane": "vessel",
    "Asset": "asset",
}
_IDENTIFIER_PROPS = (
    "innCode",
    "ogrnCode",
    "imoNumber",
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "leiCode",
    "swiftBic",
    "okpoCode",
    "kppCode",
    "mmsi",
    "passportNumber",
    "callSign",
)
_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "flag", "mainCountry")
_PARENS_RE = re.compile(r"\(([^()]*)\)")
_ALT_SPLIT_RE = re.compile(
    r"\s*(?:/|;|\ba\.k\.a\.?|\bf\.k\.a\.?|\bformerly\b|\bborn\b|\bnee\b|\bné[e]?\b|\bor\b)\s*",
    re.IGNORECASE,
)
_LANGUAGE_PREFIX_RE = re.compile(r"^\s*[A-Za-z]+:\s*")
# "Given Patronymic SURNAME Given2 SURNAME2": a new name starts after an upper-case word.
_SURNAME_BOUNDARY_RE = re.compile(
    r"(?<=[^\W\d_a-zа-яёіїєґ]{2})\s+(?=[^\W\d_a-zа-яёіїєґ][a-zа-яёіїєґ])"
)
_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


@dataclass(frozen=True, slots=True)
class NamedRecord:
    """One listed entity as the matcher sees it."""

    list_id: str
    entity_id: str
    kind: str
    names: tuple[str, ...]
    weak_names: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    """What to screen: a name and, where known, kind, country, birth date, identifiers."""

    name: str
    kind: str | None = None
    country: str | None = None
    birth_date: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Score bands: below ``review`` is clear; ``blocked`` and above is blocked."""

    review: float = 0.80
    blocked: float = 0.95

    def decision(self, score: float) -> str:
        """The band of one score.

        >>> Thresholds().decision(0.5), Thresholds().decision(0.85), Thresholds().decision(1.0)
        ('clear', 'review', 'blocked')
        """
        if score >= self.blocked:
            return "blocked"
        if score >= self.review:
            return "review"
        return "clear"


@dataclass(frozen=True, slots=True)
class Hit:
    """One listed entity the query may be: the features that made the score."""

    list: str
    entity_id: str
    matched_name: str
    score: float
    explanation: tuple[str, ...]
    kind: str = ""
    decision: str = "clear"


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The decision for one query and the hits behind it (best first)."""

    decision: str
    hits: tuple[Hit, ...]
    query: Query
    algorithm: str = ALGORITHM
    warnings: tuple[str, ...] = ()


def _kind_of_schema(schema: str) -> str:
    return _SCHEMA_KIND.get(schema, "company")


def split_names(names: Iterable[str], person: bool = True) -> list[str]:
    """Names as listed, then their parts: brackets, ``/``, ``;``, ``a.k.a.``, ``born``.

    >>> split_names(["Dmitry KOZAK (Дмитрий КОЗАК)", "Natalya X/Natalia X"])
    ['Dmitry KOZAK', 'Дмитрий КОЗАК', 'Natalya X', 'Natalia X']
    >>> split_names(["Yuriy GOTSANYUK Yuriy GOTSANIUK", "Russian:Андрей Рюмин", "PUTIN, Vladimir"])
    ['Yuriy GOTSANYUK', 'Yuriy GOTSANIUK', 'Андрей Рюмин', 'PUTIN, Vladimir']
    """
    out: list[str] = []
    for name in names:
        pieces = [_PARENS_RE.sub(" ", name), *_PARENS_RE.findall(name)]
        parts: list[str] = []
        for piece in pieces:
            for part in _ALT_SPLIT_RE.split(_LANGUAGE_PREFIX_RE.sub("", piece)):
                parts.extend(_SURNAME_BOUNDARY_RE.split(part) if person else [part])
        for part in parts:
            part = " ".join(part.replace("(", " ").replace(")", " ").split()).strip(" ,.-")
            if len(part) >= 2 and part not in out:
                out.append(part)
    return out


def record_from_entity(entity: Any, list_id: str | None = None) -> NamedRecord:
    """A ``NamedRecord`` from an FtM proxy or a ``ListRecord`` (``.list_id``, ``.entity``)."""
    if hasattr(entity, "entity") and hasattr(entity, "list_id"):
        list_id = list_id or str(entity.list_id)
        entity = entity.entity
    props = entity.schema.properties

    def values(*names: str) -> list[str]:
        out: list[str] = []
        for name in names:
            if name in props:
                out.extend(str(v) for v in entity.get(name))
        return out

    if list_id is None:
        datasets = sorted(getattr(entity, "datasets", ()) or ())
        list_id = datasets[0] if datasets else "unknown"
    person = _kind_of_schema(str(entity.schema.name)) == "person"
    return NamedRecord(
        list_id=list_id,
        entity_id=str(entity.id),
        kind=_kind_of_schema(str(entity.schema.name)),
        names=tuple(split_names(values("name", "alias", "previousName"), person)),
        weak_names=tuple(split_names(values("weakAlias"), person)),
        countries=tuple(sorted({c.lower() for c in values(*_COUNTRY_PROPS)})),
        birth_dates=tuple(sorted(set(values("birthDate", "incorporationDate")))),
        identifiers=tuple(sorted(set(values(*_IDENTIFIER_PROPS)))),
    )


def parse_birth_date(text: str | None) -> tuple[int, ...] | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (unpadded too) as a tuple; None if not a date.

    >>> parse_birth_date("1952-10-7"), parse_birth_date("1952"), parse_birth_date("7 Oct")
    ((1952, 10, 7), (1952,), None)
    """
    if not text:
        return None
    match = _DATE_RE.match(text)
    if not match:
        return None
    parts = tuple(int(p) for p in match.groups() if p is not None)
    if not 1800 <= parts[0] <= 2100:
        return None
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return None
    return parts


def _kinds_compatible(query_kind: str | None, listed_kind: str) -> bool:
    if query_kind is None:
        return True
    if query_kind in ("company", "organization"):
        return listed_kind == "company"
    return query_kind == listed_kind


@dataclass(slots=True)
class Matcher:
    """A built screening index over listed entities."""

    records: tuple[NamedRecord, ...]
    forms: tuple[NameForm, ...]
    form_entity: tuple[int, ...]
    form_name: tuple[str, ...]
    index: NameIndex
    thresholds: Thresholds = field(default_factory=Thresholds)
    snapshots: tuple[tuple[str, str], ...] = ()

    @classmethod
    def build(
        cls,
        entities: Iterable[Any],
        thresholds: Thresholds | None = None,
        snapshots: Mapping[str, str] | None = None,
    ) -> Matcher:
        """Index entities: ``NamedRecord``, ``sources.ListRecord`` or FtM proxies."""
        records: list[NamedRecord] = []
        for entity in entities:
            record = entity if isinstance(entity, NamedRecord) else record_from_entity(entity)
            if record.names or record.weak_names:
                records.append(record)
        forms: list[NameForm] = []
        form_entity: list[int] = []
        form_name: list[str] = []
        identifiers: list[tuple[int, str]] = []
        for number, record in enumerate(records):
            seen: set[str] = set()
            first_form = len(forms)
            for name in (*record.names, *record.weak_names):
                for form in analyse(name, record.kind, expand=True):
                    if form.key in seen:
                        continue
                    seen.add(form.key)
                    forms.append(form)
                    form_entity.append(number)
                    form_name.append(name)
            if len(forms) > first_form:
                identifiers.extend((first_form, value) for value in record.identifiers)
        index = NameIndex.build(forms, identifiers)
        return cls(
            records=tuple(records),
            forms=tuple(forms),
            form_entity=tuple(form_entity),
            form_name=tuple(form_name),
            index=index,
            thresholds=thresholds or Thresholds(),
            snapshots=tuple(sorted((snapshots or {}).items())),
        )

    def save(self, path: Path) -> None:
        """Write the built matcher to ``path`` (pickle; load it with ``Matcher.load``)."""
        state = {
            "version": FORMAT_VERSION,
            "algorithm": ALGORITHM,
            "records": self.records,
            "forms": self.forms,
            "form_entity": self.form_entity,
            "form_name": self.form_name,
            "index": self.index,
            "thresholds": self.thresholds,
            "snapshots": self.snapshots,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".tmp")
        with temporary.open("wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> Matcher:
        """Read a matcher written by ``save``; ``InvalidInput`` if it is not one."""
        try:
            with path.open("rb") as handle:
                state = pickle.load(handle)  # the file is our own cache, written by save()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as error:
            raise InvalidInput(f"screening index {path}: cannot be read ({error})") from error
        if not isinstance(state, dict) or state.get("version") != FORMAT_VERSION:
            raise InvalidInput(f"screening index {path}: expected format {FORMAT_VERSION}")
        if state.get("algorithm") != ALGORITHM:
            raise InvalidInput(f"screening index {path}: built by {state.get('algorithm')}")
        return cls(
            records=state["records"],
            forms=state["forms"],
            form_entity=state["form_entity"],
            form_name=state["form_name"],
            index=state["index"],
            thresholds=state["thresholds"],
            snapshots=state["snapshots"],
        )

    def with_thresholds(self, thresholds: Thresholds) -> Matcher:
        """The same index with other bands."""
        return Matcher(
            self.records,
            self.forms,
            self.form_entity,
            self.form_name,
            self.index,
            thresholds,
            self.snapshots,
        )

    @property
    def lists(self) -> tuple[str, ...]:
        """The list ids indexed, sorted."""
        return tuple(sorted({r.list_id for r in self.records}))

    def screen(
        self,
        query: Query,
        lists: Iterable[str] | None = None,
        max_hits: int = 10,
    ) -> ScreeningResult:
        """Screen one query; ``InvalidInput`` when the name cannot be screened."""
        check_name(query.name)
        if query.kind is not None and query.kind not in KINDS:
            raise InvalidInput(f"kind: expected one of {', '.join(KINDS)}, got {query.kind!r}")
        warnings: list[str] = []
        birth = parse_birth_date(query.birth_date)
        if query.birth_date and birth is None:
            warnings.append(f"birth date {query.birth_date!r} is not YYYY[-MM[-DD]]; ignored")
        country = (query.country or "").strip().lower() or None
        wanted = set(lists) if lists is not None else None
        forms = analyse(query.name, query.kind)
        by_identifier, by_name = self.index.candidates(forms, query.identifiers)
        # entity -> (score, form number, explanation, name score)
        best: dict[int, tuple[float, int, tuple[str, ...], float]] = {}
        for number in by_identifier:
            entity = self.form_entity[number]
            record = self.records[entity]
            if wanted is not None and record.list_id not in wanted:
                continue
            shared = sorted(
                {identifier_keys(v)[0] for v in query.identifiers if identifier_keys(v)}
                & {k for v in record.identifiers for k in identifier_keys(v)}
            )
            best[entity] = (1.0, number, (f"identifier {', '.join(shared)} matches",), 1.0)
        for number in by_name:
            entity = self.form_entity[number]
            record = self.records[entity]
            if not _kinds_compatible(query.kind, record.kind):
                continue
            if wanted is not None and record.list_id not in wanted:
                continue
            listed = self.forms[number]
            top = max((compare(q, listed, self.index.weight) for q in forms), key=lambda s: s.score)
            if top.score < self.thresholds.review - 0.25:
                continue
            score, evidence = _evidence(top.score, record, birth, country)
            if entity in best and (best[entity][0], best[entity][3]) >= (score, top.score):
                continue
            explanation = (f"name {top.score:.2f}", *top.features, *evidence)
            best[entity] = (score, number, explanation, top.score)
        hits = []
        for entity, (score, number, explanation, name_score) in best.items():
            # A name that alone reaches review stays among the hits when a birth date or
            # country lowered it below (decision clear): the reviewer sees why it cleared.
            if score < self.thresholds.review and name_score < self.thresholds.review:
                continue
            record = self.records[entity]
            hits.append(
                Hit(
                    list=record.list_id,
                    entity_id=record.entity_id,
                    matched_name=self.form_name[number],
                    score=round(score, 4),
                    explanation=explanation,
                    kind=record.kind,
                    decision=self.thresholds.decision(score),
                )
            )
        hits.sort(key=lambda h: (-h.score, h.list, h.entity_id))
        top_score = max((h.score for h in hits), default=0.0)
        return ScreeningResult(
            decision=self.thresholds.decision(top_score),
            hits=tuple(hits[:max_hits]),
            query=query,
            warnings=tuple(warnings),
        )


def _evidence(
    name_score: float,
    record: NamedRecord,
    birth: tuple[int, ...] | None,
    country: str | None,
) -> tuple[float, tuple[str, ...]]:
    """Raise or lower a name score by birth date and country evidence."""
    score = name_score
    notes: list[str] = []
    if birth is not None and record.kind == "person" and record.birth_dates:
        listed = [d for d in (parse_birth_date(v[:10]) for v in record.birth_dates) if d]
        best_delta: float | None = None
        for date in listed:
            common = min(len(date), len(birth))
            if date[:common] == birth[:common]:
                delta = 0.08 if common == 3 else 0.04
            elif date[0] == birth[0]:
                delta = -0.08
            elif abs(date[0] - birth[0]) <= 1:
                delta = -0.10
            else:
                delta = -0.25
            if best_delta is None or delta > best_delta:
                best_delta = delta
        if best_delta is not None:
            score += best_delta
            shown = ", ".join(record.birth_dates[:3])
            given = "-".join(f"{part:0{4 if n == 0 else 2}d}" for n, part in enumerate(birth))
            word = "matches" if best_delta > 0 else "differs from"
            notes.append(f"birth date {given} {word} listed {shown} ({best_delta:+.2f})")
    if country is not None and record.countries:
        if country in record.countries:
            score += 0.03
            notes.append(f"country {country} matches (+0.03)")
        else:
            penalty = 0.08 if record.kind != "person" else 0.05
            score -= penalty
            notes.append(
                f"country {country} conflicts with listed {', '.join(record.countries[:4])} "
                f"(-{penalty:.2f})"
            )
    return max(0.0, min(1.0, score)), tuple(notes)
