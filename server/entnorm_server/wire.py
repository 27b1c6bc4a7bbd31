"""Conversions between engine objects and the entnorm.v1 wire types, in one place."""

from __future__ import annotations

from collections.abc import Sequence

from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import code_pb2

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_server.annotation.documents import Mention
from entnorm_server.model import Alias, AliasKind, Entity, EntityType, Location
from entnorm_server.resolution import Candidate, MatchKind, Outcome, Resolution
from entnorm_server.routes import Kind, Mark, Side, Step, describe_all
from entnorm_server.snapshot import Snapshot
from entnorm_server.store import ReloadAttempt

# Wire enum values are the engine member names behind the proto prefix: ENTITY_TYPE_PERSON.


def entity_type_to_wire(value: EntityType) -> pb.EntityType.ValueType:
    return pb.EntityType.Value(f"ENTITY_TYPE_{value.name}")


_TYPE_FROM_WIRE = {int(entity_type_to_wire(t)): t for t in EntityType}


def entity_type_from_wire(value: int) -> EntityType | None:
    return _TYPE_FROM_WIRE.get(value)


def _location(location: Location | None) -> pb.SourceLocation | None:
    if location is None:
        return None
    return pb.SourceLocation(file=location.file, line=location.line)


def alias_to_wire(alias: Alias) -> pb.AliasEntry:
    return pb.AliasEntry(
        text=alias.text,
        language=alias.language,
        kind=pb.AliasKind.Value(f"ALIAS_KIND_{alias.kind.name}"),
        note=alias.note,
        source=alias.source,
        location=_location(alias.location),
        context_only=alias.context_only,
        layer=alias.layer,
    )


def step_to_wire(step: Step) -> pb.RouteStep:
    side = "UNSPECIFIED" if step.side is Side.NONE else step.side.name
    return pb.RouteStep(
        side=pb.RouteSide.Value(f"ROUTE_SIDE_{side}"),
        kind=pb.RouteStepKind.Value(f"ROUTE_STEP_KIND_{step.kind.name}"),
        source_script=step.source,
        language=step.language,
        system=step.system,
        variant=step.variant,
        marks=[pb.RouteMark.Value(f"ROUTE_MARK_{m.name}") for m in Mark if m in step.marks],
        via=step.via,
        dropped_text=step.text,
    )


def candidate_to_wire(candidate: Candidate) -> pb.Candidate:
    return pb.Candidate(
        entity_id=candidate.entity.id,
        display_name=candidate.entity.display_name,
        type=entity_type_to_wire(candidate.entity.type),
        score=candidate.score,
        match_kind=pb.MatchKind.Value(f"MATCH_KIND_{candidate.match_kind.name}"),
        matched_alias=alias_to_wire(candidate.alias),
        route=describe_all(candidate.route),
        explanation=candidate.explanation,
        route_steps=[step_to_wire(step) for step in candidate.route],
        evidence=_evidence_to_wire(candidate),
        context_evidence=[
            pb.ContextEvidence(
                kind=pb.ContextEvidenceKind.Value(f"CONTEXT_EVIDENCE_KIND_{s.kind.name}"),
                entity_id=s.entity_id,
                text=s.text,
                start=s.start,
            )
            for s in candidate.context
        ],
    )


class MentionsOnWire:
    """A document's mentions for the wire, and its distinct answers, which they point into."""

    def __init__(self) -> None:
        self.mentions: list[pb.Mention] = []
        self.answers: list[pb.Resolution] = []
        self._index: dict[int, int] = {}

    def add(self, mention: Mention) -> None:
        at = self._index.get(id(mention.resolution))
        if at is None:
            at = self._index[id(mention.resolution)] = len(self.answers)
            self.answers.append(_answer_on_wire(mention.resolution))
        self.mentions.append(
            pb.Mention(
                start=mention.start,
                end=mention.end,
                text=mention.text,
                answer=at,
                decided_by=mention.decided_by,
            )
        )


def _answer_on_wire(resolution: Resolution) -> pb.Resolution:
    """An annotation's answer for the wire, converted once for every document that shares it
    (the annotator hands the same answer object to each)."""
    held = _ON_WIRE.get(id(resolution))
    if held is not None and held[0] is resolution:
        return held[1]
    wired = resolution_to_wire(resolution)
    if len(_ON_WIRE) >= _ON_WIRE_LIMIT:
        _ON_WIRE.clear()
    _ON_WIRE[id(resolution)] = (resolution, wired)  # held, so its id names it while here
    return wired


