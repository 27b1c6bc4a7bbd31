"""Plain, frozen results, converted from the wire messages.

Callers get dataclasses with lowercase string enums ("person", "resolved", "misrendering") instead
of protobuf messages, and `as_dict()` / `to_json()` for JSON lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import Field, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, ClassVar

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_client.enums import (
    ALIAS_KINDS,
    CONTEXT_EVIDENCE_KINDS,
    ENTITY_TYPES,
    MATCH_KINDS,
    OUTCOMES,
    ROUTE_MARKS,
    ROUTE_SIDES,
    ROUTE_STEP_KINDS,
)
from entnorm_client.errors import EntnormError, status_code
from entnorm_client.request_ids import with_request_id


class _Record:
    """JSON conversion shared by the dataclasses below."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready values: lists for tuples, ISO 8601 for times."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    def to_json(self) -> str:
        """One line of JSON, non-ASCII kept as is."""
        return json.dumps(self.as_dict(), ensure_ascii=False)


def _plain(value: object) -> object:
    if isinstance(value, _Record):
        return value.as_dict()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Context(_Record):
    """What is known around a name: entity ids already known, the text it came from, and a
    country (ISO 3166-1 alpha-2 "KR" or "country:kr"). It may settle a name that is ambiguous
    alone; the candidate's `context_evidence` says what did."""

    entity_ids: tuple[str, ...] = ()
    text: str = ""
    country: str = ""

    def to_proto(self) -> pb.QueryContext:
        return pb.QueryContext(entity_ids=self.entity_ids, text=self.text, country=self.country)


@dataclass(frozen=True)
class Query(_Record):
    """One name to resolve, with its own filters.

    `types` are labels from `ENTITY_TYPES` ("person", "organization", "country", "place"); empty
    means all types. `max_candidates` 0 means the server default; `threshold` (in (0, 1])
    overrides the server's RESOLVED threshold for this name; `context` may settle it.
    """

    text: str
    types: tuple[str, ...] = ()
    language: str = ""
    max_candidates: int = 0
    threshold: float | None = None
    context: Context | None = None

    def __post_init__(self) -> None:
        # Fail here, in the caller's code, rather than halfway through a stream.
        for label in self.types:
            ENTITY_TYPES.number(label)

    def to_proto(self) -> pb.NameQuery:
        return pb.NameQuery(
            text=self.text,
            types=[ENTITY_TYPES.number(label) for label in self.types],
            language=self.language,
            max_candidates=self.max_candidates,
            threshold=self.threshold,
            context=self.context.to_proto() if self.context else None,
        )


@dataclass(frozen=True)
class AliasEntry(_Record):
    """A curated name or alias of an entity; `kind` is e.g. "name" or "misrendering"."""

    text: str
    language: str
    kind: str
    note: str
    source: str
    file: str
    line: int
    # The correct name of others too: it never resolves a query on its own.
    context_only: bool = False
    layer: str = ""  # "curated" (the editors' tables) or the machine-made layer it came from

    @classmethod
    def from_proto(cls, message: pb.AliasEntry) -> AliasEntry:
        return cls(
            text=message.text,
            language=message.language,
            kind=ALIAS_KINDS.label(message.kind),
            note=message.note,
            source=message.source,
            file=message.location.file,
            line=message.location.line,
            context_only=message.context_only,
            layer=message.layer,
        )


@dataclass(frozen=True)
class RouteStep(_Record):
    """One step that turned the query ("query") or the alias ("alias") into the shared key."""

    side: str
    kind: str  # "romanize", "fold", "respell", "transcribe", "drop_title", "drop_qualifier"
    source_script: str
    language: str
    system: str
    variant: str
    marks: tuple[str, ...]  # e.g. "vowels guessed"
    via: str
    dropped_text: str

    @classmethod
    def from_proto(cls, message: pb.RouteStep) -> RouteStep:
        return cls(
            side=ROUTE_SIDES.label(message.side),
            kind=ROUTE_STEP_KINDS.label(message.kind),
            source_script=message.source_script,
            language=message.language,
            system=message.system,
            variant=message.variant,
            marks=tuple(ROUTE_MARKS.label(m).replace("_", " ") for m in message.marks),
            via=message.via,
            dropped_text=message.dropped_text,
        )


