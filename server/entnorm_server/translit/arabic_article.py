"""Romanized Arabic names write the article as it is said: before a "sun letter" its l takes
the next sound ("as-Sisi", "ash-Sharaa", "ar-Rass", "at-Tafilah"). Spelled out as "al-" (or
"el-"), such a name meets its other romanizations and the Arabic script, which always writes ال.
"""

from __future__ import annotations

import re

from entnorm_server.routes import respelled
from entnorm_server.translit.base import Romanization

# The article's vowel, the assimilated consonant, a hyphen, space or apostrophe, then the same
# consonant starting the next word.
_ASSIMILATED = re.compile(r"\b([AaEe])(th|dh|sh|t|d|r|z|s|n)[\s\-\u2010'\u2019]+(?=\2)", re.I)
ROUTE = respelled("Arabic article: assimilated al- spelled out")


def romanizations(text: str) -> list[Romanization]:
    """'Abdel Fattah as-Sisi' -> 'Abdel Fattah al-Sisi'; nothing for a text without one."""
    spelled_out = _ASSIMILATED.sub(lambda m: f"{m[1]}l-", text)
    return [Romanization(spelled_out, ROUTE)] if spelled_out != text else []
