"""Annotating a document: find every name, resolve each, then let the certain ones settle the rest.

A document is resolved as a whole. Its names are found by the snapshot's mention index; each
distinct text is resolved once, alone. The mentions resolved with certainty are then context
for the others: an ambiguous "Kim Tae-hyung" in a text that names South Korea's National
Security Office is Kim Tae-hyo, the office's deputy, and the explanation names the mentions
that decided it. Settled mentions become context in turn, for one more pass.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, replace
from types import MappingProxyType

from entnorm_server.annotation.spotting import Spot, to_the_end
from entnorm_server.context import Known, Sighting, country_id, settle
from entnorm_server.evidence import Support, SupportKind
from entnorm_server.limits import MAX_CANDIDATES
from entnorm_server.model import EntityType
from entnorm_server.normalize import folded_key
from entnorm_server.resolution import Outcome, Query, QueryContext, Resolution
from entnorm_server.resolver import Resolver, context_can_settle
from entnorm_server.snapshot import Snapshot

NEARBY_CHARS = 80  # a caller's context text: role words count this close to the name
ROLE_WORDS = 3  # in a document: role words count this many words either side of a mention
_WORD = re.compile(r"\S+")
PASSES = 2  # settled mentions are context for one more pass


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # code-point offsets into the exact input, end exclusive
    end: int
    text: str
    resolution: Resolution
    # The mentions whose entities settled this one, by index in the document's mentions.
    decided_by: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    types: frozenset[EntityType] = frozenset()
    language: str = ""
    max_candidates: int = 3


def annotate(
    snapshot: Snapshot,
    resolver: Resolver,
    text: str,
    settings: Settings = Settings(),
    context: QueryContext | None = None,
) -> list[Mention]:
    """Every mention of the tables' entities in text, resolved together; unresolved finds are
    left out."""
    return to_the_end(annotating(snapshot, resolver, text, settings, context))


def annotating(
    snapshot: Snapshot,
    resolver: Resolver,
    text: str,
    settings: Settings = Settings(),
    context: QueryContext | None = None,
) -> Generator[None, None, list[Mention]]:
    """`annotate` as a job for the work pool: it yields every few mentions, so that a long
    document shares the server with small calls and stops soon once its caller is gone."""
    found: list[_Found] = []
    parts: list[Spot] = []
    spots = yield from snapshot.mentions.finding(text)
    for n, spot in enumerate(spots, start=1):
        if spot.part_of:
            parts.append(spot)
            continue
        written = text[spot.start : spot.end]
        alone = _resolve_alone(snapshot, resolver, written, spot.aliases, settings)
        found.append(_Found(spot.start, spot.end, written, alone))
        if n % _STEP == 0:
            yield
    given = _given(context)
    open_ = [i for i, f in enumerate(found) if f.resolution.outcome is Outcome.AMBIGUOUS]
    for _ in range(PASSES):
        settling = _Settling(text, _certain(found, given), snapshot, resolver)
        settled: set[int] = set()
        for n, i in enumerate(open_, start=1):
            if settling.settle(found[i]):
                settled.add(i)
            if n % _STEP == 0:
                yield
        if not settled:
            break
        open_ = [i for i in open_ if i not in settled]
    certain = _certain(found, Known())
    for spot in parts:
        named = _part(spot, text, certain, found, settings)
        if named is not None:
            found.append(named)
    yield
    return _in_order(found, settings.max_candidates)


_STEP = 64  # mentions between yields: about a millisecond of work


class _Found:
    """A mention while its document is being resolved."""

    __slots__ = ("decided_by", "end", "resolution", "start", "text")

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        resolution: Resolution,
        decided_by: tuple[int, ...] = (),
    ) -> None:
        self.start, self.end, self.text = start, end, text
        self.resolution, self.decided_by = resolution, decided_by


def _part(
    spot: Spot, text: str, certain: Known, found: list[_Found], settings: Settings
) -> _Found | None:
    """A word of a person's full name found alone ("Буданова" after "Кирило Буданов") is that
    person when the document names exactly one of its owners in full with certainty."""
    named = [certain.entities[i] for i in spot.part_of if i in certain.entities]
    if len(named) != 1:
        return None
    full = found[named[0].mention]
    best = full.resolution.candidates[0]
    if settings.types and best.entity.type not in settings.types:
        return None
    written = text[spot.start : spot.end]
    candidate = replace(
        best,
        explanation=f"{written!r} is part of {full.text!r} (at {full.start}), the name in full"
        f" of {best.entity.id} in this document; {best.explanation}",
        context=(Support(SupportKind.SAME_ENTITY, best.entity.id, full.text, full.start),),
    )
    resolution = Resolution(Outcome.RESOLVED, (candidate,), folded_key(written))
    return _Found(spot.start, spot.end, written, resolution, (named[0].mention,))


def _in_order(found: list[_Found], max_candidates: int) -> list[Mention]:
    """The answered mentions in text order, `decided_by` renumbered to their places."""
    kept = sorted(
        (i for i, f in enumerate(found) if f.resolution.outcome is not Outcome.UNRESOLVED),
        key=lambda i: found[i].start,
    )
    place = {i: n for n, i in enumerate(kept)}
    mentions = []
    for i in kept:
        f = found[i]
        decided = tuple(place[d] for d in f.decided_by if d in place)
        mentions.append(
            Mention(f.start, f.end, f.text, _answered(f.resolution, max_candidates), decided)
        )
    return mentions


def known_from(snapshot: Snapshot, resolver: Resolver, context: QueryContext, name: str) -> Known:
    """A caller's context for one name: its ids and country, and from its text the entities
    named there with certainty and the words around the name (or the text, if short)."""
    given = _given(context)
    entities = dict(given.entities)
    nearby, nearby_start = "", -1
    if context.text:
        own = folded_key(name)
        for mention in annotate(snapshot, resolver, context.text):
            # The name itself, found in its own sentence, must not vouch for itself.
            if mention.resolution.outcome is Outcome.RESOLVED and folded_key(mention.text) != own:
                best = mention.resolution.candidates[0].entity.id
                entities.setdefault(best, Sighting(mention.text, mention.start))
        at = context.text.casefold().find(name.casefold())
        if at >= 0:
            nearby_start = max(0, at - NEARBY_CHARS)
            nearby = context.text[nearby_start : at + len(name) + NEARBY_CHARS]
        elif len(context.text) <= 2 * NEARBY_CHARS:
            nearby, nearby_start = context.text, 0
    return Known(MappingProxyType(entities), given.country, nearby, nearby_start)


def resolve_in_context(snapshot: Snapshot, resolver: Resolver, query: Query) -> Resolution:
    """A name's answer, with its context when it carries one."""
    if not query.context:
        return resolver.resolve(snapshot, query)
    return resolver.resolve(
        snapshot, query, known_from(snapshot, resolver, query.context, query.text)
    )


