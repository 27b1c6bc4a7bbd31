"""A Latin name and a Cyrillic name compared by how Cyrillic writes a foreign name down.

Russian, Ukrainian, Bulgarian and Serbian write a foreign place by how its own language says it:
Burghausen is Бургхаузен by German rules, Chiavari Кьявари by Italian ones, New Bern Нью-Берн by
English ones. Read back through one romanization ("Burgkhauzen", "K'yavari") the Cyrillic name
is far from the Latin one, so both are brought to one sound key instead: the Cyrillic name
letter by letter, the Latin name once for each source language whose spelling it is read by
(letter for letter, English, German, French, Spanish, Portuguese, Italian, Polish, Dutch and
Hungarian; all but the first two only for a name spelled like that language).

The key is loose where the Cyrillic languages disagree or lose a sound: г, х and ґ are one
letter (Гамбург, Хьюстон), и, ы, і and й are one, doubled letters are one, and a soft sign is
no sound but the glide й before a vowel (Кьявари: kiavari). It keeps every vowel, so Кармиэль
(Karmiel) is not Carmel. Two names with one key are strong evidence, but only for keys long
enough to be rare (INDEXED letters); namesakes that Cyrillic writes alike (Claremont and Clermont
are both Клермонт) share a key like any other homonyms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from unidecode import unidecode

from entnorm_server.normalize import script_of
from entnorm_server.routes import LETTER_FOR_LETTER

# Keys shorter than this are not looked up. Looked up against GeoNames' non-Latin-led table, keys
# of 5 letters would add 82 right answers and 16 wrong ones (Cachan for Каган, Minase for Минас);
# a floor of 7 would lose 105 right answers to save 3 wrong ones.
INDEXED = 6

# Upper-case letters are one Cyrillic letter each (C ч, S ш/щ, Z ж, T ц, J дж), so that no
# Latin reading rule re-reads them; _fold spells them out.
_CYRILLIC: dict[str, str] = {
    **dict(zip("абвдезклмнопрстуф", "abvdezklmnoprstuf", strict=True)),
    "э": "e",
    "ё": "io",
    "є": "ie",
    **dict.fromkeys("гґх", "h"),
    **dict.fromkeys("иіїйыј", "i"),
    **dict.fromkeys("ъь", ""),
    **dict.fromkeys("чћќ", "C"),
    **dict.fromkeys("шщ", "S"),
    **dict.fromkeys("ђџѓҷ", "J"),
    "ж": "Z",
    "ц": "T",
    "ю": "iu",
    "я": "ia",
    # Serbian and Macedonian, and the letters of Kazakh, Uzbek, Kyrgyz, Tatar and Mongolian
    "љ": "l",
    "њ": "n",
    "ѕ": "z",
    "ў": "u",
    "ә": "a",
    "ө": "o",
    "ү": "u",
    "ұ": "u",
    "қ": "k",
    "ғ": "h",
    "ң": "n",
    "һ": "h",
    "ҳ": "h",
}

# Letters whose sound depends on the language, spelled before unidecode flattens them.
_LETTERS: dict[str, str] = {
    "ß": "s",
    "ä": "e",
    "ö": "e",
    "ü": "iu",
    "ç": "s",
    "ñ": "ni",
    "õ": "on",
    "ł": "l",
    "ą": "on",
    "ę": "en",
    "ś": "s",
    "ć": "C",
    "ż": "Z",
    "ź": "z",
    "ş": "S",
    "ș": "S",
    "ţ": "T",
    "ț": "T",
    "č": "C",
    "š": "S",
    "ž": "Z",
    "ř": "rZ",
    "å": "o",
    "ø": "e",
    "æ": "e",
    "ğ": "",
    "ı": "i",
    "ő": "e",
    "ű": "iu",
}

# Letters one language reads its own way: Polish ó is u (Wyszków, Вышкув), a Spanish ó an o.
_OWN_LETTERS: dict[str, dict[str, str]] = {"Polish": {"ó": "u"}}

# Spelling rules per source language; at each position the first rule that fits reads it, so a
# rule's output (upper-case placeholders included) is never read again.
_COMMON: tuple[tuple[str, str], ...] = (
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("x", "ks"),
    ("kh", "h"),
    ("q", "k"),
    ("y", "i"),
    ("g", "h"),  # г, as the Cyrillic key writes г, х and ґ alike
)
# fmt: off
_READINGS: dict[str, tuple[tuple[str, str], ...]] = {
    LETTER_FOR_LETTER: (
        ("sch", "S"), ("sh", "S"), ("ch", "C"), ("c(?=[eiy])", "s"), ("c", "k"), ("w", "v"),
        ("j", "J"), ("qu", "kv"),
    ),
    "English": (
        ("sh", "S"), ("tch", "C"), ("ch", "C"), ("dge", "J"), ("j", "J"), ("qu", "kv"),
        ("c(?=[eiy])", "s"), ("c", "k"), ("ee", "i"), ("ea", "i"), ("ie", "i"), ("oo", "u"),
        ("e?igh", "ai"), ("ew", "iu"), ("aw", "o"), ("ow", "au"), ("ou", "au"), ("oa", "ou"),
        ("wh", "u"), ("w", "u"), ("a[iy]", "ei"), ("are", "er"),
        # a closed u is а (Ruston, Растон); a vowel before consonant and final e says its name
        ("u(?=(?![cpst]h)[^aeiouyr][^aeiouy])", "a"), ("a(?=[^aeiouy]e$)", "ei"),
        ("i(?=[^aeiouy]e$)", "ai"), ("o(?=[^aeiouy]e$)", "ou"), ("ey$", "i"), ("e$", ""),
    ),
    "German": (
        ("tsch", "C"), ("sch", "S"), ("^s(?=[tp])", "S"), ("stadt", "Stadt"), ("stein", "Stain"),
        ("ch", "h"), ("rh", "r"),
        ("tz", "T"), ("z", "T"), ("ei", "ai"), ("eu", "oi"), ("ie", "i"), ("^s(?=[aeiou])", "z"),
        ("(?<=[aeiou])s(?=[aeiou])", "z"), ("(?<=[aeiou])h", ""), ("v", "f"), ("w", "v"),
        ("j", "i"), ("qu", "kv"), ("c", "k"),
    ),
    "French": (
        ("eau", "o"), ("au", "o"), ("ou", "u"), ("euil", "ei"), ("eu", "e"), ("oi", "ua"),
        ("ai", "e"), ("ch", "S"), ("gn", "ni"), ("c(?=[eiy])", "s"), ("c", "k"), ("qu", "k"),
        ("j", "Z"), ("g(?=[eiy])", "Z"), ("(?<=[aeiou])s(?=[aeiou])", "z"), ("h", ""),
        ("e?[sxtdz]$", ""), ("e$", ""), ("u", "iu"), ("w", "v"),
    ),
    "Spanish": (
        ("ll", "li"), ("ch", "C"), ("j", "h"), ("g(?=[ei])", "h"), ("gu(?=[ei])", "g"),
        ("qu(?=[ei])", "k"), ("qu", "ku"), ("c(?=[ei])", "s"), ("c", "k"), ("z", "s"), ("h", ""),
    ),
    "Portuguese": (
        ("ao$", "an"), ("lh", "li"), ("nh", "ni"), ("ch", "S"), ("j", "Z"), ("g(?=[ei])", "Z"),
        ("gu(?=[ei])", "g"), ("qu(?=[ei])", "k"), ("qu", "ku"), ("c(?=[ei])", "s"), ("c", "k"),
        ("os$", "us"), ("o$", "u"), ("em$", "en"), ("e$", "i"), ("(?<=[aeiou])s(?=[aeiou])", "z"),
        ("h", ""),
    ),
    "Italian": (
        ("sc(?=[ei])", "S"), ("c?ch", "k"), ("c?ci(?=[aou])", "C"), ("c?c(?=[ei])", "C"),
        ("c", "k"), ("gli", "li"), ("gn", "ni"), ("gh", "g"), ("g?gi(?=[aou])", "J"),
        ("g?g(?=[ei])", "J"), ("zz", "T"), ("z", "T"), ("qu", "kv"), ("h", ""),
    ),
    "Polish": (
        ("szcz", "S"), ("sz", "S"), ("cz", "C"), ("rz", "Z"), ("ch", "h"), ("dz", "dz"),
        ("(?<=[bcdfhklmnprstwz])i(?=[aeouy])", ""), ("c", "T"), ("w", "v"), ("j", "i"),
    ),
    "Dutch": (
        ("ij", "ei"), ("oe", "u"), ("ui", "ei"), ("sch", "sh"), ("ch", "h"), ("j", "i"),
        ("c", "k"), ("w", "v"),
    ),
    "Hungarian": (
        ("sz", "s"), ("cs", "C"), ("zs", "Z"), ("gy(?=[aeiou])", "di"), ("gy", "d"),
        ("ny(?=[aeiou])", "ni"), ("ny", "n"), ("ly", "i"), ("s", "S"), ("c", "T"), ("j", "i"),
    ),
}

# Readings tried only for a name spelled like its language, with letters or clusters it uses
# (a letter as such, or at a word's edge): French rules read Chinju as Шиньжу and Spanish ones
# Zarqān as Сарқан, Dutch g as х and Polish c as ц read Tongjing and Dzuunmod as other names.
_SPELLED_LIKE: dict[str, re.Pattern[str]] = {
    language: re.compile(pattern)
    for language, pattern in {
        "German": r"[äöüß]|sch|tz|ei|eu|ie|[aou]ch|stadt|berg\b|burg\b|dorf\b|hausen\b"
                  r"|heim\b|feld\b|bach\b|furt\b|kirchen\b|ingen\b|leben\b|w",
        "French": r"[éèêëçœàâîôûù]|eau|aux\b|eux\b|ou|oi|gn|ille|\bsur\b|\bsaint|ville\b"
                  r"|court\b|mont\b|\ble\b|\bles\b|\bla\b|ette\b|elle\b|ière|iers?\b|euil",
        "Spanish": r"[ñáéíóú]|ll|rr|qu|gu[ei]|j|[aeiou]z[aeiou]|\bde\b|\bdel\b|\bla\b|\blos\b"
                   r"|\blas\b|\bsan\b|\bsanta\b|ez\b",
        "Portuguese": r"[ãõçáéíóúâêô]|lh|nh|\bdo\b|\bda\b|\bdos\b|\bdas\b|eir[ao]\b|polis\b",
        "Italian": r"zz|gli|gn|ch[ie]|gh[ie]|[cg]i[aou]|sc[ei]|[àèìòù]|\bdi\b|\bdel\b|\bsan\b"
                   r"|(?:ano|ino|one|ello|etto|ese)\b",
        "Polish": r"sz|cz|rz|ów|[łąęśćżźń]",
        "Dutch": r"ij|oe|aa|uu|ee|ui|sch",
        "Hungarian": r"[őű]|cs|zs|gy|ny\b|sz[aeiouáéíóú]",
    }.items()
}
# fmt: on

_PLACEHOLDERS = {"S": "sh", "C": "ch", "Z": "zh", "T": "ts", "J": "dzh"}


def _compiled(rules: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One alternation, so each letter is read once, by the first rule that fits there."""
    ordered = (*rules, *_COMMON)
    pattern = "|".join(f"(?P<r{i}>{p})" for i, (p, _) in enumerate(ordered))
    return re.compile(pattern), tuple(r for _, r in ordered)