_ON_WIRE: dict[int, tuple[Resolution, pb.Resolution]] = {}
_ON_WIRE_LIMIT = 20_000


def _evidence_to_wire(candidate: Candidate) -> pb.MatchEvidence | None:
    evidence = candidate.evidence
    if evidence is None:
        return None
    edits = evidence.edits
    return pb.MatchEvidence(
        tier=evidence.tier.value,
        key_family=evidence.family,
        letters=evidence.letters,
        edits=None
        if edits is None
        else pb.EditEvidence(
            letters=edits.letters,
            at_token_edges=edits.at_edges,
            in_short_tokens=edits.in_short_tokens,
            key_length=edits.length,
            described=edits.described,
            token_share=edits.token_share,
        ),
        vowels_agreeing=evidence.vowels,
        consonants_met=evidence.consonants,
        numbers_agree=evidence.numbers_agree,
        rival_near=evidence.rival_near,
        score_terms=[
            pb.ScoreTerm(feature=t.feature, value=t.value, weight=t.weight) for t in candidate.terms
        ],
    )


def resolution_to_wire(resolution: Resolution) -> pb.Resolution:
    failure = resolution.failure
    return pb.Resolution(
        outcome=pb.Outcome.Value(f"OUTCOME_{resolution.outcome.name}"),
        candidates=[candidate_to_wire(c) for c in resolution.candidates],
        normalized_text=resolution.normalized_text,
        error=None
        if failure is None
        else pb.QueryError(
            code=code_pb2.INTERNAL,
            message=failure.message,
            reason=failure.reason,
            request_id=failure.request_id,
        ),
    )


def entity_to_wire(entity: Entity) -> pb.Entity:
    return pb.Entity(
        id=entity.id,
        type=entity_type_to_wire(entity.type),
        display_name=entity.display_name,
        names=[
            pb.LocalizedName(language=a.language, text=a.text, source=a.source, layer=a.layer)
            for a in entity.aliases
            if a.kind is AliasKind.NAME
        ],
        aliases=[alias_to_wire(a) for a in entity.aliases if a.kind is not AliasKind.NAME],
        external_ids=dict(entity.external_ids),
        related_ids=entity.related,
        location=_location(entity.location),
        not_same_as=entity.not_same_as,
        roles=entity.roles,
    )


def data_revision_to_wire(
    snapshot: Snapshot,
    scorer_version: str,
    held: Sequence[str] = (),
    last: ReloadAttempt | None = None,
) -> pb.DataRevision:
    loaded_at = Timestamp()
    loaded_at.FromDatetime(snapshot.loaded_at)
    last_reload = None
    if last is not None:
        attempted_at = Timestamp()
        attempted_at.FromDatetime(last.at)
        last_reload = pb.ReloadAttempt(
            attempted_at=attempted_at,
            succeeded=last.succeeded,
            revision=last.revision,
            problems=last.problems,
        )
    return pb.DataRevision(
        held_revisions=held,
        last_reload=last_reload,
        revision=snapshot.revision,
        scorer_version=scorer_version,
        loaded_at=loaded_at,
        entity_count=len(snapshot.entities),
        alias_count=len(snapshot.aliases),
        source_files=[
            pb.SourceFile(path=s.path, sha256=s.sha256, entity_count=s.entity_count)
            for s in snapshot.tables.source_files
        ],
        layers=[
            pb.Layer(
                name=layer.name,
                source=layer.source,
                licence=layer.licence,
                priority=layer.priority,
                folder=layer.folder,
                entity_count=layer.entity_count,
            )
            for layer in snapshot.tables.layers
        ],
    )


# Every engine enum member must have a wire twin; checked once at import.
for _engine, _wire, _prefix in (
    (EntityType, pb.EntityType, "ENTITY_TYPE"),
    (AliasKind, pb.AliasKind, "ALIAS_KIND"),
    (MatchKind, pb.MatchKind, "MATCH_KIND"),
    (Outcome, pb.Outcome, "OUTCOME"),
    (Kind, pb.RouteStepKind, "ROUTE_STEP_KIND"),
    (Mark, pb.RouteMark, "ROUTE_MARK"),
):
    for _member in _engine:
        _wire.Value(f"{_prefix}_{_member.name}")
