"""Romanizations of Greek, Arabic, Hebrew and kana names, and a fallback for other scripts: the
readers that run a plan of transliterators (data/scripts.yaml says which script has which).

Which transliterator serves which script was chosen by measurement (`bench/transliterators.py`,
results in `bench/results/transliterators.json`): GeoNames city names in each script, scored by
how often the romanization meets a Latin name of the same city. Hangul, Han and Cyrillic belong to
their own modules; Latin needs no romanization.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from entnorm_server.normalize import ascii_key
from entnorm_server.routes import HEBREW_READER, Mark, romanized
from entnorm_server.scripts import profile_of, script_of, scripts_in
from entnorm_server.translit import greek_loanwords, hebrew
from entnorm_server.translit.base import Romanization, icu_transform

# Scripts whose names other readers own: a name that mixes one in is theirs or no one's.
_NOT_OURS = frozenset({"Latn", "Cyrl", "Hang", "Hani"})


def abjad_vowels(latin: str) -> str:
    """Guess the vowels an abjad leaves unwritten, from its romanization.

    Arabic and Hebrew write long vowels with consonant letters (waw, yod/ya'), which
    transliterators render as w/v and y: between consonants they stand for u/o and i/e, so
    "mynwngw" -> "minungu" (Menongue). This doubles the fuzzy hit rate on GeoNames (see
    bench/transliterators.py). Splitting off the article al- was measured too and changed
    nothing, so it is not done. Returns folded ASCII; callers title-case it.
    """
    text = ascii_key(latin)
    text = re.sub(r"(?<=[^aeiou\s])w(?=[^aeiou]|$)", "u", text)
    return re.sub(r"(?<=[^aeiou\s])y(?=[^aeiou]|$)", "i", text)


@dataclass(frozen=True, slots=True)
class _Step:
    """One rendering: a transliterator, the system routes name it by, and what it guesses."""

    system: str
    run: Callable[[str], str]
    marks: tuple[Mark, ...] = ()


def _with_vowels(base: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: abjad_vowels(base(text))


# ICU writes a small kana vowel as "~" and the vowel (ヴェ "vu~e", ウィ "u~i", ツァ "tsu~a").
_SMALL_VOWEL = re.compile(r"([bcdfghjkmnprstvz]*)[aeiou]~([aeiou])")
_SMALL_VOWEL_ALONE = re.compile(r"(?<![bcdfghjkmnprstvz])(?:u~|i~(?=e))")


def kana_small_vowels(latin: str) -> str:
    """ICU's kana romanization with Hepburn for foreign sounds: "vu~e" "ve", "u~i" "wi"."""
    latin = _SMALL_VOWEL_ALONE.sub(lambda m: "w" if m.group(0) == "u~" else "y", latin.lower())
    return _SMALL_VOWEL.sub(r"\1\2", latin)


# Katakana gives every consonant a vowel: a foreign name's bare consonants come with an added u
# (o after t and d at a word's end or before r). Read back: スタンフォード "sutanfodo" is
# "stanfod", ストックホルム "stokhorm", ドレスデン "dresden".
_ADDED_U = re.compile(r"(?<=[bcdfghjkmprsz])u(?![aeiou])")
_ADDED_O = re.compile(r"(?<=[td])o(?:\b|(?=r))")  # "to" of final t, and of tr: ストラ "stra"
_DOUBLED = re.compile(r"([kpst])\1")  # ッ doubles the consonant after it


def kana_loanword(latin: str) -> str:
    """A kana romanization with the vowels katakana adds to bare consonants taken out."""
    return _DOUBLED.sub(r"\1", _ADDED_O.sub("", _ADDED_U.sub("", latin.lower())))


def _then(first: Callable[[str], str], second: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: second(first(text))


def _nth(readings: Callable[[str], tuple[str, ...]], n: int) -> Callable[[str], str]:
    """The n-th of a reader's readings of a name ("" when it has fewer)."""

    def run(text: str) -> str:
        found = readings(text)
        return found[n] if n < len(found) else ""

    return run


KANA_BGN = icu_transform("Hiragana-Katakana; Katakana-Latin/BGN; Latin-ASCII")
# Three kana steps start from ICU's Any-Latin: it runs once per name.
_kana_latin = lru_cache(maxsize=4096)(icu_transform("Any-Latin; Latin-ASCII"))

# Per script, the winners of bench/transliterators.py (full GeoNames run, % of names meeting a
# Latin name of their city, exact / fuzzy ratio >= 85), first alone, then with the second one:
# - Grek: ICU UNGEGN 94.9 / 98.7; with plain ICU Greek-Latin 99.9 / 99.9.
# - Arab: ICU + vowel guess 8.1 / 27.2 (bare ICU 3.0 / 13.1). Adding anyascii + guess reached
#   8.5 / 29.2, but bench/quality.py found its own matches right only 7 times in 10: not kept.
# - Hebr: the name reader (translit/hebrew.py) 15.6 / 51.3, with its other readings 19.9 / 58.1;
#   the best generic tools were unidecode + vowel guess 4.1 / 20.2, with ICU + guess 5.8 / 27.4.
# - Kana: ICU BGN 15.7 / 43.8; ICU Any-Latin with Hepburn small vowels 17.3 / 45.7, and with the
#   added vowels taken out (the loanword reading) 24.5 / 55.0; BGN with the loanword reading 29.2 /
#   58.2. The letter-for-letter form meets no more of these human-written names; it is kept for
#   the machine romanizations gazetteers carry (GeoNames "havuerian").
# - other scripts: anyascii 33.1 / 65.1; with ICU Any-Latin 40.8 / 73.2.
_GREEK_UNGEGN = icu_transform("Greek-Latin/UNGEGN; Latin-ASCII")
PLANS: dict[str, tuple[_Step, ...]] = {
    "greek": (
        _Step("ICU UNGEGN", _GREEK_UNGEGN),
        _Step("ICU", icu_transform("Greek-Latin; Latin-ASCII")),
        *(
            _Step(
                "loanword reading",
                _then(_nth(greek_loanwords.readings, n), _GREEK_UNGEGN),
                (Mark.SOUNDS_GUESSED,),
            )
            for n in range(greek_loanwords.READINGS)
        ),
    ),
    "arabic": (
        _Step(
            "ICU",
            _with_vowels(icu_transform("Arabic-Latin; Latin-ASCII")),
            (Mark.VOWELS_GUESSED,),
        ),
    ),
    "hebrew": (
        *(
            _Step(HEBREW_READER, _nth(hebrew.readings, n), (Mark.VOWELS_GUESSED,))
            for n in range(len(hebrew.READINGS))
        ),
    ),
    "kana": (
        _Step("ICU BGN", KANA_BGN),
        _Step("ICU", _then(_kana_latin, kana_small_vowels)),
        _Step(
            "loanword reading",
            _then(_then(_kana_latin, kana_small_vowels), kana_loanword),
            (Mark.SOUNDS_GUESSED,),
        ),
        # The small vowel as a full one, as GeoNames spells ハヴェリアン "havuerian".
        _Step(
            "ICU",
            _then(_kana_latin, lambda latin: latin.replace("~", "")),
            (Mark.LETTER_FOR_LETTER,),
        ),
    ),
    "any_script": (
        _Step("anyascii", anyascii),
        _Step("ICU", icu_transform("Any-Latin; Latin-ASCII")),
    ),
}


def _tidy(latin: str) -> str:
    """Collapse spaces; capitalize words of all-lowercase output so it reads as a name."""
    text = " ".join(latin.split())
    if text == text.lower():
        text = " ".join(word[:1].upper() + word[1:] for word in text.split(" "))
    return text


def _is_latin(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and set(scripts_in(text)) <= {"Latn"}


def read(plan: str, text: str, language: str = "") -> list[Romanization]:
    """Latin renderings of a name by one of PLANS; [] for a name another reader owns."""
    scripts = [s for s in scripts_in(text) if s != "Latn"]
    if not scripts or _NOT_OURS.intersection(scripts):
        return []
    # Hiragana and katakana are one writing to the readers (and to routes): ひらがな is Kana.
    script = "Kana" if scripts[0] == "Hira" else scripts[0]
    lang = language or profile_of(script).language
    seen: set[str] = set()
    out: list[Romanization] = []
    for step in PLANS[plan]:
        rendering = _tidy(step.run(text))
        if not _is_latin(rendering) or rendering.casefold() in seen:
            continue
        seen.add(rendering.casefold())
        out.append(Romanization(rendering, romanized(script, step.system, lang, marks=step.marks)))
    return out


def romanizations(text: str, language: str = "") -> list[Romanization]:
    """Latin renderings of a Greek, Arabic, Hebrew, kana or other non-Latin name, by the plans
    its script's profile names; [] for Latin, Cyrillic, Hangul and Han: their readers are others."""
    readers = profile_of(script_of(text)).readers_for(language)
    return [r for plan in readers if plan in PLANS for r in read(plan, text, language)]