def _given(context: QueryContext | None) -> Known:
    if context is None:
        return Known()
    ids = {i: Sighting() for i in context.entity_ids}
    return Known(MappingProxyType(ids), country_id(context.country) if context.country else "")


def _resolve_alone(
    snapshot: Snapshot,
    resolver: Resolver,
    written: str,
    aliases: tuple[str, ...],
    settings: Settings,
) -> Resolution:
    """A found text's answer alone, remembered across documents. An inflected form
    (Зеленського, found as Зеленський) is resolved as the table writes it, and the explanation
    says so."""
    key = (
        snapshot.revision,
        resolver.scorer.version,
        resolver.policy,
        written,
        aliases,
        settings.types,
        settings.language,
    )
    remembered = _ALONE.get(key)
    if remembered is not None:
        return remembered
    inflected = bool(aliases) and folded_key(written) not in {folded_key(a) for a in aliases}
    query = Query(written, settings.types, settings.language, MAX_CANDIDATES)
    if not inflected:
        resolution = resolver.resolve(snapshot, query)
    else:
        table_form = aliases[0]
        resolution = resolver.resolve(snapshot, replace(query, text=table_form))
        candidates = tuple(
            replace(c, explanation=f"{written!r} is a form of {table_form!r}; {c.explanation}")
            for c in resolution.candidates
        )
        resolution = replace(resolution, candidates=candidates)
    if len(_ALONE) >= _ALONE_LIMIT:
        _ALONE.clear()
    _ALONE[key] = resolution
    return resolution


