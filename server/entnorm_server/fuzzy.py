"""Fuzzy candidates: a character-trigram index over variant keys, rescored with rapidfuzz.

Retrieval never scans all keys: it reads the postings of the query's rarest trigrams up to a
budget, counts shared trigrams, and rescores only the best-sharing keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

POSTINGS_BUDGET = 30_000  # postings read per query: bounds the worst case
SHORTLIST = 64  # keys rescored per query


def trigrams(key: str) -> set[str]:
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class TrigramIndex:
    keys: tuple[str, ...]
    postings: dict[str, npt.NDArray[np.int32]]

    @classmethod
    def build(cls, keys: Sequence[str]) -> TrigramIndex:
        lists: dict[str, list[int]] = defaultdict(list)
        for position, key in enumerate(keys):
            for gram in trigrams(key):
                lists[gram].append(position)
        postings = {g: np.asarray(p, dtype=np.int32) for g, p in lists.items()}
        return cls(tuple(keys), postings)

    def search(self, key: str, min_ratio: float, limit: int = 8) -> list[tuple[int, float]]:
        """(position, ratio in [0, 1]) of keys with fuzz.ratio >= min_ratio, best first."""
        grams = sorted((self.postings[g] for g in trigrams(key) if g in self.postings), key=len)
        if not grams:
            return []
        # Prefix filter: a key within min_ratio is at most `edits` insertions or deletions away,
        # and each breaks at most three of the query's trigrams; so it shares one of any
        # 3 * edits + 1 of them, and the rarest are cheapest to read.
        longest = len(key) * (2 - min_ratio) / min_ratio
        edits = int((1 - min_ratio) * (len(key) + longest))
        needed = min(len(grams), 3 * edits + 1)
        taken, budget = [], POSTINGS_BUDGET
        for postings in grams[:needed] if needed < len(grams) else grams:
            if len(postings) > budget:
                break  # the commonest grams say least; rarer ones were read first
            taken.append(postings)
            budget -= len(postings)
        if not taken:
            taken = grams[:1]
        positions, shared = np.unique(np.concatenate(taken), return_counts=True)
        if len(positions) > SHORTLIST:
            best = np.argpartition(-shared, SHORTLIST)[:SHORTLIST]
            positions = positions[best]
        where = positions.tolist()
        shortlist = [self.keys[p] for p in where]
        found = process.extract(
            key, shortlist, scorer=fuzz.ratio, score_cutoff=min_ratio * 100, limit=limit
        )
        return [(where[i], score / 100) for _, score, i in found]
