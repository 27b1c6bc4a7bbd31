"""A Latin name and a Cyrillic name compared by how Cyrillic writes a foreign name down.

Russian, Ukrainian, Bulgarian and Serbian write a foreign place by how its own language says it:
Burghausen is Бургхаузен by German rules, Chiavari Кьявари by Italian ones, New Bern Нью-Берн by
English ones. Read back through one romanization ("Burgkhauzen", "K'yavari") the Cyrillic name
is far from the Latin one, so both are brought to one sound key instead: the Cyrillic name
letter by letter, the Latin name once for each source language whose spelling it is read by
(letter for letter, English, German, French, Spanish, Portuguese, Italian, Polish, Dutch and
Hungarian; all but the first two only for a name spelled like that language).

The key is loose where the Cyrillic languages disagree or lose a sound: г, х and ґ are one
letter (Гамбург, Хьюстон), и, ы, і and й are one, doubled letters are one, and a soft sign is
no sound but the glide й before a vowel (Кьявари: kiavari). It keeps every vowel, so Кармиэль
(Karmiel) is not Carmel. Two names with one key are strong evidence, but only for keys long
enough to be rare (INDEXED letters); namesakes that Cyrillic writes alike (Claremont and Clermont
are both Клермонт) share a key like any other homonyms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from unidecode import unidecode

from entnorm_server import rule_tables
from entnorm_server.rule_tables import Rule
from entnorm_server.scripts import script_of

# Keys shorter than this are not looked up. Looked up against GeoNames' non-Latin-led table, keys
# of 5 letters would add 82 right answers and 16 wrong ones (Cachan for Каган, Minase for Минас);
# a floor of 7 would lose 105 right answers to save 3 wrong ones.
INDEXED = 6

# The letters' keys, the Latin letters and spelling rules of each source language, and the
# placeholders standing for one Cyrillic letter each: data/rules/cyrillic_transcription.yaml.
_TABLES = rule_tables.cyrillic_transcription()
_CYRILLIC = _TABLES.cyrillic
_LETTERS = dict(_TABLES.letters)
_PLACEHOLDERS = _TABLES.placeholders


def _compiled(rules: tuple[Rule, ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One alternation, so each letter is read once, by the first rule that fits there."""
    ordered = (*rules, *_TABLES.common)
    pattern = "|".join(f"(?P<r{i}>{r.match.pattern})" for i, r in enumerate(ordered))
    return re.compile(pattern), tuple(r.replacement for r in ordered)


_COMPILED = {name: _compiled(language.rules) for name, language in _TABLES.languages.items()}


def _fold(key: str) -> str:
    """What both sides share: no doubled letter, placeholders spelled."""
    key = "".join(_PLACEHOLDERS.get(ch, ch) for ch in key)
    return re.sub(r"(.)\1+", r"\1", key)


# A soft or hard sign before a vowel is a glide (Кьявари, Жольєт: kiavari, zholiet).
_SIGN_BEFORE_VOWEL = re.compile("[ьъ](?=[аеёиоуыэюяєії])")


def of_cyrillic(text: str) -> str:
    """The sound key of a Cyrillic name; "" when it holds letters of another script."""
    letters = []
    for ch in _SIGN_BEFORE_VOWEL.sub("й", unicodedata.normalize("NFC", text.casefold())):
        if ch in _CYRILLIC:
            letters.append(_CYRILLIC[ch])
        elif ch.isalpha() or ch.isdigit():
            return ""
    return _fold("".join(letters))


def indexed(text: str) -> str:
    """The key of a Cyrillic name long enough to look up (INDEXED letters), else ""."""
    key = of_cyrillic(text)
    return key if len(key) >= INDEXED else ""


def _read(word: str, language: str) -> str:
    pattern, outputs = _COMPILED[language]
    return pattern.sub(lambda m: outputs[int((m.lastgroup or "r0")[1:])], word)


def _words(folded: str, letters: Mapping[str, str]) -> list[str]:
    return re.findall(r"[a-zA-Z]+", unidecode("".join(letters.get(ch, ch) for ch in folded)))


@lru_cache(maxsize=1024)
def of_latin(text: str) -> Mapping[str, str]:
    """A Latin name's sound keys of INDEXED letters or more, each with the first source language
    whose spelling rules gave it."""
    if script_of(text) != "Latn":
        return MappingProxyType({})
    folded = unicodedata.normalize("NFC", text.casefold())
    words = _words(folded, _LETTERS)
    found: dict[str, str] = {}
    for language, tables in _TABLES.languages.items():
        spelled = tables.spelled_like
        if spelled and not spelled.search(folded):
            continue
        own = _TABLES.own_letters.get(language)
        read = _words(folded, _LETTERS | dict(own)) if own else words
        key = _fold("".join(_read(w, language) for w in read))
        if len(key) >= INDEXED:
            found.setdefault(key, language)
    return MappingProxyType(found)
