"""Drop titles and honorifics around a person's name ("President Zelenskyy", "김정은 위원장")."""

from __future__ import annotations

from functools import cache
from importlib import resources

from ruamel.yaml import YAML

from entnorm_server.normalize import folded_key


@cache
def _titles() -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """(before, after) titles as folded token tuples, longest first."""
    text = resources.files("entnorm_server").joinpath("data/titles.yaml").read_text("utf-8")
    data = YAML(typ="safe").load(text)

    def tokens(side: str) -> tuple[tuple[str, ...], ...]:
        found = {tuple(folded_key(t).split()) for titles in data[side].values() for t in titles}
        return tuple(sorted((t for t in found if t), key=len, reverse=True))

    return tokens("before"), tokens("after")


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
        for title in before:
            if len(words) > len(title) and tuple(words[: len(title)]) == title:
                dropped.append(" ".join(title))
                words = words[len(title) :]
                changed = True
                break
        for title in after:
            if len(words) > len(title) and tuple(words[-len(title) :]) == title:
                dropped.append(" ".join(title))
                words = words[: -len(title)]
                changed = True
                break
    return " ".join(words), tuple(dropped)
