"""A kana name and a Latin name compared by the consonants kana keeps when it writes by ear.

Katakana writes a foreign name by its sound, so its vowels are guesses (which vowel it added to a
bare consonant, what a long vowel stood for) and some consonants merge: l and r, v and b, s and z.
What survives is the name's consonant skeleton, one letter per class. ヴィジェーヴァノ and
Vigevano both keep v-j-v-n (b-s-b-n as classes) once Italian's soft g is heard as j; マーケット
and Market both keep m-k-t once English's unsounded r goes.

A Latin spelling can stand for several sounds (c is k or s, ch is k, s or h, w is v or nothing),
so a Latin name gives a few skeletons, one per reading; the kana name gives one per romanization.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from unidecode import unidecode

from entnorm_server import rule_tables
from entnorm_server.routes import Step
from entnorm_server.scripts import profile_of
from entnorm_server.translit.other_scripts import romanizations

# Latin spellings kana may hear in more than one way, and kana sounds read two ways: data.
_READINGS = rule_tables.kana_readings()
_MOST_SPELLINGS = 64  # a bound on the readings' product; real names stay far below it
# Of the kana queries on GeoNames left ambiguous with a lone near candidate, those sharing 4 or
# more consonant classes with it named the right city 117 times in 119; shorter skeletons (Sur,
# Surru) say too little. Deciding on it, the engine newly resolved 149 kana queries: 146 to the
# right city and 3 to a namesake of a city left out of the table.
DECISIVE = 4
# From 7, a skeleton is also looked up in an index of the table's Latin names, with no near
# spelling needed to find them: トッレ・デル・グレーコ and Torre del Greco share t-r-d-r-g-r-k,
# though their letters differ too much for the fuzzy tier. On GeoNames such lookups newly
# resolved 52 kana queries, 50 of them right; from 6 it was 77, 71 right (Villa Canales for
# バスキン・リッジ).
INDEXED = 7

_NOT_LETTER = re.compile(r"[^a-z]+")
_SIBILANTS = re.compile(r"ts|tz|ch|sh")
_CLASSES = profile_of("Kana").merged()  # letters kana writes alike, made one
_N_BEFORE_LIPS = re.compile(r"n(?=[bp])")  # ン is m before b and p
_UNCOUNTED = re.compile(r"[aeiouyhw]")
_DOUBLED = re.compile(r"(.)\1+")
_DOUBLED_BUT_L = re.compile(r"([^l])\1+")  # ll may be Spanish ll, a sound of its own

# A kana name romanized (GeoNames "ebanzubiru", "isutohatofodo"): every consonant but n has its
# vowel, and lower case marks a machine's output. Its vowels are the kana's own, so they must
# agree: its skeleton would meet the names of other places (Evansville's meets Barnesville).
_ROMAJI = re.compile(
    r"(?:(?:[kgsztdnhbpmrwfjv]|sh|ch|ts)?y?[aeiou]"  # a syllable
    r"|n|([kstpcjdgbzfh])(?=\1)|[ '-])+"  # ン, ッ's doubling, breaks
)


def _plain(text: str) -> str:
    """Lower-case ASCII letters and single spaces, doubled letters but l single."""
    return _DOUBLED_BUT_L.sub(r"\1", _NOT_LETTER.sub(" ", unidecode(text).lower()).strip())


def _skeleton(latin: str) -> str:
    """Consonants only, each class one letter, doubled ones single; word breaks dropped."""
    letters = _SIBILANTS.sub("s", latin.replace(" ", "")).translate(_CLASSES)
    return _DOUBLED.sub(r"\1", _UNCOUNTED.sub("", _N_BEFORE_LIPS.sub("m", letters)))


@lru_cache(maxsize=65536)
def of_latin(name: str) -> frozenset[str]:
    """The skeletons of a Latin name, one per way kana may hear its ambiguous spellings; none for
    a kana name romanized."""
    if name.islower() and _ROMAJI.fullmatch(name):
        return frozenset()
    spellings = [_plain(name)]
    for rule in _READINGS.latin:
        pattern, readings = rule.match, rule.readings
        if not any(pattern.search(spelling) for spelling in spellings):
            continue  # a name meets few patterns; skipping the rest keeps indexing cheap
        heard = {pattern.sub(reading, spelling) for spelling in spellings for reading in readings}
        spellings = sorted(heard)[:_MOST_SPELLINGS]
    return frozenset(_skeleton(s) for s in spellings)


_NEVER_CONSONANT = re.compile(r"[aeiouyh ]")


def indexed(name: str) -> frozenset[str]:
    """The skeletons of a Latin name long enough to be looked up (INDEXED)."""
    # No reading adds a consonant but x's ks: most names are too short to need reading at all.
    plain = _plain(name)
    if len(_NEVER_CONSONANT.sub("", plain)) + plain.count("x") < INDEXED:
        return frozenset()
    return frozenset(s for s in of_latin(name) if len(s) >= INDEXED)


def of_romanization(latin: str) -> frozenset[str]:
    """The skeletons of a kana name's romanization ("vijevano")."""
    spellings = {_plain(latin)}
    for kana_sound, also in _READINGS.kana_also:
        spellings |= {s.replace(kana_sound, also) for s in spellings if kana_sound in s}
    return frozenset(_skeleton(s) for s in spellings)


@lru_cache(maxsize=1024)
def of_kana(text: str) -> Mapping[str, Step]:
    """A kana name's skeletons long enough to decide, each with the route of the romanization
    that gave it first."""
    found: dict[str, Step] = {}
    for romanization in romanizations(text):
        for skeleton in of_romanization(romanization.text):
            if len(skeleton) >= DECISIVE:
                found.setdefault(skeleton, romanization.route)
    return MappingProxyType(found)


def kept(kana: Mapping[str, Step], latin_name: str) -> str:
    """The longest skeleton of `kana` (from of_kana) a Latin name keeps, as "b-s-b-n"; else ""."""
    shared = kana.keys() & of_latin(latin_name)
    if not shared:
        return ""
    longest: str = max(shared, key=len)
    return "-".join(longest)
