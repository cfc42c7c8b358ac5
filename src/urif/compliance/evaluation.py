"""Matcher quality: labelled name pairs in, precision, recall, F1 and a curve out.

Owns two things:

- scoring a labelled pairs file (columns ``schema,name1,name2,is_match``):
  ``read_pairs``, ``score_pair`` (the matcher's name score, order-free, with the second
  name expanded like a list entry) and ``evaluate`` (metrics at the operating threshold,
  per schema, per category and script when the file has those columns, and the curve);
- building such pairs from the lists themselves (``build_pairs``): each entity's primary
  name against its own aliases, original-script names and press romanisations as
  positives; hard negatives (same family name with another given name, -ov/-ova forms,
  companies that share only generic words, unrelated names of the same kind), split by
  entity so no variant of a held-out entity is seen while tuning.

Pure: the caller reads files and passes rows in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from urif.compliance.matcher import NamedRecord, Thresholds
from urif.compliance.normalise import GENERIC_TOKENS, analyse, check_name, clean
from urif.compliance.score import best
from urif.compliance.transliterate import has_cyrillic, romanise, skeleton
from urif.core.errors import InvalidInput, Problem

_TRUE = frozenset({"1", "true", "yes", "y", "t", "match"})
_FALSE = frozenset({"0", "false", "no", "n", "f", "", "nomatch", "no_match"})
_SCHEMA_KIND = {
    "person": "person",
    "company": "company",
    "organization": "company",
    "organisation": "company",
    "legalentity": "company",
    "publicbody": "company",
    "vessel": "vessel",
    "airplane": "vessel",
}


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two names, whether they name the same entity, and optional grouping columns."""

    schema: str
    name1: str
    name2: str
    is_match: bool
    category: str = ""
    script: str = ""


@dataclass(frozen=True, slots=True)
class Metrics:
    """Precision, recall and F1 at one threshold, with the counts behind them."""

    threshold: float
    precision: float
    recall: float
    f1: float
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    pairs: int


def kind_of_schema(schema: str) -> str | None:
    """The matcher kind of a pairs file's ``schema`` value (None when unknown).

    >>> kind_of_schema("Person"), kind_of_schema("LegalEntity"), kind_of_schema("Thing")
    ('person', 'company', None)
    """
    return _SCHEMA_KIND.get(schema.strip().lower().replace("_", "").replace(" ", ""))


