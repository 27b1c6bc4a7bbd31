"""The script of a name, for labelling queries: ICU's script property, independent of the engine's
own detection so that a change to the engine cannot relabel the evaluation."""

from __future__ import annotations

import icu

# Rows of the tables; any other script is "other" (with its own sub-row in the JSON).
BUCKETS = ("Latn", "Cyrl", "Grek", "Arab", "Hebr", "Hang", "Hani", "Kana")
_NOT_A_SCRIPT = frozenset({"Zyyy", "Zinh", "Zzzz"})  # common, inherited, unknown


def script_of(text: str) -> str:
    """ "Latn" when every letter is Latin; else the first other script. Any kana makes Japanese
    text "Kana" (kanji with kana is Japanese, not Chinese)."""
    found = ""
    for ch in text:
        script = icu.Script.getScript(ord(ch)).getShortName()
        if script in _NOT_A_SCRIPT:
            continue
        if script in ("Hira", "Kana"):
            return "Kana"
        if script != "Latn" and not found:
            found = script
    return found or "Latn"


def bucket(script: str) -> str:
    return script if script in BUCKETS else "other"
