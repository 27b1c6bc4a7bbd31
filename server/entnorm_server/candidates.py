"""Candidate generators: each turns a prepared query into candidates from a snapshot's indexes.

The resolver runs every generator and keeps each entity's best candidate, so a generator only
says what it found and how; it never decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from types import MappingProxyType
from typing import Protocol

from entnorm_server import routes
from entnorm_server.evidence import Evidence, Tier
from entnorm_server.fuzzy import Edits, weigh_edits
from entnorm_server.model import EntityType
from entnorm_server.normalize import VOWELS_UNWRITTEN, numbers, script_of
from entnorm_server.qualifiers import inversion, split_possessive, split_qualifier
from entnorm_server.resolution import Candidate, MatchKind, Query
from entnorm_server.routes import Step
from entnorm_server.snapshot import TIERS, IndexedAlias, Posting, Snapshot
from entnorm_server.titles import strip_titles
from entnorm_server.translit import (
    SKELETONS,
    abjad_vowels,
    abugida_vowels,
    cyrillic_transcription,
    kana_consonants,
)
from entnorm_server.variants import (
    NAME_PART,
    SHORT_KEY,
    Family,
    Form,
    forms,
    query_keys,
    skeleton_letters,
)

# Generators find and describe; they never score. What each match is worth (how many letters,
# which guesses on the way, which edits) is the scorer's to weigh (scorer.py, features.py).
ABJADS = frozenset({"Arab", "Hebr"})
FUZZY_MIN_SIMILARITY = 0.75
FUZZY_FORMS = 3  # query forms tried fuzzily: the original and its likeliest romanizations
# Katakana writes l and r alike (ラ行), and m and n before b or p (ン), so a kana name read
# "Savonrinna" is Savonlinna as written. Shorter keys are too often another name so written:
# they are tried as edits only.
KANA = frozenset({"Kana", "Hira"})
KANA_AS_WRITTEN_LETTERS = 8
UNSCORED = 0.0  # a generator's candidates are scored by the resolver's scorer


PERSONS = frozenset({EntityType.PERSON})
NOT_PERSONS = frozenset(EntityType) - PERSONS


@dataclass(frozen=True, slots=True)
class QueryForm:
    form: Form
    # The entity types it may name, if not all: found by dropping a title, or by reading untagged
    # Han as Korean Hanja, only a person; found by dropping a qualifier, anything but a person
    # (a person's name with a comma is inverted: "Putin, Vladimir").
    types: frozenset[EntityType] | None = None
    # The numbers the form's name carries, when not the query's ("1차장" is a dropped title's).
    numbers: tuple[int, ...] | None = None


def _no_ceiling(evidence: Evidence) -> float:
    return 1.0


class PreparedQuery:
    """A query with its keys; the forms (romanizations, titles dropped) are made on first use,
    since a query settled by the exact tiers never needs them."""

    def __init__(self, query: Query) -> None:
        self.query = query
        self.keys = {tier: key_of(query.text) for tier, key_of in TIERS.items()}
        # Set by the resolver: a candidate scoring below `floor` cannot change the outcome, and
        # `ceiling` bounds what any candidate with given evidence can score.
        self.floor = 0.0
        self.ceiling: Callable[[Evidence], float] = _no_ceiling

    @cached_property
    def script(self) -> str:
        return script_of(self.query.text)

    @cached_property
    def numbers(self) -> tuple[int, ...]:
        return numbers(self.query.text)

    @cached_property
    def forms(self) -> tuple[QueryForm, ...]:
        query = self.query
        found = [
            QueryForm(f, PERSONS if _guessed_korean(f, query.language) else None)
            for f in forms(query.text, query.language, query=True)
        ]
        stripped, dropped = strip_titles(query.text)
        if dropped:
            route = tuple(routes.dropped_title(t) for t in dropped)
            found += _narrowed(stripped, route, PERSONS, query.language)
        if inverted := inversion(query.text):
            head, designator = inverted
            whole = f"{designator} {head}"
            found += _narrowed(whole, (routes.uninverted(designator),), None, query.language)
        if possessive := split_possessive(query.text):
            name, ending = possessive
            found += _narrowed(name, (routes.dropped_possessive(ending),), None, query.language)
        if qualified := split_qualifier(query.text):
            name, qualifier = qualified
            route = (routes.dropped_qualifier(qualifier),)
            found += _narrowed(name, route, NOT_PERSONS, query.language)
        return tuple(found)


def _narrowed(
    text: str, route: tuple[Step, ...], types: frozenset[EntityType] | None, language: str
) -> list[QueryForm]:
    """The forms of what is left of the query after dropping a part of it."""
    kept = numbers(text)
    return [
        QueryForm(Form(f.text, route + f.route, f.ascii), types, numbers=kept)
        for f in forms(text, language, query=True)
    ]


def _guessed_korean(form: Form, language: str) -> bool:
    """Untagged Han read as a Korean Hanja name: Korean people are written so, but Chinese and
    Japanese place names read in Korean met other places' names 7 times in 9 on GeoNames."""
    return not language and bool(form.route) and form.route[0].via == routes.HANJA


