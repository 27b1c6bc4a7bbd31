"""The gRPC contract, end to end over loopback with the generated stubs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from conftest import WriteTables
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm.v1 import entnorm_service_pb2_grpc as pb_grpc
from entnorm_server.exc import AliasLoadError
from entnorm_server.scorer import shipped
from entnorm_server.server import SERVICE_NAME, create_server
from entnorm_server.store import SnapshotStore

TABLE = """\
entities:
  - id: person:shin-won-sik
    type: person
    display_name: Shin Won-sik
    names: {en: Shin Won-sik, ko: 신원식}
    aliases:
      - {text: Shen Yuanxi, kind: misrendering, source: seed:kursk-nsc-2024-10}
    related: [country:kr]
  - id: country:kr
    type: country
    display_name: South Korea
    names: {en: South Korea}
  - id: person:kyrylo-budanov
    type: person
    display_name: Kyrylo Budanov
    names: {uk: Кирило Буданов}
"""


class Running:
    def __init__(self, store: SnapshotStore) -> None:
        self.store = store
        self.server, port = create_server("127.0.0.1:0", store)
        self.server.start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = pb_grpc.EntnormServiceStub(self.channel)

    def close(self) -> None:
        self.channel.close()
        self.server.stop(None)


@pytest.fixture
def tables(write_tables: WriteTables) -> Path:
    root: Path = write_tables({"t.yaml": TABLE})
    return root


@pytest.fixture
def running(tables: Path) -> Iterator[Running]:
    service = Running(SnapshotStore.from_directory(tables))
    yield service
    service.close()


def names(*texts: str) -> pb.ResolveNamesRequest:
    return pb.ResolveNamesRequest(queries=[pb.NameQuery(text=t) for t in texts])


def error_of(call: object) -> grpc.RpcError:
    assert isinstance(call, grpc.RpcError)
    return call


def violations(err: grpc.RpcError) -> dict[str, str]:
    status = rpc_status.from_call(err)  # type: ignore[arg-type]
    assert status is not None
    found: dict[str, str] = {}
    for detail in status.details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            found.update({v.field: v.description for v in bad.field_violations})
    return found


def test_resolutions_keep_order_and_carry_the_revision(running: Running) -> None:
    reply = running.stub.ResolveNames(names("Shen Yuanxi", "nobody here", "신원식"))
    assert reply.revision == running.store.current.revision
    outcomes = [r.outcome for r in reply.resolutions]
    assert outcomes == [pb.OUTCOME_RESOLVED, pb.OUTCOME_UNRESOLVED, pb.OUTCOME_RESOLVED]
    best = reply.resolutions[0].candidates[0]
    assert best.entity_id == "person:shin-won-sik"
    assert best.type == pb.ENTITY_TYPE_PERSON
    assert best.match_kind == pb.MATCH_KIND_EXACT
    assert best.matched_alias.kind == pb.ALIAS_KIND_MISRENDERING
    assert best.matched_alias.source == "seed:kursk-nsc-2024-10"
    assert best.matched_alias.location.file == "t.yaml"
    assert best.matched_alias.location.line == 7
    assert 0.0 <= best.score <= 1.0
    assert reply.scorer_version == shipped().version


def test_the_evidence_travels_as_data_with_the_scorer_s_terms(running: Running) -> None:
    reply = running.stub.ResolveNames(names("Shin Wonn-sik"))
    best = reply.resolutions[0].candidates[0]
    assert best.entity_id == "person:shin-won-sik"
    evidence = best.evidence
    assert evidence.tier == "fuzzy"
    assert evidence.edits.letters == 1
    assert evidence.edits.key_length >= 12
    assert "'n'" in evidence.edits.described
    terms = {t.feature: (t.value, t.weight) for t in evidence.score_terms}
    assert terms["fuzzy"][0] == 1.0
    assert terms["fuzzy"][1] == pytest.approx(shipped().weights["fuzzy"])
    edit_terms = [f for f in terms if f.startswith("edits:")]
    assert edit_terms  # the edits weigh in, by the weights in the scorer's file
    for feature in edit_terms:
        assert terms[feature][1] == pytest.approx(shipped().weights[feature])
    revision = running.stub.GetDataRevision(pb.GetDataRevisionRequest()).data_revision
    assert revision.scorer_version == reply.scorer_version


def test_type_filter_travels(running: Running) -> None:
    query = pb.NameQuery(text="Shin Won-sik", types=[pb.ENTITY_TYPE_COUNTRY])
    reply = running.stub.ResolveNames(pb.ResolveNamesRequest(queries=[query]))
    assert reply.resolutions[0].outcome == pb.OUTCOME_UNRESOLVED


@pytest.mark.parametrize(
    ("queries", "field", "phrase"),
    [
        (
            [pb.NameQuery(text="ok"), pb.NameQuery(text="   ")],
            "queries[1].text",
            "must not be empty",
        ),
        ([pb.NameQuery(text="x" * 513)], "queries[0].text", "at most 512 characters"),
        ([pb.NameQuery(text="a", max_candidates=51)], "queries[0].max_candidates", "0 (default)"),
        ([pb.NameQuery(text="a", max_candidates=-1)], "queries[0].max_candidates", "got -1"),
        ([pb.NameQuery(text="a", language="not a tag")], "queries[0].language", "BCP-47"),
        (
            [pb.NameQuery(text="a", types=[pb.ENTITY_TYPE_UNSPECIFIED])],
            "queries[0].types[0]",
            "unspecified",
        ),
        ([pb.NameQuery(text="a", threshold=1.5)], "queries[0].threshold", "(0, 1]"),
        ([pb.NameQuery(text="a")] * 1001, "queries", "1 to 1000 queries"),
        ([], "queries", "got 0"),
    ],
)
def test_invalid_requests_name_the_field(
    running: Running, queries: list[pb.NameQuery], field: str, phrase: str
) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        running.stub.ResolveNames(pb.ResolveNamesRequest(queries=queries))
    err = error_of(caught.value)
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field in violations(err)
    assert phrase in violations(err)[field]


def test_stream_answers_chunks_and_survives_a_bad_one(running: Running) -> None:
    chunks = [
        pb.StreamResolveNamesRequest(chunk_id="a", queries=[pb.NameQuery(text="Shen Yuanxi")]),
        pb.StreamResolveNamesRequest(chunk_id="bad", queries=[pb.NameQuery(text="")]),
        pb.StreamResolveNamesRequest(
            chunk_id="c", queries=[pb.NameQuery(text=t) for t in ("South Korea", "x", "신원식")]
        ),
    ]
    replies = list(running.stub.StreamResolveNames(iter(chunks)))
    assert [r.chunk_id for r in replies] == ["a", "bad", "c"]
    assert replies[0].resolutions[0].candidates[0].entity_id == "person:shin-won-sik"
    assert replies[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert replies[1].error.field_violations[0].field == "queries[0].text"
    assert not replies[1].resolutions
    assert [r.outcome for r in replies[2].resolutions] == [
        pb.OUTCOME_RESOLVED,
        pb.OUTCOME_UNRESOLVED,
        pb.OUTCOME_RESOLVED,
    ]
    assert {r.revision for r in replies} == {running.store.current.revision}


def test_get_entity_and_not_found(running: Running) -> None:
    reply = running.stub.GetEntity(pb.GetEntityRequest(id="person:shin-won-sik"))
    assert reply.revision == running.store.current.revision
    entity = reply.entity
    assert (entity.display_name, entity.type) == ("Shin Won-sik", pb.ENTITY_TYPE_PERSON)
    assert [(n.language, n.text) for n in entity.names] == [
        ("en", "Shin Won-sik"),
        ("ko", "신원식"),
    ]
    assert [a.text for a in entity.aliases] == ["Shen Yuanxi"]
    assert list(entity.related_ids) == ["country:kr"]
    with pytest.raises(grpc.RpcError) as caught:
        running.stub.GetEntity(pb.GetEntityRequest(id="person:nobody"))
    assert error_of(caught.value).code() is grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as caught:
        running.stub.GetEntity(pb.GetEntityRequest(id=""))
    assert error_of(caught.value).code() is grpc.StatusCode.INVALID_ARGUMENT


def test_batch_get_is_ordered_and_atomic(running: Running) -> None:
    ids = ["country:kr", "person:shin-won-sik"]
    reply = running.stub.BatchGetEntities(pb.BatchGetEntitiesRequest(ids=ids))
    assert [e.id for e in reply.entities] == ids
    with pytest.raises(grpc.RpcError) as caught:
        running.stub.BatchGetEntities(pb.BatchGetEntitiesRequest(ids=[*ids, "org:nope"]))
    err = error_of(caught.value)
    assert err.code() is grpc.StatusCode.NOT_FOUND
    assert "org:nope" in (err.details() or "")


def test_data_revision_describes_the_snapshot(running: Running) -> None:
    revision = running.stub.GetDataRevision(pb.GetDataRevisionRequest()).data_revision
    assert revision.revision == running.store.current.revision
    assert (revision.entity_count, revision.alias_count) == (3, 5)
    assert [(f.path, f.entity_count) for f in revision.source_files] == [("t.yaml", 3)]
    assert revision.scorer_version == shipped().version
    assert revision.loaded_at.seconds > 0


def test_health_is_not_serving_until_a_snapshot_is_loaded(tables: Path) -> None:
    service = Running(SnapshotStore(tables))
    try:
        # The published stubs for these services are incomplete.
        health: Any = health_pb2_grpc.HealthStub(service.channel)
        for name in ("", SERVICE_NAME):
            reply = health.Check(health_pb2.HealthCheckRequest(service=name))
            assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING
        with pytest.raises(grpc.RpcError) as caught:
            service.stub.ResolveNames(names("Shen Yuanxi"))
        assert error_of(caught.value).code() is grpc.StatusCode.UNAVAILABLE
        service.store.reload()
        reply = health.Check(health_pb2.HealthCheckRequest(service=SERVICE_NAME))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        assert service.stub.ResolveNames(names("Shen Yuanxi")).resolutions[0].candidates
    finally:
        service.close()


def test_reflection_lists_the_services(running: Running) -> None:
    stub: Any = reflection_pb2_grpc.ServerReflectionStub(running.channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    reply = next(iter(stub.ServerReflectionInfo(iter([request]))))
    listed = {s.name for s in reply.list_services_response.service}
    assert {SERVICE_NAME, "grpc.health.v1.Health"} <= listed


def test_bad_edit_never_replaces_the_good_table(running: Running, tables: Path) -> None:
    good = running.store.current.revision
    (tables / "t.yaml").write_text(TABLE.replace("type: country", "type: nation"), "utf-8")
    with pytest.raises(AliasLoadError):
        running.store.reload()
    reply = running.stub.ResolveNames(names("Shen Yuanxi"))
    assert reply.revision == good
    assert reply.resolutions[0].outcome == pb.OUTCOME_RESOLVED
    (tables / "t.yaml").write_text(TABLE.replace("Shen Yuanxi", "Sim Oensik"), "utf-8")
    running.store.reload()
    reply = running.stub.ResolveNames(names("Shen Yuanxi", "Sim Oensik"))
    assert reply.revision != good
    assert [r.outcome for r in reply.resolutions] == [pb.OUTCOME_UNRESOLVED, pb.OUTCOME_RESOLVED]


def test_the_route_travels_as_data_beside_its_words(running: Running) -> None:
    reply = running.stub.ResolveNames(names("Kyrylo Budanov"))
    best = reply.resolutions[0].candidates[0]
    assert best.entity_id == "person:kyrylo-budanov"
    [step] = best.route_steps
    assert step.side == pb.ROUTE_SIDE_ALIAS
    assert step.kind == pb.ROUTE_STEP_KIND_ROMANIZE
    assert (step.source_script, step.language) == ("Cyrl", "uk")
    assert list(best.route) == [f"alias: uk Cyrl → Latn ({step.system})"]
    assert not best.matched_alias.context_only
