"""The one scorer: a candidate's evidence to the probability that it is the query's entity.

A logistic regression over `features()`, fitted by bench/fit_scorer.py on the evaluation suite's
fit split, its threshold and margin chosen on dev, and shipped as data (data/scorer.json). The
server only reads the weights; the fit and its figures live in bench/.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from entnorm_server.evidence import Evidence, Term
from entnorm_server.features import ROUTE_FACTS_THAT_MAY_RAISE, features, group
from entnorm_server.model import Alias, AliasKind, Entity, EntityType
from entnorm_server.resolution import Candidate, MatchKind

SHIPPED = "scorer.json"
SEEN = 65536  # scores remembered by their evidence, then forgotten all at once


class ScorerFileError(ValueError):
    """A scorer file that cannot be read as one: says which field is wrong."""


@dataclass(frozen=True, slots=True)
class Scorer:
    name: str
    version: str  # e.g. "logistic-2026-12-05+3f9a1c2e": the fit's date and the file's hash
    bias: float
    weights: Mapping[str, float]
    threshold: float  # RESOLVED needs at least this probability ...
    margin: float  # ... and this lead over the runner-up
    _seen: dict[object, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def unfitted_cap(self) -> float:
        """The most a candidate of a kind of match the fit never saw may score: under the
        threshold by the margin, so it is offered, and stands as a rival, but never decides."""
        return round(max(0.0, self.threshold - self.margin), 6)

    def terms(self, candidate: Candidate) -> tuple[Term, ...]:
        """The weighed features, largest effect first: what the explanation names."""
        weights = self.weights
        found = [Term(k, v, weights[k]) for k, v in features(candidate).items() if k in weights]
        return tuple(sorted(found, key=lambda t: (-abs(t.contribution), t.feature)))

    def probability(self, candidate: Candidate) -> float:
        # The features depend on the evidence, the route and whether the entity is a person
        # (features.py); the same three recur across candidates and queries.
        key = (candidate.evidence, candidate.route, candidate.entity.type is EntityType.PERSON)
        found = self._seen.get(key)
        if found is None:
            weights = self.weights
            named = features(candidate)
            z = self.bias + sum(v * weights.get(k, 0.0) for k, v in named.items())
            # Rounded so that equal evidence gives equal scores, whatever the summation order.
            found = round(1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0, 6)
            if group(candidate) not in weights:
                # Evidence of a kind the fit never saw: offered, never decided on the base rate.
                found = min(found, self.unfitted_cap)
            self._remember(key, found)
        return found

    def _remember(self, key: object, value: float) -> None:
        if len(self._seen) >= SEEN:
            self._seen.clear()
        self._seen[key] = value

    def ceiling(self, evidence: Evidence) -> float:
        """The highest probability any candidate with this evidence can get, whatever its route
        and entity: route facts count only where they may raise a score (features.sign 0), at
        their most. A generator may leave out what scores below it (see FuzzyTier)."""
        key = ("ceiling", evidence)  # asked per query form and edit count: the same few recur
        found = self._seen.get(key)
        if found is None:
            weights = self.weights
            named = _features_of_evidence(evidence)
            z = self.bias + sum(v * weights.get(k, 0.0) for k, v in named.items())
            z += sum(max(0.0, weights.get(name, 0.0)) for name in ROUTE_FACTS_THAT_MAY_RAISE)
            found = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
            self._remember(key, found)
        return found

    def scored(self, candidate: Candidate) -> Candidate:
        """The candidate with its probability as its score. One without evidence (a plug-in
        generator's) keeps the score it brought."""
        if candidate.evidence is None:
            return candidate
        return replace(candidate, score=self.probability(candidate))

    def weighed(self, candidate: Candidate) -> Candidate:
        """The candidate with the terms of its score, for the few that are answered."""
        if candidate.evidence is None:
            return candidate
        return replace(candidate, terms=self.terms(candidate))

    @classmethod
    def from_json(cls, text: str, where: str = SHIPPED) -> Scorer:
        try:
            data: dict[str, Any] = json.loads(text)
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            threshold, margin = float(data["threshold"]), float(data["margin"])
            bias = float(data["bias"])
            name, fitted = str(data["name"]), str(data["version"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ScorerFileError(f"{where}: not a scorer file ({exc!r})") from exc
        if not 0.0 < threshold <= 1.0 or not 0.0 <= margin < 1.0:
            raise ScorerFileError(f"{where}: threshold must be in (0, 1], margin in [0, 1)")
        digest = hashlib.sha256(text.encode()).hexdigest()[:8]
        return cls(name, f"{fitted}+{digest}", bias, MappingProxyType(weights), threshold, margin)

    @classmethod
    def from_path(cls, path: Path) -> Scorer:
        return cls.from_json(path.read_text(encoding="utf-8"), str(path))


@cache
def shipped() -> Scorer:
    """The scorer that ships in the package, read once."""
    text = resources.files("entnorm_server").joinpath("data", SHIPPED).read_text("utf-8")
    return Scorer.from_json(text)


def _features_of_evidence(evidence: Evidence) -> dict[str, float]:
    """The features of a candidate with this evidence and no route (a stand-in entity and
    alias: no feature reads them but the route's Wade-Giles check)."""
    return features(
        Candidate(_STAND_IN, _STAND_IN.aliases[0], 0.0, MatchKind.FUZZY, (), "", evidence)
    )


_STAND_IN = Entity("person:-", EntityType.PERSON, "-", (Alias("-", AliasKind.NAME, ""),))
