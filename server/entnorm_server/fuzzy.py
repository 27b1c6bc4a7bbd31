"""Fuzzy candidates: a character-trigram index over variant keys, rescored with rapidfuzz.

Retrieval never scans all keys: it reads the postings of the query's rarest trigrams up to a
budget, counts shared trigrams, and rescores only the best-sharing keys. A short key has few
trigrams, the commonest of them over the budget, so it is also looked up spelled with every
single edit: every key one edit away is found, the right name and its rivals alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

POSTINGS_BUDGET = 30_000  # postings read per query: bounds the worst case
SHORTLIST = 64  # keys rescored per query
# Keys shorter than this are also looked up with each single edit spelled out (some 60 lookups a
# letter): their few trigrams are the commonest, and the budget cuts them.
SPELLED_EDITS_BELOW = 8


def trigrams(key: str) -> set[str]:
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class TrigramIndex:
    keys: tuple[str, ...]
    postings: dict[str, npt.NDArray[np.int32]]
    positions: dict[str, int]  # short keys only: key -> position in keys
    alphabet: str  # the characters of the short keys

    @classmethod
    def build(cls, keys: Sequence[str]) -> TrigramIndex:
        lists: dict[str, list[int]] = defaultdict(list)
        for position, key in enumerate(keys):
            for gram in trigrams(key):
                lists[gram].append(position)
        postings = {g: np.asarray(p, dtype=np.int32) for g, p in lists.items()}
        # A key of SPELLED_EDITS_BELOW letters is one edit from keys one letter longer.
        short = {k: i for i, k in enumerate(keys) if len(k) <= SPELLED_EDITS_BELOW}
        return cls(tuple(keys), postings, short, "".join(sorted(set("".join(short)))))

    def one_edit_away(self, key: str, swaps_only: bool = False) -> list[int]:
        """Positions of the keys one insertion, deletion, substitution or swap of neighbours
        from `key` (or one swap only), found by spelling each such edit: exact where trigrams
        are not."""
        alphabet, n = self.alphabet, len(key)
        spelled = {key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(n - 1)}
        if not swaps_only:
            spelled.update(key[:i] + key[i + 1 :] for i in range(n))
            spelled.update(key[:i] + c + key[i + 1 :] for i in range(n) for c in alphabet)
            spelled.update(key[:i] + c + key[i:] for i in range(n + 1) for c in alphabet)
        spelled.discard(key)
        return [self.positions[k] for k in spelled & self.positions.keys()]

    def search(self, key: str, min_similarity: float, limit: int = 8) -> list[tuple[int, float]]:
        """(position, similarity) of keys whose normalized Levenshtein similarity to `key`
        (1 - edits / longer length) is at least min_similarity, best first; for a short key,
        also those one swap of neighbours away, a swap counted as one edit."""
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
        complete = len(taken) == needed  # else the budget cut the prefix filter short
        if not taken:
            taken = grams[:1]
        positions, shared = np.unique(np.concatenate(taken), return_counts=True)
        complete = complete and len(positions) <= SHORTLIST
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
        near = [(where[i], score) for _, score, i in found if score >= min_similarity - 1e-9]
        if len(key) < SPELLED_EDITS_BELOW:
            # Where the filter read every gram it needed and rescored every key it found, each
            # key a Levenshtein edit away is in hand: only a swap (two such edits) may be not.
            near = self._with_one_edit(key, near, min_similarity, limit, swaps_only=complete)
        return near

    def _with_one_edit(
        self,
        key: str,
        near: list[tuple[int, float]],
        min_similarity: float,
        limit: int,
        swaps_only: bool,
    ) -> list[tuple[int, float]]:
        """The trigram search's keys and those one edit away, best first, at most `limit`. A
        swap of neighbours counts one edit here (OSA), as weigh_edits counts it."""
        found = dict(near)
        for position in self.one_edit_away(key, swaps_only):
            if position not in found:
                score = OSA.normalized_similarity(key, self.keys[position])
                if score >= min_similarity - 1e-9:
                    found[position] = score
        return sorted(found.items(), key=lambda item: -item[1])[:limit]


PART_CHANGED = 1 / 4


@dataclass(frozen=True, slots=True)
class Edits:
    similarity: float  # 1 - weighted edits / longer length, in [0, 1]
    described: str  # e.g. "'x'→'sh'", "+'s' at a token's edge"
    letters: int = 0  # letters edited, however weighed
    at_edges: int = 0  # of them, at the start or end of a token
    in_short_tokens: int = 0  # of them, in a token of SHORT_TOKEN letters or fewer (edge or not)
    length: int = 0  # of the longer key
    # The largest share of one token's letters the edits change, on either side: "iraq" for
    # "iran" changes a quarter of a token, "george a papandreou" for "george papandreou" a whole
    # one. A name's parts each tolerate edits by their own length.
    token_share: float = 0.0

    @property
    def part_changed(self) -> bool:
        """A quarter of one name part or more changed: a letter of a short part ("Iraq" for
        "Iran", "EAES" for "EADS", "Won-suk" for "Won-sik", "Jong-pil" for "Jong-il") or much of
        a longer one ("Pushkin", "Putin"). Such a name is someone else's as often as it is a slip
        in this one."""
        return self.token_share >= PART_CHANGED


def weigh_edits(source: str, target: str) -> Edits:
    """The edits that turn source into target, weighed. An edit at the start or end of a token,
    or in a syllable-sized one, counts twice: there a letter makes another name ("Voroshilov",
    "Voroshilovo"; "Huntley", "Huntleys"; "Won-sik", "Won-suk"), while inside a longer token it
    is a spelling ("Bachar", "Baschar"). Two neighbours swapped are one edit wherever they are,
    as Damerau counted them: the commonest slip of typing, and a swap seldom spells another
    name."""
    described, weight, letters, at_edges, in_short = [], 0, 0, 0, 0
    changed = (_TokenTally(source), _TokenTally(target))
    for tag, src_start, src_end, dest_start, dest_end in _edit_spans(source, target):
        removed = source[src_start:src_end]
        added = target[dest_start:dest_end]
        if tag == "transpose":
            weight += 1
            letters += 1
            changed[0].add(src_start, src_start + 1)
            described.append(f"{removed!r}⇄{added!r}")
            continue
        changed[0].add(src_start, src_end)
        changed[1].add(dest_start, dest_end)
        size = max(len(removed), len(added))
        edge = _at_edge(source, src_start, src_end) or _at_edge(target, dest_start, dest_end)
        short = _in_short_token(source, src_start) or _in_short_token(target, dest_start)
        weight += size * (2 if edge or short else 1)
        letters += size
        at_edges += size if edge else 0
        in_short += size if short else 0
        text = {"replace": f"{removed!r}→{added!r}", "delete": f"-{removed!r}"}.get(
            tag, f"+{added!r}"
        )
        described.append(
            text + (" at a token's edge" if edge else " in a short token" if short else "")
        )
    longest = max(len(source), len(target)) or 1
    shown = ", ".join(described[:3])
    if len(described) > 3:
        shown += f" and {len(described) - 3} more"
    similarity = max(0.0, 1.0 - weight / longest)
    share = max(changed[0].worst(), changed[1].worst())
    return Edits(similarity, shown, letters, at_edges, in_short, longest, share)


class _TokenTally:
    """Letters changed in each token of a key."""

    def __init__(self, text: str) -> None:
        self.token: list[int] = []  # by position: the token's number, -1 for a space
        self.lengths: list[int] = []
        for token in text.split(" "):
            self.token += [len(self.lengths)] * len(token) + [-1]
            self.lengths.append(len(token))
        self.changed = [0] * len(self.lengths)

    def add(self, start: int, end: int) -> None:
        for position in range(start, end):
            if (token := self.token[position]) >= 0:
                self.changed[token] += 1

    def worst(self) -> float:
        """The largest share of one token's letters changed."""
        shares = (c / n for c, n in zip(self.changed, self.lengths, strict=True) if n)
        return min(max(shares, default=0.0), 1.0)


