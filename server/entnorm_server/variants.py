"""Variant keys: the same code turns table names (at index time) and queries (at query time) into
keys in several families, so that a name meets its other spellings by a dict lookup.

A *form* is a rendering of a name (the name itself, or a romanization) with the route that
produced it. A *family* turns a form into one key. Index and query share both, so matching is
symmetric: a Cyrillic query meets a Latin table name and a Latin query meets a Cyrillic one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from entnorm_server import routes
from entnorm_server.model import EntityType
from entnorm_server.normalize import ascii_key
from entnorm_server.resolution import MatchKind
from entnorm_server.translit import SKELETONS, romanize

MAX_FORMS = 24  # per name: romanization systems multiply quickly
# Keys this short meet by accident (codes, abbreviations): too short for a fuzzy edit to mean
# anything. How much an equal key of a few letters is worth, the scorer says (its letter count).
SHORT_KEY = 4


@dataclass(frozen=True, slots=True)
class Form:
    text: str
    route: tuple[routes.Step, ...]
    ascii: str  # ascii_key(text), computed once

    @classmethod
    def of(cls, text: str, route: tuple[routes.Step, ...] = ()) -> Form:
        return cls(text, route, ascii_key(text))


KeyOf = Callable[[Form], str]


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    match_kind: MatchKind
    how: str
    key: KeyOf
    persons_only: bool = False
    # The key of a query form, when it must differ from a table name's (see initials).
    query_key: KeyOf | None = None
    # Whether a table name's form gets a key at all (given the entity type and language tag).
    indexes: Callable[[Form, EntityType, str], bool] | None = None


def compact_key(form: Form) -> str:
    """Tokens joined: "Kim Jong Un", "Kim Jongun" and "KimJongUn" meet."""
    return form.ascii.replace(" ", "")


def sorted_key(form: Form) -> str:
    """Tokens in sorted order, for names written surname first or last. Single tokens: none."""
    tokens = form.ascii.split()
    return " ".join(sorted(tokens)) if len(tokens) > 1 else ""


# Scripts whose names, read into Latin, are syllables in a fixed order: the syllables are not
# the name's parts, and only the surname moves. 金正日 (Chin Cheng-jih) and 金日成 (Chin Jih-cheng)
# share their syllables in another order, and are two men.
SYLLABIC_NAMES = frozenset({"Hani", "Hang"})
ROTATED = "↻ "  # marks a rotation key: it never meets a sorted one


def _syllabic(form: Form) -> bool:
    return any(routes.source_script(step) in SYLLABIC_NAMES for step in form.route)


def rotated_key(form: Form) -> str:
    """The tokens' first rotation in sorted order: equal for a name and the same name with its
    last tokens moved to the front ("Kim Jong Un", "Jong Un Kim"), not for any permutation."""
    tokens = form.ascii.split()
    if len(tokens) < 2:
        return ""
    return ROTATED + " ".join(min(tokens[i:] + tokens[:i] for i in range(len(tokens))))


def _sorted_unless_syllabic(form: Form) -> str:
    return "" if _syllabic(form) else sorted_key(form)


REORDER_MIN_TOKEN = 4


def _reorders(form: Form, entity_type: EntityType) -> bool:
    """People's names change order between conventions; other names rarely do, and when their
    tokens are short syllables ("Qing Yi", "Yi Qing") the other order is another name."""
    return entity_type is EntityType.PERSON or all(
        len(t) >= REORDER_MIN_TOKEN for t in form.ascii.split()
    )


def initials_key(form: Form) -> str:
    """Given names as initials before the surname: "V. Putin", "K. Budanov"."""
    tokens = form.ascii.split()
    if len(tokens) < 2 or len(tokens[-1]) < 2:
        return ""
    return " ".join([*(t[0] for t in tokens[:-1]), tokens[-1]])


def query_initials_key(form: Form) -> str:
    """Only a query written with initials looks up the initials family."""
    tokens = form.ascii.split()
    if len(tokens) < 2 or not all(len(t) == 1 for t in tokens[:-1]):
        return ""
    return initials_key(form)


def name_part_key(form: Form) -> str:
    """Each token of a multi-token name, as a surname alone ("Kim") may be: never decisive."""
    tokens = form.ascii.split()
    return form.ascii if len(tokens) == 1 else ""


CONSONANT_MIN = 4
_VOWELS = str.maketrans("", "", "aeiouyw ")


def consonant_key(form: Form) -> str:
    """The consonants of a name, for scripts that leave vowels unwritten (Arabic, Hebrew, the
    Indic abugidas): "al-Qahira" and the romanization of القاهرة meet on "lqhr". Too short a
    skeleton (< 4 consonants) meets everything, so it gets no key."""
    letters = form.ascii.translate(_VOWELS).replace("q", "k").replace("c", "k")
    collapsed = "".join(ch for i, ch in enumerate(letters) if i == 0 or ch != letters[i - 1])
    return collapsed if len(collapsed) >= CONSONANT_MIN else ""


def _skeleton(family: str) -> KeyOf:
    latin_key = SKELETONS[family]

    def key(form: Form) -> str:
        found = latin_key(form.text) if form.text.isascii() or not form.route else ""
        return f"{family}:{found}" if found else ""

    return key


def skeleton_letters(key: str) -> int:
    """The letters of a skeleton family's key, without its family prefix and spaces."""
    return len(key.partition(":")[2].replace(" ", ""))