_COMPILED = {name: _compiled(rules) for name, rules in _READINGS.items()}


def _fold(key: str) -> str:
    """What both sides share: no doubled letter, placeholders spelled."""
    key = "".join(_PLACEHOLDERS.get(ch, ch) for ch in key)
    return re.sub(r"(.)\1+", r"\1", key)


# A soft or hard sign before a vowel is a glide (Кьявари, Жольєт: kiavari, zholiet).
_SIGN_BEFORE_VOWEL = re.compile("[ьъ](?=[аеёиоуыэюяєії])")


def of_cyrillic(text: str) -> str:
    """The sound key of a Cyrillic name; "" when it holds letters of another script."""
    letters = []
    for ch in _SIGN_BEFORE_VOWEL.sub("й", unicodedata.normalize("NFC", text.casefold())):
        if ch in _CYRILLIC:
            letters.append(_CYRILLIC[ch])
        elif ch.isalpha() or ch.isdigit():
            return ""
    return _fold("".join(letters))


def indexed(text: str) -> str:
    """The key of a Cyrillic name long enough to look up (INDEXED letters), else ""."""
    key = of_cyrillic(text)
    return key if len(key) >= INDEXED else ""


def _read(word: str, language: str) -> str:
    pattern, outputs = _COMPILED[language]
    return pattern.sub(lambda m: outputs[int((m.lastgroup or "r0")[1:])], word)


def _words(folded: str, letters: Mapping[str, str]) -> list[str]:
    return re.findall(r"[a-zA-Z]+", unidecode("".join(letters.get(ch, ch) for ch in folded)))


@lru_cache(maxsize=1024)
def of_latin(text: str) -> Mapping[str, str]:
    """A Latin name's sound keys of INDEXED letters or more, each with the first source language
    whose spelling rules gave it."""
    if script_of(text) != "Latn":
        return MappingProxyType({})
    folded = unicodedata.normalize("NFC", text.casefold())
    words = _words(folded, _LETTERS)
    found: dict[str, str] = {}
    for language in _READINGS:
        spelled = _SPELLED_LIKE.get(language)
        if spelled and not spelled.search(folded):
            continue
        own = _OWN_LETTERS.get(language)
        read = _words(folded, _LETTERS | own) if own else words
        key = _fold("".join(_read(w, language) for w in read))
        if len(key) >= INDEXED:
            found.setdefault(key, language)
    return MappingProxyType(found)
