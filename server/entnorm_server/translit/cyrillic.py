"""Romanizations of Cyrillic names by the systems of their language, and a Slavic Latin skeleton.

Ukrainian and Russian spell the same sounds differently (и is y in Ukrainian, i in Russian), so
each language is romanized by its own systems: `translitua` for Ukrainian, `iuliia` for Russian,
ICU's BGN/PCGN tables for the other Cyrillic languages. On top of the systems, the spellings the
English-language press actually prints (Zelenskyy, Zelensky, Yulia) are derived from the national
system. `latin_key` then lets all of them, and the German and Polish forms, meet one another.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import iuliia
import translitua
from unidecode import unidecode

from entnorm_server import rule_tables
from entnorm_server.routes import Mark, romanized, with_mark
from entnorm_server.scripts import script_of, scripts_in
from entnorm_server.translit.base import Romanization, distinct, icu_transform

MAX_RENDERINGS = 16

_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэъё")
# Ukrainian softens -ський/-цький and writes the apostrophe; Russian writes -ский and -ия.
_UK_CLUSTERS = re.compile("[сц]ьк|['\u2019\u02bc][яюєї]")
_RU_CLUSTERS = re.compile(r"[сц]кий\b|ия\b")


@dataclass(frozen=True, slots=True)
class _System:
    label: str  # the name routes show: "KMU 2010"
    run: Callable[[str], str]


def _translitua(table: type[translitua.TransliterationTable]) -> Callable[[str], str]:
    return lambda text: translitua.translit(text, table)


def _iuliia(schema: iuliia.Schema) -> Callable[[str], str]:
    return lambda text: str(schema.translate(text))


_GOST_16876 = _iuliia(iuliia.GOST_16876_ALT)

# Most official first: the national standard, then the international and library ones, then the
# older or foreign-language systems a name may have been printed in.
_UKRAINIAN: tuple[_System, ...] = (
    _System("KMU 2010", _translitua(translitua.UkrainianKMU)),
    _System("BGN/PCGN 1965", _translitua(translitua.UkrainianBGN)),
    _System("ALA-LC", _translitua(translitua.UkrainianALALC)),
    _System("ISO 9", _translitua(translitua.UkrainianISO9)),
    _System("scientific", _translitua(translitua.UkrainianWWS)),
    _System("national 1996", _translitua(translitua.UkrainianNational1996)),
    _System("passport 2007", _translitua(translitua.UkrainianPassport2007)),
    _System("German", _translitua(translitua.UkrainianGerman)),
    _System("French", _translitua(translitua.UkrainianFrench)),
)

_RUSSIAN: tuple[_System, ...] = (
    _System("ICAO Doc 9303", _iuliia(iuliia.ICAO_DOC_9303)),  # Russian passports since 2013
    _System("BGN/PCGN", _iuliia(iuliia.BGN_PCGN)),
    _System("ALA-LC", _iuliia(iuliia.ALA_LC)),
    _System("GOST 7.79", _iuliia(iuliia.GOST_779)),
    _System("scientific", _iuliia(iuliia.SCIENTIFIC)),
    _System("MVD 310", _iuliia(iuliia.MVD_310)),  # passports 2010-2013: Yuriy, Sergey
    _System("press: Wikipedia", _iuliia(iuliia.WIKIPEDIA)),
    # The Latin-letters table of GOST 16876-71 (kh, shh, eh, ju, ja), with й as j rather than its
    # jj: Soviet-era maps and gazetteers print it ("Shakhrijar", "Bol'shoj"). On GeoNames it makes
    # the right Latin name an exact match for 4% more Cyrillic names.
    _System("GOST 16876-71", lambda text: _GOST_16876(text).replace("jj", "j")),
)

# Other Cyrillic languages: ICU's BGN/PCGN table of the language, else its generic ISO 9 reading.
_ICU_BY_LANGUAGE: dict[str, tuple[str, str]] = {
    "be": ("BGN/PCGN", "Belarusian-Latin/BGN"),
    "bg": ("BGN/PCGN", "Bulgarian-Latin/BGN"),
    "mk": ("BGN/PCGN", "Macedonian-Latin/BGN"),
    "sr": ("BGN/PCGN", "Serbian-Latin/BGN"),
}
_ICU_GENERIC = ("ICU ISO 9", "Cyrillic-Latin")


def _primary(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower()


def guess_language(text: str) -> str:
    """ "uk" or "ru" when a letter or cluster only one of them writes says so, else ""."""
    lowered = text.casefold()
    if _UK_LETTERS.intersection(lowered) or _UK_CLUSTERS.search(lowered):
        return "uk"
    if _RU_LETTERS.intersection(lowered) or _RU_CLUSTERS.search(lowered):
        return "ru"
    return ""


def _clean(latin: str) -> str:
    # iuliia leaves the Cyrillic ё in some schemas (Khrushchёv); their tables mean the Latin ë.
    return latin.replace("ё", "ë").replace("Ё", "Ë")


def _system_renderings(text: str, lang: str, systems: Iterable[_System]) -> list[Romanization]:
    return [Romanization(_clean(s.run(text)), romanized("Cyrl", s.label, lang)) for s in systems]


# Press endings of Ukrainian adjectival surnames in -ий (Зеленський): KMU writes -yi, the
# president's office -yy, the English press -y, Russian-influenced copy -iy.
_PRESS_ENDINGS: tuple[str, ...] = ("yy", "y", "iy")


def _press_word(cyrillic: str, kmu: str, ending: str) -> str | None:
    """The KMU word with its -ий ending rewritten, or None when the word has no such ending."""
    if not cyrillic.casefold().endswith("ий") or not kmu.casefold().endswith("yi"):
        return None
    return kmu[:-2] + (ending.upper() if kmu.isupper() else ending)


def _ukrainian_press(text: str) -> list[Romanization]:
    """Press spellings: the KMU rendering with the -ий ending and the ія cluster as printed."""
    words = text.split()
    kmu = [translitua.translit(w, translitua.UkrainianKMU) for w in words]
    out: list[Romanization] = []
    for ending in _PRESS_ENDINGS:
        changed = [_press_word(c, k, ending) for c, k in zip(words, kmu, strict=True)]
        if any(changed):
            label = next(
                ("-sk" if c.casefold().endswith("ський") else "-") + ending
                for c, w in zip(words, changed, strict=True)
                if w
            )
            rendering = " ".join(w or k for w, k in zip(changed, kmu, strict=True))
            out.append(Romanization(rendering, romanized("Cyrl", f"press: {label}", "uk")))
    # KMU doubles the i of ія (Юлія -> Yuliia); the press writes one (Yulia).
    if "ія" in text.casefold():
        rendering = " ".join(re.sub("iia", "ia", k, flags=re.IGNORECASE) for k in kmu)
        out.append(Romanization(rendering, romanized("Cyrl", "press: ія → ia", "uk")))
    return out


def _ukrainian(text: str) -> list[Romanization]:
    official = _system_renderings(text, "uk", _UKRAINIAN)
    # Press forms after the national system and the BGN/PCGN one they derive from.
    return [*official[:2], *_ukrainian_press(text), *official[2:]]


def _russian(text: str) -> list[Romanization]:
    return _system_renderings(text, "ru", _RUSSIAN)


def _other(text: str, lang: str) -> list[Romanization]:
    label, transform_id = _ICU_BY_LANGUAGE.get(lang, _ICU_GENERIC)
    return [
        Romanization(icu_transform(transform_id)(text), romanized("Cyrl", label, lang or "und"))
    ]


def _interleave(first: list[Romanization], second: list[Romanization]) -> list[Romanization]:
    """Both families' lists taken in turn, so each keeps its most official forms under the cap."""
    out: list[Romanization] = []
    for i in range(max(len(first), len(second))):
        out.extend(part[i] for part in (first, second) if i < len(part))
    return out


