"""The resolver: prepare the query, generate candidates, rank them, decide.

It holds no data: the snapshot comes with every call, so a reload never touches a resolver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from entnorm_server import routes
from entnorm_server.candidates import GENERATORS, CandidateGenerator, PreparedQuery
from entnorm_server.model import AliasKind
from entnorm_server.resolution import Candidate, Outcome, Query, Resolution
from entnorm_server.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class DecisionPolicy:
    """RESOLVED needs a best candidate above `threshold` that beats the next by `margin`."""

    threshold: float = 0.85
    margin: float = 0.05

    def decide(self, ranked: Sequence[Candidate]) -> Outcome:
        if not ranked:
            return Outcome.UNRESOLVED
        best = ranked[0]
        if best.score < self.threshold or needs_context(best):
            return Outcome.AMBIGUOUS
        # Scores are decimal constants: 0.97 - 0.92 is a lead of 0.05, whatever floats say.
        if len(ranked) > 1 and round(best.score - ranked[1].score, 9) < self.margin:
            return Outcome.AMBIGUOUS
        return Outcome.RESOLVED


def needs_context(candidate: Candidate) -> bool:
    """An alias that also names others, or a name met only without the qualifier that tells it
    from its namesakes ("Kilburn" of "Kilburn, London"): a rival, never an answer."""
    return candidate.alias.context_only or routes.qualifier_dropped(candidate.route)


def _preference(candidate: Candidate, language: str) -> tuple[float, bool, bool, bool]:
    """Higher is better: score, then a safe alias, then a name, then the hinted language."""
    alias = candidate.alias
    same_language = bool(language) and alias.language.split("-")[0] == language.split("-")[0]
    return (
        candidate.score,
        not needs_context(candidate),
        alias.kind is AliasKind.NAME,
        same_language,
    )


def _preferred(candidate: Candidate, held: Candidate | None, language: str) -> bool:
    return held is None or _preference(candidate, language) > _preference(held, language)


def _rank_key(candidate: Candidate, language: str) -> tuple[float, int, int, int, str]:
    score, safe, name, same = _preference(candidate, language)
    return (-score, -safe, -name, -same, candidate.entity.display_name)


class Resolver:
    def __init__(
        self,
        generators: Sequence[CandidateGenerator] = GENERATORS,
        policy: DecisionPolicy | None = None,
        *,
        exhaustive: bool = False,
    ) -> None:
        self.generators = tuple(generators)
        self.policy = policy or DecisionPolicy()
        # Run every generator fully, even those that cannot change the decision: for fitting
        # the scorer, which needs every candidate's evidence.
        self.exhaustive = exhaustive

    def resolve(self, snapshot: Snapshot, query: Query) -> Resolution:
        policy = self.policy
        if query.threshold is not None:
            policy = replace(policy, threshold=query.threshold)
        prepared = PreparedQuery(query)
        blocked = snapshot.blocked_names.get(prepared.keys["folded"], frozenset())
        best: dict[str, Candidate] = {}
        safe: dict[str, Candidate] = {}  # each entity's best that needs no context
        top = 0.0
        for generator in self.generators:
            # Skip a generator that cannot come within the margin of what is found: it could
            # add candidates to the list but not change the decision.
            prepared.floor = 0.0 if self.exhaustive else top - policy.margin
            if prepared.floor > generator.max_score:
                continue
            for candidate in generator.candidates(prepared, snapshot):
                entity = candidate.entity
                if entity.id in blocked or (query.types and entity.type not in query.types):
                    continue
                if _preferred(candidate, best.get(entity.id), query.language):
                    best[entity.id] = candidate
                    top = max(top, candidate.score)
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
        return Resolution(outcome, tuple(ranked[: query.max_candidates]), prepared.keys["folded"])

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


def _never_with(best: dict[str, Candidate], snapshot: Snapshot) -> list[Candidate]:
    """Drop a candidate that an editor declared not_same_as a better-matching one."""
    kept = []
    for candidate in best.values():
        rivals = snapshot.never_with.get(candidate.entity.id, frozenset())
        if not any(r in best and best[r].score > candidate.score for r in rivals):
            kept.append(candidate)
    return kept
