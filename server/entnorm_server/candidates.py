"""Candidate generators: each turns a prepared query into candidates from a snapshot's indexes.

The resolver runs every generator and keeps each entity's best candidate, so a generator only
says what it found and how; it never decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from types import MappingProxyType
from typing import Protocol

from entnorm_server import routes
from entnorm_server.evidence import Evidence, Tier
from entnorm_server.fuzzy import weigh_edits
from entnorm_server.model import EntityType
from entnorm_server.normalize import VOWELS_UNWRITTEN, numbers, script_of
from entnorm_server.qualifiers import split_qualifier
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
    FAMILIES,
    SHORT_KEY,
    Family,
    Form,
    forms,
    query_keys,
    skeleton_letters,
)

# A name reached only by dropping a part (a title, a qualifier) or by guessing whose it is (a
# Han name read as Korean) is a little less certain than the name whole.
NARROWED_PENALTY = 0.99
SHORT_KEY_SCORE = 0.8  # offered, below the threshold: too short, or the numbers differ
# A Latin name equal to a Hangul or kana name spelled out letter for letter ("beleullin", 베를린)
# is that name as written, like an accent dropped: it leads, by the margin, a match through a
# reading (Berlin, another city's name, met through 베를린's loanword reading).
SPELLED_OUT_SCORE = 0.97
LOSSY_PENALTY = 0.95  # per route step that guessed or dropped vowels or guessed sounds
# A Hebrew reading guesses every vowel that aleph, vav and yod leave open: on GeoNames its matches
# of fewer than 8 letters named the right city 161 times in 184; from 8 letters, 37 in 38.
HEBREW_DECISIVE_LETTERS = 8
# A loanword reading guesses sounds (what Greek μπ ντ γκ stand for, which kana vowels were
# added). The Greek reading's 4-letter answers on GeoNames were right 1 time in 3 ("Baja" for
# Μπατζά); from 5 letters 55 in 61, where 4 of the 6 others named a city that bears the name too
# (Galatsi is also Galați, Γκαλάτσι).
SOUNDS_GUESSED_DECISIVE_LETTERS = 5
# A Ukrainian reading of a Cyrillic name that might as well be Russian guesses its language.
# On GeoNames such readings decided 80 answers below 6 letters, only 61 of them right (Мари read
# "Mary" is Murray in Kentucky, not Mary in Turkmenistan); from 6 letters 619 in 644.
LANGUAGE_GUESSED_DECISIVE_LETTERS = 6
# Untagged kanji read in Japanese (translit/japanese.py) may be a Chinese name: 松江 is Songjiang
# too, read "Matsue". On GeoNames the 6-letter answers such readings decided were right 133
# times in 141; from 7 letters 447 in 453.
JAPANESE_GUESSED_DECISIVE_LETTERS = 7
ABJADS = frozenset({"Arab", "Hebr"})
# Same consonants, and every vowel the abjad name writes stands where the Latin name has one of
# its kind (translit/abjad_vowels.py: غلاستونبوري, Glastonbury). From 3 such vowels between 5
# consonants it decides, a margin below a name met equal (0.92): on GeoNames those answers were
# right 1,269 times in 1,274 where the name alone could tell (3 more named a city left out of
# the table). Fewer letters are offered, but at 0.845 they stand within the margin of a
# transliteration with guessed vowels (0.874): the answers such a rival unsettled on GeoNames
# had been right 367 times in 431 (322 in 330 where the name alone could tell; most of the others
# named a namesake). The vowel signs of an Indic name are read alike (translit/abugida_vowels.py:
# മാഡിസൺ, Madison) and scored alike: on GeoNames that settled 98 answers the consonants had left
# open where the name alone could tell, 3 of them wrong (Victoriaville, left out of the table,
# met Victorville's विक्टोरविले).
WRITTEN_VOWELS_SCORE = 0.86
WRITTEN_VOWELS_OFFERED = 0.845
WRITTEN_VOWELS_DECISIVE = (3, 5)  # (vowels, consonants)
# Fuzzy scores stay below every key tier (similarity 1.0 -> 0.90) and reach the threshold
# (0.85) at similarity 0.91: one edit in 11 letters. On GeoNames one edit in ten letters named
# another city one time in ten ("Kirovqrad", "Kirovoqrad"); from 11 letters, one in 200.
FUZZY_SCALE = 0.9
FUZZY_SLOPE = 0.05 / 0.09
FUZZY_MIN_SIMILARITY = 0.75
FUZZY_FORMS = 3  # query forms tried fuzzily: the original and its likeliest romanizations
# Katakana writes l and r alike (ラ行), and m and n before b or p (ン), so a kana name read
# "Savonrinna" is Savonlinna as written: scored as equal. From 8 letters such matches decided 49
# times on GeoNames, all right; shorter ones, tried as exact keys, were right 65 times in 76, so
# they stay fuzzy.
KANA = frozenset({"Kana", "Hira"})
KANA_AS_WRITTEN_LETTERS = 8
# A kana query near a Latin name whose consonants it keeps, as kana hears them
# (translit/kana_consonants.py), clears the threshold, but stays a margin below a name met equal
# (0.92: ターラント is Taranto, not Tarrant).
KANA_CONSONANTS_SCORE = 0.86
# Found by its skeleton alone, with no near spelling to start from: a notch less, so that a name
# kana writes alike (0.855 at the least) explains the match when there is one.
KANA_SKELETON_SCORE = 0.855
# A Latin name written in Cyrillic as its source language says it (Burghausen, Бургхаузен;
# translit/cyrillic_transcription.py): a transliteration matched with its vowels, but one of
# several readings tried, so a margin below a name met equal (0.92).
CYRILLIC_TRANSCRIPTION_SCORE = 0.87
ASCII_SCORE = next(f.score for f in FAMILIES if f.name == "ascii")
COMPACT_SCORE = next(f.score for f in FAMILIES if f.name == "compact")


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


class PreparedQuery:
    """A query with its keys; the forms (romanizations, titles dropped) are made on first use,
    since a query settled by the exact tiers never needs them."""

    def __init__(self, query: Query) -> None:
        self.query = query
        self.keys = {tier: key_of(query.text) for tier, key_of in TIERS.items()}
        # Set by the resolver: candidates scoring below this cannot change the decision.
        self.floor = 0.0

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
        if qualified := split_qualifier(query.text):
            name, qualifier = qualified
            route = (routes.dropped_qualifier(qualifier),)
            found += _narrowed(name, route, NOT_PERSONS, query.language)
        return tuple(found)


def _narrowed(
    text: str, route: tuple[Step, ...], types: frozenset[EntityType], language: str
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
    @property
    def max_score(self) -> float:
        """No candidate of this generator scores higher: lets the resolver skip it."""
        ...

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]: ...


@dataclass(frozen=True, slots=True)
class KeyTier:
    """Aliases whose key in one tier equals the original query's key there."""

    tier: str
    match_kind: MatchKind
    score: float
    how: str

    @property
    def max_score(self) -> float:
        return self.score

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        key = query.keys[self.tier]
        evidence = Evidence(Tier(self.tier), letters=_letters(key), numbers_agree=True)
        for item in snapshot.lookup(self.tier, key):
            yield Candidate(
                item.entity,
                item.alias,
                self.score,
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


def _score(base: float, form: QueryForm, route: tuple[Step, ...]) -> float:
    narrowed = form.types is not None or routes.qualifier_dropped(route)
    return base * NARROWED_PENALTY if narrowed else base


def _penalized(score: float, route: tuple[Step, ...]) -> float:
    return score * LOSSY_PENALTY ** routes.lossy_steps(route)


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

    max_score = max(
        max(f.score, f.diacritics_score or 0.0, f.long_key[1] if f.long_key else 0.0)
        for f in FAMILIES
    )

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        query_unwritten = script_of(query.query.text) in VOWELS_UNWRITTEN
        for qf in query.forms:
            for family, key in query_keys(qf.form):
                postings = snapshot.variants.get(family.name, {}).get(key, ())
                for posting, item in _reachable(qf, postings, snapshot):
                    # Consonants alone are evidence only where one side never wrote vowels.
                    if family.name == "cons" and not (
                        query_unwritten or item.script in VOWELS_UNWRITTEN
                    ):
                        continue
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
        base, how = family.score, family.how
        vowels = consonants = 0
        if family.long_key and len(key) >= family.long_key[0]:
            base = family.long_key[1]
        elif family.name == "cons":
            table_route = snapshot.routes[posting[1]]
            vowels, consonants = _vowels_agreed(query, qf, item, table_route)
        if vowels:
            least_vowels, least_consonants = WRITTEN_VOWELS_DECISIVE
            decisive = vowels >= least_vowels and consonants >= least_consonants
            base = WRITTEN_VOWELS_SCORE if decisive else WRITTEN_VOWELS_OFFERED
            agree = "vowel it writes agrees" if vowels == 1 else f"{vowels} vowels it writes agree"
            how = f"{how}, and the {agree}"
        score = _score(base, qf, route)
        accents_only = routes.accents_only(route)
        diacritics_score = family.diacritics_score if accents_only else None
        if diacritics_score is not None:
            score, how = _score(diacritics_score, qf, route), "equal without diacritics"
        elif family.name == "ascii" and routes.spelled_out(route):
            score, how = (
                _score(SPELLED_OUT_SCORE, qf, route),
                "equal to the name spelled out letter by letter",
            )
        # Equal keys of two spellings in one abjad are no guess; a fuzzy edit among bare
        # consonants still is (the fuzzy tier keeps the penalty).
        if family.needs_vowels and not routes.one_script(route):
            score = _penalized(score, route)
        # Read from the abjad's own letters, the vowels are no reading's guess to discount.
        if diacritics_score is None and not vowels:
            score, how = _evidence_checked(score, how, qf.form, family, key, route)
        score, how = _numbers_checked(score, how, query, qf, item)
        score, how = _wade_giles_checked(score, how, route, item)
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
        )
        return Candidate(
            item.entity,
            item.alias,
            score,
            family.match_kind,
            route,
            explain(how, item, route),
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

    max_score = max(FUZZY_SCALE, ASCII_SCORE)  # kana as written: see KANA_AS_WRITTEN_LETTERS

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        # Only similarities that can reach the floor matter; a high floor makes the search cheap.
        # A kana query's matches as kana writes them (l as r, m as n) score as equal, whatever
        # their weighted similarity (an l for r at a word's edge counts double there).
        min_similarity = max(FUZZY_MIN_SIMILARITY, fuzzy_similarity_for(query.floor))
        kana = script_of(query.query.text) in KANA and query.floor <= ASCII_SCORE
        if kana:
            min_similarity = FUZZY_MIN_SIMILARITY
        if min_similarity > 1.0:
            return
        heard = kana_consonants.of_kana(query.query.text) if kana else _NOTHING_HEARD
        for qf in query.forms[:FUZZY_FORMS]:
            key = qf.form.ascii
            if len(key) < SHORT_KEY:  # too short for an edit to mean anything
                continue
            long_enough = _letters(key) >= KANA_AS_WRITTEN_LETTERS
            kana_key = _as_kana_writes(key) if kana and long_enough else ""
            for position, _ in snapshot.fuzzy.search(key, min_similarity):
                target = snapshot.fuzzy.keys[position]
                if target == key:  # the ascii family's match, with its own rules and caps
                    continue
                edits = weigh_edits(key, target)
                as_written = _kana_equal_score(kana_key, target) if kana_key else None
                if edits.similarity < min_similarity and as_written is None:
                    continue
                for posting, item in _reachable(qf, snapshot.fuzzy_postings[position], snapshot):
                    route = _route(qf.form, snapshot, posting)
                    kept = ""
                    if as_written is not None and item.script == "Latn":
                        score = _penalized(_score(as_written, qf, route), route)
                        how = f"{key!r} = {target!r} as kana writes them (l as r, m as n)"
                    else:
                        score = _penalized(_score(fuzzy_score(edits.similarity), qf, route), route)
                        similar = f"{edits.described}, similarity {edits.similarity:.2f}"
                        how = f"{key!r} ~ {target!r} ({similar})"
                        raised = _score(KANA_CONSONANTS_SCORE, qf, route)
                        # Only a score the rule would raise is worth reading consonants for.
                        kept = _consonants_kept(heard, item, snapshot) if raised > score else ""
                        if kept:
                            score = raised
                            how = f"{how}, keeping the consonant classes {kept} as kana hears them"
                    if routes.both_transliterated(route):
                        # Near, after two lossy renderings: evidence to offer, not to decide.
                        score, how = _offered(score, how, "only as romanizations of two scripts")
                    score, how = _numbers_checked(score, how, query, qf, item)
                    score, how = _wade_giles_checked(score, how, route, item)
                    evidence = Evidence(
                        Tier.FUZZY,
                        letters=_letters(key),
                        edits=edits,
                        numbers_agree=_numbers_agree(query, qf, item),
                        kana_as_written=as_written is not None and item.script == "Latn",
                        consonants_kept=kept,
                    )
                    yield Candidate(
                        item.entity,
                        item.alias,
                        score,
                        MatchKind.FUZZY,
                        route,
                        explain(how, item, route),
                        evidence,
                    )


_M_BEFORE_LIPS = re.compile(r"m(?=[bp])")


def _as_kana_writes(key: str) -> str:
    """Letters kana writes alike made one: l and r (ラ行), and m and n before b or p (ン)."""
    return _M_BEFORE_LIPS.sub("n", key.replace("l", "r"))


def _kana_equal_score(kana_key: str, target: str) -> float | None:
    """A variant family's score when `target` is the kana-written key as written: equal (the
    ascii family's), or equal with tokens joined (the compact family's: kana seldom marks where a
    foreign name's words part); None otherwise."""
    written = _as_kana_writes(target)
    if written == kana_key:
        return ASCII_SCORE
    if written.replace(" ", "") == kana_key.replace(" ", ""):
        return COMPACT_SCORE
    return None


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

    max_score = KANA_SKELETON_SCORE

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
                    KANA_SKELETON_SCORE,
                    MatchKind.FUZZY,
                    (routes.on(route, routes.Side.QUERY),),
                    explain(how, item),
                    evidence,
                )


