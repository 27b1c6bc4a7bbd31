"""Transliteration by script and language: every non-Latin name to the Latin forms it is met in.

`romanize` runs the readers that the text's script profile (data/scripts.yaml) names for its
language tag; each names its route ("uk Cyrl → Latn (KMU 2010)"). `SKELETONS` are per-family
phonetic keys of Latin text that let different romanization systems of one name meet.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from entnorm_server.scripts import profile_of, script_of
from entnorm_server.translit import cyrillic, korean
from entnorm_server.translit.base import Romanization
from entnorm_server.translit.readers import READERS

__all__ = ["SKELETONS", "Romanization", "romanize"]

# Family name -> key of a Latin-script name ("" when the text cannot be of that family).
SKELETONS: dict[str, Callable[[str], str]] = {
    "ko": korean.latin_key,
    "sl": cyrillic.latin_key,
}


def romanize(text: str, language: str = "", guess: bool = False) -> list[Romanization]:
    """Latin forms of text by the readers its script's profile names for its language. Latin
    text gets only respellings that undo a romanization's habit (an Arabic article written as
    said).

    With `guess` (for queries, whose language is often unknown) untagged text also gets the
    profile's guessed readers: untagged Han is read as a Korean Hanja name too, which table
    names get only when tagged `ko`.
    """
    # Canonically equivalent texts read alike: the readers' tables hold composed letters, so
    # decomposed Hangul (NFD, as macOS file names have it) would otherwise read as nothing.
    text = unicodedata.normalize("NFC", text)
    profile = profile_of(script_of(text))
    readers = profile.readers_for(language, guess)
    return [r for name in readers for r in READERS[name](text, language)]