def read_pairs(text: str, where: str = "pairs") -> list[LabelledPair]:
    """Parse a pairs CSV (header ``schema,name1,name2,is_match``); every bad line at once."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("name1", "name2", "is_match") if c not in header]
    if missing:
        raise InvalidInput(
            f"{where}: expected columns schema,name1,name2,is_match; missing {', '.join(missing)}"
        )
    pairs: list[LabelledPair] = []
    problems: list[Problem] = []
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        label = row.get("is_match", "").strip().lower()
        if label not in _TRUE and label not in _FALSE:
            problems.append(
                Problem(f"{where}:{line}", f"is_match: expected true/false, got {label!r}")
            )
            continue
        pairs.append(
            LabelledPair(
                schema=row.get("schema", "").strip(),
                name1=row.get("name1", ""),
                name2=row.get("name2", ""),
                is_match=label in _TRUE,
                category=row.get("category", "").strip(),
                script=row.get("script", "").strip(),
            )
        )
    if problems:
        raise InvalidInput(f"{where}: {len(problems)} bad line(s)", tuple(problems))
    return pairs


def score_pair(schema: str, name1: str, name2: str) -> float:
    """The matcher's name score for two names of one schema, in [0, 1]; 0 if unscreenable.

    >>> score_pair("Person", "Jermakow, Alexander", "Aleksandr ERMAKOV") >= 0.9
    True
    >>> score_pair("Person", "Ivan Petrov", "Ivan Petrova") < 0.8
    True
    """
    kind = kind_of_schema(schema)
    try:
        check_name(name1)
        check_name(name2)
    except InvalidInput:
        return 0.0
    one = best(analyse(name1, kind), analyse(name2, kind, expand=True))
    two = best(analyse(name2, kind), analyse(name1, kind, expand=True))
    return max(one.score, two.score)


def metrics(scored: Sequence[tuple[float, bool]], threshold: float) -> Metrics:
    """Counts, precision, recall and F1 of ``(score, is_match)`` at ``threshold``.

    >>> metrics([(0.9, True), (0.7, True), (0.85, False), (0.1, False)], 0.8).f1
    0.5
    """
    tp = sum(1 for s, m in scored if m and s >= threshold)
    fp = sum(1 for s, m in scored if not m and s >= threshold)
    fn = sum(1 for s, m in scored if m and s < threshold)
    tn = len(scored) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(
        threshold=round(threshold, 4),
        precision=round(precision, 4),
        recall=round(recall, 4),
        f1=round(f1, 4),
        true_positive=tp,
        false_positive=fp,
        false_negative=fn,
        true_negative=tn,
        pairs=len(scored),
    )


def evaluate(
    pairs: Sequence[LabelledPair], thresholds: Thresholds | None = None
) -> dict[str, object]:
    """Metrics at the review threshold, per schema/category/script, and the full curve."""
    threshold = (thresholds or Thresholds()).review
    scored = [(score_pair(p.schema, p.name1, p.name2), p) for p in pairs]
    flat = [(s, p.is_match) for s, p in scored]
    overall = metrics(flat, threshold)
    groups: dict[str, dict[str, list[tuple[float, bool]]]] = {
        "by_schema": defaultdict(list),
        "by_category": defaultdict(list),
        "by_script": defaultdict(list),
    }
    for s, p in scored:
        groups["by_schema"][p.schema or "unknown"].append((s, p.is_match))
        if p.category:
            groups["by_category"][p.category].append((s, p.is_match))
        if p.script:
            groups["by_script"][p.script].append((s, p.is_match))
    result: dict[str, object] = {
        "threshold": threshold,
        "precision": overall.precision,
        "recall": overall.recall,
        "f1": overall.f1,
        "pairs": overall.pairs,
        "counts": {
            "true_positive": overall.true_positive,
            "false_positive": overall.false_positive,
            "false_negative": overall.false_negative,
            "true_negative": overall.true_negative,
        },
    }
    for name, table in groups.items():
        if table or name == "by_schema":
            result[name] = {
                key: _summary(metrics(values, threshold)) for key, values in sorted(table.items())
            }
    result["curve"] = [_summary(metrics(flat, t / 100)) for t in range(50, 101)]
    return result


def _summary(m: Metrics) -> dict[str, float | int]:
    return {
        "threshold": m.threshold,
        "precision": m.precision,
        "recall": m.recall,
        "f1": m.f1,
        "pairs": m.pairs,
        "positives": m.true_positive + m.false_negative,
    }


# --- building pairs from the lists -------------------------------------------------------


def split_of(entity_id: str, held_out_share: int = 5) -> str:
    """``test`` for one entity in ``held_out_share`` (stable hash of its id), else ``dev``.

    >>> split_of("ofac-sdn-36") in ("dev", "test")
    True
    """
    digest = hashlib.sha256(entity_id.encode("utf-8")).digest()
    return "test" if digest[0] % held_out_share == 0 else "dev"


def script_of(name1: str, name2: str) -> str:
    """A label for the scripts of a pair: ``latin``, ``cyrillic-latin``, ``other-latin``...

    >>> script_of("Иван", "Ivan"), script_of("Ivan", "Iwan")
    ('cyrillic-latin', 'latin')
    """

    def one(name: str) -> str:
        if has_cyrillic(name):
            return "cyrillic"
        if name.isascii() or all(ord(c) < 0x250 for c in name):
            return "latin"
        return "other"

    scripts = sorted({one(name1), one(name2)}, key=("cyrillic", "other", "latin").index)
    return "-".join(scripts)


_FEMALE = (("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("sky", "skaya"), ("skiy", "skaya"))


def _gender_swap(surname: str) -> str | None:
    lower = surname.lower()
    for male, female in _FEMALE:
        if lower.endswith(female):
            swapped = surname[: -len(female)] + surname[-len(female) :][: len(male)]
            return swapped if male != "sky" else surname[: -len(female)] + "sky"
        if lower.endswith(male):
            tail = female.upper() if surname.isupper() else female
            return surname[: -len(male)] + tail
    return None


def build_pairs(records: Sequence[NamedRecord], seed: int = 7) -> list[dict[str, str]]:
    """Labelled pairs from listed entities, with ``category``, ``script`` and ``split``."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []

    def add(record: NamedRecord, schema: str, a: str, b: str, match: bool, category: str) -> None:
        rows.append(
            {
                "schema": schema,
                "name1": a,
                "name2": b,
                "is_match": "true" if match else "false",
                "category": category,
                "script": script_of(a, b),
                "split": split_of(record.entity_id),
                "entity_id": record.entity_id,
            }
        )

    schema_of = {"person": "Person", "company": "Company", "vessel": "Vessel"}
    usable = [r for r in records if r.kind in schema_of and r.names]
    by_primary: dict[frozenset[str], int] = defaultdict(int)
    for record in usable:
        by_primary[_token_set(record.names[0])] += 1
    by_surname: dict[str, list[NamedRecord]] = defaultdict(list)
    by_generic: dict[str, list[NamedRecord]] = defaultdict(list)
    for record in usable:
        primary = record.names[0]
        schema = schema_of[record.kind]
        for alias in record.names[1:6]:
            if clean(alias) == clean(primary) or alias in primary or primary in alias:
                continue
            relation = _initials_relation(primary, alias)
            if relation == "other":
                category = "alias_other"
            elif relation == "partial":
                category = "alias_partial"
            elif has_cyrillic(alias) != has_cyrillic(primary):
                category = "alias_original_script"
            else:
                category = "alias"
            add(record, schema, primary, alias, True, category)
            if has_cyrillic(alias) and not has_cyrillic(primary) and record.kind == "person":
                scheme = rng.choice(("german_press", "french_press"))
                press = romanise(alias, scheme).title()
                add(record, schema, primary, press, True, f"romanisation_{scheme}")
        words = primary.replace(",", " ").split()
        if record.kind == "person" and len(words) >= 2:
            surname = max(words, key=lambda w: (w.isupper(), len(w)))
            by_surname[skeleton(surname)].append(record)
            swapped = _gender_swap(surname)
            if swapped:
                add(
                    record,
                    schema,
                    primary,
                    primary.replace(surname, swapped),
                    False,
                    "neg_gender_form",
                )
            order = [w for w in words if w != surname] + [surname]
            if len(order) >= 2 and order != words:
                add(record, schema, primary, " ".join(order), True, "word_order")
            given = [w for w in words if w != surname]
            if len(given) >= 2:
                add(record, schema, primary, f"{given[0]} {surname}", True, "variant_short_form")
                add(record, schema, primary, f"{given[0][0]}. {surname}", True, "variant_initial")
            typo = [_typo(w, rng) if w == surname else w for w in words]
            if typo != words:
                add(record, schema, primary, " ".join(typo), True, "variant_typo")
        if record.kind == "company":
            for token in (
                analyse(primary, "company")[0].tokens if analyse(primary, "company") else ()
            ):
                if token in GENERIC_TOKENS:
                    by_generic[token].append(record)
    for group in by_surname.values():
        if len(group) < 2:
            continue
        for a, b in itertools.pairwise(group):
            if a.entity_id != b.entity_id and _given_names_differ(a.names[0], b.names[0]):
                add(a, "Person", a.names[0], b.names[0], False, "neg_same_surname")
    for token, group in sorted(by_generic.items()):
        rng.shuffle(group)
        for a, b in list(itertools.pairwise(group))[:40]:
            ta = set(analyse(a.names[0], "company")[0].tokens)
            tb = set(analyse(b.names[0], "company")[0].tokens)
            if (
                (ta & tb)
                and (ta & tb) <= GENERIC_TOKENS
                and ta - GENERIC_TOKENS
                and tb - GENERIC_TOKENS
                and a.entity_id != b.entity_id
            ):
                add(a, "Company", a.names[0], b.names[0], False, "neg_generic_words")
        del token
    persons = [r for r in usable if r.kind == "person"]
    for _ in range(min(2000, len(persons))):
        a, b = rng.sample(persons, 2)
        add(a, "Person", a.names[0], b.names[0], False, "neg_random")
    return rows


