"""Finding the table's names in running text: one Aho–Corasick automaton over every alias.

The text is folded character for character (case, Latin accents, punctuation and spaces; see
`Line`), so every offset of the folded line maps back to the text exactly, and the automaton
finds every alias in it at once, in time linear in the text. A find counts when it starts and
ends at word edges; in Hangul it may end before particles written onto the word (신원식은); in a
script without spaces (Chinese, Japanese) anywhere. In a script that declines its words
(Cyrillic), the automaton finds the stem of a name's first word and the words that follow are
then compared form by form (annotation/words.py), so "Курської області" is Курська область.

Of overlapping finds the leftmost wins, then the longest ("Intelligence Directorate of the
Ukrainian Ministry of Defense" over "Ukrainian Ministry of Defense"). A name written with
capitals in every table entry must be written with them in the text too: "The Drive" is a name,
"the drive" is not.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

import ahocorasick_rs

from entnorm_server.annotation import korean
from entnorm_server.annotation.words import (
    ADJECTIVE,
    HANGUL,
    alias_forms,
    first_word_script,
    first_words,
    form_of,
    hangul_tails,
    keys_of,
    script_of_word,
    word_forms,
    words,
)
from entnorm_server.model import AliasKind, Entity, EntityType
from entnorm_server.normalize import INWORD_MARKS
from entnorm_server.scripts import script_of

# Names shorter than this many letters are never looked for in text: "V" and "Li" are words too.
MIN_KEY_LETTERS = 2
# A word of a person's full name, this long or longer, is looked for alone too ("Budanov"
# after "Kyrylo Budanov"); the document decides whether it is that person.
MIN_PART_LETTERS = 4
# How far past a declining name's first stem its other words are read, per word of the name.
_READ_AHEAD = 40


@dataclass(frozen=True, slots=True)
class Shape:
    """How every table entry of a name is capitalized: the text must be at least as marked."""

    capitalized: bool  # each entry starts with a capital
    all_caps: bool  # each entry is in capitals ("NSC")


@dataclass(frozen=True, slots=True)
class Spot:
    start: int  # code-point offsets into the text, end exclusive
    end: int
    aliases: tuple[str, ...]  # the table texts found, for resolving an inflected form
    # For a word of a person's full name found alone: the people whose name it is part of.
    part_of: tuple[str, ...] = ()


@dataclass(slots=True)
class _Entry:
    """What one automaton pattern stands for: a whole name, or a declining name's first stem
    with the word-form keys its words must then meet."""

    words: int = 0  # 0: the pattern is the whole name; else the name's words, to compare
    # For a declining name: each word-form key, and the table texts that have it (names that
    # share a first stem, Північна Корея and Північна Ірландія, share the pattern, not the key).
    keys: dict[str, set[str]] = field(default_factory=dict)
    texts: set[str] = field(default_factory=set)
    part_of: set[str] = field(default_factory=set)
    shape: Shape | None = None


class Line:
    """A text folded one character to one (so offsets carry over), its runs of spaces made one
    space; `original` maps a line offset back to the text."""

    def __init__(self, text: str) -> None:
        folded = text.translate(_FOLD)
        runs = [m.span() for m in _SPACES.finditer(folded)]
        self.text = _SPACES.sub(" ", folded) if runs else folded
        self._at: list[int] = []  # line offsets where a run's removed spaces start counting
        self._removed: list[int] = []
        removed = 0
        for start, end in runs:
            self._at.append(start - removed + 1)
            removed += end - start - 1
            self._removed.append(removed)

    def original(self, offset: int) -> int:
        k = bisect_right(self._at, offset) - 1
        return offset + (self._removed[k] if k >= 0 else 0)


_SPACES = re.compile(" {2,}")


class _Fold(dict[int, str]):
    """str.translate table: each character to exactly one (lower case, a Latin letter without
    its accent, punctuation and spaces to a space), worked out on first sight."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        category = unicodedata.category(ch)
        if ch in INWORD_MARKS or category[0] in "PSZ" or category in ("Cc", "Cf"):
            folded = " "
        else:
            folded = _one(unicodedata.normalize("NFKC", ch), ch)
            folded = _one(folded.casefold(), _one(folded.lower(), folded))
            if script_of(folded) == "Latn" or folded.isascii():
                bare = unicodedata.normalize("NFKD", folded)[:1]
                folded = bare if bare.isascii() and bare.isalpha() else folded
        self[code] = folded
        return folded


