"""Explainable name scores: align the tokens of two name forms and say why they match.

Owns the comparison of one query form with one listed form (``compare``) and the small
pieces it is made of: token similarity (optimal string alignment on skeletons, with
initials, consonant-class agreement, spelling variants of romanised names and patronymics,
and the -ov/-ova gender rule), an order-free greedy alignment (with words split or joined
differently), weights by token role (patronymics, particles and generic words count little
and never match on their own) and a penalty for unmatched parts.  Every score comes with
its features, rendered as short strings for the ``explanation`` of a hit.

Pure functions; imports rapidfuzz and the sibling ``normalise``/``transliterate`` modules.
"""

from __future__ import annotations

import re
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
    canonical_token,
    initial_agrees,
    patronymic_of,
)
from urif.compliance.transliterate import coarse_key, spelling_variant, vowels_clash

_DOUBLED_RE = re.compile(r"([^aeiou])\1+")

#: Version of the scoring algorithm, stamped on every result.
ALGORITHM = "urif-names-4"

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
#: Similarity floor of two romanisations of one name: the same consonants with vowels that
#: differ as romanisations of Arabic, Persian or Korean names do (Hejazi/Hijazi,
#: Chol/Cheol), or a hard c for k (Unimatic/Unimatik).
SPELLING_VARIANT = 0.95
#: Lowest token similarity that aligns two tokens at all.
MIN_ALIGN = 0.5
#: Steepness of the credit an imperfect token pair earns (higher: stricter).
CREDIT_EXPONENT = 1.3
#: Extra weight against a pair whose patronymics are both given and disagree.
PATRONYMIC_CONFLICT = 0.6
#: Cap on the score of a pair that agrees only on generic words, particles or initials.
GENERIC_ONLY_CAP = 0.5
#: What an unmatched listed token costs, by role, when a person's family name and first
#: given name agree (a short form: middle names, patronymics or a second family name left
#: out, as people write names every day).
UNMATCHED_SHORT_FORM = {
    NORMAL: 0.1,
    NUMBER: 0.6,
    INITIAL: 0.05,
    PATRONYMIC: 0.05,
    PARTICLE: 0.05,
    GENERIC: 0.15,
}
#: A short form whose family and given names are both common among listed names (e.g.
#: Mohammed Ahmed, Maria Garcia) is more often a namesake: its missing parts cost more, up
#: to ``UNMATCHED_COMMON_SHORT_FORM`` each when the rarer of the two has a rarity weight of
#: ``COMMON_NAMES_WEIGHT`` or less, falling linearly to the usual short-form cost at
#: ``DISTINCT_NAMES_WEIGHT`` (a ramp, not a step: a name a few listings more or less common
#: must not jump between review and clear).
COMMON_NAMES_WEIGHT = 0.70
DISTINCT_NAMES_WEIGHT = 0.85
UNMATCHED_COMMON_SHORT_FORM = 0.25
#: A person's name whose agreeing words are all very common among listed names (every one
#: with a rarity weight below this: Mohammed Hassan, Ali Abdullah) names many people: on
#: the name alone it stays just below the review band (``COMMON_ONLY_CAP``), and a birth
#: date or country that agrees lifts it into review.
COMMON_ONLY_WEIGHT = 0.65
COMMON_ONLY_CAP = 0.78
#: ... and what the unmatched first given name costs when the family name and only a later
#: given name agree (people are known by their first given name: more often a namesake).
UNMATCHED_FIRST_GIVEN = 0.6
#: What the first of several family names costs when only a later one agrees (Jose Sanchez
#: for VEGA SANCHEZ, Jose Raul: people go by their first family name).
UNMATCHED_FIRST_FAMILY = 0.6
#: Cap on a person's name score when part of the listed name is missing or stands only as
#: an initial: such a name is a reason to review, not to block, until a birth date or an
#: identifier corroborates it.
PARTIAL_CAP = 0.93
#: A one-word query that is a listed person's distinctive family name (rarity weight at
#: least ``LONE_FAMILY_WEIGHT``: Prigozhin, Lukashenka, not Ivanov or Garcia) is reviewed,
#: never blocked: the listed given names and patronymics cost as in a short form and the
#: name scores at most ``LONE_FAMILY_CAP``, low enough that a birth date and a country
#: that agree (+0.11) still leave it in review.
LONE_FAMILY_WEIGHT = 0.85
LONE_FAMILY_CAP = 0.83
#: Lowest similarity at which a family name counts as agreeing for the structure (a typo
#: or another romanisation still counts) ...
STRUCTURE_SIM = 0.85
#: ... and a given name (its own spelling, an equivalent form or its initial, not a
#: near-miss such as Tomasz/Tomasa or Antonio/Anton).
STRUCTURE_GIVEN_SIM = 0.95


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


