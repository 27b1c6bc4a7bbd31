"""Countries and territories: one record per ISO 3166-1 entry (and Kosovo), with every name CLDR
gives it in every locale Babel ships, and its ISO 3166-1 codes and English names from pycountry.

What is in, and what is left out:

- Records: the 249 entries of ISO 3166-1 as pycountry gives them, ids `country:<alpha-2>`
  lower-cased (`country:de`), plus Kosovo (`country:xk`): XK is a user-assigned code, not in
  ISO 3166-1, but CLDR, the European Commission and the IMF use it and CLDR names Kosovo in every
  locale, and a country-name evaluation without it would leave out a country the news names.
- Left out of CLDR's territory list: the macro-regions with UN M49 numeric codes (001 World,
  150 Europe, 419 Latin America, ...); the groupings EU (European Union), EZ (Eurozone) and UN
  (United Nations), which are organisations, not territories; QO (Outlying Oceania), ZZ (Unknown
  Region) and the pseudo-locales' XA and XB; and the codes ISO 3166 only reserves for parts of
  other entries: AC Ascension and TA Tristan da Cunha (of SH), CP Clipperton (of France), CQ Sark
  (of Guernsey), DG Diego Garcia (of IO), EA Ceuta and Melilla and IC the Canary Islands (of ES).
  A record of a part would make its whole's name a rival of no use to anyone.
- Names: every locale Babel ships (CLDR), each name tagged with the locale's language and, when
  the locale names one, its script (`de`, `zh-Hant`, `sr-Latn`); the region of a regional locale
  is dropped (`de_CH` names are `de`), as its names differ from the language's only in spelling.
  CLDR's alternative names (`alt="short"` "US", `alt="variant"` "Turkey") are not in Babel's data
  and so are not here.
- From pycountry: the alpha-2 and alpha-3 codes (kind `abbreviation`, no language), the ISO
  English short name (`Korea, Republic of`), its `official_name` and `common_name` (`en`).
- Former names: the renames that ISO 3166-3 records with a single successor code (Burma → MM,
  Zaire → CD, Upper Volta → BF, ...), in their usual English short form (kind `former_name`).
  Entries withdrawn by a split or a merger (USSR, Yugoslavia, the GDR) are no one's former name.
- Order and deduplication: the English CLDR name first (the display name), then the names in
  the languages CLDR lists as official in that territory, then every other locale, the largest
  languages first, then alphabetically; a text (after NFC) is kept once, with the first language
  that gives it, so "España" is `es` and "Deutschland" `de`, not Asturian or Luxembourgish.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

import babel
import langcodes
import pycountry
from babel import localedata
from babel.languages import get_official_languages
from pycountry.db import Country

from entnorm_server.model import EntityType
from suite.curated import stray_scripts
from suite.records import DataSet, Name, Record

SOURCE = (
    "Unicode CLDR territory names in every locale, through Babel "
    f"{babel.__version__} (Unicode License v3: https://www.unicode.org/license.txt); "
    "ISO 3166-1 codes, short, official and common names and ISO 3166-3 renames through "
    "pycountry (data from Debian's iso-codes, LGPL-2.1)"
)

# CLDR territory codes that are not a country or territory of their own (see the docstring).
EXCLUDED = frozenset(
    {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "TA", "CP", "CQ", "DG", "EA", "IC"}
)
# Not in ISO 3166-1, kept on purpose.
EXTRA = {"XK": "Kosovo"}

# Renames of ISO 3166-3 (former alpha-2 -> current alpha-2, English short form).
FORMER_NAMES: dict[str, tuple[str, str]] = {
    "AI": ("DJ", "French Afars and Issas"),
    "BU": ("MM", "Burma"),
    "DY": ("BJ", "Dahomey"),
    "HV": ("BF", "Upper Volta"),
    "NH": ("VU", "New Hebrides"),
    "RH": ("ZW", "Southern Rhodesia"),
    "TP": ("TL", "East Timor"),
    "ZR": ("CD", "Zaire"),
}

_LIKELY_SUBTAGS = babel.core.get_global("likely_subtags")

# Languages whose names come first among the locales that are not official in a territory.
MAJOR_LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh", "de", "pt", "ja", "it", "ko", "hi")


@cache
def locale_tag(identifier: str) -> str:
    """The BCP-47 tag of a CLDR locale identifier: its language, and its script when that is not
    the one the language is taken to write (`zh_Hant_HK` -> `zh-Hant`, `de_CH` -> `de`,
    `zh_Hans_SG` -> `zh`, `ca_ES_VALENCIA` -> `ca`). The script is the locale's own or CLDR's
    likely one; "not the one the language is taken to write" is by langcodes' likely subtags, so
    that a checker reading the tag with langcodes expects the script the names are in (CLDR
    writes Riffian `rif` in Latin letters, langcodes' older data in Tifinagh: `rif-Latn`)."""
    parts = identifier.split("_")
    language = parts[0]
    if len(parts) > 1 and len(parts[1]) == 4 and parts[1].isalpha():
        script = parts[1].title()
    else:
        likely = str(_LIKELY_SUBTAGS.get(language, "")).split("_")
        script = likely[1] if len(likely) > 2 else ""
    if not script or script == langcodes.Language.get(language).maximize().script:
        return language
    return f"{language}-{script}"


def _locale_order(identifier: str) -> tuple[int, str, bool, str]:
    tag = locale_tag(identifier)
    language = tag.split("-")[0]
    major = MAJOR_LANGUAGES.index(language) if language in MAJOR_LANGUAGES else len(MAJOR_LANGUAGES)
    regional = identifier.count("_") > tag.count("-")
    return (major, tag, regional, identifier)


def _locales() -> list[str]:
    """Every locale Babel ships whose tag is valid BCP-47 by langcodes' registry: not `tok`
    (Toki Pona, registered in 2022) nor `suz_Sunu` (the Sunuwar script, Unicode 16), which
    langcodes' data predates."""
    return sorted(
        (
            i
            for i in localedata.locale_identifiers()
            if i != "root" and langcodes.tag_is_valid(locale_tag(i))
        ),
        key=_locale_order,
    )


def _territory_names() -> dict[str, dict[str, list[str]]]:
    """{territory code: {locale identifier: [name]}}, locales in _locale_order."""
    by_code: dict[str, dict[str, list[str]]] = {}
    for identifier in _locales():
        tag = locale_tag(identifier)
        for code, text in babel.Locale.parse(identifier).territories.items():
            if stray_scripts(text, tag):
                continue  # Greek ε for Latin ɛ (tzm), Latin ă for Cyrillic ӑ (cv): CLDR typos
            by_code.setdefault(code, {}).setdefault(identifier, []).append(text)
    return by_code


def _official_first(code: str, locales: Iterable[str]) -> list[str]:
    """The locales of the territory's official languages first (CLDR's order), then the rest."""
    ordered = list(locales)
    rank: dict[str, int] = {}
    for official in get_official_languages(code):
        rank.setdefault(locale_tag(official), len(rank))
    first = sorted((i for i in ordered if locale_tag(i) in rank), key=lambda i: rank[locale_tag(i)])
    return [*first, *(i for i in ordered if locale_tag(i) not in rank)]


def _dedup(names: Iterable[Name]) -> tuple[Name, ...]:
    seen: set[str] = set()
    kept: list[Name] = []
    for name in names:
        text = unicodedata.normalize("NFC", name.text).strip()
        if not text or text in seen:
            continue
        seen.add(text)
        kept.append(Name(text, name.language, name.kind))
    return tuple(kept)


def load() -> DataSet:
    cldr = _territory_names()
    codes: dict[str, Country | None] = {c.alpha_2: c for c in pycountry.countries}
    for code in EXTRA:
        codes.setdefault(code, None)
    formers: dict[str, list[str]] = {}
    historic = {h.alpha_4[:2] for h in pycountry.historic_countries}
    for old, (new, text) in FORMER_NAMES.items():
        if old not in historic:  # pycountry's ISO 3166-3 no longer lists it: say so, loudly
            raise ValueError(f"ISO 3166-3 has no withdrawn code {old} (for {text})")
        formers.setdefault(new, []).append(text)
    records: list[Record] = []
    for code in sorted(codes):
        if code in EXCLUDED:
            raise ValueError(f"{code} is both an ISO 3166-1 code and excluded")
        by_locale = cldr.get(code)
        if not by_locale or "en" not in by_locale:
            raise ValueError(f"CLDR has no English name for {code}")
        names: list[Name] = [Name(by_locale["en"][0], "en")]
        for identifier in _official_first(code, by_locale):
            tag = locale_tag(identifier)
            names.extend(Name(text, tag) for text in by_locale[identifier])
        country = codes[code]
        if country is not None:
            names.append(Name(country.alpha_2, "", "abbreviation"))
            names.append(Name(country.alpha_3, "", "abbreviation"))
            for field in ("name", "official_name", "common_name"):
                iso_name: str | None = getattr(country, field, None)
                if iso_name:
                    names.append(Name(iso_name, "en"))
        else:
            names.append(Name(code, "", "abbreviation"))
        names.extend(Name(text, "en", "former_name") for text in formers.get(code, ()))
        records.append(Record(f"country:{code.lower()}", EntityType.COUNTRY, _dedup(names)))
    return DataSet(name="countries", source=SOURCE, records=tuple(records))
