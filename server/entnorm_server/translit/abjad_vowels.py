"""Whether the vowels an Arabic or Hebrew name writes agree with a Latin name's vowels.

Both scripts leave short vowels unwritten but write long ones, and most vowels of a foreign name,
with three letters: alef (a), waw or vav (o, u, w) and yeh or yod (i, e, y). "Glastonbury" is
غلاستونبوري: g l *a* s t *w* n b *w* r *y*. A consonant match (`variants.consonant_key`) says
nothing of vowels; this module reads the vowels the abjad name does write, between the same
consonants, and asks whether the Latin name has a vowel of that kind there.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from entnorm_server.translit import hebrew
from entnorm_server.translit.vowel_alignment import LatinReading, agreement

# Vowel letters by the sounds they write: A (a), W (o, u, w) and Y (i, e, y); on a carrier
# alef (below), O and I.
_ABJAD_VOWELS = {
    "ا": "A",
    "آ": "A",
    "ى": "A",
    "أ": "A",
    "\u064e": "A",  # fatha
    "\u0670": "A",  # superscript alef
    "و": "W",
    "ۆ": "W",
    "ۇ": "W",
    "ۈ": "W",
    "ؤ": "W",
    "\u064f": "W",  # damma
    "ي": "Y",
    "ی": "Y",
    "ې": "Y",
    "ێ": "Y",
    "ۍ": "Y",
    "ے": "Y",
    "ئ": "Y",
    "إ": "Y",
    "\u0650": "Y",  # kasra
    "א": "A",
    "ו": "W",
    "י": "Y",
}
# No sound of their own here: hamza, shadda and sukun, tanwin, ta marbuta (a or at, as it
# falls), the do-chashmi heh of Urdu aspirates (دھ is dh), tatweel, the zero-width non-joiner of
# Persian, and the Hebrew geresh and gershayim (ג׳ is j).
_SILENT = frozenset("ءةۃھـ\u0651\u0652\u064b\u064c\u064d\u200c\u05f3\u05f4")
# A word's first vowel sits on an alef that carries it: أو is o or u, never the glide w.
_CARRIERS = frozenset("اأإآא")
_CARRIED = {"W": "O", "Y": "I"}
# The abjad classes that may write each Latin vowel letter.
_LATIN_CLASSES = {"a": "A", "e": "AYI", "i": "YI", "y": "Y", "o": "WO", "u": "WO", "w": "W"}
# Latin spellings of one consonant that the abjads write with one letter.
_DIGRAPHS = re.compile(r"sh|ch|th|kh|gh|dh|zh|ph|ck")
_DOUBLED = re.compile(r"([^aeiouyw])\1+")


# Table names recur across queries: each is read once.
@lru_cache(maxsize=16384)
def _abjad_gaps(text: str) -> tuple[str, ...] | None:
    """The vowel classes written before each consonant, and after the last; None if the name
    holds a letter that is neither an abjad letter nor a space."""
    gaps, current, last = [], "", ""
    letters = unicodedata.normalize("NFC", text)
    word_start, carried = True, False
    for i, ch in enumerate(letters):
        following = letters[i + 1 : i + 2]
        if word_start and ch in _CARRIERS and _ABJAD_VOWELS.get(following) in _CARRIED:
            word_start, carried = False, True
            continue
        vowel = _ABJAD_VOWELS.get(ch)
        word_start = ch.isspace() or ch == "-"
        if vowel:
            current += _CARRIED[vowel] if carried else vowel
            carried = False
        elif ch in _SILENT or ch.isspace() or ch in "-'":
            continue
        elif unicodedata.category(ch).startswith("L"):
            if ch == last and not current:
                continue  # a doubled consonant is one
            gaps.append(current)
            current, last = "", ch
        else:
            return None
    return (*gaps, current)


_READING = LatinReading(
    _LATIN_CLASSES,
    _DIGRAPHS,
    _DOUBLED,
    glide_is_consonant=False,
    glide_before=frozenset(_LATIN_CLASSES),
)
_latin_gaps = lru_cache(maxsize=16384)(_READING.gaps)


def written_vowels_agree(abjad: str, latin: str) -> tuple[int, int]:
    """(vowels, consonants): how many vowels the abjad name writes where the Latin name has a
    vowel of that kind, and the consonants they sit between; (0, 0) when the abjad name writes a
    vowel the Latin name lacks, or the two do not have their consonants one for one."""
    spelled = _latin_gaps(latin)
    found = agreement(_abjad_gaps(abjad), spelled)
    for reading in hebrew.abjad_spellings(abjad) if found == (0, 0) else ():
        found = max(found, agreement(_abjad_gaps(reading), spelled))
    return found
