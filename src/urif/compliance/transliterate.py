"""Cyrillic romanisation under several schemes, and the phonetic skeleton of Latin tokens.

Owns the script side of name matching:

- ``romanise(text, scheme)`` writes Cyrillic (Russian, Ukrainian, Belarusian letters) in
  Latin under one of :data:`SCHEMES`: Ukrainian national 2010, Russian BGN/PCGN, ISO 9
  (folded to ASCII), passport/ICAO 9303, English press, German press (Duden) and French
  press conventions (``Ходорковский`` → ``Khodorkovskiy``, ``Chodorkowski``,
  ``Khodorkovski``).
- ``press_variants(latin)`` derives German and French press spellings from an English
  (BGN-like) romanisation, for list names that only exist in Latin.
- ``skeleton(token)`` folds a Latin token to a phonetic-ish spelling on which the common
  conventions meet (``Jermakow``, ``Iermakov``, ``Yermakov`` → ``ermakov``; the
  scholarly ``Ovčarenko`` → ``ovcharenko``); ``coarse_key(skeleton)`` keeps consonant
  classes only (``xrmkv``-style), used as a candidate key and as evidence that two
  spellings are one sound.
- ``spelling_variant(a, b)``: two skeletons that are one name in other romanisations, a
  hard ``c`` for ``k`` or a ``vowel_variant`` (the same consonants, vowels that differ as
  romanisations of Arabic, Persian or Korean names do: ``e`` for *a* or *i*, ``o`` for
  *u*, an extra ``e``, a silent final ``h``: Hejazi/Hijazi, Morteza/Murtaza,
  Soleimani/Sulaimani, Chol/Cheol, Barreh/Barre); ``vowels_clash(a, b)``: the same
  consonants with *a*, *i*, *u* for one another (Hassan/Husain: other names).

Pure functions, no I/O; imports only the standard library and ``normality``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from normality import ascii_text

#: Romanisation schemes, by id.
SCHEMES: tuple[str, ...] = (
    "ua_national_2010",
    "bgn_pcgn",
    "iso9",
    "icao",
    "english_press",
    "german_press",
    "french_press",
)

_VOWELS_CYR = frozenset("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")
_SIGNS = frozenset("ьъ'’")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN_LETTERS = frozenset("іїєґ")

# Base letter tables (lower case).  Letters with a different form at the start of a word
# or after a vowel (е, ё, ю, я, є, ї, й) are overridden by ``_INITIAL`` below.
_BASE: dict[str, dict[str, str]] = {
    "bgn_pcgn": {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "і": "i",
        "ї": "yi",
        "є": "ye",
        "ґ": "g",
        "ў": "w",
    },
    "icao": {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "ie",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
        "і": "i",
        "ї": "i",
        "є": "ie",
        "ґ": "g",
        "ў": "u",
    },
    "iso9": {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "z",
        "з": "z",
        "и": "i",
        "й": "j",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "c",
        "ч": "c",
        "ш": "s",
        "щ": "s",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "u",
        "я": "a",
        "і": "i",
        "ї": "i",
        "є": "e",
        "ґ": "g",
        "ў": "u",
    },
    "ua_national_2010": {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "h",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ie",
        "ж": "zh",
        "з": "z",
        "и": "y",
        "і": "i",
        "ї": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ь": "",
        "ъ": "",
        "ю": "iu",
        "я": "ia",
        "ё": "io",
        "ы": "y",
        "э": "e",
        "ў": "u",
    },
    "german_press": {
        "а": "a",
        "б": "b",
        "в": "w",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "jo",
        "ж": "sch",
        "з": "s",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "ch",
        "ц": "z",
        "ч": "tsch",
        "ш": "sch",
        "щ": "schtsch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "ju",
        "я": "ja",
        "і": "i",
        "ї": "ji",
        "є": "je",
        "ґ": "g",
        "ў": "w",
    },
    "french_press": {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "io",
        "ж": "j",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "ou",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "tch",
        "ш": "ch",
        "щ": "chtch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iou",
        "я": "ia",
        "і": "i",
        "ї": "ï",
        "є": "ie",
        "ґ": "g",
        "ў": "ou",
    },
}
_BASE["english_press"] = {**_BASE["bgn_pcgn"], "ё": "yo", "й": "y"}

# Forms at the start of a word, after a vowel or after a soft/hard sign.
_INITIAL: dict[str, dict[str, str]] = {
    "bgn_pcgn": {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi"},
    "english_press": {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi"},
    "icao": {},
    "iso9": {},
    "ua_national_2010": {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya", "ё": "yo"},
    "german_press": {"е": "je", "ё": "jo", "й": "j", "є": "je", "ї": "ji"},
    "french_press": {"е": "ie", "ё": "io", "й": "i", "є": "ie"},
}

# Word endings written differently from their letters (adjectival -ий/-ый, -ой).
_ENDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "bgn_pcgn": (("ий", "iy"), ("ый", "yy")),
    "english_press": (("ский", "sky"), ("цкий", "tsky"), ("ий", "y"), ("ый", "y")),
    "icao": (("ий", "ii"), ("ый", "yi")),
    "iso9": (("ий", "ij"), ("ый", "yj")),
    "ua_national_2010": (("ий", "yi"),),
    "german_press": (("ий", "i"), ("ый", "y"), ("ой", "oi")),
    "french_press": (("ий", "i"), ("ый", "y"), ("ой", "oï")),
}

_SS_BETWEEN_VOWELS = frozenset({"german_press", "french_press"})


def has_cyrillic(text: str) -> bool:
    """True when ``text`` contains a Cyrillic letter.

    >>> has_cyrillic("Путин"), has_cyrillic("Putin")
    (True, False)
    """
    return _CYRILLIC_RE.search(text) is not None


def is_ukrainian(text: str) -> bool:
    """True when ``text`` contains a letter only Ukrainian uses (і, ї, є, ґ).

    >>> is_ukrainian("Олександр Сергійович"), is_ukrainian("Александр")
    (True, False)
    """
    lowered = text.lower()
    return any(ch in _UKRAINIAN_LETTERS for ch in lowered)


def _romanise_word(word: str, scheme: str) -> str:
    base = _BASE[scheme]
    initial = _INITIAL[scheme]
    ending = ""
    for suffix, latin in _ENDINGS[scheme]:
        if len(word) > len(suffix) + 1 and word.endswith(suffix):
            word = word[: -len(suffix)]
            ending = latin
            break
    out: list[str] = []
    previous = ""
    for index, char in enumerate(word):
        after_vowel = index == 0 or previous in _VOWELS_CYR or previous in _SIGNS
        if after_vowel and char in initial:
            out.append(initial[char])
        elif (
            char == "с"
            and scheme in _SS_BETWEEN_VOWELS
            and previous in _VOWELS_CYR
            and index + 1 < len(word)
            and word[index + 1] in _VOWELS_CYR
        ):
            out.append("ss")
        elif char in base:
            out.append(base[char])
        else:
            out.append(char)
        previous = char
    if scheme == "german_press" and not ending and word.endswith(("ов", "ев", "ёв")):
        out[-1] = "w"
    return "".join(out) + ending


_WORD_RE = re.compile(r"[\u0400-\u04ff'’]+")


def romanise(text: str, scheme: str) -> str:
    """Write the Cyrillic letters of ``text`` in Latin under ``scheme`` (lower case).

    >>> romanise("Ходорковский", "german_press")
    'chodorkowski'
    >>> romanise("Ермаков", "french_press"), romanise("Ермаков", "german_press")
    ('iermakov', 'jermakow')
    >>> romanise("Олександр Зінченко", "ua_national_2010")
    'oleksandr zinchenko'
    >>> romanise("Щукин", "iso9")
    'sukin'
    """
    if scheme not in _BASE:
        raise ValueError(f"unknown romanisation scheme {scheme!r}; expected one of {SCHEMES}")
    lowered = text.lower()
    return _WORD_RE.sub(lambda match: _romanise_word(match.group(0), scheme), lowered)


def romanisations(text: str) -> dict[str, str]:
    """Every scheme's romanisation of ``text`` (empty when it has no Cyrillic).

    >>> sorted(set(romanisations("Якунин").values()))
    ['akunin', 'iakounin', 'iakunin', 'jakunin', 'yakunin', 'yakunyn']
    """
    if not has_cyrillic(text):
        return {}
    return {scheme: romanise(text, scheme) for scheme in SCHEMES}


# English (BGN-like) → German and French press spellings, longest match first.
_TO_GERMAN = {
    "shch": "schtsch",
    "zh": "sch",
    "kh": "ch",
    "ch": "tsch",
    "sh": "sch",
    "ts": "z",
    "z": "s",
    "v": "w",
    "ya": "ja",
    "yu": "ju",
    "ye": "je",
    "yo": "jo",
    "ks": "x",
}
_TO_FRENCH = {
    "shch": "chtch",
    "zh": "j",
    "ch": "tch",
    "sh": "ch",
    "u": "ou",
    "ya": "ia",
    "yu": "iou",
    "ye": "ie",
    "yo": "io",
    "kh": "kh",
}


def _pattern(table: dict[str, str]) -> re.Pattern[str]:
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


_GERMAN_RE = _pattern(_TO_GERMAN)
_FRENCH_RE = _pattern(_TO_FRENCH)
_SLAVIC_HINT_RE = re.compile(
    r"(ov|ova|ev|eva|in|ina|sky|skiy|skii|skaya|enko|uk|yuk|chuk|vich|vna|kh|zh|shch|yev|yov)\b"
)


def looks_slavic(latin: str) -> bool:
    """Heuristic: a Latin name that reads like a romanised East Slavic name.

    >>> looks_slavic("Mikhail Khodorkovsky"), looks_slavic("John Smith")
    (True, False)
    """
    return _SLAVIC_HINT_RE.search(latin.lower()) is not None


def press_variants(latin: str) -> tuple[str, ...]:
    """German and French press spellings of an English-romanised name (lower case).

    >>> press_variants("Mikhail Khodorkovskiy")
    ('mikhail khodorkovski', 'michail chodorkowski')
    """
    lowered = latin.lower()
    lowered = re.sub(r"(?<=[a-z])(iy|yy|ii|yi)\b", "i", lowered)
    lowered = re.sub(r"(?<=[a-z])ky\b", "ki", lowered)
    french = _FRENCH_RE.sub(lambda m: _TO_FRENCH[m.group(0)], lowered)
    german = _GERMAN_RE.sub(lambda m: _TO_GERMAN[m.group(0)], lowered)
    german = re.sub(r"(?<=[aeiou])j(?=[^aeiou]|\b)", "i", german)
    return (french, german)


_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"schtsch|chtch|shtsh", "shch"),
        (r"tsch|tch", "ch"),
        (r"sch", "sh"),
        (r"kh", "h"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"ck|q", "k"),
        (r"x", "ks"),
        (r"[jy]", "i"),
        (r"ou", "u"),
        (r"(?<=[aeiou])i(?=[aeiou])", ""),
        (r"^ie", "e"),
        (r"(.)\1+", r"\1"),
        (r"of$", "ov"),
    )
)


_HACEK = str.maketrans({"č": "ch", "š": "sh", "ž": "zh"})
# French (and Spanish, Italian) write a hard g before e and i as gu: Evgueni, Sergueï,
# Guennadi, Guerassimov are Evgeni, Sergei, Gennadi, Gerasimov.  Short words keep it (Gui).
_HARD_GU_RE = re.compile(r"gu(?=[ei])")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Fold one token to an ASCII, phonetic-ish spelling shared by common conventions.

    >>> [skeleton(t) for t in ("Jermakow", "Iermakov", "Yermakov", "Ermakov")]
    ['ermakov', 'ermakov', 'ermakov', 'ermakov']
    >>> skeleton("Chodorkowski"), skeleton("Khodorkovsky"), skeleton("Khodorkovskiy")
    ('chodorkovski', 'hodorkovski', 'hodorkovski')
    >>> skeleton("Andreyev"), skeleton("Andreev"), skeleton("Gennadiy"), skeleton("Gennady")
    ('andrev', 'andrev', 'genadi', 'genadi')
    >>> skeleton("Evgueni"), skeleton("Guerassimov")
    ('evgeni', 'gerasimov')
    """
    lowered = token.lower()
    if not lowered.isascii():
        # Scholarly romanisation (ISO 9, Czech-style) writes ч, ш, ж as č, š, ž: their
        # English spellings, not the bare letters ASCII folding would leave.
        lowered = ascii_text(lowered.translate(_HACEK))
    text = re.sub(r"[^a-z0-9]", "", lowered or "")
    if not text or text.isdigit():
        return text
    plain = text
    if len(text) >= 5:
        text = _HARD_GU_RE.sub("g", text)
    for pattern, replacement in _SKELETON_RULES:
        text = pattern.sub(replacement, text)
    return text if len(text) >= 2 or len(plain) < 2 else plain