class CyrillicTranscriptionTier:
    """A Latin query looked up among the Cyrillic names of entities the table knows in no Latin
    name, by how each source language's spelling is written in Cyrillic."""

    max_score = CYRILLIC_TRANSCRIPTION_SCORE

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        if not snapshot.cyrillic_sounds or script_of(query.query.text) != "Latn":
            return  # reading the query costs ~0.1 ms: not for a table with no such entity
        for key, language in cyrillic_transcription.of_latin(query.query.text).items():
            for position in snapshot.cyrillic_sounds.get(key, ()):
                item = snapshot.aliases[position]
                how = f"read {routes.read_as(language)}, as Cyrillic writes it ({key!r})"
                # The key has no digits: "Torino 03" is Торино's key too.
                score, how = _numbers_checked(
                    CYRILLIC_TRANSCRIPTION_SCORE, how, query, query.forms[0], item
                )
                evidence = Evidence(
                    Tier.CYRILLIC_TRANSCRIPTION,
                    letters=_letters(key),
                    numbers_agree=_numbers_agree(query, query.forms[0], item),
                )
                yield Candidate(
                    item.entity,
                    item.alias,
                    score,
                    MatchKind.TRANSLITERATED,
                    (routes.on(routes.as_cyrillic_writes(language), routes.Side.QUERY),),
                    explain(how, item),
                    evidence,
                )


