"""Whether the vowels a script writes between two consonants stand for a Latin name's vowels there.

Shared by the readers of scripts that write some vowels and not others (abjad_vowels.py,
abugida_vowels.py). Each reads a name as the vowels it writes in each gap between consonants, a
string of class codes; the Latin name's gap is its vowel letters, each with the codes it may be
written with and whether it must be written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from unidecode import unidecode

# A Latin vowel letter: the class codes that may write it, and whether it must be written.
Spelled = tuple[str, bool]


def aligned(written: str, spelled: tuple[Spelled, ...]) -> bool:
    """Whether the written vowels stand, in order, for some of the Latin ones, leaving none
    unwritten that must be written."""
    if not written:
        return not any(must for _, must in spelled)
    if not spelled:
        return False
    (classes, must), rest = spelled[0], spelled[1:]
    if written[0] in classes and aligned(written[1:], rest):
        return True
    return not must and aligned(written, rest)


def agreement(
    written: tuple[str, ...] | None, spelled: tuple[tuple[Spelled, ...], ...]
) -> tuple[int, int]:
    """(vowels, consonants): how many written vowels agree, and the consonants they sit between;
    (0, 0) unless the names have their consonants one for one and every written vowel agrees."""
    if written is None or len(written) != len(spelled):
        return 0, 0
    if not all(aligned(w, s) for w, s in zip(written, spelled, strict=True)):
        return 0, 0
    return sum(map(len, written)), len(written) - 1


@dataclass(frozen=True)
class LatinReading:
    """How a script that writes some vowels reads a Latin name: which letters are vowels and
    which class codes may write each, which letter pairs are one consonant, and what a w or y
    before a vowel is (the abjads write it as a glide that must be written; the Indic scripts as
    a consonant, य or व)."""

    classes: Mapping[str, str]
    digraphs: re.Pattern[str]
    doubled: re.Pattern[str]
    glide_is_consonant: bool
    glide_before: frozenset[str]  # the letters before which a w or y is a glide

    def gaps(self, text: str) -> tuple[tuple[Spelled, ...], ...]:
        """The vowel letters before each consonant, and after the last."""
        letters = self.digraphs.sub("C", re.sub(r"[^a-z]", "", unidecode(text).casefold()))
        letters = self.doubled.sub(r"\1", letters)
        gaps: list[tuple[Spelled, ...]] = []
        current: list[Spelled] = []
        for i, ch in enumerate(letters):
            following = letters[i + 1 : i + 2]  # "" after the last (and no letter at all: "123")
            glide = ch in "wy" and bool(following) and following in self.glide_before
            if ch not in self.classes or (glide and self.glide_is_consonant):
                gaps.append(tuple(current))
                current = []
            else:
                current.append((self.classes[ch], glide))
        return (*gaps, tuple(current))