def _french_gender_pair(a: str, b: str) -> bool:
    """A family name's French press form in -ine (Pouchkine) against the female form in
    -ina (Pushkina): the male and female forms, as Pushkin/Pushkina are.  Only for family
    words: as given names Christine and Christina are one name."""
    for male, female in ((a, b), (b, a)):
        if male.endswith("ine") and female.endswith("a") and _gender_pair(male[:-1], female):
            return True
    return False


def _same_patronymic(a: str, b: str) -> bool:
    """Russian and Ukrainian forms of one patronymic (Sergeyevich/Serhiyovych)."""
    made_from = patronymic_of(a)
    return made_from is not None and made_from == patronymic_of(b)


def token_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two token skeletons.

    >>> token_similarity("putin", "putin"), token_similarity("v", "vladimir")
    (1.0, 0.95)
    >>> token_similarity("petrov", "petrova")
    0.2
    >>> round(token_similarity("chodorkovski", "hodorkovski"), 2)
    0.92
    >>> token_similarity("heazi", "hiazi"), token_similarity("unimatic", "unimatik")
    (0.95, 0.95)
    >>> token_similarity("hasan", "husain") < 0.8
    True
    """
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        if len(a) == len(b):
            return 0.0
        letter, word = (a, b) if len(a) == 1 else (b, a)
        return INITIAL_MATCH if initial_agrees(letter, word) else 0.0
    if a.isdigit() or b.isdigit():
        return 0.0
    if _gender_pair(a, b):
        return 0.2
    sim = float(OSA.normalized_similarity(a, b))
    if min(len(a), len(b)) >= 6 and OSA.distance(a, b, score_cutoff=1) <= 1:
        sim = max(sim, ONE_EDIT)
    if MIN_ALIGN <= sim < SPELLING_VARIANT and (spelling_variant(a, b) or _same_patronymic(a, b)):
        return SPELLING_VARIANT
    if sim >= 0.6 and min(len(a), len(b)) >= 4:
        # One sound in other letters (Chodorkowski/Khodorkovsky); not two words with the
        # same consonants and vowels no romanisation confuses (Hassan/Husain, Sabine/Sabuni).
        ka, kb = coarse_key(a), coarse_key(b)
        if (
            ka == kb
            and len(ka) >= 3
            and (a[0] == b[0] or min(len(a), len(b)) >= 7)
            and not vowels_clash(a, b)
        ):
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
            if sim >= MIN_ALIGN and j in listed.family and _french_gender_pair(a, b):
                sim = 0.2
            if sim >= MIN_ALIGN:
                pairs.append((sim, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    earned = 0.0
    total = 0.0
    features: list[str] = []
    substantive = False
    aligned: dict[int, tuple[int, float]] = {}
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
        aligned[j] = (i, sim)
        mark = "=" if sim == 1.0 else "~"
        features.append(f"{qt[i]}{mark}{ct[j]} {sim:.2f}")
    for i, a in enumerate(qt):
        if i not in used_q:
            total += UNMATCHED_QUERY[query.roles[i]]
            features.append(f"query part {a!r} unmatched")
    short_form, later_given, partial, note = _structure(query, listed, aligned)
    lone = not short_form and _lone_family(query, listed, aligned, cw)
    if lone:
        note = f"family name {ct[listed.family[0]]!r} alone (a distinctive family name)"
    common = 0.0  # how common the agreeing names are: 0 distinctive .. 1 common
    if short_form:
        named = [cw[j] for j in aligned if j in listed.family or j == _first_given(listed)]
        span = DISTINCT_NAMES_WEIGHT - COMMON_NAMES_WEIGHT
        common = min(1.0, max(0.0, (DISTINCT_NAMES_WEIGHT - max(named)) / span))
    if note:
        features.append(note + (" (common names)" if common >= 0.5 else ""))
    for j, b in enumerate(ct):
        if j not in used_c:
            role = listed.roles[j]
            cost = UNMATCHED_LISTED[role]
            if short_form or lone:
                cost = UNMATCHED_SHORT_FORM[role]
                if common and role == NORMAL:
                    cost += common * (UNMATCHED_COMMON_SHORT_FORM - cost)
            elif later_given and j == _first_given(listed):
                cost = UNMATCHED_FIRST_GIVEN
            if (short_form or later_given) and listed.family and j == listed.family[0]:
                cost = UNMATCHED_FIRST_FAMILY
            total += cost * cw[j]
            if role == PATRONYMIC:
                features.append(f"listed patronymic {b!r} not given")
            else:
                features.append(f"listed part {b!r} unmatched")
    if any(query.roles[i] == PATRONYMIC and i not in used_q for i in range(len(qt))) and any(
        listed.roles[j] == PATRONYMIC and j not in used_c for j in range(len(ct))
    ):
        total += PATRONYMIC_CONFLICT
        features.append("patronymics disagree")
    score = earned / total if total > 0 else 0.0
    if len(qt) != len(ct) or ("".join(qt) == "".join(ct) and qt != ct):
        # Words split or joined differently (Abdul Rahman/Abdulrahman; with as many words
        # on each side only when the letters are all the same: El Shafee Elsheikh).
        joined = float(OSA.normalized_similarity("".join(qt), "".join(ct)))
        if 0.8 <= joined < 0.92:  # only near misses can meet in the one-word form
            joined = max(joined, float(OSA.normalized_similarity(_joined(qt), _joined(ct))))
        if joined >= 0.92 and joined * 0.97 > score:
            score = joined * 0.97
            substantive = True
            features.append(f"joined spelling {joined:.2f}")
    if not substantive and score > GENERIC_ONLY_CAP and not _exact(qt, ct, aligned):
        score = GENERIC_ONLY_CAP
        features.append("only generic words, particles or initials agree")
    named = [cw[j] for j in aligned if listed.roles[j] == NORMAL]
    if listed.family and named and max(named) < COMMON_ONLY_WEIGHT and score > COMMON_ONLY_CAP:
        score = COMMON_ONLY_CAP
        features.append(
            f"only common names agree: at most {COMMON_ONLY_CAP} without a birth date or country"
        )
    if partial and score > PARTIAL_CAP:
        score = PARTIAL_CAP
        features.append(f"part of the name missing or an initial: at most {PARTIAL_CAP}")
    if lone and score > LONE_FAMILY_CAP:
        score = LONE_FAMILY_CAP
        features.append(f"family name alone: at most {LONE_FAMILY_CAP}")
    if listed.scheme:
        features.append(f"romanisation {listed.scheme}")
    return NameScore(score=round(score, 4), features=tuple(features))


def _exact(qt: tuple[str, ...], ct: tuple[str, ...], aligned: dict[int, tuple[int, float]]) -> bool:
    """Every word of both names aligned with its own spelling (initials with initials): a
    name made only of generic words (International Tanker Ltd) still matches itself."""
    return len(aligned) == len(qt) == len(ct) and all(
        sim >= 0.95 and (len(qt[i]) == 1) == (len(ct[j]) == 1) for j, (i, sim) in aligned.items()
    )


def _joined(tokens: tuple[str, ...]) -> str:
    """A name's words written as one, in the form a one-word spelling has (Abd Ur-Rehman →
    abdulrehman, as Abdurrehman); a doubled vowel stays (Ivanov Aleksandr is not Ivanova
    Aleksandr)."""
    return canonical_token(_DOUBLED_RE.sub(r"\1", "".join(tokens)))


def _first_given(listed: NameForm) -> int | None:
    """Position of the first given name of a person's listed form (None: not known)."""
    if not listed.family:
        return None
    for j, role in enumerate(listed.roles):
        if j not in listed.family and role in (NORMAL, INITIAL):
            return j
    return None