@dataclass(frozen=True)
class Edits(_Record):
    """The edits between the query's key and the alias's, for a fuzzy match."""

    letters: int
    at_token_edges: int
    in_short_tokens: int
    key_length: int
    described: str
    token_share: float  # the largest share of one token's letters changed; 1: a whole token


@dataclass(frozen=True)
class ScoreTerm(_Record):
    """One feature's share of a score: value × weight is added to the log-odds."""

    feature: str
    value: float
    weight: float


@dataclass(frozen=True)
class Evidence(_Record):
    """What a match rests on, and how the server's scorer weighed it."""

    tier: str  # "exact", "folded", "variant", "fuzzy", ...
    key_family: str  # for the variant tier: "ascii", "sorted", "cons", ...
    letters: int
    edits: Edits | None
    vowels_agreeing: int
    consonants_met: int
    numbers_agree: bool
    score_terms: tuple[ScoreTerm, ...]
    rival_near: bool  # a fuzzy match with another entity's name as near, or one edit further

    @classmethod
    def from_proto(cls, message: pb.MatchEvidence) -> Evidence:
        e = message.edits if message.HasField("edits") else None
        return cls(
            tier=message.tier,
            key_family=message.key_family,
            letters=message.letters,
            edits=None
            if e is None
            else Edits(
                e.letters,
                e.at_token_edges,
                e.in_short_tokens,
                e.key_length,
                e.described,
                e.token_share,
            ),
            vowels_agreeing=message.vowels_agreeing,
            consonants_met=message.consonants_met,
            numbers_agree=message.numbers_agree,
            score_terms=tuple(ScoreTerm(t.feature, t.value, t.weight) for t in message.score_terms),
            rival_near=message.rival_near,
        )


@dataclass(frozen=True)
class ContextEvidence(_Record):
    """One piece of context that settled a candidate: `kind` is "same_entity", "related", "role"
    or "country"; `entity_id` the known entity that spoke for it; `text` where it was seen (or
    the role word) at code-point offset `start` of the context text or document (-1: none)."""

    kind: str
    entity_id: str
    text: str
    start: int

    @classmethod
    def from_proto(cls, message: pb.ContextEvidence) -> ContextEvidence:
        return cls(
            CONTEXT_EVIDENCE_KINDS.label(message.kind),
            message.entity_id,
            message.text,
            message.start,
        )


@dataclass(frozen=True)
class Candidate(_Record):
    """One entity a query may name, with the alias entry that matched and how."""

    entity_id: str
    display_name: str
    type: str
    score: float
    match_kind: str
    matched_alias: AliasEntry | None
    route: tuple[str, ...]
    explanation: str
    route_steps: tuple[RouteStep, ...] = ()
    evidence: Evidence | None = None
    context_evidence: tuple[ContextEvidence, ...] = ()

    @classmethod
    def from_proto(cls, message: pb.Candidate) -> Candidate:
        alias = message.matched_alias if message.HasField("matched_alias") else None
        return cls(
            entity_id=message.entity_id,
            display_name=message.display_name,
            type=ENTITY_TYPES.label(message.type),
            score=message.score,
            match_kind=MATCH_KINDS.label(message.match_kind),
            matched_alias=AliasEntry.from_proto(alias) if alias is not None else None,
            route=tuple(message.route),
            explanation=message.explanation,
            route_steps=tuple(RouteStep.from_proto(s) for s in message.route_steps),
            evidence=Evidence.from_proto(message.evidence)
            if message.HasField("evidence")
            else None,
            context_evidence=tuple(ContextEvidence.from_proto(c) for c in message.context_evidence),
        )


