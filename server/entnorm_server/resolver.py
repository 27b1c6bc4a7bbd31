"""The resolver: prepare the query, generate candidates, rank them, decide.

It holds no data: the snapshot comes with every call, so a reload never touches a resolver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from entnorm_server.candidates import EXACT_TIERS, CandidateGenerator, PreparedQuery
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
        if best.score < self.threshold or best.alias.context_only:
            return Outcome.AMBIGUOUS
        if len(ranked) > 1 and best.score - ranked[1].score < self.margin:
            return Outcome.AMBIGUOUS
        return Outcome.RESOLVED


def _preference(candidate: Candidate, language: str) -> tuple[float, bool, bool, bool]:
    """Higher is better: score, then a safe alias, then a name, then the hinted language."""
    alias = candidate.alias
    same_language = bool(language) and alias.language.split("-")[0] == language.split("-")[0]
    return (candidate.score, not alias.context_only, alias.kind is AliasKind.NAME, same_language)


def _rank_key(candidate: Candidate, language: str) -> tuple[float, int, int, int, str]:
    score, safe, name, same = _preference(candidate, language)
    return (-score, -safe, -name, -same, candidate.entity.display_name)


class Resolver:
    def __init__(
        self,
        generators: Sequence[CandidateGenerator] = EXACT_TIERS,
        policy: DecisionPolicy | None = None,
    ) -> None:
        self.generators = tuple(generators)
        self.policy = policy or DecisionPolicy()

    def resolve(self, snapshot: Snapshot, query: Query) -> Resolution:
        prepared = PreparedQuery.of(query)
        best: dict[str, Candidate] = {}
        for generator in self.generators:
            for candidate in generator.candidates(prepared, snapshot):
                if query.types and candidate.entity.type not in query.types:
                    continue
                held = best.get(candidate.entity.id)
                if held is None or _preference(candidate, query.language) > _preference(
                    held, query.language
                ):
                    best[candidate.entity.id] = candidate
        ranked = sorted(best.values(), key=lambda c: _rank_key(c, query.language))
        return Resolution(
            self.policy.decide(ranked),
            tuple(ranked[: query.max_candidates]),
            prepared.keys["folded"],
        )

    def resolve_many(self, snapshot: Snapshot, queries: Sequence[Query]) -> list[Resolution]:
        return [self.resolve(snapshot, q) for q in queries]