def _lone_family(
    query: NameForm,
    listed: NameForm,
    aligned: dict[int, tuple[int, float]],
    weights: list[float],
) -> bool:
    """True when the query is one word (particles aside, no initial) naming a listed
    person's first family name, and that name is distinctive among listed names (Prigojine
    for PRIGOZHIN, Yevgeniy): a reason to review, as people are often named by it alone."""
    words = [i for i, role in enumerate(query.roles) if role != PARTICLE]
    if len(words) != 1 or query.roles[words[0]] != NORMAL:
        return False  # an initial beside it must agree, as a short form (P. Putin is not)
    if not listed.family or _first_given(listed) is None:
        return False
    first = listed.family[0]
    return (
        first in aligned
        and aligned[first][0] == words[0]
        and aligned[first][1] >= STRUCTURE_SIM
        and len(listed.tokens[first]) > 1
        and weights[first] >= LONE_FAMILY_WEIGHT
    )


def _structure(
    query: NameForm, listed: NameForm, aligned: dict[int, tuple[int, float]]
) -> tuple[bool, bool, bool, str]:
    """How the aligned words of a person's name map onto its parts.

    Returns (short form: the family name and the first given name agree; later given: the
    family name and a later given name agree; partial: part of the listed name is missing
    or matched only by an initial; a feature describing it).
    """
    qt, ct = query.tokens, listed.tokens
    initials = any(
        (len(qt[i]) == 1) != (len(ct[j]) == 1) and listed.roles[j] != PARTICLE
        for j, (i, _) in aligned.items()
    )
    missing = any(
        j not in aligned and role in (NORMAL, INITIAL, PATRONYMIC)
        for j, role in enumerate(listed.roles)
    )
    partial = initials or (missing and bool(listed.family))
    if not listed.family:
        return False, False, partial, ""
    family = set(listed.family)
    family_hit = [
        ct[j]
        for j in listed.family
        if j in aligned
        and aligned[j][1] >= STRUCTURE_SIM
        and len(ct[j]) > 1
        and len(qt[aligned[j][0]]) > 1
    ]
    if not family_hit:
        return False, False, partial, ""
    first = _first_given(listed)
    if first is None:
        return False, False, partial, ""
    given = [
        j for j, role in enumerate(listed.roles) if j not in family and role in (NORMAL, INITIAL)
    ]
    first_hit = first in aligned and aligned[first][1] >= STRUCTURE_GIVEN_SIM
    later = [ct[j] for j in given[1:] if j in aligned and aligned[j][1] >= STRUCTURE_GIVEN_SIM]
    if first_hit:
        how = "initial" if len(qt[aligned[first][0]]) == 1 else "name"
        note = f"family name {family_hit[0]!r} and first given {how} {ct[first]!r} agree"
        return True, False, partial, note
    if later:
        note = f"family name {family_hit[0]!r} and given name {later[0]!r} agree"
        return False, True, partial, note
    return False, False, partial, ""


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