@dataclass(frozen=True)
class QueryFailure(_Record):
    """Why the server could not answer one query (the wire's QueryError).

    `code` is the gRPC status name, e.g. "INTERNAL"; `reason` the UPPER_SNAKE reason; the server's
    log has the failure under `request_id`.
    """

    code: str
    message: str
    reason: str
    request_id: str

    @classmethod
    def from_proto(cls, message: pb.QueryError) -> QueryFailure:
        return cls(
            code=status_code(message.code).name,
            message=message.message,
            reason=message.reason,
            request_id=message.request_id,
        )

    def __str__(self) -> str:
        return with_request_id(f"{self.code}: {self.message}", self.request_id)


@dataclass(frozen=True)
class Resolution(_Record):
    """The answer to one query: "resolved", "ambiguous" or "unresolved", candidates best first;
    or "error" when the server failed on this query alone, with `error` saying why (the other
    queries of the call are answered)."""

    query: str
    outcome: str
    candidates: tuple[Candidate, ...]
    normalized_text: str
    revision: str
    error: QueryFailure | None = None
    scorer_version: str = ""  # the server's scorer that made the scores

    @classmethod
    def from_proto(
        cls, query: str, message: pb.Resolution, revision: str, scorer_version: str = ""
    ) -> Resolution:
        error = message.error if message.HasField("error") else None
        return cls(
            query=query,
            outcome=OUTCOMES.label(message.outcome),
            candidates=tuple(Candidate.from_proto(c) for c in message.candidates),
            normalized_text=message.normalized_text,
            revision=revision,
            error=QueryFailure.from_proto(error) if error is not None else None,
            scorer_version=scorer_version,
        )

    @property
    def failed(self) -> bool:
        """True when the server failed on this query (outcome "error")."""
        return self.outcome == "error"

    @property
    def best(self) -> Candidate | None:
        """The top candidate, if any; only "resolved" makes it the answer."""
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class LocalizedName(_Record):
    """A name of an entity in one language (BCP-47 tag), and where it comes from if known."""

    language: str
    text: str
    source: str = ""
    layer: str = ""


@dataclass(frozen=True)
class Entity(_Record):
    """A curated entity, as its alias table describes it."""

    id: str
    type: str
    display_name: str
    names: tuple[LocalizedName, ...]
    aliases: tuple[AliasEntry, ...]
    # Excluded from the hash: a dict cannot be hashed, and the id already identifies the entity.
    external_ids: Mapping[str, str] = field(hash=False)
    related_ids: tuple[str, ...]
    file: str
    line: int
    revision: str
    not_same_as: tuple[str, ...] = ()  # ids and names never to be matched to this entity
    roles: tuple[str, ...] = ()  # role words that, near a mention, are context for it

    @classmethod
    def from_proto(cls, message: pb.Entity, revision: str) -> Entity:
        return cls(
            id=message.id,
            type=ENTITY_TYPES.label(message.type),
            display_name=message.display_name,
            names=tuple(
                LocalizedName(n.language, n.text, n.source, n.layer) for n in message.names
            ),
            aliases=tuple(AliasEntry.from_proto(a) for a in message.aliases),
            external_ids=dict(sorted(message.external_ids.items())),
            related_ids=tuple(message.related_ids),
            file=message.location.file,
            line=message.location.line,
            revision=revision,
            not_same_as=tuple(message.not_same_as),
            roles=tuple(message.roles),
        )


@dataclass(frozen=True)
class SourceFile(_Record):
    """One alias table that went into a revision."""

    path: str
    sha256: str
    entity_count: int


@dataclass(frozen=True)
class ReloadAttempt(_Record):
    """The server's last load of the tables; a failed one left the last good revision serving.
    `problems` are "file:line:column: message"."""

    attempted_at: datetime | None
    succeeded: bool
    revision: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Layer(_Record):
    """A machine-made layer of the tables: its manifest, and how many entities it holds."""

    name: str
    source: str
    licence: str
    priority: int
    folder: str
    entity_count: int


