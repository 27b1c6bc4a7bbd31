"""Words of running text and their match forms, with exact offsets back into the text.

A text is cut into words (letters, digits and the marks on them; an apostrophe or hyphen cuts,
so "Russia's" is "Russia" and "s", and "Tae-hyung" is two words). Each word has a form that
alias words are compared in: case folded, Latin accents dropped, a Cyrillic ending dropped; a
word of a script written without spaces is cut into its characters. The rules per script are
data (data/rules/word_forms.yaml).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice

from pydantic import BaseModel, ConfigDict, Field, model_validator

from entnorm_server import data_files
from entnorm_server.normalize import folded_key
from entnorm_server.rule_tables import titles
from entnorm_server.scripts import ScriptCode, script_of

HANGUL = "Hang"
ADJECTIVE = "\u2090"  # marks the stem of a word whose ending only an adjective takes


class ScriptWords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_stem: int = Field(default=2, ge=1)
    endings: tuple[str, ...] = ()
    adjective_only: frozenset[str] = frozenset()
    adjective_too: frozenset[str] = frozenset()
    particles: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _classes_are_endings(self) -> ScriptWords:
        unknown = (self.adjective_only | self.adjective_too) - set(self.endings)
        if unknown:
            raise ValueError(f"adjective endings not among the endings: {sorted(unknown)}")
        return self


class WordForms(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unspaced: frozenset[ScriptCode]
    scripts: Mapping[ScriptCode, ScriptWords]


@cache
def word_forms() -> WordForms:
    return data_files.load("rules/word_forms.yaml", WordForms)


@dataclass(frozen=True, slots=True)
class Word:
    start: int  # code-point offsets into the text, end exclusive
    end: int
    form: str
    script: str


@cache
def _word_pattern() -> re.Pattern[str]:
    """Letters and digits, with the combining marks that belong to them (Python's \\w leaves
    marks out, which would cut "नरेन्द्र" at every vowel sign)."""
    marks = []
    start = -1
    for code in range(sys.maxunicode + 1):
        is_mark = unicodedata.category(chr(code)).startswith("M")
        if is_mark and start < 0:
            start = code
        elif not is_mark and start >= 0:
            marks.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = -1
    return re.compile(f"(?:[^\\W_]|[{''.join(marks)}])+")


@lru_cache(maxsize=65536)
def script_of_word(word: str) -> str:
    """script_of, remembered: running text repeats its words."""
    return script_of(word)


@lru_cache(maxsize=262144)
def form_of(word: str, script: str) -> str:
    """The form a text's word is compared in: folded, and stemmed where the script inflects
    (its stem marked if only an adjective takes its ending)."""
    form = _folded(word, script)
    rules = word_forms().scripts.get(script)
    return _marked_stem(form, rules) if rules is not None and rules.endings else form


def _marked_stem(folded: str, rules: ScriptWords) -> str:
    """form_of for a word folded already (a stem and an ending of the table's own)."""
    stem, ending = _strip(folded, rules)
    return stem + ADJECTIVE if ending in rules.adjective_only else stem


@lru_cache(maxsize=65536)
def alias_forms(word: str, script: str) -> tuple[str, ...]:
    """The text forms of a name's word: what form_of makes of each of its inflections.

    Where the script inflects, a noun is declined with the noun endings on the word as written
    and on its stem (the stem of "Буданов" is not "будан": its "-ов" is no ending there, and
    "Буданова" must meet it), and a word with an adjective's ending meets the adjective's forms
    (Курська: also Курської; Зеленський: Зеленського, but never Зеленська)."""
    rules = word_forms().scripts.get(script)
    if rules is None or not rules.endings:
        return (_folded(word, script),)
    form, ending = _strip(_folded(word, script), rules)
    if ending in rules.adjective_only:
        return (form + ADJECTIVE,)
    nouns = ("", *(e for e in rules.endings if e not in rules.adjective_only))
    written = folded_key(word)
    # A word that ends in a consonant may be a stem whole: its "-ов" is no ending.
    bases = (form,) if written[-1:] in _vowel_endings(rules.endings) else (written, form)
    declined = {_marked_stem(base + e, rules) for base in bases for e in nouns}
    # A noun declines as a noun, and keeps its stem: an ending that eats into the stem ("Росі"
    # + "ю" read as "Рос" + "ію") makes a form of some other word.
    forms = {f for f in declined if not f.endswith(ADJECTIVE) and f.startswith(form)}
    if ending in rules.adjective_too:
        forms.add(form + ADJECTIVE)
    return tuple(sorted(forms))


def _folded(word: str, script: str) -> str:
    """folded_key, and a Latin word without its accents."""
    form = folded_key(word)
    if script != "Latn":
        return form
    return "".join(c for c in unicodedata.normalize("NFKD", form) if not unicodedata.combining(c))


def _strip(form: str, rules: ScriptWords) -> tuple[str, str]:
    """The stem and the longest ending the rules take off it ("" if none)."""
    for size, endings in _by_length(rules.endings):  # a set lookup per length
        if len(form) - size >= rules.min_stem and form[-size:] in endings:
            return form[:-size], form[-size:]
    return form, ""


@cache
def _vowel_endings(endings: tuple[str, ...]) -> frozenset[str]:
    return frozenset(e for e in endings if len(e) == 1)


@cache
def _by_length(endings: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """The endings grouped by length, the longest first."""
    sizes = sorted({len(e) for e in endings}, reverse=True)
    return tuple((size, frozenset(e for e in endings if len(e) == size)) for size in sizes)


def words(text: str) -> list[Word]:
    """text's words in order; a word of an unspaced script is one word per character."""
    return list(_words(text))


def first_words(text: str, count: int) -> list[Word]:
    """text's first `count` words, reading no further."""
    return list(islice(_words(text), count))


def _words(text: str) -> Iterator[Word]:
    unspaced = word_forms().unspaced
    for match in _word_pattern().finditer(text):
        token = match.group()
        script = script_of_word(token)
        if script in unspaced:
            yield from _characters(token, match.start())
        else:
            yield Word(match.start(), match.end(), form_of(token, script), script)


def first_word_script(text: str) -> str:
    """The script of text's first word ("" if it has none): what decides how a name is found."""
    match = _word_pattern().search(text)
    return script_of_word(match.group()) if match else ""


def _characters(token: str, offset: int) -> list[Word]:
    """One word per character, a combining mark kept with the character it sits on."""
    chars: list[Word] = []
    for i, ch in enumerate(token):
        if chars and unicodedata.combining(ch):
            last = chars[-1]
            chars[-1] = Word(last.start, offset + i + 1, last.form + ch, last.script)
        else:
            script = script_of_word(ch)
            chars.append(Word(offset + i, offset + i + 1, folded_key(ch), script))
    return chars


MAX_KEYS_PER_NAME = 64  # inflected forms of a long name multiply; past this, its words as written


def keys_of(text: str) -> list[str]:
    """A name's match keys: its words' forms, space-separated, one key per choice of forms."""
    found = words(text)
    keys = [""]
    for word in found:
        original = text[word.start : word.end]
        options = alias_forms(original, word.script) if len(original) > 1 else (word.form,)
        keys = [f"{k} {o}" if k else o for k in keys for o in options]
        if len(keys) > MAX_KEYS_PER_NAME:
            return [" ".join(w.form for w in found)]
    return keys


@cache
def hangul_tails() -> frozenset[str]:
    """What may follow a Hangul name inside its word: runs of particles, after a title or not
    (신원식은, 김정은위원장은)."""
    particles = word_forms().scripts[HANGUL].particles if HANGUL in word_forms().scripts else ()
    korean_titles = [t for t in titles().after.get("ko", ()) if " " not in t]
    runs = {""}
    for _ in range(2):  # two particles at most: 에서는, 에게도
        runs = {r + p for r in runs for p in particles} | runs
    return frozenset(runs | {t + r for t in korean_titles for r in runs})
