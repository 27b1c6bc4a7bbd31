"""Finding the table's names in running text: one Aho–Corasick automaton over every alias key.

The text is cut into words (annotation/words.py) and their forms joined by single spaces; the
automaton finds every alias key in that line at once, in time linear in the text. A find counts
when it starts at a word's start and ends at a word's end, or, in Hangul, before a run of
particles inside the word (신원식은). Of overlapping finds the longest wins ("Intelligence
Directorate of the Ukrainian Ministry of Defense" over "Ukrainian Ministry of Defense"), then the
leftmost. A name written with capitals in every table entry must be written with them in the
text too: "The Drive" is a name, "the drive" is not.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate
from types import MappingProxyType

import ahocorasick_rs

from entnorm_server.annotation.words import (
    HANGUL,
    Word,
    hangul_tails,
    keys_of,
    word_forms,
    words,
)
from entnorm_server.model import AliasKind, Entity, EntityType

# Keys shorter than this many letters are never looked for in text: "V" and "Li" are words too.
MIN_KEY_LETTERS = 2
# A word of a person's full name, this long or longer, is looked for alone too ("Budanov"
# after "Kyrylo Budanov"); the document decides whether it is that person.
MIN_PART_LETTERS = 4


@dataclass(frozen=True, slots=True)
class Shape:
    """How every table entry of a key is capitalized: the text must be at least as marked."""

    capitalized: bool  # each entry starts with a capital
    all_caps: bool  # each entry is in capitals ("NSC")


@dataclass(frozen=True, slots=True)
class Spot:
    start: int  # code-point offsets into the text, end exclusive
    end: int
    key: str  # the alias key found
    aliases: tuple[str, ...]  # the table texts with that key, for resolving an inflected form
    # For a word of a person's full name found alone: the people whose name it is part of.
    part_of: tuple[str, ...] = ()


class MentionIndex:
    """Every alias key of a snapshot, in one automaton."""

    def __init__(
        self,
        keys: Mapping[str, tuple[str, ...]],
        shapes: Mapping[str, Shape],
        parts: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.keys = tuple(keys)
        self.texts = tuple(keys[k] for k in self.keys)
        self.parts = tuple(parts.get(k, ()) for k in self.keys)
        self.shapes = shapes
        self.automaton = (
            ahocorasick_rs.AhoCorasick(self.keys, matchkind=ahocorasick_rs.MatchKind.Standard)
            if self.keys
            else None
        )

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> MentionIndex:
        texts: dict[str, set[str]] = defaultdict(set)
        part_texts: dict[str, set[str]] = defaultdict(set)
        parts: dict[str, set[str]] = defaultdict(set)
        for entity in entities:
            for alias in entity.aliases:
                for key in keys_of(alias.text):
                    if sum(c.isalpha() for c in key) >= MIN_KEY_LETTERS:
                        texts[key].add(alias.text)
                if entity.type is EntityType.PERSON and alias.kind is AliasKind.NAME:
                    for word, key in _parts(alias.text):
                        part_texts[key].add(word)
                        parts[key].add(entity.id)
        for key in texts:  # a word that is a name in its own right is found as that
            parts.pop(key, None)
        texts.update({k: part_texts[k] for k in parts})
        shapes = {k: _shape(v) for k, v in texts.items()}
        return cls(
            {k: tuple(sorted(v)) for k, v in sorted(texts.items())},
            MappingProxyType({k: s for k, s in shapes.items() if s.capitalized}),
            MappingProxyType({k: tuple(sorted(v)) for k, v in parts.items()}),
        )

    def find(self, text: str) -> list[Spot]:
        """The names of the tables in text, longest first where they overlap, in text order."""
        if self.automaton is None:
            return []
        found = words(text)
        if not found:
            return []
        line = " ".join(w.form for w in found)
        # Where each word starts in the line; a word's index from a line offset by bisection.
        starts = [0, *accumulate(len(w.form) + 1 for w in found[:-1])]
        start_of = {s: i for i, s in enumerate(starts)}
        spots: list[tuple[int, int, int, int]] = []  # first word, last word, span end, key
        for key_index, begin, end in self.automaton.find_matches_as_indexes(line, overlapping=True):
            first = start_of.get(begin)
            if first is None:
                continue
            last = bisect_right(starts, end - 1) - 1
            word = found[last]
            inside = end - starts[last]  # characters of the last word the key covers
            if inside == len(word.form):
                span_end = word.end
            elif _tail_allowed(text, word, inside):
                span_end = word.start + inside
            else:
                continue
            key = self.keys[key_index]
            shape = self.shapes.get(key)
            if shape is not None and not _shaped(text[found[first].start : span_end], shape):
                continue
            spots.append((first, last, span_end, key_index))
        return [
            Spot(found[first].start, span_end, self.keys[k], self.texts[k], self.parts[k])
            for first, _, span_end, k in _longest(spots)
        ]


def _parts(name: str) -> list[tuple[str, str]]:
    """The words of a full name written with spaces that may be found alone, with their keys."""
    found = words(name)
    scripts = {w.script for w in found}
    # A Korean name is one word; a Chinese one is written without spaces.
    if len(found) < 2 or len(scripts) != 1 or scripts & {HANGUL, *word_forms().unspaced}:
        return []
    parts = []
    for word in found:
        written = name[word.start : word.end]
        if sum(c.isalpha() for c in written) >= MIN_PART_LETTERS:
            parts += [(written, key) for key in keys_of(written)]
    return parts


def _tail_allowed(text: str, word: Word, inside: int) -> bool:
    """A Hangul name may end inside its word, before particles or a title (신원식은)."""
    if word.script != HANGUL or word.end - word.start != len(word.form):
        return False
    return text[word.start + inside : word.end] in hangul_tails()


def _longest(spots: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Non-overlapping spots: the longest (in words, then characters) first, then leftmost."""
    taken: set[int] = set()
    chosen = []
    for spot in sorted(spots, key=lambda s: (s[0] - s[1], -s[2], s[0])):
        first, last = spot[0], spot[1]
        if not any(i in taken for i in range(first, last + 1)):
            taken.update(range(first, last + 1))
            chosen.append(spot)
    return sorted(chosen)


def _shape(texts: Iterable[str]) -> Shape:
    letters = [[c for c in t if c.isalpha()] for t in texts]
    cased = [ls for ls in letters if ls and any(c.isupper() or c.islower() for c in ls)]
    if not cased or len(cased) != len(letters):
        return Shape(False, False)
    return Shape(
        all(ls[0].isupper() for ls in cased),
        all(
            all(c.isupper() for c in ls if c.isupper() or c.islower()) and len(ls) > 1
            for ls in cased
        ),
    )


def _shaped(written: str, shape: Shape) -> bool:
    letters = [c for c in written if c.isupper() or c.islower()]
    if not letters:
        return True
    if shape.all_caps:
        return all(c.isupper() for c in letters)
    return letters[0].isupper()
