"""What the resolver answers: queries, candidates and outcomes, in engine terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from entnorm_server.evidence import Evidence, Support, Term
from entnorm_server.model import Alias, Entity, EntityType
from entnorm_server.routes import Step

DEFAULT_MAX_CANDIDATES = 5


class Outcome(StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNRESOLVED = "unresolved"
    ERROR = "error"  # the server failed on this query; the others of its request are answered


class MatchKind(StrEnum):
    EXACT = "exact"
    NORMALIZED = "normalized"
    TRANSLITERATED = "transliterated"
    TOKEN_REORDER = "token_reorder"
    FUZZY = "fuzzy"


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    types: frozenset[EntityType] = frozenset()
    language: str = ""
    max_candidates: int = DEFAULT_MAX_CANDIDATES
    threshold: float | None = None  # overrides the policy's, for this query
    context: QueryContext | None = None


@dataclass(frozen=True, slots=True)
class QueryContext:
    """What a caller knows around a name: entity ids, the text it came from, a country."""

    entity_ids: tuple[str, ...] = ()
    text: str = ""
    country: str = ""  # a country entity id, "country:kr"

    def __bool__(self) -> bool:
        return bool(self.entity_ids or self.text or self.country)


@dataclass(frozen=True, slots=True)
class Candidate:
    entity: Entity
    alias: Alias
    score: float
    match_kind: MatchKind
    route: tuple[Step, ...] = ()  # the query's steps and the alias's, each marked with its side
    explanation: str = ""
    evidence: Evidence | None = None  # what the generator found; None from a plug-in generator
    terms: tuple[Term, ...] = ()  # how the scorer weighed the evidence, largest effect first
    context: tuple[Support, ...] = ()  # the context that settled it, when context did


@dataclass(frozen=True, slots=True)
class QueryFailure:
    """Why one query got no answer: said to the caller without the exception's text."""

    reason: str
    message: str
    request_id: str


@dataclass(frozen=True, slots=True)
class Resolution:
    outcome: Outcome
    candidates: tuple[Candidate, ...] = field(default=())
    normalized_text: str = ""
    failure: QueryFailure | None = None
