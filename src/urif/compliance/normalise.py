"""Name normalisation: raw text → cleaned text → token skeletons with roles.

Owns what happens to a name before it is indexed or compared: Unicode NFKC, case folding,
removal of zero-width and control characters and of stray surrogates (invalid UTF-8),
homoglyph folding inside mixed-script words (a Latin ``i`` inside a Cyrillic word and the
reverse), quotes and apostrophes, legal forms (ТОВ/ООО/LLC/TOV/OOO → ``llc``,
АТ/ПАТ/АО/ПАО/JSC/PJSC → ``jsc`` ...), generic words (Bank, Holding, Trade, Group ...),
name particles (al, bin, von ...), patronymics and initials, and the one spelling that
variants of a token share (``canonical_token``: given names, the "Abd al-" prefix;
``patronymic_of``: Russian and Ukrainian patronymics).

``analyse(name, kind, expand)`` returns the :class:`NameForm` variants of one name: one
form for a query, and for a list entry every romanisation (see ``transliterate``).
``check_name`` is the guard for bad input: it raises ``InvalidInput`` with what, expected
and got, and never lets odd text reach the matcher.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from normality import ascii_text

from urif.compliance.transliterate import (
    has_cyrillic,
    is_ukrainian,
    looks_slavic,
    press_variants,
    romanisations,
    romanise,
    skeleton,
)
from urif.core.errors import InvalidInput

#: Longest name (in characters, before cleaning) that is screened at all.
MAX_NAME_CHARS = 1000
#: Fewest letters or digits a screenable name has.
MIN_NAME_CHARS = 2

# Token roles.
NORMAL = "n"
GENERIC = "g"
PARTICLE = "a"
PATRONYMIC = "p"
INITIAL = "i"
NUMBER = "d"

_ZERO_WIDTH_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn"})
_QUOTES_RE = re.compile(r"[\"«»“”„‟‹›‘’‚‛`´]")
_APOSTROPHE_IN_WORD_RE = re.compile(r"(?<=\w)['ʼ’](?=\w)")
_SPLIT_RE = re.compile(r"[^\w]+|_")

# Cyrillic and Latin letters that look alike (lower case, after case folding).
_CYR_TO_LAT = {
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
}
_LAT_TO_CYR = {
    "a": "а",
    "b": "в",
    "e": "е",
    "k": "к",
    "m": "м",
    "h": "н",
    "o": "о",
    "p": "р",
    "c": "с",
    "t": "т",
    "y": "у",
    "x": "х",
    "i": "і",
    "j": "ј",
    "s": "ѕ",
    "ë": "ё",
    "n": "п",
    "r": "г",
    "u": "и",
}
_CYR_LETTER_RE = re.compile(r"[\u0400-\u04ff]")
_LAT_LETTER_RE = re.compile(r"[a-zë]")

# Legal forms by canonical code; matched as whole words on cleaned, case-folded text.
_LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "llc": (
        "общество с ограниченной ответственностью",
        "товариство з обмеженою відповідальністю",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "tovarystvo z obmezhenoiu vidpovidalnistiu",
        "limited liability company",
        "limited liability partnership",
        "private limited company",
        "private limited",
        "pvt ltd",
        "pvt",
        "ооо",
        "тов",
        "ooo",
        "tov",
        "llc",
        "l l c",
        "llp",
        "ltd",
        "limited",
        "gmbh",
        "sarl",
        "sp z o o",
        "ltda",
        "srl",
        "fze",
        "fzco",
        "fzc",
        "fz llc",
    ),
    "jsc": (
        "публичное акционерное общество",
        "открытое акционерное общество",
        "закрытое акционерное общество",
        "непубличное акционерное общество",
        "акционерное общество",
        "публічне акціонерне товариство",
        "приватне акціонерне товариство",
        "відкрите акціонерне товариство",
        "закрите акціонерне товариство",
        "акціонерне товариство",
        "public joint stock company",
        "open joint stock company",
        "closed joint stock company",
        "non public joint stock company",
        "joint stock company",
        "joint stock commercial bank",
        "aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo",
        "пао",
        "оао",
        "зао",
        "ао",
        "пат",
        "прат",
        "ват",
        "зат",
        "ат",
        "pjsc",
        "ojsc",
        "cjsc",
        "jsc",
        "pao",
        "oao",
        "zao",
        "ao",
        "pat",
        "prat",
        "plc",
        "ag",
        "sa",
        "nv",
        "bv",
        "as",
        "ab",
        "spa",
    ),
    "sue": (
        "федеральное государственное унитарное предприятие",
        "государственное унитарное предприятие",
        "federal state unitary enterprise",
        "state unitary enterprise",
        "фгуп",
        "гуп",
        "fgup",
        "gup",
    ),
    "inc": ("incorporated", "corporation", "inc", "corp", "co", "company", "kompaniya"),
}
_FORM_OF: dict[str, str] = {
    phrase: code for code, phrases in _LEGAL_FORMS.items() for phrase in phrases
}
_FORM_RE = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(p) for p in sorted(_FORM_OF, key=len, reverse=True))
    + r")(?!\w)"
)
# Short legal-form abbreviations that are ordinary words elsewhere: only at either end.
_EDGE_ONLY_FORMS = frozenset({"as", "ab", "sa", "ag", "co", "at", "ao", "ат", "ао", "spa", "nv"})

_GENERIC_WORDS = (
    "bank banking holding holdings group grupp gruppa trade trading trades company companies "
    "international intl industries industry industrial investment investments invest capital "
    "service services plant factory zavod enterprise enterprises corporation technology "
    "technologies tekhnologii engineering management development energy oil gas petroleum "
    "shipping logistics construction manufacturing production productions systems solutions "
    "global general national state federal russian russia rossii ukraine ukrainian center "
    "centre tsentr research institute institut scientific nauchno association union foundation "
    "fund consulting agency marine maritime finance financial commercial products electronics "
    "machinery export import partners ventures assets resources mining metals chemical "
    "chemicals new first central joint stock public open closed private firm kombinat "
    "obedinenie obyedinenie proizvodstvennoe predpriyatie kompaniia pidpryiemstvo torgovy "
    "torgovyi torgovyy dom house limited llc jsc sue inc design bureau scientific production "
    "research office plc unitary open republic people peoples ministry department navy "
    "aviation airlines air transport tanker ship shipping lines line fleet sea ocean "
    "international trust insurance partnership cooperative unit military regiment brigade "
    "battalion army forces force security defense defence committee council society "
    "organization organisation movement front party media news press studio university "
    "academy school hospital medical pharma pharmaceutical electric electro power nuclear "
    "space rocket machine building engine engines instrument instruments precision optical "
    "radio telecom communications network networks software digital data tech hi techno "
    "project projects ltd gmbh srl sarl"
)
GENERIC_TOKENS: frozenset[str] = frozenset(skeleton(w) for w in _GENERIC_WORDS.split())

_PARTICLE_WORDS = "al el ul bin ibn bint abu abd ben van von der den de la le da das dos du di ter"
PARTICLES: frozenset[str] = frozenset(skeleton(w) for w in _PARTICLE_WORDS.split())
_PARTICLE_SPELLINGS = frozenset(_PARTICLE_WORDS.split())

# Belarusian patronymics write a for the unstressed o: -avich, -avna, -auna (Aliaksandravich,
# Alyaksandrauna, Lieanidawna).
_PATRONYMIC_ENDINGS = (
    "ovich",
    "evich",
    "ievich",
    "avich",
    "ovna",
    "evna",
    "ivna",
    "avna",
    "auna",
    "ichna",
    "ogli",
    "kizi",
)


# Given names written differently in Russian, Ukrainian, Belarusian and Western use: one
# canonical form.  The Belarusian official romanisation writes a for an unstressed o or e
# (Alyaksandr, Aleh), h for g (Ryhor, Ihar), dz and ts for soft d and t (Dzmitry, Tatsiana)
# and u for a v after a vowel (Yauhen): the same person's name on Belarusian documents.
_GIVEN_NAME_GROUPS = (
    "aleksandr alexander alexandr oleksandr olexandr aleksander alexandre alyaksandr aliaksandr",
    "aleksei alexey alexei aleksey oleksii oleksiy olexiy alexej oleksij aliaksei alyaksey",
    "andrei andrey andriy andrii andrej",
    "anatoli anatoly anatoliy anatolii anatol",
    "dmitri dmitry dmitriy dmytro dmitrii dzmitry dzmitri",
    "fedor fyodor fedir feodor",
    "georgi georgiy heorhiy heorhii georgy",
    "grigori grigory grigoriy hryhoriy hryhorii ryhor",
    "evgeni evgeny yevgeniy yevgeny yevhen ievgen ievgenii jewgeni evgenii yevgenii yauhen yauheni",
    "leonid leanid",
    "mikhail mykhailo michail mikhaylo mykhaylo",
    "nikolai nikolay mykola mikalai mikalay",
    "pavel pavlo",
    "petr pyotr petro peter piotr",
    "sergei sergey serhiy serhii sergii serguei sergej siarhei syarhey",
    "vladimir volodymyr wladimir uladzimir",
    "vladislav vladyslav uladzislau",
    "vasili vasily vasyl vassili vasiliy vasil",
    "viktor victor viktar",
    "yuri yury yuriy iurii yurii juri",
    "oleg oleh aleh",
    "olga olha volha",
    "elena olena yelena jelena helena",
    "natalia natalya nataliya nataliia natalja natallia",
    "tatiana tatyana tetiana tetyana tatsiana",
    "igor ihor ihar",
    "gennadi gennady hennadiy hennadii",
    "konstantin kostiantyn kostyantyn",
    "maksim maxim maksym",
    "denis denys",
    "kirill kyrylo",
    "ekaterina yekaterina kateryna katerina katsiaryna",
    "irina iryna",
    "liudmila lyudmila liudmyla ludmila",
    "galina halyna",
    "iulia yulia yuliya iuliia julia",
    "marina maryna",
    "larisa larysa",
    "nadezhda nadiya nadiia",
    "vera vira",
    "bogdan bohdan",
    "evgenia yevgenia yevheniia",
    "muhamad muhammad mohammad mohamed mohammed mohamad muhammed",
    "abdullah abdallah abdulla abdalla abdellah",
)
GIVEN_NAMES: dict[str, str] = {
    skeleton(variant): skeleton(group.split()[0])
    for group in _GIVEN_NAME_GROUPS
    for variant in group.split()
}


# "Abd al-" (servant of) is written Abdul, Abdel, Abdal, Abdol, or Abdur, Abdus, Abder
# (the article takes the sound of the next letter: Abdurrahman): one canonical prefix.
_ABD_RE = re.compile(r"^abd(?:[aeiou]l|u(?=[rsdntz])|e(?=r))(?=[a-z]{3})")
_ABD_WORDS = frozenset({"abdul", "abdel", "abdal", "abdol", "abdil", "abdur", "abdar", "abder"})

# Patronymic endings after the skeleton, longest first; Ukrainian -iyovych/-iivna forms
# come out as -iovich/-ivna.
_PATRONYMIC_SUFFIXES = (
    ("iovich", "m"),
    ("ievich", "m"),
    ("ovich", "m"),
    ("evich", "m"),
    ("avich", "m"),
    ("iovna", "f"),
    ("ievna", "f"),
    ("ovna", "f"),
    ("evna", "f"),
    ("ivna", "f"),
    ("avna", "f"),
    ("auna", "f"),
)


def canonical_token(skel: str) -> str:
    """A token skeleton in the one form its romanisations share: given names
    (Oleksandr → aleksandr) and the "Abd al-" prefix (Abdur Rahman, Abdelrahman → abdul,
    abdulrahman).

    >>> canonical_token("oleksandr"), canonical_token("abdur"), canonical_token("abdurahman")
    ('aleksandr', 'abdul', 'abdulrahman')
    >>> canonical_token("petrov"), canonical_token("abdulah"), canonical_token("abdalah")
    ('petrov', 'abdulah', 'abdulah')
    """
    if skel in GIVEN_NAMES:
        return GIVEN_NAMES[skel]
    if skel in _ABD_WORDS:
        return "abdul"
    if skel.startswith("abd"):
        return _ABD_RE.sub("abdul", skel)
    return skel


@lru_cache(maxsize=50_000)
def patronymic_of(skel: str) -> str | None:
    """The canonical given name and gender a patronymic skeleton is made from (None: not a
    patronymic of a known given name), so that the Russian and Ukrainian forms meet:
    Sergeyevich and Serhiyovych, Nikolaevna and Mykolaivna.

    >>> patronymic_of(skeleton("Serhiyovych")) == patronymic_of(skeleton("Sergeyevich"))
    True
    >>> patronymic_of(skeleton("Oleksandrivna")), patronymic_of("lukashevich")
    ('aleksandr f', None)
    """
    for ending, gender in _PATRONYMIC_SUFFIXES:
        if skel.endswith(ending) and len(skel) > len(ending) + 2:
            stem = skel[: -len(ending)]
            for given in (stem, stem + "i", stem + "ei", stem[:-1] + "i"):
                if given in GIVEN_NAMES:
                    return f"{GIVEN_NAMES[given]} {gender}"
            return None
    return None


# Initials that stand for one sound after folding: Y./I./J./E. (Yelena → elena), G./H./K.
# (Hennadiy, Khalid → halid), C./X. (Xinrong), A./O. (Oleksandr → aleksandr).
_INITIAL_CLASSES = ("ei", "ghkcx", "ao")
_INITIAL_CLASS_OF = {letter: group for group in _INITIAL_CLASSES for letter in group}
_GIVEN_INITIALS: dict[str, set[str]] = {}
for _variant, _canonical in GIVEN_NAMES.items():
    _GIVEN_INITIALS.setdefault(_canonical, set()).add(_variant[0])


def initial_agrees(letter: str, word: str) -> bool:
    """True when the initial ``letter`` may stand for the token ``word`` (its first letter,
    a letter of the same sound class, or the first letter of an equivalent given name).

    >>> initial_agrees("v", "vladimir"), initial_agrees("i", "elena"), initial_agrees("m", "nikolai")
    (True, True, True)
    >>> initial_agrees("p", "vladimir")
    False
    """
    first = word[0]
    if letter == first or letter in _GIVEN_INITIALS.get(word, ()):
        return True
    return first in _INITIAL_CLASS_OF.get(letter, "")


def initial_letters(word: str) -> frozenset[str]:
    """Every initial that may stand for the token ``word`` (see ``initial_agrees``).

    >>> {"e", "i", "o"} <= initial_letters("elena"), "v" in initial_letters("elena")
    (True, False)
    """
    letters = {word[0], *_GIVEN_INITIALS.get(word, ())}
    for letter in tuple(letters):
        letters.update(_INITIAL_CLASS_OF.get(letter, letter))
    return frozenset(letters)


@dataclass(frozen=True, slots=True)
class NameForm:
    """One spelling of a name as token skeletons, each with a role, plus its legal form."""

    tokens: tuple[str, ...]
    roles: tuple[str, ...]
    legal_form: str | None = None
    scheme: str | None = None
    #: Positions of the family-name tokens of a person's name; empty when not known.
    family: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        """The tokens joined by spaces (one string per form)."""
        return " ".join(self.tokens)


def _fold_homoglyphs(word: str) -> str:
    """Write the look-alike letters of a mixed-script word in its majority script."""
    cyr = len(_CYR_LETTER_RE.findall(word))
    lat = len(_LAT_LETTER_RE.findall(word))
    if not cyr or not lat:
        return word
    latin_letters = [ch for ch in word if _LAT_LETTER_RE.match(ch) or ch == "ë"]
    cyrillic_letters = _CYR_LETTER_RE.findall(word)
    to_cyrillic = all(ch in _LAT_TO_CYR for ch in latin_letters)
    to_latin = all(ch in _CYR_TO_LAT for ch in cyrillic_letters)
    if to_cyrillic and to_latin:  # either way round reads: the majority script wins
        to_cyrillic = cyr >= lat
        to_latin = not to_cyrillic
    if to_cyrillic:
        return "".join(_LAT_TO_CYR.get(ch, ch) for ch in word)
    if to_latin:
        return "".join(_CYR_TO_LAT.get(ch, ch) for ch in word)
    if cyr >= lat:
        return "".join(_LAT_TO_CYR.get(ch, ch) for ch in word)
    return "".join(_CYR_TO_LAT.get(ch, ch) for ch in word)


def clean(raw: str | bytes) -> str:
    """NFKC, case folding, no invisible characters, no quotes, homoglyphs folded.

    >>> clean("  ООО «Ромашка»\\u200b ")
    'ооо ромашка'
    >>> clean("Сергiй")  # a Latin i inside a Cyrillic word
    'сергій'
    >>> clean(b"Jo\\xffhn")
    'john'
    """
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in _ZERO_WIDTH_CATEGORIES and ch != "\ufffd"
    )
    text = text.casefold()
    text = _APOSTROPHE_IN_WORD_RE.sub("", text)
    text = _QUOTES_RE.sub(" ", text)
    words = [_fold_homoglyphs(w) for w in text.split()]
    return " ".join(words)


def check_name(raw: object, where: str = "name") -> str:
    """Return the cleaned name, or raise ``InvalidInput`` saying why it cannot be screened.

    >>> check_name(" Ivan  Petrov ")
    'ivan petrov'
    >>> check_name("...")
    Traceback (most recent call last):
    urif.core.errors.InvalidInput: name: expected a name with at least 2 letters or digits, got '...'
    """
    if not isinstance(raw, (str, bytes)):
        raise InvalidInput(f"{where}: expected text, got {type(raw).__name__}")
    if len(raw) > MAX_NAME_CHARS:
        raise InvalidInput(f"{where}: expected at most {MAX_NAME_CHARS} characters, got {len(raw)}")
    text = clean(raw)
    letters = sum(1 for ch in text if ch.isalnum())
    if letters < MIN_NAME_CHARS:
        shown = raw if isinstance(raw, str) else raw.decode("utf-8", errors="replace")
        raise InvalidInput(
            f"{where}: expected a name with at least {MIN_NAME_CHARS} letters or digits, "
            f"got {shown[:40]!r}"
        )
    return text


def strip_legal_forms(text: str) -> tuple[str, str | None]:
    """Remove legal forms from cleaned text; return the rest and the first form's code.

    >>> strip_legal_forms("ооо ромашка")
    ('ромашка', 'llc')
    >>> strip_legal_forms("public joint stock company gazprom")
    ('gazprom', 'jsc')
    >>> strip_legal_forms("banco do brasil sa")
    ('banco do brasil', 'jsc')
    """
    found: list[str] = []

    def replace(match: re.Match[str]) -> str:
        phrase = match.group(1)
        start, end = match.span(1)
        at_edge = not text[:start].strip() or not text[end:].strip()
        if phrase in _EDGE_ONLY_FORMS and not at_edge:
            return phrase
        found.append(_FORM_OF[phrase])
        return " "

    rest = " ".join(_FORM_RE.sub(replace, text).split())
    if not rest:  # a name that is only a legal form keeps its words
        return text, None
    return rest, (found[0] if found else None)


def token_role(token: str, position: int, kind: str | None, spelled: str | None = None) -> str:
    """The role of one token skeleton in a name of ``kind`` (None: unknown kind);
    ``spelled`` is the token as written (so that "Lee" is not the particle "le").

    >>> token_role("vladimirovich", 1, "person"), token_role("bank", 1, "company")
    ('p', 'g')
    >>> token_role("bank", 1, "person"), token_role("v", 0, None)
    ('n', 'i')
    >>> token_role("le", 1, "person", "lee"), token_role("le", 1, "person", "le")
    ('n', 'a')
    """
    if token.isdigit():
        return NUMBER
    if len(token) == 1:
        return INITIAL
    if token in PARTICLES and (spelled is None or spelled in _PARTICLE_SPELLINGS):
        return PARTICLE
    if (
        kind in (None, "person")
        and position > 0
        and token.endswith(_PATRONYMIC_ENDINGS)
        and len(token) > 6
    ):
        return PATRONYMIC
    if kind != "person" and token in GENERIC_TOKENS:
        return GENERIC
    return NORMAL


def _form(
    text: str,
    kind: str | None,
    legal: str | None,
    scheme: str | None,
    family_words: frozenset[int] = frozenset(),
) -> NameForm | None:
    """One form of a spelling; ``family_words``: whitespace-word positions of the family
    name (used only when the spelling has as many words as the cleaned name)."""
    tokens: list[str] = []
    spelled: list[str] = []
    family: list[int] = []
    for number, word in enumerate(text.split()):
        for raw in _SPLIT_RE.split(word):
            if not raw:
                continue
            skel = skeleton(raw)
            if not skel:
                continue
            if len(raw) == 1:
                skel = "k" if skel == "ks" else skel[:1]  # an initial stays one letter
            if number in family_words:
                family.append(len(tokens))
            tokens.append(canonical_token(skel) if kind != "vessel" else skel)
            spelled.append(ascii_text(raw) if not raw.isascii() else raw)
    if not tokens:
        return None
    roles = tuple(
        NORMAL  # a family name such as Lukashevich is not a patronymic
        if i in family and role == PATRONYMIC
        else role
        for i, role in enumerate(
            token_role(t, i, kind, w) for i, (t, w) in enumerate(zip(tokens, spelled, strict=True))
        )
    )
    keep = tuple(i for i in family if roles[i] in (NORMAL, INITIAL))
    return NameForm(
        tokens=tuple(tokens),
        roles=roles,
        legal_form=legal,
        scheme=scheme,
        family=keep if len(keep) < len(tokens) else (),
    )


def family_words(name: str) -> frozenset[int]:
    """Positions of the family name among a person's whitespace-separated words: before a
    comma (``PUTIN, Vladimir``), else the words written in capitals among others
    (``Aleksandr ERMAKOV``), else the first word when a patronymic ends the name
    (``Ходорковский Михаил Борисович``), else the last word; empty for one word.

    >>> sorted(family_words("PUTIN, Vladimir Vladimirovich"))
    [0]
    >>> sorted(family_words("Aleksandr Viktorovich ERMAKOV")), sorted(family_words("Ivan Petrov"))
    ([2], [1])
    >>> sorted(family_words("Ходорковский Михаил Борисович")), sorted(family_words("Cher"))
    ([0], [])
    """
    words = name.split()
    if len(words) < 2:
        return frozenset()
    for number, word in enumerate(words[:-1]):
        if word.endswith(","):
            return frozenset(range(number + 1))
    letters = [[ch for ch in word if ch.isalpha()] for word in words]
    upper = {
        n for n, chars in enumerate(letters) if len(chars) >= 2 and all(c.isupper() for c in chars)
    }
    if upper and any(len(chars) >= 2 and n not in upper for n, chars in enumerate(letters)):
        return frozenset(upper)
    last = skeleton(romanise(words[-1], "bgn_pcgn"))
    if len(words) >= 3 and last.endswith(_PATRONYMIC_ENDINGS) and len(last) > 6:
        return frozenset({0})
    return frozenset({len(words) - 1})


_FRENCH_FINAL_IN_RE = re.compile(r"(?<=[a-z])(?<![aeiouy])in(?=\W*$)")


def _french_family_e(spelling: str, family: frozenset[int]) -> str:
    """A French press spelling with the final -e French adds to a family name in -in
    (Poutine, Prigojine), so that the nasal is not read; given names keep -in (Konstantin).

    >>> _french_family_e("prigojin, evgeni", frozenset({0}))
    'prigojine, evgeni'
    """
    words = spelling.split()
    if len(words) < 2:
        return spelling
    return " ".join(
        _FRENCH_FINAL_IN_RE.sub("ine", word) if n in family else word
        for n, word in enumerate(words)
    )


def is_person_kind(kind: str | None) -> bool:
    """True for kinds whose names are people's names (``person``)."""
    return kind == "person"


