"""Text normalization shared by the index (at build time) and the resolver (at query time).

Each function is one tier of folding; later tiers forgive more and so score lower.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

# Marks that sit inside a word (O'Brien, Zelens'kyi, the Ukrainian apostrophe): dropped, not spaced.
INWORD_MARKS = frozenset("'\u2019\u02bc\u02b9`\u00b4\u2018")


def exact_key(text: str) -> str:
    """NFKC, case folding and collapsed whitespace: spellings a human would call identical."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# Arabic orthographic variants that search engines fold (as Lucene's Arabic and Persian
# normalizers do): hamza seats on alef, alef maqsura, ta marbuta, and Persian's own yeh and kaf
# (ی, ک: غریب is غريب); and the optional short-vowel marks (harakat) and tatweel are dropped.
_ARABIC_FOLDS = {
    **dict.fromkeys("أإآٱ", "ا"),
    "ى": "ي",
    "ی": "ي",
    "ک": "ك",
    "ة": "ه",
    "ـ": "",
    **dict.fromkeys([chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"], ""),
}


def _fold_char(ch: str) -> str:
    if ch in INWORD_MARKS:
        return ""
    if ch in _ARABIC_FOLDS:
        return _ARABIC_FOLDS[ch]
    category = unicodedata.category(ch)
    # Punctuation, symbols and separators all become a space: "Kim Tae-hyung" == "kim tae hyung".
    if category[0] in "PSZ" or category == "Cc":
        return " "
    # Letters, digits and combining marks stay: diacritics are the ASCII tier's business.
    return ch


class _FoldTable(dict[int, str]):
    """str.translate table that works out each code point once, on first sight."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def folded_key(text: str) -> str:
    """exact_key plus punctuation, hyphen and symbol folding."""
    # exact_key again, not a split: a dropped in-word mark may leave a letter and its accent
    # (e'́) or two jamo (ᄀ'ᅡ) for NFKC to compose, and the key must be its own key.
    return exact_key(exact_key(text).translate(_FOLD))


def ascii_key(text: str) -> str:
    """folded_key transliterated to ASCII by unidecode, then folded again."""
    return folded_key(unidecode(folded_key(text)))


_DIGITS = re.compile(r"\d+")
# Python refuses to read a longer run of digits as an int unless told to (640 is the lowest limit
# it can be set to): no name's number is so long, and its last digits tell it apart as well.
_MOST_DIGITS = 640
# Upper-case Roman numerals up to 39, of two letters or more ("Louis XIV", "Ongallur-II"): a
# lone "I" or a title-case "Xi" is a word or a syllable, and "DC" or "MCC" an abbreviation.
_CAPITALS = re.compile(r"\b[IVX]{2,}\b")
_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"X": 10, "V": 5, "I": 1}


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def numbers(text: str) -> tuple[int, ...]:
    """The numbers a name carries, sorted: "Lyon 03" and "Lyon 3e" carry (3,), "Louis XIV" (14,).
    Two names that carry different numbers name different things however alike they look."""
    found = [int(run[-_MOST_DIGITS:]) for run in _DIGITS.findall(text)]
    if not text.isupper():  # in an all-caps text every syllable could pass for a numeral
        found += [_roman_value(w) for w in _CAPITALS.findall(text) if _ROMAN.fullmatch(w)]
    return tuple(sorted(found))