def _letters(key: str) -> int:
    return len(key.replace(" ", ""))


def fuzzy_score(similarity: float) -> float:
    return FUZZY_SCALE - FUZZY_SLOPE * (1.0 - similarity)


def fuzzy_similarity_for(score: float) -> float:
    """The lowest similarity whose fuzzy score reaches `score` (fuzzy_score's inverse)."""
    return 1.0 - (FUZZY_SCALE - score) / FUZZY_SLOPE


def _offered(score: float, how: str, why: str) -> tuple[float, str]:
    """Cap a score below the threshold, saying why, if the cap lowers it at all."""
    if score <= SHORT_KEY_SCORE:
        return score, how
    return SHORT_KEY_SCORE, f"{how}, but {why}"


def _numbers_agree(query: PreparedQuery, qf: QueryForm, item: IndexedAlias) -> bool:
    carried = query.numbers if qf.numbers is None else qf.numbers
    return carried == item.numbers


def _numbers_checked(
    score: float, how: str, query: PreparedQuery, qf: QueryForm, item: IndexedAlias
) -> tuple[float, str]:
    """Names that carry different numbers ("Lyon 3" and "Lyon", "Louis XIV" and "Louis XVI") are
    offered, never decided: a skeleton or an edit that loses a number finds a sibling."""
    if _numbers_agree(query, qf, item):
        return score, how
    return _offered(score, how, "the numbers differ")