def romanizations(text: str, language: str = "") -> list[Romanization]:
    """Latin renderings of a Cyrillic name by its language's systems, most official first.

    `language` is a BCP-47 tag; "uk" and "ru" get their own systems, other Cyrillic languages
    ICU's, and "" is guessed from letters only one language uses (both families when unsure).
    """
    if script_of(text) != "Cyrl":
        return []
    lang = _primary(language) or guess_language(text)
    if lang == "uk":
        found = _ukrainian(text)
    elif lang == "ru":
        found = _russian(text)
    elif lang:
        found = _other(text, lang)
    else:
        # Russian first: without a Ukrainian letter, Russian is the likelier of the two.
        guessed = [
            Romanization(r.text, with_mark(r.route, Mark.LANGUAGE_GUESSED))
            for r in _ukrainian(text)
        ]
        found = _interleave(_russian(text), guessed)
    return distinct(found, MAX_RENDERINGS, latin_only=True)


# --- the Slavic Latin skeleton -------------------------------------------------------------------

# The skeleton's letters, placeholders and ordered rewrites: data/rules/slavic_skeleton.yaml.
_SKELETON = rule_tables.slavic_skeleton()
_DIACRITIC_RE = re.compile("|".join(map(re.escape, _SKELETON.letters)))

# In-word marks for the soft and hard signs (Zelens'kyi, Zelensʹkyĭ, El′cin): no sound of their own.
_SIGN_MARKS = re.compile("['\u2019\u02bc\u02b9\u2032\u02ba\u2033\"`\u00b4\u2018]")

# German and Polish spell х as ch and never use ch for ч; their presence shows in w/tsch/cz/sz.
_GERMAN_OR_POLISH = re.compile("w|tsch|cz|sz")
_GERMAN_POLISH_KH = re.compile("(?<![st])ch")


def _key_word(word: str, german_or_polish: bool) -> str:
    if german_or_polish:
        # х before ч, so Chruschtschow's ch is kh and its tsch stays ч.
        word = _GERMAN_POLISH_KH.sub("kh", word.replace("tsch", "\x00")).replace("\x00", "tsch")
    word = rule_tables.apply(_SKELETON.rules, word)
    return "".join(_SKELETON.placeholders.get(ch, ch) for ch in word)


def _is_latin_text(text: str) -> bool:
    # Modifier letters (ʹ ʼ) are the systems' sign marks, of no one script.
    return scripts_in(text) == ("Latn",)


def latin_key(text: str) -> str:
    """A Slavic romanization skeleton of a Latin-script name; "" for other scripts.

    Spellings of one Cyrillic name by different systems (Zelenskyy, Zelensky, Zelenskiy,
    Zelenskyi, Zelenskij, Selenskyj; Volodymyr, Wolodymyr) share a key, while different names
    (Zelenska, Kiev vs Kyiv) keep theirs. Compare keys of romanizations, never of Cyrillic.
    """
    if not _is_latin_text(text):
        return ""
    lowered = unicodedata.normalize("NFC", text.casefold())
    lowered = _DIACRITIC_RE.sub(lambda m: _SKELETON.letters[m.group(0)], lowered)
    flat = unidecode(_SIGN_MARKS.sub("", lowered)).lower()
    words = re.findall(r"[a-z]+", flat)
    german_or_polish = bool(_GERMAN_OR_POLISH.search(flat))
    return " ".join(_key_word(w, german_or_polish) for w in words)
