"""Whether the vowels an Indic name writes agree with a Latin name's vowels.

The Brahmic scripts write every vowel but one: a consonant letter alone carries an inherent a,
which Hindi often leaves silent (सागर is Sagar) and loanwords use for any short vowel (the o of
Madison, മാഡിസൺ). Transliterators can only guess it: ICU writes an a ("Madisan"), anyascii none
("Madisn"). The vowel signs and the virama are written, though. This module reads the vowels a
name writes between its consonants and asks whether the Latin name has a vowel of that kind
there, as abjad_vowels.py does for an abjad.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from entnorm_server.scripts import script_of, scripts_where
from entnorm_server.translit.vowel_alignment import LatinReading, agreement

# The scripts whose letters Unicode names alike ("<SCRIPT> VOWEL SIGN AA", "... SIGN VIRAMA").
SCRIPTS = scripts_where(vowel_reader="indic")
# Written vowels by the class they write: A (ā), I (i, ī), U (u, ū), E (e, ē), D (ai), O (o, ō),
# V (au). The short a has no class: as a letter (अ) it writes any vowel, as a consonant's
# inherent vowel any or none.
_VOWEL_CLASSES = {
    "AA": "A",
    "I": "I",
    "II": "I",
    "U": "U",
    "UU": "U",
    "E": "E",
    "EE": "E",
    "SHORT E": "E",
    "CANDRA E": "E",
    "AI": "D",
    "O": "O",
    "OO": "O",
    "SHORT O": "O",
    "CANDRA O": "V",  # ॉ, the o of Dollar and the au of Austin
    "AU": "V",
}
# The Latin vowel letters that may stand for each class, inverted below. Loanwords write the
# English short o with ā in the south (பாஸ்டன், Boston) and the a of Dale with e (डेल).
_LATIN_FOR = {
    "A": "ao",
    "I": "iey",
    "U": "uow",
    "E": "eaiy",
    "D": "aeiy",
    "O": "ouw",
    "V": "oauw",
}
_LATIN_CLASSES = {
    letter: "".join(c for c, letters in _LATIN_FOR.items() if letter in letters)
    for letter in "aeiouwy"
}
# Marks that write a nasal consonant (n, m) before the next one: ਸਾਂਤਾ is Santa.
_NASALS = frozenset({"ANUSVARA", "BINDI", "TIPPI"})
# Marks with no sound of their own here: vowel length, nasal vowels, the nukta that makes a
# foreign consonant of a native one, gemination (the geminate is one consonant, as Latin's
# doubled letters are read), and the joiners.
_SILENT = frozenset(
    {"CANDRABINDU", "NUKTA", "ADDAK", "VISARGA", "AU LENGTH MARK", "LENGTH MARK", "AVAGRAHA"}
)
_JOINERS = frozenset("\u200c\u200d")
# Latin spellings of one consonant that these scripts write with one letter (kh, ṭh, ś ...).
_DIGRAPHS = re.compile(r"sh|ch|th|kh|gh|dh|ph|bh|jh|ck")
_DOUBLED = re.compile(r"([^aeiou])\1+")
_VOWELS = frozenset("aeiou")
_NG = re.compile(r"ng(?![aeiou])")


def _part(ch: str) -> tuple[str, str] | None:
    """(kind, rest) of a character's Unicode name in one of these scripts: ("VOWEL SIGN", "AA"),
    ("LETTER", "KA"), ("SIGN", "VIRAMA") ...; None for a character of another script."""
    if script_of(ch) not in SCRIPTS:
        return None
    rest = unicodedata.name(ch, "").partition(" ")[2]
    for kind in ("VOWEL SIGN", "LETTER", "SIGN", "VOWEL"):
        if rest.startswith(kind + " "):
            return kind, rest[len(kind) + 1 :]
    return "", rest


@lru_cache(maxsize=16384)
def _indic_gaps(text: str) -> tuple[str, ...] | None:
    """The vowel classes written before each consonant, and after the last; None if the name
    holds anything but letters and signs of these scripts, spaces and hyphens."""
    gaps: list[str] = []
    current, last = "", ""
    joined = False  # the last consonant's virama joins it to the next
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace() or ch == "-" or ch in _JOINERS:
            joined = False
            continue
        part = _part(ch)
        if part is None:
            return None
        kind, rest = part
        if kind in ("VOWEL SIGN", "VOWEL", "LETTER") and (rest in _VOWEL_CLASSES or rest == "A"):
            vowel = _VOWEL_CLASSES.get(rest, "")
            if vowel == "I" and current.endswith("A"):
                current = current[:-1] + "D"  # आइ, ā then i, is the English long i (Niles)
            else:
                current += vowel
        elif "VOCALIC" in rest:
            return None  # a vocalic r or l: no Latin vowel to compare
        elif kind == "SIGN" and rest == "VIRAMA":
            joined = True
        elif rest in _NASALS or kind == "LETTER":
            consonant = "NASAL" if rest in _NASALS else rest.removeprefix("CHILLU ")
            if not (joined and consonant == last):  # क्क, a geminate, is one consonant
                gaps.append(current)
                current = ""
            last, joined = consonant, False
        elif rest not in _SILENT:
            return None
    return (*gaps, current)


# These scripts write y and w (य, व) as consonants before a vowel, so a Latin y or w counts as one
# there. Unwritten vowels are allowed: an inherent or silent a may stand for any of them.
_READING = LatinReading(
    _LATIN_CLASSES, _DIGRAPHS, _DOUBLED, glide_is_consonant=True, glide_before=_VOWELS
)
_latin_gaps = lru_cache(maxsize=16384)(_READING.gaps)


def written_vowels_agree(indic: str, latin: str) -> tuple[int, int]:
    """(vowels, consonants): how many vowels the Indic name writes where the Latin name has a
    vowel of that kind, and the consonants they sit between; (0, 0) when the Indic name writes a
    vowel the Latin name lacks, or the two do not have their consonants one for one."""
    written = _indic_gaps(indic)
    found = agreement(written, _latin_gaps(latin))
    if found == (0, 0) and _NG.search(latin.casefold()):
        # ng before a consonant or at a word's end may be one letter, ṅ (നാൻജിങ്, Nanjing).
        found = agreement(written, _latin_gaps(_NG.sub("n", latin.casefold())))
    return found