def _evidence_checked(
    score: float, how: str, form: Form, family: Family, key: str, route: tuple[Step, ...]
) -> tuple[float, str]:
    """Equal keys that are too weak to decide: a short name (accents dropped from one are still
    the name, so the caller skips those), or two scripts' romanizations with guessed vowels."""
    decisive = family.decisive_letters
    if routes.uses(route, routes.HEBREW_READER):
        decisive = max(decisive, HEBREW_DECISIVE_LETTERS)
    if routes.marked(route, routes.Mark.SOUNDS_GUESSED):
        decisive = max(decisive, SOUNDS_GUESSED_DECISIVE_LETTERS)
    if routes.marked(route, routes.Mark.LANGUAGE_GUESSED):
        decisive = max(decisive, LANGUAGE_GUESSED_DECISIVE_LETTERS)
    if routes.uses(route, routes.JAPANESE_READING, routes.Mark.LANGUAGE_GUESSED):
        decisive = max(decisive, JAPANESE_GUESSED_DECISIVE_LETTERS)
    letters = _letters(form.ascii)
    if family.name in SKELETONS:
        # A skeleton merges letters: Chiyoda's Slavic one is Хеда's (cheda), 5 letters, not 7.
        letters = min(letters, skeleton_letters(key))
    if letters < decisive:
        return _offered(score, how, f"{letters} letters are too few to decide")
    if routes.both_transliterated(route) and routes.lossy_steps(route):
        # Right only 42 times in 49 on GeoNames.
        why = "only as romanizations of two scripts, one with guessed vowels"
        return _offered(score, how, why)
    return score, how