@dataclass(frozen=True)
class DataRevision(_Record):
    """The loaded snapshot of the alias tables; `loaded_at` is in UTC. `held_revisions` are
    those a request may pin, the one serving first."""

    revision: str
    loaded_at: datetime | None
    entity_count: int
    alias_count: int
    source_files: tuple[SourceFile, ...]
    scorer_version: str = ""
    held_revisions: tuple[str, ...] = ()
    last_reload: ReloadAttempt | None = None
    layers: tuple[Layer, ...] = ()  # the machine-made layers, highest priority first

    @classmethod
    def from_proto(cls, message: pb.DataRevision) -> DataRevision:
        loaded_at = message.loaded_at.ToDatetime(UTC) if message.HasField("loaded_at") else None
        return cls(
            revision=message.revision,
            loaded_at=loaded_at,
            entity_count=message.entity_count,
            alias_count=message.alias_count,
            source_files=tuple(
                SourceFile(f.path, f.sha256, f.entity_count) for f in message.source_files
            ),
            scorer_version=message.scorer_version,
            held_revisions=tuple(message.held_revisions),
            last_reload=_reload_attempt(message.last_reload)
            if message.HasField("last_reload")
            else None,
            layers=tuple(
                Layer(la.name, la.source, la.licence, la.priority, la.folder, la.entity_count)
                for la in message.layers
            ),
        )


def _reload_attempt(message: pb.ReloadAttempt) -> ReloadAttempt:
    at = message.attempted_at
    return ReloadAttempt(
        attempted_at=at.ToDatetime(UTC) if message.HasField("attempted_at") else None,
        succeeded=message.succeeded,
        revision=message.revision,
        problems=tuple(message.problems),
    )


def paired_resolutions(
    texts: Sequence[str], messages: Sequence[pb.Resolution], revision: str, scorer_version: str = ""
) -> list[Resolution]:
    """Resolutions for queries and the answers the server gave them, in the same order."""
    if len(messages) != len(texts):
        # The API promises one answer per query; pairing a short list would shift every answer.
        raise EntnormError(f"the server answered {len(messages)} of {len(texts)} queries")
    return [
        Resolution.from_proto(text, message, revision, scorer_version)
        for text, message in zip(texts, messages, strict=True)
    ]


@dataclass(frozen=True)
class Mention(_Record):
    """One name found in a text: `start` and `end` are code-point offsets into the exact text
    sent (Python: text[start:end]); `resolution` its answer; `decided_by` the indices of the
    mentions whose entities settled it by context."""

    start: int
    end: int
    text: str
    resolution: Resolution
    decided_by: tuple[int, ...] = ()

    @classmethod
    def from_proto(cls, message: pb.Mention, resolution: Resolution) -> Mention:
        return cls(message.start, message.end, message.text, resolution, tuple(message.decided_by))


@dataclass(frozen=True)
class Annotation(_Record):
    """A text's mentions, in text order, and the data revision that found them."""

    mentions: tuple[Mention, ...]
    revision: str
    scorer_version: str = ""
    document_id: str = ""

    @classmethod
    def from_proto(
        cls,
        mentions: Sequence[pb.Mention],
        answers: Sequence[pb.Resolution],
        revision: str,
        scorer_version: str,
        document_id: str = "",
    ) -> Annotation:
        # A document names the same entities again and again: each answer comes once, and one
        # converted for an earlier document is taken as it is (the bytes say it is the same).
        converted: dict[tuple[int, str], Resolution] = {}
        found = []
        for m in mentions:
            if not 0 <= m.answer < len(answers):
                raise EntnormError(f"the server's mention {m.text!r} points to no answer")
            key = (m.answer, m.text)
            answer = converted.get(key)
            if answer is None:
                answer = converted[key] = _answer(
                    m.text, answers[m.answer], revision, scorer_version
                )
            found.append(Mention.from_proto(m, answer))
        return cls(tuple(found), revision, scorer_version, document_id)


_ANSWERS: dict[tuple[str, bytes, str, str], Resolution] = {}
_ANSWERS_LIMIT = 4096


def _answer(text: str, message: pb.Resolution, revision: str, scorer_version: str) -> Resolution:
    key = (text, message.SerializeToString(), revision, scorer_version)
    answer = _ANSWERS.get(key)
    if answer is None:
        if len(_ANSWERS) >= _ANSWERS_LIMIT:
            _ANSWERS.clear()
        answer = _ANSWERS[key] = Resolution.from_proto(text, message, revision, scorer_version)
    return answer