def _one(candidate: str, otherwise: str) -> str:
    return candidate if len(candidate) == 1 else otherwise


_FOLD = _Fold()


@lru_cache(maxsize=65536)
def _unspaced(ch: str) -> bool:
    return script_of_word(ch) in word_forms().unspaced


def _declines(script: str) -> bool:
    rules = word_forms().scripts.get(script)
    return rules is not None and bool(rules.endings)


class MentionIndex:
    """Every alias of a snapshot, in one automaton."""

    def __init__(self, entries: dict[str, list[_Entry]]) -> None:
        self.patterns = tuple(entries)
        self.entries = tuple(tuple(entries[p]) for p in self.patterns)
        self._lock = threading.Lock()
        self._automaton = _automaton(self.patterns)

    def __getstate__(self) -> tuple[tuple[str, ...], tuple[tuple[_Entry, ...], ...]]:
        # The automaton is native and not picklable; it is rebuilt from the patterns.
        return self.patterns, self.entries

    def __setstate__(self, state: tuple[tuple[str, ...], tuple[tuple[_Entry, ...], ...]]) -> None:
        # Rebuilt when first needed (prepare): a start from the cache does not wait for it.
        self.patterns, self.entries = state
        self._lock = threading.Lock()
        self._automaton = None

    def prepare(self) -> ahocorasick_rs.AhoCorasick | None:
        """The automaton, built now if a cached snapshot came without it."""
        with self._lock:
            if self._automaton is None and self.patterns:
                self._automaton = _automaton(self.patterns)
            return self._automaton

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> MentionIndex:
        names: dict[tuple[str, int], _Entry] = {}
        parts: dict[tuple[str, int], _Entry] = {}
        for entity in entities:
            for alias in entity.aliases:
                _add(names, alias.text, alias.text)
                if entity.type is EntityType.PERSON and alias.kind is AliasKind.NAME:
                    for word in _parts(alias.text):
                        _add(parts, word, word).part_of.add(entity.id)
        # A word that is a name in its own right is found as that.
        for key, entry in names.items():
            if key in parts:
                entry.part_of.clear()
                del parts[key]
        by_pattern: dict[str, list[_Entry]] = defaultdict(list)
        for (pattern, _), entry in [*names.items(), *parts.items()]:
            entry.shape = _shape(entry.texts)
            by_pattern[pattern].append(entry)
        return cls(dict(sorted(by_pattern.items())))

    def find(self, text: str) -> list[Spot]:
        """The names of the tables in text, in text order, not overlapping."""
        return to_the_end(self.finding(text))

    def finding(self, text: str) -> Generator[None, None, list[Spot]]:
        """`find`, yielding every few thousand finds (a work-pool job's slices)."""
        automaton = self.prepare()
        if automaton is None or not text:
            return []
        line = Line(text)
        folded = line.text
        spots: list[Spot] = []
        yield
        # Leftmost-longest in the automaton: a find that fails its word edges hides only finds
        # that overlap it, which would start inside a word or a failed name.
        matches = automaton.find_matches_as_indexes(folded)
        yield
        for n, (index, begin, end) in enumerate(matches, start=1):
            if n % 2048 == 0:
                yield
            if begin > 0 and folded[begin - 1] != " " and not _unspaced(folded[begin]):
                continue
            start = line.original(begin)
            for entry in self.entries[index]:
                texts = entry.texts
                if not entry.words:
                    span_end = _whole_end(folded, end, line)
                else:
                    span_end, texts = _declined_end(text, start, entry)
                if span_end is None:
                    continue
                written = text[start:span_end]
                if entry.shape is not None and not _shaped(written, entry.shape):
                    continue
                if script_of_word(folded[begin]) == HANGUL and not korean.reads_as_noun(
                    text, start, span_end
                ):
                    continue
                spots.append(
                    Spot(
                        start,
                        span_end,
                        tuple(sorted(texts)),
                        tuple(sorted(entry.part_of)),
                    )
                )
        return _leftmost_longest(spots)


T = TypeVar("T")