_COARSE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shch|sh|ch|zh|h", "X"),
        (r"ts|tz|z|s", "S"),
        (r"c", "K"),
        (r"[aeiou]", ""),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=200_000)
def coarse_key(skel: str) -> str:
    """Consonant classes of a skeleton: spellings of one sound share it.

    >>> coarse_key(skeleton("Chodorkowski")) == coarse_key(skeleton("Khodorkovsky"))
    True
    >>> coarse_key("ermakov")
    'rmkv'
    """
    text = skel
    for pattern, replacement in _COARSE_RULES:
        text = pattern.sub(replacement, text)
    return text.lower()


# Romanisations of scripts that do not write short vowels (Arabic, Persian) or whose vowels
# have no single Latin spelling (Korean) disagree on vowels, not on consonants: ``e``
# stands for *a* or *i* (Hejazi/Hijazi, Reza/Raza), ``o`` for *u* (Morteza/Murtaza,
# Chol/Chul).  *a*, *i* and *u* themselves stay apart: Hassan/Hussein, Said/Saad are other
# names.
_VOWEL_SOUNDS = {"a": "a", "e": "ai", "i": "i", "o": "u", "u": "u"}
_RUN_RE = re.compile(r"[aeiou]+|[^aeiou]+")
_FRAME_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"dh", "d"),  # Fadhil/Fadil, Chaudhry/Choudry: one Arabic letter, two spellings
        (r"(?<=[aeiou])h$", ""),  # Barreh/Barre, Jemaah/Jamaah: a silent final h
    )
)


