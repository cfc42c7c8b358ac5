"""Explainable name scores: align the tokens of two name forms and say why they match.

Owns the comparison of one query form with one listed form (``compare``) and the small
pieces it is made of: token similarity (optimal string alignment on skeletons, with
initials, consonant-class agreement and the -ov/-ova gender rule), an order-free greedy
alignment, weights by token role (patronymics, particles and generic words count little
and never match on their own) and a penalty for unmatched parts.  Every score comes with
its features, rendered as short strings for the ``explanation`` of a hit.

Pure functions; imports rapidfuzz and the sibling ``normalise``/``transliterate`` modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from urif.compliance.normalise import (
    GENERIC,
    INITIAL,
    NORMAL,
    NUMBER,
    PARTICLE,
    PATRONYMIC,
    NameForm,
)
from urif.compliance.transliterate import coarse_key

#: Version of the scoring algorithm, stamped on every result.
ALGORITHM = "urif-names-1"

#: How much an unmatched token weighs, by role, on the query side and the listed side.
UNMATCHED_QUERY = {
    NORMAL: 1.0,
    NUMBER: 1.0,
    INITIAL: 0.5,
    PATRONYMIC: 0.3,
    PARTICLE: 0.2,
    GENERIC: 0.3,
}
UNMATCHED_LISTED = {
    NORMAL: 0.35,
    NUMBER: 0.6,
    INITIAL: 0.2,
    PATRONYMIC: 0.1,
    PARTICLE: 0.1,
    GENERIC: 0.15,
}
#: Weight of an aligned token pair, by role.
ALIGNED = {NORMAL: 1.0, NUMBER: 1.0, INITIAL: 0.5, PATRONYMIC: 0.3, PARTICLE: 0.2, GENERIC: 0.2}
#: Similarity of an initial and a word it begins.
INITIAL_MATCH = 0.95
#: Similarity floor of two words of six letters or more one edit apart (a typo).
ONE_EDIT = 0.92
#: Lowest token similarity that aligns two tokens at all.
MIN_ALIGN = 0.5
#: Steepness of the credit an imperfect token pair earns (higher: stricter).
CREDIT_EXPONENT = 1.3
#: Extra weight against a pair whose patronymics are both given and disagree.
PATRONYMIC_CONFLICT = 0.6
#: Cap on the score of a pair that agrees only on generic words, particles or initials.
GENERIC_ONLY_CAP = 0.5


@dataclass(frozen=True, slots=True)
class NameScore:
    """A name comparison: the score in [0, 1] and the features that produced it."""

    score: float
    features: tuple[str, ...]


def _same_stem(a: str, b: str) -> bool:
    return a == b or coarse_key(a) == coarse_key(b) or OSA.normalized_similarity(a, b) >= 0.75


def _gender_pair(a: str, b: str) -> bool:
    """-ov/-ova, -in/-ina, -ski/-ska: one family name in its male and female forms."""
    for male, female in ((a, b), (b, a)):
        if not female.endswith("a") or male.endswith("a") or len(male) < 4:
            continue
        if male.endswith(("ov", "ev", "in", "yn", "ik")) and _same_stem(male, female[:-1]):
            return True
        if male.endswith("ki") and female.endswith("ka") and _same_stem(male[:-1], female[:-1]):
            return True
    return False


def token_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two token skeletons.

    >>> token_similarity("putin", "putin"), token_similarity("v", "vladimir")
    (1.0, 0.95)
    >>> token_similarity("petrov", "petrova")
    0.2
    >>> round(token_similarity("chodorkovski", "hodorkovski"), 2)
    0.92
    """
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL_MATCH if a[0] == b[0] else 0.0
    if a.isdigit() or b.isdigit():
        return 0.0
    if _gender_pair(a, b):
        return 0.2
    sim = float(OSA.normalized_similarity(a, b))
    if min(len(a), len(b)) >= 6 and OSA.distance(a, b, score_cutoff=1) <= 1:
        sim = max(sim, ONE_EDIT)
    if sim >= 0.6 and min(len(a), len(b)) >= 4:
        ka, kb = coarse_key(a), coarse_key(b)
        if ka == kb and len(ka) >= 3 and (a[0] == b[0] or min(len(a), len(b)) >= 7):
            sim = max(sim, 0.9)
    return sim


def _credit(sim: float) -> float:
    """How much of an aligned pair's weight a similarity earns (steep below 0.8)."""
    if sim >= 0.95:
        return sim
    return float(max(0.0, min(1.0, (sim - 0.55) / 0.45)) ** CREDIT_EXPONENT)


