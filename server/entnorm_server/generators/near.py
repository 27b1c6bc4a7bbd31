"""The fuzzy tier: close but not equal. A character-trigram index over every form's ascii key
finds near keys; rapidfuzz's edits, weighed (fuzzy.weigh_edits), say how near."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Self

from entnorm_server.evidence import Evidence, Tier
from entnorm_server.fuzzy import Edits, TrigramIndex, weigh_edits
from entnorm_server.generators.common import (
    UNSCORED,
    explain,
    letters,
    numbers_agree,
    own_script_missed,
    reachable,
    route_of,
)
from entnorm_server.generators.kana import (
    KANA,
    NOTHING_HEARD,
    as_kana_writes,
    consonants_kept,
    kana_writes_alike,
)
from entnorm_server.generators.query import PreparedQuery, QueryForm
from entnorm_server.resolution import Candidate, MatchKind
from entnorm_server.table import IndexedAlias, IndexedTable, Posting, TableForms
from entnorm_server.translit import kana_consonants
from entnorm_server.variants import SHORT_KEY

FUZZY_MIN_SIMILARITY = 0.75
FUZZY_FORMS = 3  # query forms tried fuzzily: the original and its likeliest romanizations
# Katakana writes l and r alike (ラ行), and m and n before b or p (ン), so a kana name read
# "Savonrinna" is Savonlinna as written. Shorter keys are too often another name so written:
# they are tried as edits only.
KANA_AS_WRITTEN_LETTERS = 8
SWAP_REACH_LETTERS = 6


@dataclass(frozen=True)
class FuzzyIndex:
    """The trigram index over every form's ascii key, and each key's postings (one per alias)."""

    trigrams: TrigramIndex
    postings: tuple[tuple[Posting, ...], ...]  # by position in trigrams.keys

    @classmethod
    def build(cls, table: TableForms) -> Self:
        found: dict[str, list[Posting]] = defaultdict(list)
        for entry in table.forms:
            key, posting = entry.form.ascii, entry.posting
            if key and (not found[key] or found[key][-1][0] != posting[0]):
                found[key].append(posting)
        keys = list(found)
        return cls(TrigramIndex.build(keys), tuple(tuple(found[k]) for k in keys))


class FuzzyTier:
    """Close but not equal: trigram candidates over transliterated keys, rescored by rapidfuzz."""

    def candidates(self, query: PreparedQuery, table: IndexedTable) -> Iterable[Candidate]:
        # A kana query's matches as kana writes them (l as r, m as n) count as equal, whatever
        # their weighted similarity (an l for r at a word's edge counts double there).
        min_similarity = FUZZY_MIN_SIMILARITY
        kana = query.script in KANA
        heard = kana_consonants.of_kana(query.query.text) if kana else NOTHING_HEARD
        for qf in query.forms[:FUZZY_FORMS]:
            key = qf.form.ascii
            if len(key) < SHORT_KEY:  # too short for an edit to mean anything
                continue
            search_similarity = min_similarity
            if not kana:
                edits_at_most = _edits_that_may_count(query, key)
                if edits_at_most == 0:
                    continue
                # k edited letters weigh at most 2k against a key at least as long as this one;
                # the search reaches one letter further, for the rivals of a k-letter match.
                min_similarity = max(FUZZY_MIN_SIMILARITY, 1.0 - 2 * edits_at_most / len(key))
                search_similarity = max(
                    FUZZY_MIN_SIMILARITY, 1.0 - 2 * (edits_at_most + 1) / len(key)
                )
            long_enough = letters(key) >= KANA_AS_WRITTEN_LETTERS
            kana_key = as_kana_writes(key) if kana and long_enough else ""
            # A swap of neighbours weighs one letter but is two Levenshtein edits, and the index
            # searches by Levenshtein: it reaches one edit further, so that one swap is found,
            # in a key long enough for a swap to leave most of it in place.
            if len(key) >= SWAP_REACH_LETTERS:
                search_similarity -= 1 / len(key)
            near = _near_keys(qf, key, table, search_similarity)
            nearest = _nearest_letters(near)
            for found in near:
                edits, target = found.edits, found.key
                if edits is None:  # the ascii family's match
                    continue
                as_written = bool(kana_key) and kana_writes_alike(kana_key, target)
                if edits.similarity < min_similarity and not as_written:
                    continue
                for posting, item in found.reached:
                    route = route_of(qf.form, table, posting)
                    kept = ""
                    if as_written and item.script == "Latn":
                        how = f"{key!r} = {target!r} as kana writes them (l as r, m as n)"
                    else:
                        similar = f"{edits.described}, similarity {edits.similarity:.2f}"
                        how = f"{key!r} ~ {target!r} ({similar})"
                        kept = consonants_kept(heard, item, table)
                        if kept:
                            how = f"{how}, keeping the consonant classes {kept} as kana hears them"
                    evidence = Evidence(
                        Tier.FUZZY,
                        letters=letters(key),
                        edits=edits,
                        numbers_agree=numbers_agree(query, qf, item),
                        kana_as_written=as_written and item.script == "Latn",
                        consonants_kept=kept,
                        own_script_missed=own_script_missed(query, item, table),
                        rival_near=_rival_near(nearest, item.entity.id, edits.letters),
                    )
                    yield Candidate(
                        item.entity,
                        item.alias,
                        UNSCORED,
                        MatchKind.FUZZY,
                        route,
                        explain(how, item, route, evidence),
                        evidence,
                    )


@dataclass(frozen=True, slots=True)
class _NearKey:
    key: str
    edits: Edits | None  # None: the query's own key
    reached: tuple[tuple[Posting, IndexedAlias], ...]


def _near_keys(qf: QueryForm, key: str, table: IndexedTable, similarity: float) -> list[_NearKey]:
    """The keys the trigram index finds near the query's, with the aliases this form may name."""
    index = table.index(FuzzyIndex)
    near = []
    for position, _ in index.trigrams.search(key, similarity):
        reached = tuple(reachable(qf, index.postings[position], table))
        if reached:
            target = index.trigrams.keys[position]
            edits = weigh_edits(key, target) if target != key else None
            near.append(_NearKey(target, edits, reached))
    return near


def _nearest_letters(near: Iterable[_NearKey]) -> dict[str, int]:
    """Each entity's fewest edited letters from the query, over the keys found near it."""
    nearest: dict[str, int] = {}
    for found in near:
        edited = 0 if found.edits is None else found.edits.letters
        for _, item in found.reached:
            entity = item.entity.id
            nearest[entity] = min(edited, nearest.get(entity, edited))
    return nearest


def _rival_near(nearest: Mapping[str, int], entity: str, edited: int) -> bool:
    """Whether another entity's name is as near to the query, or one letter further: the query
    may then be a slip in that name as well ("Parks" for Paris, or a park named Parks)."""
    return any(e != entity and n <= edited + 1 for e, n in nearest.items())


def _edits_that_may_count(query: PreparedQuery, key: str) -> int:
    """The most edited letters a fuzzy candidate of this key may have and still score at the
    resolver's floor; 0 when even one edit scores below it. Bounded by the scorer's ceiling at
    the best a candidate of k edits can be: none at a token's edge or in a short token, the
    other key longer by k (so the most letters left intact), any route."""
    if query.floor <= 0.0:
        return len(key)
    count = letters(key)
    most = 0
    for k in range(1, len(key) + 1):
        edits = Edits(0.0, "", k, 0, 0, len(key) + k)
        if query.ceiling(Evidence(Tier.FUZZY, letters=count, edits=edits)) < query.floor:
            break
        most = k
    return most
