"""Foreign names written in Greek, read back towards their own spelling.

Greek has no letters for b, d, g, j or h, so it writes them with pairs (μπ, ντ, γκ, τζ) and χ,
and writes u as ου. Read letter by letter, as ICU's UNGEGN table does, Φλένσμπουργκ is
"Flensmpournk"; read back, it is "Flensburg", and Χάιφα is "Haifa", Κατμαντού "Katmandu".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_VOWELS = "αεηιουω"
# Applied to lowercase text without accents (a diaeresis stays: αϊ is a-i).
_ALWAYS = (("τζ", "j"), ("τσ", "ts"), ("ου", "u"), ("χ", "h"))
_GLIDE = re.compile(f"γι(?=[{_VOWELS}])")  # γι before a vowel is y: Μπαρρανκίγια "Barrankiya"
# μπ ντ γκ are b d g except after a vowel, where they are either b d g (Λίμπεκ, Lübeck) or
# mb nd ng (Κατμαντού, Kathmandu): two readings.
_STOPS = {"μπ": ("b", "mb"), "ντ": ("d", "nd"), "γκ": ("g", "ng")}
_AFTER_VOWEL = re.compile(f"(?<=[{_VOWELS}ϊϋ])(μπ|ντ|γκ)")
_ACUTE = "\u0301"
READINGS = 2


@lru_cache(maxsize=4096)  # each reading is its own route step, asked for in turn
def readings(text: str) -> tuple[str, ...]:
    """Greek text with its loanword spellings read back, other letters left for a
    transliterator: (voiced stops, nasal and stop inside words). () when nothing was read back
    (the transliterators already cover it)."""
    folded = unicodedata.normalize("NFD", text.lower()).replace(_ACUTE, "")
    folded = unicodedata.normalize("NFC", folded)
    read = _GLIDE.sub("y", folded).replace("γγ", "ng")
    for pair, latin in _ALWAYS:
        read = read.replace(pair, latin)
    nasal = _AFTER_VOWEL.sub(lambda m: _STOPS[m.group(1)][1], read)
    found = tuple(dict.fromkeys(_stops(r) for r in (read, nasal)))
    return () if found == (folded,) else found


def _stops(text: str) -> str:
    for pair, (stop, _) in _STOPS.items():
        text = text.replace(pair, stop)
    return text
