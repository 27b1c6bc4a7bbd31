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
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

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

    def search(self, key: str, min_similarity: float, limit: int = 8) -> list[tuple[int, float]]:
        """(position, similarity) of keys whose normalized Levenshtein similarity to `key`
        (1 - edits / longer length) is at least min_similarity, best first."""
        grams = sorted((self.postings[g] for g in trigrams(key) if g in self.postings), key=len)
        if not grams:
            return []
        # Prefix filter: a key that similar is at most `edits` edits away (it is at most
        # len(key) / min_similarity long), and each edit breaks at most three of the query's
        # trigrams; so it shares one of any 3 * edits + 1 of them, and the rarest are cheapest.
        edits = int((1 - min_similarity) * len(key) / min_similarity + 1e-9)
        needed = min(len(grams), 3 * edits + 1)
        taken, budget = [], POSTINGS_BUDGET
        for postings in grams[:needed]:
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
            key,
            shortlist,
            scorer=Levenshtein.normalized_similarity,
            # rapidfuzz turns the cutoff into a whole number of edits and can lose a tie; the
            # exact test is below.
            score_cutoff=max(0.0, min_similarity - 0.01),
            limit=limit,
        )
        return [(where[i], score) for _, score, i in found if score >= min_similarity - 1e-9]


@dataclass(frozen=True, slots=True)
class Edits:
    similarity: float  # 1 - weighted edits / longer length, in [0, 1]
    described: str  # e.g. "'x'→'sh'", "+'s' at a token's edge"
    letters: int = 0  # letters edited, however weighed
    at_edges: int = 0  # of them, at the start or end of a token
    in_short_tokens: int = 0  # of them, in a token of SHORT_TOKEN letters or fewer (edge or not)
    length: int = 0  # of the longer key


def weigh_edits(source: str, target: str) -> Edits:
    """The edits that turn source into target, weighed. An edit at the start or end of a token,
    or in a syllable-sized one, counts twice: there a letter makes another name ("Voroshilov",
    "Voroshilovo"; "Huntley", "Huntleys"; "Won-sik", "Won-suk"), while inside a longer token it
    is a spelling ("Bachar", "Baschar")."""
    described, weight, letters, at_edges, in_short = [], 0, 0, 0, 0
    for op in Levenshtein.opcodes(source, target):
        if op.tag == "equal":
            continue
        removed = source[op.src_start : op.src_end]
        added = target[op.dest_start : op.dest_end]
        size = max(len(removed), len(added))
        edge = _at_edge(source, op.src_start, op.src_end) or _at_edge(
            target, op.dest_start, op.dest_end
        )
        short = _in_short_token(source, op.src_start) or _in_short_token(target, op.dest_start)
        weight += size * (2 if edge or short else 1)
        letters += size
        at_edges += size if edge else 0
        in_short += size if short else 0
        text = {"replace": f"{removed!r}→{added!r}", "delete": f"-{removed!r}"}.get(
            op.tag, f"+{added!r}"
        )
        described.append(
            text + (" at a token's edge" if edge else " in a short token" if short else "")
        )
    longest = max(len(source), len(target)) or 1
    shown = ", ".join(described[:3])
    if len(described) > 3:
        shown += f" and {len(described) - 3} more"
    return Edits(max(0.0, 1.0 - weight / longest), shown, letters, at_edges, in_short, longest)


def _at_edge(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (possibly empty) touches the start or end of a token."""
    return start == 0 or end >= len(text) or text[start - 1] == " " or text[end] == " "


SHORT_TOKEN = 3


def _in_short_token(text: str, position: int) -> bool:
    start = text.rfind(" ", 0, position) + 1
    end = text.find(" ", position)
    return len(text[start : end if end >= 0 else len(text)]) <= SHORT_TOKEN