Span = tuple[str, int, int, int, int]  # tag, source start and end, target start and end


def _edit_spans(source: str, target: str) -> list[Span]:
    """Levenshtein's edits, with the shapes a swap of two neighbours takes there ("ab" → "ba"
    as a double replace, or as an insert and a delete around one kept letter) made one
    `transpose`."""
    ops = [
        (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Levenshtein.opcodes(source, target)
    ]
    spans: list[Span] = []
    i = 0
    while i < len(ops):
        tag, s0, s1, d0, d1 = ops[i]
        if tag == "replace" and s1 - s0 == 2 and d1 - d0 == 2:
            pair = source[s0:s1]
            if pair[0] != pair[1] and target[d0:d1] == pair[::-1]:
                spans.append(("transpose", s0, s1, d0, d1))
                i += 1
                continue
        if tag in ("insert", "delete") and i + 2 < len(ops):
            kept, last = ops[i + 1], ops[i + 2]
            moved = source[s0:s1] if tag == "delete" else target[d0:d1]
            other = "insert" if tag == "delete" else "delete"
            if (
                len(moved) == 1
                and kept[0] == "equal"
                and kept[2] - kept[1] == 1
                and last[0] == other
                and (target[last[3] : last[4]] if other == "insert" else source[last[1] : last[2]])
                == moved
            ):
                spans.append(("transpose", s0, last[2], d0, last[4]))
                i += 3
                continue
        if tag != "equal":
            spans.append(ops[i])
        i += 1
    return spans


def _at_edge(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (possibly empty) touches the start or end of a token."""
    return start == 0 or end >= len(text) or text[start - 1] == " " or text[end] == " "


SHORT_TOKEN = 3


def _in_short_token(text: str, position: int) -> bool:
    start = text.rfind(" ", 0, position) + 1
    end = text.find(" ", position)
    return len(text[start : end if end >= 0 else len(text)]) <= SHORT_TOKEN
