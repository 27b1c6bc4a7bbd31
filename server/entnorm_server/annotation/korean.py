"""Korean morphology for finding names: a short Hangul name counts only where an analysis of the
sentence reads a noun there.

Two-syllable Hangul names are also words: 나선 is Rason and "who stepped up" (나서 + ㄴ, in
"브리핑에 나선 김태효"). Kiwi (kiwipiepy, an optional dependency: `pip install entnorm[korean]`)
reads the words around such a find; without it every find counts. Its model takes about a
second to load and 300 MB of memory, on the first Korean find that needs it.
"""

from __future__ import annotations

import importlib.util
import threading
import warnings
from functools import lru_cache
from typing import Any

# Short names: the ones that collide with words. Longer finds are taken as they are.
MAX_CHECKED_SYLLABLES = 2
# Kiwi's tags (Sejong tagset) that a name's characters may carry: nouns, numerals, foreign
# words, Hanja and roots; not a verb, an adjective or an ending.
NOUN_TAGS = frozenset({"NNP", "NNG", "NNB", "NR", "NP", "SL", "SH", "SN", "XR", "XPN", "XSN"})

_MAKING = threading.Lock()
_USING = threading.Lock()  # one analysis at a time: Kiwi does not promise more
_KIWI: list[Any] = []


def available() -> bool:
    return importlib.util.find_spec("kiwipiepy") is not None


def _analyzer() -> Any:
    with _MAKING:
        if not _KIWI:
            from kiwipiepy import Kiwi  # type: ignore[import-untyped]  # no stubs

            # num_workers=0: no threads of its own (so since 0.21; it warns that it changed).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                kiwi = Kiwi(num_workers=0, load_typo_dict=False, load_multi_dict=False)
            _KIWI.append(kiwi)
        return _KIWI[0]


def reads_as_noun(text: str, start: int, end: int) -> bool:
    """Whether the Hangul find text[start:end] is read as a noun, in the words around it. True
    when it is long enough to be taken as it is, or no analyzer is installed."""
    if end - start > MAX_CHECKED_SYLLABLES or not available():
        return True
    before = text.rfind(" ", 0, max(0, start - 1))
    after = text.find(" ", end + 1)
    window_start = before + 1
    window = text[window_start : after if after >= 0 else len(text)]
    return _noun_at(window, start - window_start, end - window_start)


@lru_cache(maxsize=65536)
def _noun_at(window: str, start: int, end: int) -> bool:
    analyzer = _analyzer()
    with _USING:
        tokens = analyzer.tokenize(window)
    covering = [t for t in tokens if t.start < end and t.start + t.len > start]
    return bool(covering) and all(str(t.tag).split("-")[0] in NOUN_TAGS for t in covering)