@lru_cache(maxsize=200_000)
def _frame(skel: str) -> tuple[str, ...]:
    """A skeleton as alternating consonant and vowel runs, after the frame folds."""
    text = skel
    for pattern, replacement in _FRAME_RULES:
        text = pattern.sub(replacement, text)
    return tuple(_RUN_RE.findall(text))


@lru_cache(maxsize=200_000)
def vowels_clash(a: str, b: str) -> bool:
    """True when two skeletons have the same consonants in the same places and, somewhere,
    two of the vowels *a*, *i*, *u* for one another, which romanisations keep apart (``e``
    and ``o`` stand for several: Belarusian writes *a* for Russian *o*): other names, not
    other spellings (Hassan/Husain, Sabine/Sabuni).

    >>> vowels_clash("hasan", "husain"), vowels_clash("hasan", "hasn"), vowels_clash("kasem", "kasim")
    (True, False, False)
    """
    pairs = _vowel_differences(a, b)
    # single vowels only: a transposition typo moves vowels in a run
    return pairs is not None and any(
        len(x) == len(y) == 1 and x in "aiu" and y in "aiu" for x, y in pairs
    )


def _vowel_differences(a: str, b: str) -> list[tuple[str, str]] | None:
    """The vowel runs that differ between two skeletons, in order, when their frames have
    the same consonant runs in the same places; else None."""
    fa, fb = _frame(a), _frame(b)
    if len(fa) != len(fb):
        return None
    pairs = []
    for x, y in zip(fa, fb, strict=True):
        if (x[0] in _VOWEL_SOUNDS) != (y[0] in _VOWEL_SOUNDS):
            return None
        if x[0] not in _VOWEL_SOUNDS:
            if x != y:
                return None
        elif x != y:
            pairs.append((x, y))
    return pairs