class CandidateGenerator(Protocol):
    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]: ...


@dataclass(frozen=True, slots=True)
class KeyTier:
    """Aliases whose key in one tier equals the original query's key there."""

    tier: str
    match_kind: MatchKind
    how: str

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        key = query.keys[self.tier]
        evidence = Evidence(Tier(self.tier), letters=_letters(key), numbers_agree=True)
        for item in snapshot.lookup(self.tier, key):
            yield Candidate(
                item.entity,
                item.alias,
                UNSCORED,
                self.match_kind,
                (),
                explain(self.how, item),
                evidence,
            )


def _route(query: Form, snapshot: Snapshot, posting: Posting) -> tuple[Step, ...]:
    """Both sides' steps: how the query and the table name each reached the shared key."""
    item = snapshot.aliases[posting[0]]
    query_side, alias_side = routes.Side.QUERY, routes.Side.ALIAS
    steps = [routes.on(step, query_side) for step in query.route]
    if not query.text.isascii() and not any(map(routes.transliterates, query.route)):
        steps.append(routes.on(_unidecode_step(query.text, script_of(query.text)), query_side))
    table_route = snapshot.routes[posting[1]]
    steps += [routes.on(step, alias_side) for step in table_route]
    if not item.alias.text.isascii() and not any(map(routes.transliterates, table_route)):
        step = _unidecode_step(item.alias.text, item.script, item.alias.language)
        steps.append(routes.on(step, alias_side))
    return tuple(steps)


def _unidecode_step(text: str, script: str, language: str = "") -> Step:
    if script == "Latn":
        return routes.DIACRITICS_FOLDED
    step = routes.unidecoded(script, vowels_dropped=script in ABJADS)
    return replace(step, language=language) if language else step


def _reachable(
    qf: QueryForm, postings: Iterable[Posting], snapshot: Snapshot
) -> Iterator[tuple[Posting, IndexedAlias]]:
    """The aliases behind postings whose entity's type this query form may name."""
    for posting in postings:
        item = snapshot.aliases[posting[0]]
        if qf.types is None or item.entity.type in qf.types:
            yield posting, item


