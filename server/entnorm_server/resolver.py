"""The resolver: prepare the query, generate candidates, score them, rank them, decide.

It holds no data: the snapshot comes with every call, so a reload never touches a resolver.
Every generator runs on every query. The fuzzy tier may leave out candidates that the scorer's
ceiling proves cannot reach the floor (the lowest score that could still change the outcome,
less the margin): the outcome is the same as with every candidate, only the list may be shorter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from entnorm_server import routes
from entnorm_server.context import Known, settle
from entnorm_server.generators import GENERATORS, CandidateGenerator, PreparedQuery
from entnorm_server.model import AliasKind
from entnorm_server.resolution import Candidate, MatchKind, Outcome, Query, Resolution
from entnorm_server.scorer import Scorer, shipped
from entnorm_server.snapshot import Snapshot
from entnorm_server.variants import NAME_PART


@dataclass(frozen=True, slots=True)
class DecisionPolicy:
    """RESOLVED needs a best candidate of at least `threshold` that beats the next by `margin`;
    the scorer's file sets both."""

    threshold: float
    margin: float

    def decide(self, ranked: Sequence[Candidate]) -> Outcome:
        if not ranked:
            return Outcome.UNRESOLVED
        best = ranked[0]
        if best.score < self.threshold or needs_context(best):
            return Outcome.AMBIGUOUS
        # Rounded: a lead of exactly the margin counts, whatever floats say.
        if len(ranked) > 1 and round(best.score - ranked[1].score, 9) < self.margin:
            return Outcome.AMBIGUOUS
        return Outcome.RESOLVED


def needs_context(candidate: Candidate) -> bool:
    """A rival, never an answer: an alias that also names others; a name met only without the
    qualifier that tells it from its namesakes ("Kilburn" of "Kilburn, London"); one part of
    a person's name alone ("Putin", "Abbas"), which the world shares however few people the
    table holds (editors who want a surname to decide curate it as a short name); a name
    that carries other numbers ("Lyon 3" and "Lyon", "Louis XIV" and "Louis XVI"); or a near
    name with a quarter of one part changed ("Shin Won-suk", "Kim Jong-pil", "Vladimir Pushkin"),
    which names someone else as often as it is a slip. The table cannot say so: it holds the
    names it knows, not their neighbours in the world."""
    evidence = candidate.evidence
    return (
        candidate.alias.context_only
        or routes.qualifier_dropped(candidate.route)
        or (
            evidence is not None
            and (
                evidence.family == NAME_PART.name
                or not evidence.numbers_agree
                or (evidence.edits is not None and evidence.edits.part_changed)
            )
        )
    )


def context_can_settle(candidate: Candidate) -> bool:
    """Context may choose a name's reading, never excuse a different name: a near name with a
    part changed ("Shin Won-suk") or other numbers ("Louis XVI") names someone else as often as
    it slips, and context related to the text is what both look like."""
    evidence = candidate.evidence
    return evidence is None or (
        evidence.numbers_agree and (evidence.edits is None or not evidence.edits.part_changed)
    )


def _preference(candidate: Candidate, language: str) -> tuple[float, bool, float, bool, bool, bool]:
    """Higher is better: the score to two places, then a key met whole over a near one (of two
    matches that score alike, "equal after German transliteration" says more than "one letter
    off"), then the score, a safe alias, a name, the hinted language."""
    alias = candidate.alias
    same_language = bool(language) and alias.language.split("-")[0] == language.split("-")[0]
    return (
        round(candidate.score, 2),
        candidate.match_kind is not MatchKind.FUZZY,
        candidate.score,
        not needs_context(candidate),
        alias.kind is AliasKind.NAME,
        same_language,
    )


def _preferred(candidate: Candidate, held: Candidate | None, language: str) -> bool:
    return held is None or _preference(candidate, language) > _preference(held, language)


def _rank_key(candidate: Candidate, language: str) -> tuple[float, int, int, int, str]:
    _, _, score, safe, name, same = _preference(candidate, language)
    return (-score, -safe, -name, -same, candidate.entity.display_name)


