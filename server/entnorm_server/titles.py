"""Drop titles and honorifics around a person's name ("President Zelenskyy", "김정은 위원장")."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from entnorm_server import rule_tables
from entnorm_server.normalize import folded_key

# First (or last) word of a title -> the titles it starts (or ends), longest first.
TitleIndex = dict[str, tuple[tuple[str, ...], ...]]


@cache
def _titles() -> tuple[TitleIndex, TitleIndex]:
    """(before, after) titles as folded token tuples, indexed by their outer word."""
    data = rule_tables.titles()

    def index(side: str, outer: int) -> TitleIndex:
        found: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for titles in getattr(data, side).values():
            for title in titles:
                tokens = tuple(folded_key(title).split())
                if tokens:
                    found[tokens[outer]].add(tokens)
        return {w: tuple(sorted(ts, key=len, reverse=True)) for w, ts in found.items()}

    return index("before", 0), index("after", -1)


def strip_titles(text: str) -> tuple[str, tuple[str, ...]]:
    """The folded name without leading and trailing titles, and the titles dropped.

    At least one token always stays: "President" alone is a name to look up, not a title.
    """
    words = folded_key(text).split()
    before, after = _titles()
    dropped: list[str] = []
    changed = True
    while changed and len(words) > 1:
        changed = False
        for title in before.get(words[0], ()):
            if len(words) > len(title) and tuple(words[: len(title)]) == title:
                dropped.append(" ".join(title))
                words = words[len(title) :]
                changed = True
                break
        for title in after.get(words[-1], ()):
            if len(words) > len(title) and tuple(words[-len(title) :]) == title:
                dropped.append(" ".join(title))
                words = words[: -len(title)]
                changed = True
                break
    return " ".join(words), tuple(dropped)