def _ascii(form: Form) -> str:
    return form.ascii


SLAVIC_LANGUAGES = frozenset({"uk", "ru", "be", "bg", "sr", "mk", "pl", "cs", "sk", "sl", "hr"})


def _slavic(form: Form, entity_type: EntityType, language: str) -> bool:
    """Slavic skeletons merge sounds (kh/h, y/i, w/v) that other languages keep apart, so a table
    name gets one only when it is Slavic: romanized from Cyrillic, or tagged so."""
    return any(routes.source_script(step) == "Cyrl" for step in form.route) or (
        language.split("-")[0] in SLAVIC_LANGUAGES
    )


# Strictest first; the exact and folded tiers of the original text live in snapshot.TIERS.
FAMILIES: tuple[Family, ...] = (
    Family("ascii", MatchKind.TRANSLITERATED, "equal after transliteration", _ascii),
    Family("compact", MatchKind.NORMALIZED, "equal with tokens joined", compact_key),
    # Any order, for names of other scripts; for a syllabic reading, only a rotation (the
    # surname moved), which every name also gets, so that the two kinds meet.
    Family(
        "sorted",
        MatchKind.TOKEN_REORDER,
        "equal after reordering tokens",
        _sorted_unless_syllabic,
        indexes=lambda form, entity_type, _: _reorders(form, entity_type),
    ),
    Family(
        "sorted",
        MatchKind.TOKEN_REORDER,
        "equal after reordering tokens",
        rotated_key,
        indexes=lambda form, entity_type, _: _reorders(form, entity_type),
    ),
    Family(
        "ko",
        MatchKind.TRANSLITERATED,
        "same Korean romanization skeleton",
        _skeleton("ko"),
        persons_only=True,
    ),
    Family(
        "sl",
        MatchKind.TRANSLITERATED,
        "same Slavic romanization skeleton",
        _skeleton("sl"),
        indexes=_slavic,
    ),
    Family(
        "cons",
        MatchKind.TRANSLITERATED,
        "same consonants (the script leaves vowels unwritten)",
        consonant_key,
    ),
    Family(
        "initials",
        MatchKind.NORMALIZED,
        "equal with given names as initials",
        initials_key,
        persons_only=True,
        query_key=query_initials_key,
    ),
)

# A part of a person's name alone ("Kim", "Putin"): a rival, never an answer (resolver).
NAME_PART = Family("part", MatchKind.NORMALIZED, "one part of the name", _ascii, persons_only=True)


def forms(text: str, language: str = "", query: bool = False) -> list[Form]:
    """The text itself, then its romanizations by script and language, without repeats."""
    first = Form.of(text)
    found = [first]
    seen = {first.ascii}
    for r in romanize(text, language, guess=query):
        form = Form.of(r.text, (r.route,))
        if form.ascii == first.ascii and not first.route and not text.isascii():
            # A reader writes what unidecode spells (푸틴, Putin in RR): the text's key is that
            # reading, not a letter-for-letter guess at one.
            first = found[0] = Form(first.text, form.route, first.ascii)
            continue
        if form.ascii and form.ascii not in seen:
            seen.add(form.ascii)
            found.append(form)
        if len(found) >= MAX_FORMS:
            break
    return found


def table_keys(
    form: Form, entity_type: EntityType, language: str = ""
) -> Iterator[tuple[Family, str]]:
    """Each family's key of a table name's form; persons-only families only for persons."""
    person = entity_type is EntityType.PERSON
    for family in FAMILIES:
        if family.persons_only and not person:
            continue
        if family.indexes is not None and not family.indexes(form, entity_type, language):
            continue
        key = family.key(form)
        if key:
            yield family, key
    if person:
        tokens = form.ascii.split()
        if len(tokens) > 1:
            for token in {tokens[0], tokens[-1]}:
                yield NAME_PART, token


def query_keys(form: Form) -> Iterator[tuple[Family, str]]:
    """Each family's key of a query form."""
    for family in FAMILIES:
        key = (family.query_key or family.key)(form)
        if key:
            yield family, key
    key = name_part_key(form)
    if key:
        yield NAME_PART, key
