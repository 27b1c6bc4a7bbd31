"""Whether the vowels a script writes between two consonants stand for a Latin name's vowels there.

Shared by the readers of scripts that write some vowels and not others (abjad_vowels.py,
abugida_vowels.py). Each reads a name as the vowels it writes in each gap between consonants, a
string of class codes; the Latin name's gap is its vowel letters, each with the codes it may be
written with and whether it must be written.
"""

from __future__ import annotations

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