class Resolver:
    def __init__(
        self,
        generators: Sequence[CandidateGenerator] = GENERATORS,
        policy: DecisionPolicy | None = None,
        scorer: Scorer | None = None,
        *,
        exhaustive: bool = False,
    ) -> None:
        self.generators = tuple(generators)
        self.scorer = scorer or shipped()
        self.policy = policy or DecisionPolicy(self.scorer.threshold, self.scorer.margin)
        # Every candidate, even those that cannot change the outcome: for fitting the scorer.
        self.exhaustive = exhaustive

    def resolve(self, snapshot: Snapshot, query: Query, known: Known | None = None) -> Resolution:
        """query's answer; with known context, an AMBIGUOUS answer may be settled by it."""
        policy = self.policy
        if query.threshold is not None:
            policy = replace(policy, threshold=query.threshold)
        prepared = PreparedQuery(query)
        blocked = snapshot.blocked_names.get(prepared.keys["folded"], frozenset())
        best: dict[str, Candidate] = {}
        safe: dict[str, Candidate] = {}  # each entity's best that needs no context
        scored = self.scorer.scored
        prepared.ceiling = self.scorer.ceiling
        for generator in self.generators:
            if not self.exhaustive:
                prepared.floor = _floor(best, safe, policy.margin)
            for found in generator.candidates(prepared, snapshot.indexed):
                entity = found.entity
                if entity.id in blocked or (query.types and entity.type not in query.types):
                    continue
                candidate = scored(found)
                if _preferred(candidate, best.get(entity.id), query.language):
                    best[entity.id] = candidate
                if not needs_context(candidate) and _preferred(
                    candidate, safe.get(entity.id), query.language
                ):
                    safe[entity.id] = candidate
        ranked = sorted(_never_with(best, snapshot), key=lambda c: _rank_key(c, query.language))
        outcome = policy.decide(ranked)
        if outcome is Outcome.AMBIGUOUS and ranked and ranked[0].entity.id in safe:
            # The best entity's strongest match needs context ("Kilburn" of "Kilburn, London"),
            # but another of its matches may settle it on its own, clear of every rival.
            settled = [safe[ranked[0].entity.id], *ranked[1:]]
            if policy.decide(settled) is Outcome.RESOLVED:
                ranked, outcome = settled, Outcome.RESOLVED
        if outcome is Outcome.AMBIGUOUS and known:
            by_context = settle(
                ranked,
                known,
                snapshot.related_to,
                threshold=policy.threshold,
                margin=policy.margin,
                can_settle=context_can_settle,
            )
            if by_context.winner is not None:
                ranked, outcome = list(by_context.candidates), Outcome.RESOLVED
        answered = tuple(self.scorer.weighed(c) for c in ranked[: query.max_candidates])
        return Resolution(outcome, answered, prepared.keys["folded"])

    def resolve_many(self, snapshot: Snapshot, queries: Sequence[Query]) -> list[Resolution]:
        return [self.resolve(snapshot, q) for q in queries]

    def warm_up(self, snapshot: Snapshot) -> None:
        """Resolve one name per script so that lazy loads (ICU, pinyin and Hanja dictionaries)
        happen before the server reports SERVING, not in the first caller's request."""
        for text in WARM_UP_NAMES:
            self.resolve(snapshot, Query(text))


WARM_UP_NAMES = (
    "Kim Jong Un",
    "김정은",
    "金正恩",
    "习近平",
    "Зеленський",
    "Ζελένσκι",
    "زيلينسكي",
    "זלנסקי",
    "ゼレンスキー",
    "Vladimir Putn",
)


def _floor(best: dict[str, Candidate], safe: dict[str, Candidate], margin: float) -> float:
    """Below this, a new candidate of any entity changes neither who leads nor whether the lead
    holds: it is the margin under the leader's score, or under the leader's best match that
    needs no context if that is lower (it may settle the outcome on its own)."""
    if not best:
        return 0.0
    leader = max(best.values(), key=lambda c: c.score)
    settling = safe.get(leader.entity.id)
    low = min(leader.score, settling.score) if settling is not None else leader.score
    return low - margin


def _never_with(best: dict[str, Candidate], snapshot: Snapshot) -> list[Candidate]:
    """Drop a candidate that an editor declared not_same_as a better-matching one."""
    kept = []
    for candidate in best.values():
        rivals = snapshot.never_with.get(candidate.entity.id, frozenset())
        if not any(r in best and best[r].score > candidate.score for r in rivals):
            kept.append(candidate)
    return kept