def _wade_giles_checked(
    score: float, how: str, route: tuple[Step, ...], item: IndexedAlias
) -> tuple[float, str]:
    """A Wade-Giles match decides only for a person; anything else is offered.

    Wade-Giles marks aspiration only by an apostrophe, which every key folds away, so
    "Yung-ching" is 永靖 and 永清 alike: on GeoNames its matches named another place 3 times in
    10. People's names in it (Chiang Kai-shek, Hsi Chin-p'ing) are the use it keeps."""
    if item.entity.type is EntityType.PERSON or not routes.uses(route, routes.WADE_GILES):
        return score, how
    return _offered(score, how, "Wade-Giles decides only for people")


EXACT_TIERS: tuple[KeyTier, ...] = (
    KeyTier("exact", MatchKind.EXACT, 1.0, "equal after Unicode NFKC and case folding"),
    KeyTier("folded", MatchKind.NORMALIZED, 0.97, "equal after punctuation and space folding"),
)
GENERATORS: tuple[CandidateGenerator, ...] = (
    *EXACT_TIERS,
    VariantTiers(),
    FuzzyTier(),
    KanaConsonantsTier(),
    CyrillicTranscriptionTier(),
)


def explain(how: str, item: IndexedAlias, route: tuple[Step, ...] = ()) -> str:
    """How the query met the alias, in one sentence; the alias entry itself (kind, source, file
    and line) travels beside it as structured data."""
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
    return text
