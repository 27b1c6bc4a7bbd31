"""Transliteration by script and language: every non-Latin name to the Latin forms it is met in.

`romanize` dispatches on the script of the text and the language tag; each module owns a script
and names its route ("uk Cyrl → Latn (KMU 2010)"). `SKELETONS` are per-family phonetic keys of
Latin text that let different romanization systems of one name meet.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from entnorm_server.normalize import script_of
from entnorm_server.translit import (
    arabic_article,
    chinese,
    cyrillic,
    japanese,
    korean,
    other_scripts,
)
from entnorm_server.translit.base import Romanization

__all__ = ["SKELETONS", "Romanization", "romanize"]

# Family name -> key of a Latin-script name ("" when the text cannot be of that family).
SKELETONS: dict[str, Callable[[str], str]] = {
    "ko": korean.latin_key,
    "sl": cyrillic.latin_key,
}


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


def romanize(text: str, language: str = "", guess: bool = False) -> list[Romanization]:
    """Latin forms of text by its script and language tag. Latin text gets only respellings
    that undo a romanization's habit (an Arabic article written as said).

    With `guess` (for queries, whose language is often unknown) untagged Han text is also read
    as a Korean Hanja name; table names get that reading only when tagged `ko`.
    """
    # Canonically equivalent texts read alike: the readers' tables hold composed letters, so
    # decomposed Hangul (NFD, as macOS file names have it) would otherwise read as nothing.
    text = unicodedata.normalize("NFC", text)
    script = script_of(text)
    if script == "Latn":
        return arabic_article.romanizations(text)
    if script == "Hang":
        return korean.romanizations(text, language)
    if script == "Hani":
        if _primary(language) == "ko" or language == "ko-Hani":
            # A Korean Hanja name: its Korean reading, and the Mandarin reading it gets when
            # a text passes through Chinese.
            return [
                *korean.romanizations(text, "ko-Hani"),
                *chinese.romanizations(text, "ko-Hani"),
            ]
        if _primary(language) == "ja":
            return japanese.romanizations(text, language)
        if _primary(language) in ("zh", ""):
            found = chinese.romanizations(text, language)
            if not language:
                # Untagged Han may be Japanese: read so too, its language marked as guessed.
                found += japanese.romanizations(text)
            if guess and not language:
                found += korean.romanizations(text, "ko-Hani")
            return found
        return other_scripts.romanizations(text, language)
    if script == "Cyrl":
        return cyrillic.romanizations(text, language)
    if script in ("Kana", "Hira") and "Hani" in other_scripts.scripts_in(text):
        return japanese.romanizations(text, language or "ja")  # kana with kanji: さいたま市
    return other_scripts.romanizations(text, language)