def to_the_end(steps: Generator[None, None, T]) -> T:
    """Run a job made to yield between slices (for the work pool) to its end, in one go."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: T = done.value
            return result


def _automaton(patterns: tuple[str, ...]) -> ahocorasick_rs.AhoCorasick | None:
    if not patterns:
        return None
    return ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)


def _add(into: dict[tuple[str, int], _Entry], text: str, written: str) -> _Entry:
    """Enter a name: whole, or, where its first word declines, as that word's stem."""
    if sum(c.isalpha() for c in text) < MIN_KEY_LETTERS:
        return _Entry()
    if not _declines(first_word_script(text)):
        pattern = Line(text).text.strip()
        entry = into.setdefault((pattern, 0), _Entry())
        entry.texts.add(written)
        return entry
    found = words(text)
    first = found[0]
    if _declines(first.script):
        forms = alias_forms(text[first.start : first.end], first.script)
        stem = _common_prefix([f.rstrip(ADJECTIVE) for f in forms])
        entry = into.setdefault((stem, len(found)), _Entry(words=len(found)))
        for key in keys_of(text):
            entry.keys.setdefault(key, set()).add(written)
    else:
        pattern = Line(text).text.strip()
        entry = into.setdefault((pattern, 0), _Entry())
    entry.texts.add(written)
    return entry


def _common_prefix(forms: list[str]) -> str:
    shortest = min(forms, key=len)
    for i, ch in enumerate(shortest):
        if any(f[i] != ch for f in forms):
            return shortest[:i]
    return shortest


def _whole_end(folded: str, end: int, line: Line) -> int | None:
    """Where a whole name found up to `end` ends in the text, if it ends at a word's edge."""
    if end == len(folded) or folded[end] == " " or _unspaced(folded[end - 1]):
        return line.original(end - 1) + 1
    if script_of_word(folded[end - 1]) != HANGUL:
        return None
    rest = folded.find(" ", end)
    tail = folded[end : rest if rest >= 0 else len(folded)]
    return line.original(end - 1) + 1 if tail in hangul_tails() else None


def _declined_end(text: str, start: int, entry: _Entry) -> tuple[int | None, set[str]]:
    """Where a declining name starting at `start` ends, if its words meet a name's forms, and
    the table texts of that name."""
    window = text[start : start + _READ_AHEAD * entry.words]
    found = first_words(window, entry.words)
    if len(found) < entry.words or found[0].start != 0:
        return None, set()
    if found[-1].end == len(window) < len(text) - start:
        return None, set()  # the window cut its last word: a name this long is no name
    key = " ".join(form_of(text[start + w.start : start + w.end], w.script) for w in found)
    texts = entry.keys.get(key)
    return (start + found[-1].end, texts) if texts else (None, set())


def _parts(name: str) -> list[str]:
    """The words of a full name written with spaces that may be found alone."""
    found = words(name)
    scripts = {w.script for w in found}
    # A Korean name is one word; a Chinese one is written without spaces.
    if len(found) < 2 or len(scripts) != 1 or scripts & {HANGUL, *word_forms().unspaced}:
        return []
    texts = [name[w.start : w.end] for w in found]
    return [t for t in texts if sum(c.isalpha() for c in t) >= MIN_PART_LETTERS]


def _leftmost_longest(spots: list[Spot]) -> list[Spot]:
    chosen: list[Spot] = []
    for spot in sorted(spots, key=lambda s: (s.start, -s.end)):
        if not chosen or spot.start >= chosen[-1].end:
            chosen.append(spot)
    return chosen


def _shape(texts: Iterable[str]) -> Shape | None:
    """The capitals every text of a name has, or None when the text need have none."""
    letters = [[c for c in t if c.isalpha()] for t in texts]
    cased = [ls for ls in letters if ls and any(c.isupper() or c.islower() for c in ls)]
    if not cased or len(cased) != len(letters):
        return None
    shape = Shape(
        all(ls[0].isupper() for ls in cased),
        all(
            all(c.isupper() for c in ls if c.isupper() or c.islower()) and len(ls) > 1
            for ls in cased
        ),
    )
    return shape if shape.capitalized else None


def _shaped(written: str, shape: Shape) -> bool:
    if shape.all_caps:
        return not any(c.islower() for c in written)
    for c in written:
        if c.isupper():
            return True
        if c.islower():
            return False
    return True
