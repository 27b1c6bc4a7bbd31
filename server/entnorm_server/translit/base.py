"""What every transliterator returns: Latin renderings of a name, each with the route it took."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import icu

from entnorm_server.routes import Step
from entnorm_server.scripts import script_of


@dataclass(frozen=True, slots=True)
class Romanization:
    """One Latin rendering of a name.

    `text` is Latin script as a person would write it ("Shin Won-sik", "Zelenskyy"); callers fold
    it into keys themselves. `route` is the step that made it, read as data by the rules and
    described for explanations: "uk Cyrl → Latn (KMU 2010)".
    """

    text: str
    route: Step


def distinct(
    found: Iterable[Romanization],
    limit: int | None = None,
    *,
    fold_case: bool = True,
    latin_only: bool = False,
) -> list[Romanization]:
    """The first rendering of each text, in order, blank ones (and, if asked, any not wholly
    Latin) left out, at most `limit` of them."""
    seen: set[str] = set()
    out: list[Romanization] = []
    for item in found:
        key = item.text.casefold() if fold_case else item.text
        if not item.text.strip() or key in seen:
            continue
        if latin_only and script_of(item.text) != "Latn":
            continue
        seen.add(key)
        out.append(item)
    return out[:limit]


# ICU documents no thread-safety for a shared Transliterator (Any-Latin caches inside), and the
# server answers on several threads: each thread builds its own instances, once.
_per_thread = threading.local()


def icu_transform(transform_id: str) -> Callable[[str], str]:
    """The ICU transform `transform_id` as a function, safe to call from any thread."""
    icu.Transliterator.createInstance(transform_id)  # fail at import on a bad id, not mid-request

    def run(text: str) -> str:
        cache: dict[str, icu.Transliterator] = _per_thread.__dict__.setdefault("icu", {})
        transliterator = cache.get(transform_id)
        if transliterator is None:
            transliterator = cache[transform_id] = icu.Transliterator.createInstance(transform_id)
        return str(transliterator.transliterate(text))

    return run
