"""A qualifier after a comma: "Kilburn, London", "نیوبرگ، اورگن" (Newberg, Oregon).

GeoNames writes 6,137 of its Persian and Urdu city names so, telling a place from its namesakes
by where it lies. The part before the comma is the place's name.
"""

from __future__ import annotations

import re

# Latin, Arabic and CJK full-width commas. The ideographic 、 lists things; it qualifies none.
_COMMA = re.compile(r"\s*[,،，]\s*")


# A qualifier in brackets after the name: "Sint Maarten (Dutch part)", "Georgia (country)".
_BRACKETED = re.compile(r"^(.*\S)\s*[(（]([^()（）]+)[)）]$")
# ISO 3166 and library catalogues invert a long form at a comma: "Congo, Democratic Republic of
# the", "Korea, Republic of", "Bolivia, Plurinational State of". What follows the comma then ends
# in a word that cannot end a qualifier.
_INVERTED_TAIL = re.compile(r"\b(of|of the|the|de|de la|del|des|du|di)$", re.IGNORECASE)


def split_qualifier(text: str) -> tuple[str, str] | None:
    """(name, qualifier) of "name, qualifier" or "name (qualifier)"; None for a name with no
    qualifier, an empty side, or an inverted name ("Korea, Republic of": see `inversion`)."""
    parts = _parts(text)
    if parts is None or _INVERTED_TAIL.search(parts[1]):
        return None
    return parts


def inversion(text: str) -> tuple[str, str] | None:
    """(head, designator) of an inverted long form: ("Congo", "Democratic Republic of the") of
    "Congo, Democratic Republic of the" or "Congo (Democratic Republic of the)". The name read
    whole is the designator, then the head."""
    parts = _parts(text)
    if parts is None or not _INVERTED_TAIL.search(parts[1]):
        return None
    return parts


def _parts(text: str) -> tuple[str, str] | None:
    stripped = text.strip()
    if bracketed := _BRACKETED.match(stripped):
        return bracketed[1], bracketed[2].strip()
    parts = _COMMA.split(stripped, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    return parts[0], parts[1]


# An English possessive on a name: "Russia's", "Ukraine’s", "the Philippines'".
_POSSESSIVE = re.compile(r"^(.*\w)(['’ʼ＇]s|(?<=s)['’ʼ＇])$", re.IGNORECASE)


def split_possessive(text: str) -> tuple[str, str] | None:
    """(name, ending) of a name with an English possessive ending; None for any other text."""
    found = _POSSESSIVE.match(text.strip())
    if found is None or len(found[1]) < 2:
        return None
    return found[1], found[2]
