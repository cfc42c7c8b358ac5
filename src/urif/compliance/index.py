"""The candidate index: from a query's tokens to a few listed name forms, never a full scan.

Owns the inverted index over every indexed name form (a list name or one of its
romanisations): keys are token skeletons (``s:``), their consonant-class keys (``c:``)
and exact identifiers (INN, OGRN, IMO ... as ``i:``), stored as one compressed-sparse-row
posting array, plus document frequencies (for rarity weights) and a symmetric-delete
table of the token vocabulary (for a fuzzy fallback when a query token is unknown: the
known tokens one edit away, then looked up like any other key).

``NameIndex.candidates(forms)`` ranks forms by the summed rarity of the keys they share
with the query and returns the best ``limit``, after every form whose whole name is the
query's (an exact-name table, ``exact_key``), however common its words.  The index is a plain value of numpy arrays
and string tuples so that it pickles and loads fast.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

from urif.compliance.normalise import (
    GENERIC,
    INITIAL,
    NORMAL,
    PARTICLE,
    NameForm,
    initial_letters,
)
from urif.compliance.transliterate import coarse_key

#: Candidate forms scored per query (before grouping by entity).
DEFAULT_LIMIT = 60
#: Keys shared by more forms than this are only used when a query has nothing rarer.
COMMON_KEY_DF = 4000
#: Similarity (0-100) a known token needs to stand in for an unknown query token.
FUZZY_CUTOFF = 75.0


def identifier_key(value: str) -> str:
    """The lookup key of an identifier: upper-case letters and digits only.

    >>> identifier_key("IMO 9 123 456"), identifier_key("inn: 7707083893")
    ('IMO9123456', 'INN7707083893')
    """
    return "".join(ch for ch in value.upper() if ch.isalnum())


def identifier_keys(value: str) -> tuple[str, ...]:
    """Keys for one identifier value: as written, and its digits alone when long enough.

    >>> identifier_keys("IMO 9123456")
    ('IMO9123456', '9123456')
    """
    key = identifier_key(value)
    digits = "".join(ch for ch in key if ch.isdigit())
    keys = [key] if len(key) >= 5 else []
    if len(digits) >= 7 and digits != key:
        keys.append(digits)
    return tuple(keys)


def exact_key(form: NameForm) -> str:
    """The key of a form's whole name in the exact-name table: its tokens, order-free.

    >>> from urif.compliance.normalise import analyse
    >>> exact_key(analyse("Korea, North")[0]) == exact_key(analyse("North Korea")[0])
    True
    """
    return " ".join(sorted(form.tokens))


def deletion_keys(token: str) -> set[str]:
    """The token and every string one deleted letter away (symmetric-delete fuzzy keys).

    >>> sorted(deletion_keys("abc"))
    ['ab', 'abc', 'ac', 'bc']
    """
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Posting lists (CSR) from keys to form numbers, with frequencies and fuzzy keys."""

    keys: dict[str, int]
    offsets: npt.NDArray[np.int64]
    postings: npt.NDArray[np.int32]
    doc_freq: dict[str, int]
    form_count: int
    deletions: dict[str, tuple[str, ...]]
    #: Forms by their whole name (``exact_key``): a query that is a listed name finds it
    #: even when thousands of forms share its words ("Iran" among "Iran Air", "Bank of Iran").
    exact: dict[str, tuple[int, ...]]

    @classmethod
    def build(
        cls,
        forms: Sequence[NameForm],
        identifiers: Iterable[tuple[int, str]] = (),
    ) -> NameIndex:
        """Index ``forms`` (form number = position) and ``(form number, identifier)`` pairs."""
        lists: dict[str, list[int]] = defaultdict(list)
        doc_freq: dict[str, int] = defaultdict(int)
        exact: dict[str, list[int]] = defaultdict(list)
        for number, form in enumerate(forms):
            exact[exact_key(form)].append(number)
            seen: set[str] = set()
            for token in form.tokens:
                for key in (f"s:{token}", f"c:{coarse_key(token)}"):
                    if key not in seen and len(key) > 3:
                        seen.add(key)
                        lists[key].append(number)
                if token not in seen:
                    seen.add(token)
                    doc_freq[token] += 1
        # A common word with another word's initial (``p:muhamad:f``), so that "F. Muhammad"
        # finds "MUHAMMAD, Faqir" among a thousand other Muhammads.
        for number, form in enumerate(forms):
            substantive = [
                t for t, r in zip(form.tokens, form.roles, strict=True) if r in (NORMAL, INITIAL)
            ]
            for token in substantive:
                if len(token) < 2 or doc_freq[token] <= DEFAULT_LIMIT:
                    continue
                letters = {x for other in substantive if other != token for x in other[:1]}
                for letter in letters:
                    lists[f"p:{token}:{letter}"].append(number)
        for number, value in identifiers:
            for key in identifier_keys(value):
                lists[f"i:{key}"].append(number)
        names = sorted(lists)
        sizes = np.fromiter((len(lists[k]) for k in names), dtype=np.int64, count=len(names))
        offsets = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        postings = np.empty(int(offsets[-1]), dtype=np.int32)
        for i, key in enumerate(names):
            postings[offsets[i] : offsets[i + 1]] = lists[key]
        near: dict[str, list[str]] = defaultdict(list)
        for token in sorted(doc_freq):
            if len(token) >= 4 and not token.isdigit():
                for key in deletion_keys(token):
                    near[key].append(token)
        return cls(
            keys={k: i for i, k in enumerate(names)},
            offsets=offsets,
            postings=postings,
            doc_freq=dict(doc_freq),
            form_count=len(forms),
            deletions={k: tuple(v) for k, v in near.items()},
            exact={k: tuple(v) for k, v in exact.items()},
        )

    def posting(self, key: str) -> npt.NDArray[np.int32]:
        """The form numbers filed under ``key`` (empty when none)."""
        i = self.keys.get(key)
        if i is None:
            return np.empty(0, dtype=np.int32)
        return self.postings[self.offsets[i] : self.offsets[i + 1]]

    def weight(self, token: str) -> float:
        """Rarity weight of a token skeleton in (0, 1]: 1 for rare, ~0.3 for very common."""
        df = self.doc_freq.get(token, 0)
        if df <= 3:
            return 1.0
        top = math.log(max(self.form_count, 10) / 3.0)
        return max(0.3, min(1.0, math.log(self.form_count / df) / top)) if top > 0 else 1.0

    def near_tokens(self, token: str, limit: int = 4) -> list[tuple[str, float]]:
        """Known tokens within one edit (each side may drop a letter) of an unknown one."""
        if len(token) < 4:
            return []
        found: dict[str, float] = {}
        for key in deletion_keys(token):
            for other in self.deletions.get(key, ()):
                if other not in found:
                    found[other] = float(OSA.normalized_similarity(token, other))
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return [(t, sim) for t, sim in ranked if sim * 100 >= FUZZY_CUTOFF][:limit]

    def candidates(
        self,
        forms: Sequence[NameForm],
        identifiers: Sequence[str] = (),
        limit: int = DEFAULT_LIMIT,
    ) -> tuple[list[int], list[int]]:
        """(forms sharing identifiers, forms named exactly as the query and then the best
        ``limit`` forms by shared key rarity)."""
        by_identifier: list[int] = []
        for value in identifiers:
            for key in identifier_keys(value):
                by_identifier.extend(int(n) for n in self.posting(f"i:{key}"))
        chunks: list[npt.NDArray[np.int32]] = []
        weights: list[npt.NDArray[np.float64]] = []
        for form in forms:
            substantive = [
                t
                for t, r in zip(form.tokens, form.roles, strict=True)
                if r not in (GENERIC, PARTICLE, INITIAL)
            ]
            tokens = substantive or [t for t in form.tokens if len(t) > 1] or list(form.tokens)
            plan: list[tuple[str, float]] = []
            for token in tokens:
                w = self.weight(token)
                if f"s:{token}" in self.keys:
                    plan.append((f"s:{token}", w))
                else:
                    for near, sim in self.near_tokens(token):
                        plan.append((f"s:{near}", w * sim))
                plan.append((f"c:{coarse_key(token)}", 0.7 * w))
            letters = {
                x
                for t, r in zip(form.tokens, form.roles, strict=True)
                if r == INITIAL
                for x in initial_letters(t)
            }
            for token in tokens if letters else ():
                for letter in sorted(letters):
                    if f"p:{token}:{letter}" in self.keys:
                        plan.append((f"p:{token}:{letter}", self.weight(token)))
            rare = [(k, w) for k, w in plan if 0 < self._df(k) <= COMMON_KEY_DF]
            for key, w in rare or plan:
                posting = self.posting(key)
                if len(posting):
                    chunks.append(posting)
                    weights.append(np.full(len(posting), w))
        # The ranking below keeps ``limit`` forms among ties, in no meaningful order: a
        # listed name equal to the query must never be among those cut.
        exact = list(dict.fromkeys(n for f in forms for n in self.exact.get(exact_key(f), ())))
        if not chunks:
            return by_identifier, exact
        ids = np.concatenate(chunks)
        unique, inverse = np.unique(ids, return_inverse=True)
        totals = np.bincount(inverse, weights=np.concatenate(weights))
        if len(unique) > limit:
            top = np.argpartition(-totals, limit)[:limit]
        else:
            top = np.arange(len(unique))
        order = top[np.argsort(-totals[top], kind="stable")]
        chosen = set(exact)
        return by_identifier, exact + [int(n) for n in unique[order] if int(n) not in chosen]

    def _df(self, key: str) -> int:
        i = self.keys.get(key)
        return 0 if i is None else int(self.offsets[i + 1] - self.offsets[i])
