"""Route steps: how a form was reached, as data.

A step says what was done (romanized, folded, respelled, transcribed, a part dropped), from which
script, in which language, by which system, and what it had to guess. Rules read those fields;
the words explanations show are rendered from them (`describe`) and never read back, so no text
a caller sends can pass for a step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache


class Kind(StrEnum):
    ROMANIZE = "romanize"  # a script, or a reading of it, to Latin
    FOLD = "fold"  # Latin diacritics folded
    RESPELL = "respell"  # Latin to Latin: a habit of one romanization undone
    TRANSCRIBE = "transcribe"  # Latin to Cyrillic, as the source language's spelling says
    DROP_TITLE = "drop_title"
    DROP_QUALIFIER = "drop_qualifier"
    DROP_POSSESSIVE = "drop_possessive"  # "Russia's" read as "Russia"
    # An inverted long form read whole ("Korea, Republic of": "Republic of Korea"), or its head
    # alone ("Korea"), its designator dropped.
    UNINVERT = "uninvert"
    DROP_DESIGNATOR = "drop_designator"


class Mark(StrEnum):
    """What a step had to guess or chose to keep, in the order explanations name them."""

    LETTER_FOR_LETTER = "letter for letter"
    VOWELS_GUESSED = "vowels guessed"
    VOWELS_DROPPED = "vowels dropped"
    # A reading that guessed what a spelling stands for (Greek ντ: d, nd or nt; a kana vowel).
    SOUNDS_GUESSED = "sounds guessed"
    # A Cyrillic name with no letter that only Ukrainian or only Russian writes is read both
    # ways; its Ukrainian readings guess its language (Мари is Russian "Mari" more often).
    LANGUAGE_GUESSED = "language guessed"


class Side(StrEnum):
    NONE = ""
    QUERY = "query"
    ALIAS = "alias"


LOSSY = frozenset({Mark.VOWELS_GUESSED, Mark.VOWELS_DROPPED, Mark.SOUNDS_GUESSED})
# Systems rules ask about by name.
UNIDECODE = "unidecode"
WADE_GILES = "Wade-Giles"
HEBREW_READER = "name reader"
JAPANESE_READING = "Japanese reading, UniDic"
HANJA = "Hang (hanja)"  # Hanja read as Hangul first, the `via` of such steps
MANDARIN = "zh (Mandarin reading)"  # Korean Hanja read as Chinese first
# Scripts whose letter-for-letter romanization is a machine form nobody writes by hand
# ("beleullin" for 베를린, "hanputon" for ハンプトン): a name equal to it is the same written name.
_SPELLED_OUT_SCRIPTS = frozenset({"Hang", "Kana", "Hira"})


@dataclass(frozen=True, slots=True)
class Step:
    kind: Kind
    source: str = ""  # the script read: "Cyrl", "Hani"
    language: str = ""  # the language it was read in, a tag: "uk", "ko"
    system: str = ""  # "KMU 2010", "RR", "pinyin", "unidecode", "loanword reading"
    variant: str = ""  # a form of the system's output: "syllables", "usual surname spelling"
    marks: frozenset[Mark] = frozenset()
    via: str = ""  # what the text was read as first: HANJA
    text: str = ""  # what a drop step dropped
    side: Side = Side.NONE  # set when a candidate joins the query's and the alias's steps

    def __str__(self) -> str:
        return describe(self)


def romanized(
    source: str,
    system: str,
    language: str = "",
    *,
    variant: str = "",
    marks: Iterable[Mark] = (),
    via: str = "",
) -> Step:
    return Step(Kind.ROMANIZE, source, language, system, variant, frozenset(marks), via)


def unidecoded(script: str, vowels_dropped: bool) -> Step:
    """The step of a name that no romanization system served, only unidecode."""
    return romanized(script, UNIDECODE, marks=(Mark.VOWELS_DROPPED,) if vowels_dropped else ())


DIACRITICS_FOLDED = Step(Kind.FOLD, "Latn", system=UNIDECODE)


def dropped_title(title: str) -> Step:
    return Step(Kind.DROP_TITLE, text=title)


def dropped_qualifier(qualifier: str) -> Step:
    return Step(Kind.DROP_QUALIFIER, text=qualifier)


def dropped_possessive(ending: str) -> Step:
    return Step(Kind.DROP_POSSESSIVE, text=ending)


def uninverted(designator: str) -> Step:
    return Step(Kind.UNINVERT, text=designator)


def dropped_designator(designator: str) -> Step:
    return Step(Kind.DROP_DESIGNATOR, text=designator)


def respelled(system: str) -> Step:
    return Step(Kind.RESPELL, "Latn", system=system)


LETTER_FOR_LETTER = "letter for letter"


def read_as(language: str) -> str:
    """How a Latin name was read: "letter for letter", or "as German spelling"."""
    return language if language == LETTER_FOR_LETTER else f"as {language} spelling"


def as_cyrillic_writes(language: str) -> Step:
    """A Latin name written in Cyrillic as its source language's spelling says."""
    return Step(Kind.TRANSCRIBE, "Latn", language, "practical transcription")