def _vowels_agree(a: str, b: str) -> bool:
    """Two vowel runs that may spell one sound: position by position, or the longer with
    one ``e`` more (Paek/Pak, Cheol/Chol)."""
    if len(a) == len(b):
        return all(set(_VOWEL_SOUNDS[x]) & set(_VOWEL_SOUNDS[y]) for x, y in zip(a, b, strict=True))
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return len(longer) == len(shorter) + 1 and any(
        longer[i] == "e" and longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))
    )


def _endings_agree(a: str, b: str) -> bool:
    """Final vowels: alike, or ``e`` for ``i`` (Rezaie/Rezai); a final *a*, *e* or *o*
    marks gender or language in European names (Maria/Marie/Mario, Andre/Andrei)."""
    if a == b or a[0] not in _VOWEL_SOUNDS:
        return True
    return len(a) == len(b) and all(
        x == y or {x, y} == {"e", "i"} for x, y in zip(a, b, strict=True)
    )


@lru_cache(maxsize=200_000)
def vowel_variant(a: str, b: str) -> bool:
    """True when two skeletons have the same consonants (at least two) and their vowels
    differ only as romanisations differ (see ``_VOWEL_SOUNDS``): the last vowels alike (or
    ``e`` for ``i``), one vowel differing (two in words of seven letters or more).

    >>> vowel_variant(skeleton("Hejazi"), skeleton("Hijazi"))
    True
    >>> vowel_variant(skeleton("Soleimani"), skeleton("Sulaymani"))
    True
    >>> vowel_variant(skeleton("Hassan"), skeleton("Hussein")), vowel_variant("ivan", "ivana")
    (False, False)
    >>> vowel_variant(skeleton("Maria"), skeleton("Marie")), vowel_variant("iones", "iunis")
    (False, False)
    >>> vowel_variant("chen", "chin"), vowel_variant("kasem", "kasim")
    (False, True)
    """
    if a == b or a[:1].isdigit() or b[:1].isdigit():
        return False
    fa, fb = _frame(a), _frame(b)
    if len(fa) != len(fb) or not _endings_agree(fa[-1], fb[-1]):
        return False
    pairs = _vowel_differences(a, b)
    if pairs is None:
        return False
    # In one-syllable words e and i are other syllables, not other spellings: Chen/Chin.
    short = max(len(a), len(b)) <= 4
    if any(not _vowels_agree(x, y) or (short and {x, y} == {"e", "i"}) for x, y in pairs):
        return False
    consonants = sum(len(x) for x in fa if x[0] not in _VOWEL_SOUNDS)
    return consonants >= 2 and len(pairs) <= (2 if min(len(a), len(b)) >= 7 else 1)


