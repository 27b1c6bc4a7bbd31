"""Readings of unpointed Hebrew names, as Hebrew spells foreign and Israeli names.

Generic transliterators render letters, not names: ICU drops aleph and unidecode writes every
vav as "v", so "פאריז" never meets "Paris". Names in Hebrew write their long vowels with the
letters aleph (a), vav (o, u) and yod (i, e), and their loan sounds with a geresh (ג׳ = j): this
module reads them so. Short vowels stay unwritten, so a reading is still a guess; the readings
differ only in what vav and yod stand for. Measured against the generic tools in
`bench/transliterators.py`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_GERESH = frozenset("\u05f3'\u2019`")  # Hebrew geresh, and the apostrophes typed for it
_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
_WITH_GERESH = {"ג": "j", "ז": "zh", "צ": "ch", "ת": "th", "ד": "dh", "כ": "ch", "פ": "f"}
_CONSONANTS = {
    "ב": "b",
    "ג": "g",
    "ד": "d",
    "ז": "z",
    "ח": "kh",
    "ט": "t",
    "כ": "k",
    "ל": "l",
    "מ": "m",
    "נ": "n",
    "ס": "s",
    "פ": "p",
    "צ": "ts",
    "ק": "k",
    "ר": "r",
    "ש": "sh",
    "ת": "t",
}
_MATRES = frozenset("אוי")
_FINAL_HE = re.compile(r"(?<=[\u05d0-\u05ea])ה\b")
# (vav between letters, yod between letters): the readings tried, likeliest first.
READINGS: tuple[tuple[str, str], ...] = (("o", "i"), ("u", "i"), ("o", "e"))


def _letters(word: str) -> list[tuple[str, bool]]:
    """Base letters with whether a geresh follows; points and other marks dropped."""
    out: list[tuple[str, bool]] = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _GERESH and out:
            out[-1] = (out[-1][0], True)
        elif "\u05d0" <= ch <= "\u05ea":
            out.append((ch, False))
    return out


def _read_word(word: str, vav: str, yod: str) -> str:
    letters = _letters(word)
    final_pe = bool(letters) and letters[-1][0] == "ף"
    letters = [(ch.translate(_FINALS), geresh) for ch, geresh in letters]
    out: list[str] = []
    i, n = 0, len(letters)
    while i < n:
        ch, geresh = letters[i]
        nxt = letters[i + 1][0] if i + 1 < n else ""
        first, last = i == 0, i == n - 1
        if ch == "א":
            # Silent before the vav or yod that carries the vowel; else the vowel a.
            out.append("" if first and nxt in "וי" else "a")
        elif ch == "ו":
            if nxt == "ו":  # a doubled vav is a consonant
                out.append("v")
                i += 1
            elif first:
                out.append("v")
            elif nxt == "י" and i + 2 < n:
                out.append(vav + "y" if letters[i + 2][0] in _MATRES else vav + "i")
                i += 1
            else:
                out.append(vav)
        elif ch == "י":
            if nxt == "י":
                out.append("ey" if i > 0 and i + 2 < n else "y")
                i += 1
            elif first or (out and out[-1][-1:] in ("a", "o", "u") and nxt in _MATRES):
                out.append("y")
            else:
                out.append("i" if last else yod)
        elif ch == "ה":
            out.append("a" if last and not first else "h")
        elif ch == "ע":
            out.append("e" if last and not first else "a")
        elif geresh and ch in _WITH_GERESH:
            out.append(_WITH_GERESH[ch])
        elif ch == "פ" and last and final_pe:
            out.append("f")
        else:
            out.append(_CONSONANTS.get(ch, ""))
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)  # each reading is its own route step, asked for in turn
def readings(text: str) -> tuple[str, ...]:
    """Distinct Latin readings of a Hebrew name, likeliest first; () when it has no Hebrew."""
    words = text.split()
    if not any(_letters(w) for w in words):
        return ()
    found: list[str] = []
    for vav, yod in READINGS:
        parts = [_read_word(w, vav, yod) if _letters(w) else w for w in words]
        reading = " ".join(p for p in parts if p)
        if reading and reading not in found:
            found.append(reading)
    return tuple(found)


def abjad_spellings(abjad: str) -> list[str]:
    """The same name with its ambiguous letters spelled each way an abjad reader counts them
    (abjad_vowels.py): וו as one vav, the glide w (וושינגטון, Washington), or as ב, the consonant
    v (גני תיקווה, Ganei Tikva); a final ה as א, the vowel a or e (אטלנטה, Atlanta). The
    reader above (_read_word) takes the same letters the same ways."""
    readings = [abjad]
    if "וו" in abjad:
        readings = [abjad.replace("וו", alt) for alt in ("ו", "ב")]
    if _FINAL_HE.search(abjad):
        readings += [_FINAL_HE.sub("א", r) for r in readings]
    return readings if readings != [abjad] else []