def _given_names_differ(one: str, two: str) -> bool:
    """True when no word of one name other than the shared family name starts like a word of
    the other (first three letters): a namesake, not the same person in another list."""
    a, b = _given_set(one), _given_set(two)
    shared = a & b
    heads_a = {t[:3] for t in a - shared if len(t) > 1}
    heads_b = {t[:3] for t in b - shared if len(t) > 1}
    return bool(heads_a) and bool(heads_b) and not heads_a & heads_b


def _given_set(name: str) -> frozenset[str]:
    forms = analyse(name, "person")
    if not forms:
        return frozenset()
    return frozenset(t for t, r in zip(forms[0].tokens, forms[0].roles, strict=True) if r == "n")


def _token_set(name: str) -> frozenset[str]:
    forms = analyse(name, None)
    return frozenset(forms[0].tokens) if forms else frozenset()


def _initials(name: str) -> list[str]:
    latin = romanise(name, "bgn_pcgn") if has_cyrillic(name) else name
    words = [w for w in re.split(r"[^\w]+", clean(latin)) if w]
    return sorted(w[0] for w in words)


def _initials_relation(primary: str, alias: str) -> str:
    """``same`` when both names have the same word initials (Cyrillic romanised), so the
    alias is a spelling of the same words; ``partial`` when one's initials are among the
    other's; else ``other`` (a different name: nickname, acronym, former name).  A rule
    independent of the matcher.

    >>> _initials_relation("Sergey Valeryevich AKSYONOV", "Sergei Valerievich AKSENOV")
    'same'
    >>> _initials_relation("AL-MASRI, Abu Hafs", "ABU HAFS")
    'partial'
    >>> _initials_relation("BANCO NACIONAL DE CUBA", "BNC")
    'other'
    """
    for name in (primary, alias):
        if script_of(name, name) == "other":
            return "other"
    a, b = _initials(primary), _initials(alias)
    if a == b and len(a) >= 2:
        return "same"
    if len(a) > len(b):
        a, b = b, a
    if len(a) < 2:
        return "other"
    rest = list(b)
    for letter in a:
        if letter not in rest:
            return "other"
        rest.remove(letter)
    return "partial"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def write_pairs(rows: Iterable[dict[str, str]], columns: Sequence[str]) -> str:
    """Render pair rows as CSV text with ``columns``."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