# Answers of found texts alone, by revision, scorer, policy, text and settings: a pipeline's
# documents name the same entities again and again. Answers are immutable; a full cache starts
# over rather than tracking use.
_ALONE: dict[tuple[object, ...], Resolution] = {}
_ALONE_LIMIT = 100_000


def _certain(found: list[_Found], given: Known) -> Known:
    """The given context plus every entity a mention resolved to, where it was first seen."""
    entities = dict(given.entities)
    seen: set[int] = set()
    for index, f in enumerate(found):
        resolution = f.resolution
        if resolution.outcome is Outcome.RESOLVED and id(resolution) not in seen:
            seen.add(id(resolution))
            best = resolution.candidates[0].entity.id
            entities.setdefault(best, Sighting(f.text, f.start, index))
    return Known(MappingProxyType(entities), given.country)


class _Settling:
    """One pass of settling a document's ambiguous mentions by its certain ones. Mentions with
    the same answer alone settle alike unless role words may stand near them (then each has its
    own words, and the explanation their place): each is worked out once."""

    def __init__(self, text: str, certain: Known, snapshot: Snapshot, resolver: Resolver) -> None:
        self.text, self.certain, self.snapshot, self.resolver = text, certain, snapshot, resolver
        self.done: dict[tuple[int, int], tuple[Resolution, tuple[int, ...]] | None] = {}

    def settle(self, mention: _Found) -> bool:
        """Settle an ambiguous mention if its context decides; True if it did."""
        candidates = mention.resolution.candidates
        roles = any(c.entity.roles for c in candidates)
        nearby, start = _around(self.text, mention.start, mention.end) if roles else ("", -1)
        key = (id(mention.resolution), start)
        if key not in self.done:
            self.done[key] = self._settled(mention.resolution, nearby, start)
        outcome = self.done[key]
        if outcome is None:
            return False
        mention.resolution, mention.decided_by = outcome
        return True

    def _settled(
        self, resolution: Resolution, nearby: str, start: int
    ) -> tuple[Resolution, tuple[int, ...]] | None:
        # An ambiguous mention is no certain sighting, so it never vouches for itself here.
        known = replace(self.certain, nearby=nearby, nearby_start=start)
        policy = self.resolver.policy
        settled = settle(
            resolution.candidates,
            known,
            self.snapshot.related_to,
            threshold=policy.threshold,
            margin=policy.margin,
            can_settle=context_can_settle,
        )
        if settled.winner is None:
            return None
        sightings = self.certain.entities
        decided = sorted(
            {
                sightings[s.entity_id].mention
                for s in settled.winner.context
                if s.entity_id in sightings and sightings[s.entity_id].mention >= 0
            }
        )
        answer = replace(resolution, outcome=Outcome.RESOLVED, candidates=settled.candidates)
        return answer, tuple(decided)


def _around(text: str, start: int, end: int) -> tuple[str, int]:
    """The mention with ROLE_WORDS words either side ("the city of Kursk", "Kim Tae-hyo,
    first deputy director"), and where that stretch starts."""
    reach = 20 * ROLE_WORDS
    before_start = max(0, start - reach)
    starts = [m.start() for m in _WORD.finditer(text, before_start, start)]
    first = starts[-ROLE_WORDS] if len(starts) >= ROLE_WORDS else before_start
    ends = [m.end() for m in _WORD.finditer(text, end, min(len(text), end + reach))]
    last = ends[ROLE_WORDS - 1] if len(ends) >= ROLE_WORDS else min(len(text), end + reach)
    return text[first:last], first


def _answered(resolution: Resolution, max_candidates: int) -> Resolution:
    """The answer cut to max_candidates, the same object for the same answer across documents
    (so that its conversion for the wire is made once too)."""
    key = (id(resolution), max_candidates)
    held = _CUT.get(key)
    if held is not None and held[0] is resolution:
        return held[1]
    cut = replace(resolution, candidates=resolution.candidates[:max_candidates])
    if len(_CUT) >= _ALONE_LIMIT:
        _CUT.clear()
    _CUT[key] = (resolution, cut)  # the answer held, so its id names it while it is here
    return cut


_CUT: dict[tuple[int, int], tuple[Resolution, Resolution]] = {}