class VariantTiers:
    """Aliases sharing a key with the query in a variant family (transliteration, token order,
    romanization skeletons, initials), over every form of the query."""

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        query_unwritten = query.script in VOWELS_UNWRITTEN
        for qf in query.forms:
            # Families come strictest first. A name met by a strict key is met by every coarser
            # one too ("Kyrylo Budanov" equal is also equal with its tokens sorted): the coarser
            # match is the same evidence blurred, not more of it.
            met: set[Posting] = set()
            for family, key in query_keys(qf.form):
                postings = snapshot.variants.get(family.name, {}).get(key, ())
                for posting, item in _reachable(qf, postings, snapshot):
                    # Consonants alone are evidence only where one side never wrote vowels.
                    if posting in met or (
                        family.name == "cons"
                        and not (query_unwritten or item.script in VOWELS_UNWRITTEN)
                    ):
                        continue
                    met.add(posting)
                    yield self._candidate(query, qf, family, key, item, snapshot, posting)

    @staticmethod
    def _candidate(
        query: PreparedQuery,
        qf: QueryForm,
        family: Family,
        key: str,
        item: IndexedAlias,
        snapshot: Snapshot,
        posting: Posting,
    ) -> Candidate:
        route = _route(qf.form, snapshot, posting)
        how = family.how
        vowels = consonants = 0
        if family.name == "cons":
            table_route = snapshot.routes[posting[1]]
            vowels, consonants = _vowels_agreed(query, qf, item, table_route)
        if vowels:
            agree = "vowel it writes agrees" if vowels == 1 else f"{vowels} vowels it writes agree"
            how = f"{how}, and the {agree}"
        if family.name == "ascii" and routes.accents_only(route):
            how = "equal without diacritics"
        elif family.name == "ascii" and routes.spelled_out(route):
            how = "equal to the name spelled out letter by letter"
        letters = _letters(qf.form.ascii)
        if family.name in SKELETONS:
            letters = min(letters, skeleton_letters(key))
        evidence = Evidence(
            Tier.VARIANT,
            family.name,
            letters,
            vowels=vowels,
            consonants=consonants,
            numbers_agree=_numbers_agree(query, qf, item),
            own_script_missed=_own_script_missed(query, item, snapshot),
        )
        return Candidate(
            item.entity,
            item.alias,
            UNSCORED,
            family.match_kind,
            route,
            explain(how, item, route, evidence),
            evidence,
        )


def _vowels_agreed(
    query: PreparedQuery, qf: QueryForm, item: IndexedAlias, table_route: tuple[Step, ...]
) -> tuple[int, int]:
    """(vowels, consonants) of an abjad or Indic name's written vowels that agree with a Latin
    name met by its consonants, one the query and one the table name; else (0, 0). Whatever form
    met the consonants (a Hebrew query meets them through its readings: letter for letter, vav is
    v), the vowels are read from the names as written, less the qualifier that form dropped."""
    text = _less_qualifier(query.query.text, qf.form.route)
    alias = _less_qualifier(item.alias.text, table_route)
    scripts = (script_of(text), item.script)
    if scripts[0] == "Latn" and (reader := _VOWEL_READERS.get(scripts[1])):
        return reader(alias, text)
    if scripts[1] == "Latn" and (reader := _VOWEL_READERS.get(scripts[0])):
        return reader(text, alias)
    return 0, 0


_VOWEL_READERS = {
    **{script: abjad_vowels.written_vowels_agree for script in ABJADS},
    **{script: abugida_vowels.written_vowels_agree for script in abugida_vowels.SCRIPTS},
}


def _less_qualifier(text: str, route: tuple[Step, ...]) -> str:
    return (split_qualifier(text) or (text, ""))[0] if routes.qualifier_dropped(route) else text


