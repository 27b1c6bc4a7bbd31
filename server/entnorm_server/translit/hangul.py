"""Hangul syllables and their letters (jamo), by the Unicode rule: a syllable is
U+AC00 + (initial × 21 + medial) × 28 + final. Shared by the Korean readings (korean.py) and the
loanword reading (hangul_loanwords.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIRST, LAST = 0xAC00, 0xD7A3
MEDIALS, FINALS = 21, 28
SYLLABLES = re.compile("[\uac00-\ud7a3]+")


@dataclass(frozen=True, slots=True)
class Jamo:
    """A syllable's letters, as indices in Unicode's initial, medial and final orders."""

    initial: int
    medial: int
    final: int


def is_syllable(ch: str) -> bool:
    return FIRST <= ord(ch) <= LAST


def decompose(ch: str) -> Jamo:
    index = ord(ch) - FIRST
    return Jamo(index // (MEDIALS * FINALS), index // FINALS % MEDIALS, index % FINALS)


def compose(jamo: Jamo) -> str:
    return chr(FIRST + (jamo.initial * MEDIALS + jamo.medial) * FINALS + jamo.final)