def with_mark(step: Step, mark: Mark) -> Step:
    return replace(step, marks=step.marks | {mark})


@lru_cache(maxsize=16384)
def on(step: Step, side: Side) -> Step:
    """The step as one side's, for a candidate's route."""
    return replace(step, side=side)


# --- words, for explanations and the wire ----------------------------------------------------


@lru_cache(maxsize=16384)
def describe(step: Step) -> str:
    side = f"{step.side.value}: " if step.side is not Side.NONE else ""
    return side + _words(step)


def _words(step: Step) -> str:
    if step.kind is Kind.FOLD:
        return f"diacritics folded ({step.system})"
    if step.kind is Kind.RESPELL:
        return step.system
    if step.kind is Kind.DROP_TITLE:
        return f"dropped title {step.text!r}"
    if step.kind is Kind.DROP_QUALIFIER:
        return f"dropped qualifier {step.text!r}"
    if step.kind is Kind.DROP_POSSESSIVE:
        return f"dropped possessive {step.text!r}"
    if step.kind is Kind.UNINVERT:
        return f"read whole, {step.text!r} first"
    if step.kind is Kind.DROP_DESIGNATOR:
        return f"dropped designator {step.text!r}"
    if step.kind is Kind.TRANSCRIBE:
        return f"Latn → Cyrl (read {read_as(step.language)}, {step.system})"
    head = f"{step.language} {step.source}" if step.language else step.source
    chain = f" → {step.via}" if step.via else ""
    marks = [m.value for m in Mark if m in step.marks]
    details = ", ".join(d for d in (step.system, step.variant, *marks) if d)
    return f"{head}{chain} → Latn ({details})"


def describe_all(route: Iterable[Step]) -> tuple[str, ...]:
    return tuple(describe(step) for step in route)


# --- what rules ask of a route ----------------------------------------------------------------


def transliterates(step: Step) -> bool:
    """A step from one script to another."""
    return step.kind in (Kind.ROMANIZE, Kind.TRANSCRIBE)


def lossy(step: Step) -> bool:
    """Whether the step guessed or dropped what the script leaves unwritten (vowels) or
    guessed what a spelling stands for."""
    return transliterates(step) and bool(step.marks & LOSSY)


def lossy_steps(route: Iterable[Step]) -> int:
    return sum(lossy(step) for step in route)


def source_script(step: Step) -> str:
    """The script a transliteration started from; "" for other steps."""
    return step.source if transliterates(step) else ""


def uses(route: Iterable[Step], system: str, mark: Mark | None = None) -> bool:
    """Whether a transliteration of the route used `system` (with `mark`, if given)."""
    return any(
        transliterates(s) and s.system == system and (mark is None or mark in s.marks)
        for s in route
    )


def marked(route: Iterable[Step], mark: Mark) -> bool:
    """Whether a transliteration of the route had to guess `mark`."""
    return any(transliterates(s) and mark in s.marks for s in route)


@lru_cache(maxsize=8192)
def qualifier_dropped(route: tuple[Step, ...]) -> bool:
    """Whether either side was reached by dropping a qualifier ("Kilburn, London")."""
    return any(step.kind is Kind.DROP_QUALIFIER for step in route)


def one_script(route: Iterable[Step]) -> bool:
    """Both sides romanized from the same script: two spellings of one script (two Arabic
    spellings lose the same vowels on both sides, so their keys are no guess of each other)."""
    steps = tuple(route)
    query = _scripts(steps, Side.QUERY)
    return bool(query) and query == _scripts(steps, Side.ALIAS)


def accents_only(route: tuple[Step, ...]) -> bool:
    """Both sides Latin, differing only by diacritics."""
    return bool(route) and all(step.kind is Kind.FOLD for step in route)


def spelled_out(route: tuple[Step, ...]) -> bool:
    """One side is Latin as written and the other met it letter for letter (RR letter for
    letter, ICU letter for letter, or unidecode) from Hangul or kana."""
    if len(route) != 1:
        return False
    step = route[0]
    letter_by_letter = Mark.LETTER_FOR_LETTER in step.marks or step.system == UNIDECODE
    return (
        step.kind is Kind.ROMANIZE
        and letter_by_letter
        and not step.via
        and step.source in _SPELLED_OUT_SCRIPTS
    )


def both_transliterated(route: Iterable[Step]) -> bool:
    """The query and the alias were romanized from two different scripts and met in Latin. (Two
    names in one script meet through one transliterator: a spelling variant, not this.)"""
    steps = tuple(route)
    query, alias = _scripts(steps, Side.QUERY), _scripts(steps, Side.ALIAS)
    return bool(query and alias and query != alias)


# Routes repeat across candidates and queries (a few hundred systems and titles make them), so
# their reading is cached rather than redone per candidate.
@lru_cache(maxsize=8192)
def _scripts(steps: tuple[Step, ...], side: Side) -> frozenset[str]:
    """The scripts one side was romanized from."""
    return frozenset(source_script(s) for s in steps if s.side is side) - {""}
