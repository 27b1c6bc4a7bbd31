"""The readers: every romanizer a script profile (data/scripts.yaml) may name, by name.

A reader takes a name and its language tag ("" untagged) and returns its Latin renderings, each
with its route. Those of one module differ only in the tag they read the name as.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from types import MappingProxyType

from entnorm_server.scripts import profiles, scripts_in
from entnorm_server.translit import arabic_article, chinese, cyrillic, japanese, korean
from entnorm_server.translit.base import Romanization
from entnorm_server.translit.other_scripts import PLANS, read

Reader = Callable[[str, str], list[Romanization]]


def _japanese_with_kanji(text: str, language: str) -> list[Romanization]:
    """Kana with kanji (さいたま市) is Japanese; kana alone is the kana plan's."""
    return japanese.romanizations(text, language or "ja") if "Hani" in scripts_in(text) else []


READERS: Mapping[str, Reader] = MappingProxyType(
    {
        "arabic_article": lambda text, _language: arabic_article.romanizations(text),
        "cyrillic": cyrillic.romanizations,
        "korean": korean.romanizations,
        "korean_hanja": lambda text, _language: korean.romanizations(text, "ko-Hani"),
        "mandarin_of_hanja": lambda text, _language: chinese.romanizations(text, "ko-Hani"),
        "chinese": chinese.romanizations,
        "japanese": japanese.romanizations,
        "japanese_with_kanji": _japanese_with_kanji,
        **{plan: partial(read, plan) for plan in PLANS},
    }
)


def _check_profiles() -> None:
    """Every reader a profile names exists: a typo in scripts.yaml fails at import."""
    for profile in profiles():
        named = {r for readers in profile.readers.values() for r in readers} | set(profile.guessed)
        unknown = sorted(named - READERS.keys())
        if unknown:
            raise ValueError(
                f"entnorm_server/data/scripts.yaml: the {profile.name} profile names "
                f"unknown readers {unknown}; known: {sorted(READERS)}"
            )


_check_profiles()
