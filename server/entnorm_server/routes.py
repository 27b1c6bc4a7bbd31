"""Route steps: how a form was reached, in the words explanations show.

A step is a short text ("uk Cyrl → Latn (KMU 2010)", "dropped title 'president'"), since it
travels to callers as is. Its wording is made and read only here, so a rule that asks whether a
step guessed vowels cannot be fooled by another step that happens to say "dropped".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

QUERY_SIDE = "query: "
ALIAS_SIDE = "alias: "
SCRIPT_CHANGE = " → "  # every transliteration step names its source and target scripts
DIACRITICS_FOLDED = "diacritics folded (unidecode)"
VOWELS_GUESSED = "vowels guessed"
VOWELS_DROPPED = "vowels dropped"
# A reading that guessed what a spelling stands for (Greek ντ: d, nd or nt; a kana vowel added).
SOUNDS_GUESSED = "sounds guessed"
HEBREW_READING = "name reader"
# A Cyrillic name with no letter that only Ukrainian or only Russian writes is read both ways;
# its Ukrainian readings guess its language (Мари is Russian "Mari" more often than "Mary").
LANGUAGE_GUESSED = "language guessed"
WADE_GILES = "Wade-Giles"
HANJA_AS_KOREAN = "ko-Hani → Hang (hanja)"
LETTER_FOR_LETTER = "letter for letter"
# Scripts whose letter-for-letter romanization is a machine form nobody writes by hand
# ("beleullin" for 베를린, "hanputon" for ハンプトン): a name equal to it is the same written name.
_SPELLED_OUT_SCRIPTS = frozenset({"Hang", "Kana", "Hira"})


def read_as(language: str) -> str:
    """How a Latin name was read: "letter for letter", or "as German spelling"."""
    return language if language == LETTER_FOR_LETTER else f"as {language} spelling"


def as_cyrillic_writes(language: str) -> str:
    """The step of a Latin name written in Cyrillic as its source language's spelling says."""
    return f"Latn → Cyrl (read {read_as(language)}, practical transcription)"


def noted(step: str, note: str) -> str:
    """A transliteration step with a note added in its parentheses: "(KMU 2010, note)"."""
    return f"{step[:-1]}, {note})" if step.endswith(")") else f"{step} ({note})"


def dropped_title(title: str) -> str:
    return f"dropped title {title!r}"


_DROPPED_QUALIFIER = "dropped qualifier"


def dropped_qualifier(qualifier: str) -> str:
    return f"{_DROPPED_QUALIFIER} {qualifier!r}"


@lru_cache(maxsize=8192)
def qualifier_dropped(route: tuple[str, ...]) -> bool:
    """Whether either side was reached by dropping a qualifier ("Kilburn, London")."""
    return any(
        s.removeprefix(QUERY_SIDE).removeprefix(ALIAS_SIDE).startswith(_DROPPED_QUALIFIER)
        for s in route
    )


def unidecoded(script: str, vowels_dropped: bool) -> str:
    """The step of a name that no romanization system served, only unidecode."""
    return f"{script} → Latn (unidecode{', ' + VOWELS_DROPPED if vowels_dropped else ''})"


def transliterates(step: str) -> bool:
    return SCRIPT_CHANGE in step


def lossy(step: str) -> bool:
    """Whether the step guessed or dropped what the script leaves unwritten (vowels) or
    guessed what a spelling stands for."""
    return transliterates(step) and any(
        mark in step for mark in (VOWELS_GUESSED, VOWELS_DROPPED, SOUNDS_GUESSED)
    )


def lossy_steps(route: Iterable[str]) -> int:
    return sum(lossy(step) for step in route)


def one_script(route: Iterable[str]) -> bool:
    """Both sides romanized from the same script: two spellings of one script (two Arabic
    spellings lose the same vowels on both sides, so their keys are no guess of each other)."""
    steps = tuple(route)
    query = _scripts(steps, QUERY_SIDE)
    return bool(query) and query == _scripts(steps, ALIAS_SIDE)


def accents_only(route: tuple[str, ...]) -> bool:
    """Both sides Latin, differing only by diacritics."""
    return bool(route) and all(step.endswith(DIACRITICS_FOLDED) for step in route)


def spelled_out(route: tuple[str, ...]) -> bool:
    """One side is Latin as written and the other met it letter for letter (RR letter for
    letter, ICU letter for letter, or unidecode) from Hangul or kana."""
    if len(route) != 1:
        return False
    step = route[0].removeprefix(QUERY_SIDE).removeprefix(ALIAS_SIDE)
    letter_by_letter = LETTER_FOR_LETTER in step or step.endswith("(unidecode)")
    return letter_by_letter and source_script(step) in _SPELLED_OUT_SCRIPTS


def source_script(step: str) -> str:
    """The script a transliteration step started from ("he Hebr → Latn (…)" → "Hebr",
    "ko-Hani → Hang (hanja) → RR" → "Hani"); "" for other steps."""
    if not transliterates(step):
        return ""
    head = step.split(SCRIPT_CHANGE, 1)[0].split()
    return head[-1].rsplit("-", 1)[-1] if head else ""


def both_transliterated(route: Iterable[str]) -> bool:
    """The query and the alias were romanized from two different scripts and met in Latin. (Two
    names in one script meet through one transliterator: a spelling variant, not this.)"""
    steps = tuple(route)
    query, alias = _scripts(steps, QUERY_SIDE), _scripts(steps, ALIAS_SIDE)
    return bool(query and alias and query != alias)


# Routes repeat across candidates and queries (a few hundred systems and titles make them), so
# their reading is cached rather than redone per candidate.
@lru_cache(maxsize=8192)
def _scripts(steps: tuple[str, ...], side: str) -> frozenset[str]:
    """The scripts one side was romanized from."""
    found = {source_script(s.removeprefix(side)) for s in steps if s.startswith(side)}
    return frozenset(found - {""})


def through(route: Iterable[str], system: str) -> bool:
    """Whether a step of the route used `system` (e.g. WADE_GILES, HEBREW_READING)."""
    return any(transliterates(s) and system in s for s in route)