def _uniform(token: str) -> float:
    del token
    return 1.0


def compare(
    query: NameForm,
    listed: NameForm,
    weight: Callable[[str], float] = _uniform,
) -> NameScore:
    """Score how well ``listed`` names what ``query`` names; order-free, explained.

    ``weight`` maps a token to its rarity weight in (0, 1] (the index's IDF); by default
    every token weighs 1.

    >>> from urif.compliance.normalise import analyse
    >>> q = analyse("Vladimir Putin", "person")[0]
    >>> c = analyse("PUTIN, Vladimir Vladimirovich", "person")[0]
    >>> compare(q, c).score > 0.9
    True
    >>> compare(analyse("Ivan Petrov", "person")[0], analyse("Ivan Petrova", "person")[0]).score < 0.6
    True
    >>> compare(analyse("Alpha Trade Bank", "company")[0], analyse("Omega Trade Bank", "company")[0]).score < 0.5
    True
    """
    qt, ct = query.tokens, listed.tokens
    qw = [weight(t) for t in qt]
    cw = [weight(t) for t in ct]
    pairs: list[tuple[float, int, int]] = []
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            sim = token_similarity(a, b)
            if sim >= MIN_ALIGN:
                pairs.append((sim, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    earned = 0.0
    total = 0.0
    features: list[str] = []
    substantive = False
    for sim, i, j in pairs:
        if i in used_q or j in used_c:
            continue
        if qt[i].isdigit() != ct[j].isdigit():
            continue
        used_q.add(i)
        used_c.add(j)
        role = _pair_role(query.roles[i], listed.roles[j])
        role_weight = (
            ALIGNED[role] if sim >= 0.9 else max(ALIGNED[query.roles[i]], ALIGNED[listed.roles[j]])
        )
        w = role_weight * (qw[i] + cw[j]) / 2
        credit = _credit(sim)
        earned += w * credit
        total += w
        if role in (NORMAL, NUMBER) and sim >= 0.8:
            substantive = True
        if role == PATRONYMIC and sim < 0.75:
            total += PATRONYMIC_CONFLICT
            features.append("patronymics disagree")
        mark = "=" if sim == 1.0 else "~"
        features.append(f"{qt[i]}{mark}{ct[j]} {sim:.2f}")
    for i, a in enumerate(qt):
        if i not in used_q:
            total += UNMATCHED_QUERY[query.roles[i]]
            features.append(f"query part {a!r} unmatched")
    for j, b in enumerate(ct):
        if j not in used_c:
            total += UNMATCHED_LISTED[listed.roles[j]] * cw[j]
            if listed.roles[j] == PATRONYMIC:
                features.append(f"listed patronymic {b!r} not given")
            else:
                features.append(f"listed part {b!r} unmatched")
    if any(query.roles[i] == PATRONYMIC and i not in used_q for i in range(len(qt))) and any(
        listed.roles[j] == PATRONYMIC and j not in used_c for j in range(len(ct))
    ):
        total += PATRONYMIC_CONFLICT
        features.append("patronymics disagree")
    score = earned / total if total > 0 else 0.0
    if len(qt) != len(ct):
        joined = float(OSA.normalized_similarity("".join(qt), "".join(ct)))
        if joined >= 0.92 and joined * 0.97 > score:
            score = joined * 0.97
            substantive = True
            features.append(f"joined spelling {joined:.2f}")
    if not substantive and score > GENERIC_ONLY_CAP:
        score = GENERIC_ONLY_CAP
        features.append("only generic words, particles or initials agree")
    if listed.scheme:
        features.append(f"romanisation {listed.scheme}")
    return NameScore(score=round(score, 4), features=tuple(features))


def _pair_role(a: str, b: str) -> str:
    """The role of an aligned pair: the weaker of its two tokens' roles."""
    order = (NORMAL, NUMBER, PATRONYMIC, INITIAL, GENERIC, PARTICLE)
    return max(a, b, key=order.index)


def best(
    queries: tuple[NameForm, ...],
    listed: tuple[NameForm, ...],
    weight: Callable[[str], float] = _uniform,
) -> NameScore:
    """The best score over every pair of forms of two names (ties: the first)."""
    top = NameScore(0.0, ())
    for q in queries:
        for c in listed:
            result = compare(q, c, weight)
            if result.score > top.score:
                top = result
    return top
