"""One typing error in a name, of a chosen kind at a chosen place, in the name's own script.

Kinds: an inserted, a deleted, a substituted letter, or two neighbours transposed. Places: the
first letter, the last, or one in between. Inserted and substituted letters come from the
letters of the same script seen in the data set's names (a Cyrillic name gets a Cyrillic letter,
a Han name another Han character), so that a typo never changes a name's script.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from suite.scripts import script_of

KINDS = ("insert", "delete", "substitute", "transpose")
PLACES = ("first", "middle", "last")


@dataclass(frozen=True, slots=True)
class Typo:
    text: str
    kind: str
    place: str


class TypoMaker:
    def __init__(self, names: Iterable[str]) -> None:
        letters: dict[str, set[str]] = defaultdict(set)
        for name in names:
            for ch in name:
                if ch.isalpha():
                    letters[script_of(ch)].add(ch.lower())
        self._alphabets = {script: sorted(chars) for script, chars in letters.items()}

    def make(self, name: str, rng: random.Random) -> Typo | None:
        """One typo of name, or None when the name has too few letters to bear one."""
        spots = [i for i, ch in enumerate(name) if ch.isalpha()]
        if len(spots) < 4:
            return None
        kind = rng.choice(KINDS)
        place = rng.choice(PLACES)
        if place == "first":
            at = spots[0]
        elif place == "last":
            at = spots[-1]
        else:
            at = rng.choice(spots[1:-1])
        alphabet = self._alphabets.get(script_of(name[at]), [])
        if kind == "delete":
            text = name[:at] + name[at + 1 :]
        elif kind == "transpose":
            # The letter and its next letter; the last letter swaps with the one before it.
            other = spots[spots.index(at) + 1] if at != spots[-1] else spots[-2]
            i, j = sorted((at, other))
            text = name[:i] + name[j] + name[i + 1 : j] + name[i] + name[j + 1 :]
        else:
            choices = [ch for ch in alphabet if ch != name[at].lower()]
            if not choices:
                return None
            letter = rng.choice(choices)
            if name[at].isupper():
                letter = letter.upper()
            if kind == "substitute":
                text = name[:at] + letter + name[at + 1 :]
            else:  # insert: before the letter, or after the last one
                cut = at + 1 if place == "last" else at
                text = name[:cut] + letter + name[cut:]
        return Typo(text, kind, place) if text != name else None
