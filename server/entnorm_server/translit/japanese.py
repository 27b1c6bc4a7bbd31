"""Japanese readings of names written in kanji, alone or with kana.

A kanji name has no reading in its letters: 島原 is Shimabara, 神戸 Kobe, and a Chinese reader
makes them "Dao Yuan" and "Shen Hu". The reading is a dictionary's: MeCab (fugashi) with UniDic
reads each word of the name, and the kana reading is then romanized as kana names are. A name
with a word the dictionary does not know gets no reading rather than a guess.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from entnorm_server.routes import JAPANESE_READING, Mark, romanized
from entnorm_server.translit.base import Romanization
from entnorm_server.translit.other_scripts import KANA_BGN

# Words that say what kind of place a name is, not which: 横浜市 is Yokohama (city).
_PLACE_SUFFIXES = frozenset("市区町村郡都道府県")
_LABIAL_N = re.compile(r"m(?=[bmp])")
_tagger: Any = None
_lock = threading.Lock()


def _words(text: str) -> list[tuple[str, str | None, str | None]]:
    """MeCab's words of text: (surface, reading as said, reading as spelled), in katakana. The
    50 MB dictionary is mapped on first use, since most tables and queries have no Japanese.
    One tagger is shared; it is not safe across threads, nor are its nodes after the next call,
    so they are read under the lock."""
    global _tagger
    with _lock:
        if _tagger is None:
            import fugashi

            _tagger = fugashi.Tagger()
        return [(w.surface, w.feature.pron, w.feature.kana) for w in _tagger(text)]


@lru_cache(maxsize=4096)
def kana_readings(text: str) -> tuple[str, ...]:
    """The name read in katakana, as said and then as spelled (トーキョー, トウキョウ), and
    each without a last word such as 市; () when a word has no reading."""
    words = [w for w in _words(text) if w[0].strip()]
    spoken, spelled = [], []
    for _, pron, kana in words:
        if not pron or pron == "*" or not kana or kana == "*":
            return ()
        spoken.append(pron)
        spelled.append(kana)
    found: list[str] = []
    for reading in (spoken, spelled):
        joined = " ".join(reading)
        if len(words) > 1 and words[-1][0] in _PLACE_SUFFIXES:
            found += [joined, " ".join(reading[:-1])]
        else:
            found.append(joined)
    return tuple(dict.fromkeys(found))


def romanizations(text: str, language: str = "") -> list[Romanization]:
    """Latin readings of a name in kanji (and kana): "島原" is "Shimabara"."""
    # Untagged kanji may as well be Chinese, whose place names read in Japanese met other
    # places' names (松江, Songjiang, read "Matsue"): weighed as a guess of the language.
    step = romanized("Hani", JAPANESE_READING, marks=(Mark.LANGUAGE_GUESSED,))
    if language:
        step = romanized("Hani", JAPANESE_READING, language)
    found: dict[str, Romanization] = {}
    for reading in kana_readings(text):
        # Romanized as kana names are.
        latin = " ".join(word.capitalize() for word in KANA_BGN(reading).split())
        if latin.isascii() and any(ch.isalpha() for ch in latin):
            # ン before b, m, p: m in traditional Hepburn (Hombu), n in modified (Honbu).
            for spelling in (latin, _LABIAL_N.sub("n", latin)):
                found.setdefault(spelling, Romanization(spelling, step))
    return list(found.values())