_HARD_C_RE = re.compile(r"c(?![eih])")
# Belarusian family-name endings and their Russian forms, on skeletons: -enka for -enko
# (Lukashenka/Lukashenko), -au, -ou for -ov and -eu for -ev (Makarau/Makarov, Ivanou).
_BELARUSIAN_ENDINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(?<=..[^aeiou])enka$", "enko"),
        (r"(?<=...[^aeiou])(?:au|u)$", "ov"),
        (r"(?<=...[^aeiou])eu$", "ev"),
    )
)


def russian_ending(skel: str) -> str:
    """A family-name skeleton with a Belarusian ending written in its Russian form.

    >>> russian_ending("lukashenka"), russian_ending(skeleton("Makarau")), russian_ending("putin")
    ('lukashenko', 'makarov', 'putin')
    """
    for pattern, replacement in _BELARUSIAN_ENDINGS:
        skel = pattern.sub(replacement, skel)
    return skel


@lru_cache(maxsize=200_000)
def spelling_variant(a: str, b: str) -> bool:
    """True when two different skeletons are one name in other romanisations: a hard ``c``
    for ``k`` (Unimatic/Unimatik, Uralcryomash/Uralkriomash), a ``vowel_variant``, or a
    Belarusian family-name ending for a Russian one (``russian_ending``).

    >>> spelling_variant("unimatic", "unimatik"), spelling_variant("kasem", "kasim")
    (True, True)
    >>> spelling_variant("cena", "kena"), spelling_variant("petrov", "petrova")
    (False, False)
    >>> spelling_variant("lukashenka", "lukashenko"), spelling_variant("ivanu", "ivanov")
    (True, True)
    """
    if a == b:
        return False
    # Only in the comparison, not the skeleton: a typo that drops the h of "ch" must stay
    # one letter from it.
    ka, kb = _HARD_C_RE.sub("k", a), _HARD_C_RE.sub("k", b)
    return ka == kb or vowel_variant(ka, kb) or russian_ending(ka) == russian_ending(kb)