@lru_cache(maxsize=50_000)
def analyse(name: str, kind: str | None = None, expand: bool = False) -> tuple[NameForm, ...]:
    """The forms of one name: a query's canonical form(s), or (expand) every romanisation.

    >>> [f.key for f in analyse("Ходорковский Михаил Борисович", "person")][:1]
    ['hodorkovski mihail borisovich']
    >>> analyse("ТОВ «Ромашка»", "company")[0].legal_form
    'llc'
    >>> sorted({f.key for f in analyse("Yermakov", "person", expand=True)})
    ['ermakov']
    """
    person = is_person_kind(kind)
    legal: str | None = None
    family: frozenset[int] = frozenset()
    if person:
        marked = family_words(name)
        pieces: list[str] = []
        positions: set[int] = set()
        for number, word in enumerate(name.split()):
            for piece in clean(word).split():
                if number in marked:
                    positions.add(len(pieces))
                pieces.append(piece)
        text = " ".join(pieces)
        family = frozenset(positions)
    else:
        text = clean(name)
        text, legal = strip_legal_forms(text)
    spellings: dict[str, str | None] = {}
    if has_cyrillic(text):
        if expand:
            for scheme, latin in romanisations(text).items():
                spellings.setdefault(latin, scheme)
                if scheme == "french_press":
                    spellings.setdefault(_french_family_e(latin, family), scheme)
        else:
            spellings[romanise(text, "bgn_pcgn")] = "bgn_pcgn"
            if is_ukrainian(text):
                spellings.setdefault(romanise(text, "ua_national_2010"), "ua_national_2010")
    else:
        spellings[text] = None
        if expand and kind != "vessel" and text.isascii() and looks_slavic(text):
            french, german = press_variants(text)
            for variant in (french, _french_family_e(french, family), german):
                spellings.setdefault(variant, "press_variant")
    forms: dict[str, NameForm] = {}
    words = len(text.split())
    for spelling, spelled_by in spellings.items():
        same = family if len(spelling.split()) == words else frozenset()
        form = _form(spelling, kind, legal, spelled_by, same)
        if form is not None and form.key not in forms:
            forms[form.key] = form
    return tuple(forms.values())