class FuzzyTier:
    """Close but not equal: trigram candidates over transliterated keys, rescored by rapidfuzz."""

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        # A kana query's matches as kana writes them (l as r, m as n) count as equal, whatever
        # their weighted similarity (an l for r at a word's edge counts double there).
        min_similarity = FUZZY_MIN_SIMILARITY
        kana = query.script in KANA
        heard = kana_consonants.of_kana(query.query.text) if kana else _NOTHING_HEARD
        for qf in query.forms[:FUZZY_FORMS]:
            key = qf.form.ascii
            if len(key) < SHORT_KEY:  # too short for an edit to mean anything
                continue
            if not kana:
                edits_at_most = _edits_that_may_count(query, key)
                if edits_at_most == 0:
                    continue
                # k edited letters weigh at most 2k against a key at least as long as this one.
                min_similarity = max(FUZZY_MIN_SIMILARITY, 1.0 - 2 * edits_at_most / len(key))
            long_enough = _letters(key) >= KANA_AS_WRITTEN_LETTERS
            kana_key = _as_kana_writes(key) if kana and long_enough else ""
            for position, _ in snapshot.fuzzy.search(key, min_similarity):
                target = snapshot.fuzzy.keys[position]
                if target == key:  # the ascii family's match
                    continue
                edits = weigh_edits(key, target)
                as_written = bool(kana_key) and _kana_writes_alike(kana_key, target)
                if edits.similarity < min_similarity and not as_written:
                    continue
                for posting, item in _reachable(qf, snapshot.fuzzy_postings[position], snapshot):
                    route = _route(qf.form, snapshot, posting)
                    kept = ""
                    if as_written and item.script == "Latn":
                        how = f"{key!r} = {target!r} as kana writes them (l as r, m as n)"
                    else:
                        similar = f"{edits.described}, similarity {edits.similarity:.2f}"
                        how = f"{key!r} ~ {target!r} ({similar})"
                        kept = _consonants_kept(heard, item, snapshot)
                        if kept:
                            how = f"{how}, keeping the consonant classes {kept} as kana hears them"
                    evidence = Evidence(
                        Tier.FUZZY,
                        letters=_letters(key),
                        edits=edits,
                        numbers_agree=_numbers_agree(query, qf, item),
                        kana_as_written=as_written and item.script == "Latn",
                        consonants_kept=kept,
                        own_script_missed=_own_script_missed(query, item, snapshot),
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


def _edits_that_may_count(query: PreparedQuery, key: str) -> int:
    """The most edited letters a fuzzy candidate of this key may have and still score at the
    resolver's floor; 0 when even one edit scores below it. Bounded by the scorer's ceiling at
    the best a candidate of k edits can be: none at a token's edge or in a short token, the
    other key longer by k (so the most letters left intact), any route."""
    if query.floor <= 0.0:
        return len(key)
    letters = _letters(key)
    most = 0
    for k in range(1, len(key) + 1):
        edits = Edits(0.0, "", k, 0, 0, len(key) + k)
        if query.ceiling(Evidence(Tier.FUZZY, letters=letters, edits=edits)) < query.floor:
            break
        most = k
    return most


_M_BEFORE_LIPS = re.compile(r"m(?=[bp])")


def _as_kana_writes(key: str) -> str:
    """Letters kana writes alike made one: l and r (ラ行), and m and n before b or p (ン)."""
    return _M_BEFORE_LIPS.sub("n", key.replace("l", "r"))


def _kana_writes_alike(kana_key: str, target: str) -> bool:
    """Whether `target` is the kana-read key as kana writes it, tokens joined or not (kana seldom
    marks where a foreign name's words part)."""
    return _as_kana_writes(target).replace(" ", "") == kana_key.replace(" ", "")


_NOTHING_HEARD: Mapping[str, Step] = MappingProxyType({})


def _has_kana_name(item: IndexedAlias, snapshot: Snapshot) -> bool:
    """A kana query meets such an entity through its kana name, not by consonants."""
    return bool(snapshot.scripts_of[item.entity.id] & KANA)


def _consonants_kept(kana: Mapping[str, Step], item: IndexedAlias, snapshot: Snapshot) -> str:
    """The consonant classes a kana query keeps of a Latin alias ("b-s-b-n"); "" for an entity
    with a kana name."""
    if not kana or item.script != "Latn" or _has_kana_name(item, snapshot):
        return ""
    return kana_consonants.kept(kana, item.alias.text)


class KanaConsonantsTier:
    """A kana query's long consonant skeletons looked up among the table's Latin names: names
    too far apart in letters for the fuzzy tier, but the same consonants as kana hears them."""

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        if script_of(query.query.text) not in KANA:
            return
        for skeleton, route in kana_consonants.of_kana(query.query.text).items():
            if len(skeleton) < kana_consonants.INDEXED:
                continue
            for position in snapshot.kana_skeletons.get(skeleton, ()):
                item = snapshot.aliases[position]
                if _has_kana_name(item, snapshot):
                    continue
                how = f"the consonant classes {'-'.join(skeleton)} as kana hears them"
                evidence = Evidence(
                    Tier.KANA_CONSONANTS, letters=len(skeleton), consonants_kept="-".join(skeleton)
                )
                yield Candidate(
                    item.entity,
                    item.alias,
                    UNSCORED,
                    MatchKind.FUZZY,
                    (routes.on(route, routes.Side.QUERY),),
                    explain(how, item),
                    evidence,
                )


class CyrillicTranscriptionTier:
    """A Latin query looked up among the Cyrillic names of entities the table knows in no Latin
    name, by how each source language's spelling is written in Cyrillic."""

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        if not snapshot.cyrillic_sounds or script_of(query.query.text) != "Latn":
            return  # reading the query costs ~0.1 ms: not for a table with no such entity
        for key, language in cyrillic_transcription.of_latin(query.query.text).items():
            for position in snapshot.cyrillic_sounds.get(key, ()):
                item = snapshot.aliases[position]
                how = f"read {routes.read_as(language)}, as Cyrillic writes it ({key!r})"
                # The key has no digits: "Torino 03" is Торино's key too, so numbers are evidence.
                evidence = Evidence(
                    Tier.CYRILLIC_TRANSCRIPTION,
                    letters=_letters(key),
                    numbers_agree=_numbers_agree(query, query.forms[0], item),
                )
                yield Candidate(
                    item.entity,
                    item.alias,
                    UNSCORED,
                    MatchKind.TRANSLITERATED,
                    (routes.on(routes.as_cyrillic_writes(language), routes.Side.QUERY),),
                    explain(how, item, (), evidence),
                    evidence,
                )


def _letters(key: str) -> int:
    return len(key.replace(" ", ""))


def _own_script_missed(query: PreparedQuery, item: IndexedAlias, snapshot: Snapshot) -> bool:
    """Whether the alias is in another script than the query, though the entity has names in
    the query's script: those, the query did not meet as well."""
    return item.script != query.script and query.script in snapshot.scripts_of[item.entity.id]


def _numbers_agree(query: PreparedQuery, qf: QueryForm, item: IndexedAlias) -> bool:
    carried = query.numbers if qf.numbers is None else qf.numbers
    return carried == item.numbers


EXACT_TIERS: tuple[KeyTier, ...] = (
    KeyTier("exact", MatchKind.EXACT, "equal after Unicode NFKC and case folding"),
    KeyTier("folded", MatchKind.NORMALIZED, "equal after punctuation and space folding"),
)
GENERATORS: tuple[CandidateGenerator, ...] = (
    *EXACT_TIERS,
    VariantTiers(),
    FuzzyTier(),
    KanaConsonantsTier(),
    CyrillicTranscriptionTier(),
)


def explain(
    how: str, item: IndexedAlias, route: tuple[Step, ...] = (), evidence: Evidence | None = None
) -> str:
    """How the query met the alias, in one sentence; the alias entry itself (kind, source, file
    and line) travels beside it as structured data."""
    if evidence is not None and not evidence.numbers_agree:
        # A rival, never the answer (resolver.needs_context): say why.
        how = f"{how}, but the numbers differ"
    alias = item.alias
    lang = f" [{alias.language}]" if alias.language else ""
    kind = alias.kind.value.replace("_", " ")
    text = f"{how}: the {kind} {alias.text!r}{lang}"
    if alias.context_only:
        text += "; this alias also names others, so only context can settle it"
    elif routes.qualifier_dropped(route):
        text += (
            "; met without the qualifier that tells it from namesakes: only context can settle it"
        )
    elif evidence is not None and evidence.family == NAME_PART.name:
        text += "; one part of a name alone: only context can settle it"
    return text
