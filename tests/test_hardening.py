"""Hostile clients against a real server on loopback: bad bytes, huge requests, idle streams,
abandoned work, faults inside one query. Every call gets an answer or a clear status, and the
server keeps answering others."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import structlog
from conftest import WriteTables
from faults import FAULTY, faulty_resolver
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm.v1 import entnorm_service_pb2_grpc as pb_grpc
from entnorm_server.resolver import Resolver
from entnorm_server.server import BindError, EntnormServer, ServerOptions, create_server
from entnorm_server.servicer import CallLimits
from entnorm_server.store import SnapshotStore

TABLE = """\
entities:
  - id: person:shin-won-sik
    type: person
    display_name: Shin Won-sik
    names: {en: Shin Won-sik, ko: 신원식}
    aliases:
      - {text: Shen Yuanxi, kind: misrendering, source: seed:kursk-nsc-2024-10}
"""


class Served:
    def __init__(self, tables: Path, options: ServerOptions, resolver: Resolver | None) -> None:
        store = SnapshotStore.from_directory(tables)
        # As `entnorm serve` does before it reports SERVING: the first Han name's lazy loads
        # (dictionaries, ICU) would otherwise fall inside the timings of the tests below.
        Resolver().warm_up(store.current)
        self.server, port = create_server("127.0.0.1:0", store, options, resolver)
        self.server.start()
        self.target = f"127.0.0.1:{port}"
        self.port = port
        self.channel = grpc.insecure_channel(self.target)
        self.stub = pb_grpc.EntnormServiceStub(self.channel)
        self.health: Any = health_pb2_grpc.HealthStub(self.channel)

    def close(self) -> None:
        self.channel.close()
        self.server.stop(None).wait(10)


@pytest.fixture
def tables(write_tables: WriteTables) -> Path:
    root: Path = write_tables({"t.yaml": TABLE})
    return root


@pytest.fixture
def serve(tables: Path) -> Iterator[Any]:
    started: list[Served] = []

    def start(
        resolver: Resolver | None = None, max_pending_chars: int = 1_000_000, **limits: Any
    ) -> Served:
        options = ServerOptions(limits=CallLimits(**limits), max_pending_chars=max_pending_chars)
        served = Served(tables, options, resolver)
        started.append(served)
        return served

    yield start
    for served in started:
        served.close()


def names(*texts: str) -> pb.ResolveNamesRequest:
    return pb.ResolveNamesRequest(queries=[pb.NameQuery(text=t) for t in texts])


def failure(call: Any) -> grpc.Call:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    error = caught.value
    assert isinstance(error, grpc.Call)
    return error


def details(error: grpc.Call) -> dict[str, Any]:
    status = rpc_status.from_call(error)
    assert status is not None
    found: dict[str, Any] = {}
    for detail in status.details:
        for kind in (
            error_details_pb2.ErrorInfo,
            error_details_pb2.RequestInfo,
            error_details_pb2.BadRequest,
            error_details_pb2.RetryInfo,
        ):
            message = kind()
            if detail.Unpack(message):
                found[kind.DESCRIPTOR.name] = message
    return found


def trailer(error: grpc.Call, key: str) -> str:
    return next(str(v) for k, v in error.trailing_metadata() or () if k == key)


def test_a_fault_in_one_query_answers_that_query_and_logs_its_id(serve: Any) -> None:
    served = serve(faulty_resolver())
    with structlog.testing.capture_logs() as logs:
        reply, call = served.stub.ResolveNames.with_call(
            names("Shen Yuanxi", FAULTY, "Shin Won-sik")
        )
    outcomes = [r.outcome for r in reply.resolutions]
    assert outcomes == [pb.OUTCOME_RESOLVED, pb.OUTCOME_ERROR, pb.OUTCOME_RESOLVED]
    error = reply.resolutions[1].error
    request_id = dict(call.trailing_metadata())["x-request-id"]
    assert (error.code, error.reason, error.request_id) == (13, "INTERNAL", request_id)
    assert "ᆭ" not in error.message
    assert "KeyError" not in error.message
    assert request_id in error.message
    [logged] = [e for e in logs if e["event"] == "query failed"]
    assert logged["request_id"] == request_id
    assert logged["query_index"] == 1
    assert logged["exc_info"] is True  # logged with its traceback


def test_a_fault_in_a_stream_chunk_does_not_end_the_stream(serve: Any) -> None:
    served = serve(faulty_resolver())
    chunks = [
        pb.StreamResolveNamesRequest(chunk_id=c, queries=[pb.NameQuery(text=t)])
        for c, t in (("a", FAULTY), ("b", "Shen Yuanxi"))
    ]
    replies = list(served.stub.StreamResolveNames(iter(chunks)))
    assert [r.resolutions[0].outcome for r in replies] == [pb.OUTCOME_ERROR, pb.OUTCOME_RESOLVED]


def test_the_caller_request_id_is_used_and_returned(serve: Any) -> None:
    served = serve()
    _, call = served.stub.ResolveNames.with_call(
        names("Shen Yuanxi"), metadata=(("x-request-id", "pipeline-42.7"),)
    )
    assert dict(call.trailing_metadata())["x-request-id"] == "pipeline-42.7"
    error = failure(
        lambda: served.stub.GetEntity(
            pb.GetEntityRequest(id="nobody"), metadata=(("x-request-id", "abc"),)
        )
    )
    assert trailer(error, "x-request-id") == "abc"
    assert details(error)["RequestInfo"].request_id == "abc"
    assert trailer(error, "entnorm-error-reason") == "ENTITY_NOT_FOUND"


def test_invalid_utf8_names_its_field(serve: Any) -> None:
    served = serve()
    raw = names("ok", "abc").SerializeToString().replace(b"abc", b"a\xffc")
    call = served.channel.unary_unary("/entnorm.v1.EntnormService/ResolveNames")
    error = failure(lambda: call(raw))
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    [violation] = details(error)["BadRequest"].field_violations
    assert violation.field == "queries[1].text"
    assert "UTF-8" in violation.description


def test_invalid_utf8_in_a_stream_chunk_is_answered_and_the_stream_goes_on(serve: Any) -> None:
    served = serve()
    good = pb.StreamResolveNamesRequest(chunk_id="ok", queries=[pb.NameQuery(text="Shen Yuanxi")])
    bad = pb.StreamResolveNamesRequest(chunk_id="bad", queries=[pb.NameQuery(text="abc")])
    raws = [bad.SerializeToString().replace(b"abc", b"a\xffc"), good.SerializeToString()]
    call = served.channel.stream_stream("/entnorm.v1.EntnormService/StreamResolveNames")
    replies = [pb.StreamResolveNamesResponse.FromString(r) for r in call(iter(raws))]
    assert [r.chunk_id for r in replies] == ["bad", "ok"]
    assert replies[0].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert replies[0].error.field_violations[0].field == "queries[0].text"
    assert replies[1].resolutions[0].outcome == pb.OUTCOME_RESOLVED


def test_a_long_language_tag_is_refused_not_crashed(serve: Any) -> None:
    served = serve()
    language = "-".join(["en"] + ["x"] * 985)
    query = pb.NameQuery(text="Shen Yuanxi", language=language)
    error = failure(lambda: served.stub.ResolveNames(pb.ResolveNamesRequest(queries=[query])))
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "queries[0].language: must be at most 35 characters" in (error.details() or "")


def test_errors_stay_small_however_many_problems(serve: Any) -> None:
    served = serve()
    ids = [f"org:unknown-{i:04d}-{'x' * 40}" for i in range(1000)]
    error = failure(lambda: served.stub.BatchGetEntities(pb.BatchGetEntitiesRequest(ids=ids)))
    assert error.code() is grpc.StatusCode.NOT_FOUND
    assert "and 995 more" in (error.details() or "")
    empty = pb.ResolveNamesRequest(queries=[pb.NameQuery(text=" ")] * 1000)
    error = failure(lambda: served.stub.ResolveNames(empty))
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "and 995 more" in (error.details() or "")


def test_a_request_over_the_character_budget_is_refused_with_a_hint(serve: Any) -> None:
    served = serve(max_request_chars=100)
    error = failure(lambda: served.stub.ResolveNames(names("x" * 60, "y" * 60)))
    assert error.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert details(error)["ErrorInfo"].reason == "REQUEST_TOO_COSTLY"
    assert "split it into smaller batches" in (error.details() or "")
    chunks = [
        pb.StreamResolveNamesRequest(chunk_id="big", queries=names("x" * 60, "y" * 60).queries),
        pb.StreamResolveNamesRequest(chunk_id="ok", queries=names("Shen Yuanxi").queries),
    ]
    replies = list(served.stub.StreamResolveNames(iter(chunks)))
    assert replies[0].error.reason == "REQUEST_TOO_COSTLY"
    assert replies[1].resolutions[0].outcome == pb.OUTCOME_RESOLVED


def _open_streams(served: Served, count: int) -> list[Any]:
    """Streams that sent one chunk, got its answer, and now sit idle."""
    opened = []
    for index in range(count):
        gate = threading.Event()

        def chunks(gate: threading.Event = gate, index: int = index) -> Iterator[Any]:
            yield pb.StreamResolveNamesRequest(chunk_id=str(index), queries=names("x").queries)
            gate.wait()

        call = served.stub.StreamResolveNames(chunks())
        next(call)
        opened.append((call, gate))
    return opened


def test_idle_streams_never_starve_health_or_unary_calls(serve: Any) -> None:
    served = serve()
    opened = _open_streams(served, 64)
    try:
        check = served.health.Check(health_pb2.HealthCheckRequest(), timeout=10)
        assert check.status == health_pb2.HealthCheckResponse.SERVING
        reply = served.stub.ResolveNames(names("Shen Yuanxi"), timeout=10)
        assert reply.resolutions[0].outcome == pb.OUTCOME_RESOLVED
    finally:
        for call, gate in opened:
            gate.set()
            call.cancel()


def test_streams_past_the_limit_are_refused_with_a_retry_hint(serve: Any) -> None:
    served = serve(max_streams=2)
    opened = _open_streams(served, 2)
    try:
        error = failure(lambda: next(served.stub.StreamResolveNames(iter(()), timeout=10)))
        assert error.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        assert details(error)["ErrorInfo"].reason == "TOO_MANY_STREAMS"
        assert details(error)["RetryInfo"].retry_delay.seconds >= 1
    finally:
        for call, gate in opened:
            gate.set()
            call.cancel()


def test_an_idle_stream_is_closed(serve: Any) -> None:
    served = serve(stream_idle_seconds=0.3)
    [(call, gate)] = _open_streams(served, 1)
    try:
        error = failure(lambda: next(call))
        assert error.code() is grpc.StatusCode.DEADLINE_EXCEEDED
        assert details(error)["ErrorInfo"].reason == "STREAM_IDLE"
    finally:
        gate.set()


def _expensive(count: int = 1000) -> pb.ResolveNamesRequest:
    # Han names of 40 characters: several milliseconds each, seconds for the batch.
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(40))
    return pb.ResolveNamesRequest(
        queries=[pb.NameQuery(text=text[i % 40 :] + text[: i % 40]) for i in range(count)]
    )


def _settled(server: EntnormServer) -> None:
    deadline = time.monotonic() + 60
    while server.pool.pending_cost and time.monotonic() < deadline:
        time.sleep(0.05)


def test_work_stops_when_its_deadline_passes(serve: Any) -> None:
    served = serve()
    error = failure(lambda: served.stub.ResolveNames(_expensive(), timeout=0.3))
    assert error.code() is grpc.StatusCode.DEADLINE_EXCEEDED
    _settled(served.server)
    # Stopped early, not run to the end for nobody.
    assert (served.server.pool.abandoned, served.server.pool.finished) == (1, 0)


def test_work_stops_when_the_caller_cancels(serve: Any) -> None:
    served = serve()
    future = served.stub.ResolveNames.future(_expensive())
    time.sleep(0.2)
    future.cancel()
    _settled(served.server)
    assert (served.server.pool.abandoned, served.server.pool.finished) == (1, 0)
    assert served.stub.ResolveNames(names("Shen Yuanxi"), timeout=10).resolutions


def test_a_full_queue_refuses_new_work_with_a_retry_delay(serve: Any) -> None:
    served = serve(max_pending_chars=1000)
    running = served.stub.ResolveNames.future(_expensive())
    while not served.server.pool.pending_cost:
        time.sleep(0.01)
    assert served.server.pool.pending_cost == 40 * 1000  # characters of names, not bytes
    # A one-name call still runs ahead of the queue; a batch is refused.
    assert served.stub.ResolveNames(names("Shen Yuanxi"), timeout=10).resolutions
    error = failure(lambda: served.stub.ResolveNames(_expensive(30), timeout=10))
    assert error.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert details(error)["ErrorInfo"].reason == "SERVER_BUSY"
    delay = details(error)["RetryInfo"].retry_delay
    assert delay.seconds or delay.nanos
    running.cancel()
    _settled(served.server)
    assert served.stub.ResolveNames(names("Shen Yuanxi"), timeout=10).resolutions


def test_the_server_stops_within_its_grace_period_with_work_running(serve: Any) -> None:
    served = serve()
    futures = [served.stub.ResolveNames.future(_expensive()) for _ in range(4)]
    while not served.server.pool.pending_cost:
        time.sleep(0.01)
    assert served.server.stop(0.5).wait(10)
    for future in futures:
        assert future.exception() is not None  # cut off, not finished after the stop


def test_reflection_v1_and_v1alpha_and_error_detail_types(serve: Any) -> None:
    from grpc_reflection.v1alpha import reflection_pb2

    served = serve()
    for service in (
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    ):
        call = served.channel.stream_stream(
            f"/{service}/ServerReflectionInfo",
            request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
        )
        requests = [
            reflection_pb2.ServerReflectionRequest(list_services=""),
            reflection_pb2.ServerReflectionRequest(file_containing_symbol="google.rpc.ErrorInfo"),
        ]
        listed, described = list(call(iter(requests)))
        services = {s.name for s in listed.list_services_response.service}
        assert {"entnorm.v1.EntnormService", "grpc.reflection.v1.ServerReflection"} <= services
        # A client without google/rpc protos can fetch them to decode error details.
        assert described.file_descriptor_response.file_descriptor_proto


def test_a_second_server_on_a_taken_port_fails_to_bind(serve: Any, tables: Path) -> None:
    served = serve()
    store = SnapshotStore.from_directory(tables)
    with pytest.raises(BindError, match="in use"):
        create_server(served.target, store)


def test_work_of_a_cancelled_stream_stops(serve: Any) -> None:
    served = serve()
    gate = threading.Event()

    def chunks() -> Iterator[pb.StreamResolveNamesRequest]:
        yield pb.StreamResolveNamesRequest(chunk_id="big", queries=_expensive().queries)
        gate.wait()

    call = served.stub.StreamResolveNames(chunks())
    while not served.server.pool.pending_cost:
        time.sleep(0.01)
    call.cancel()
    gate.set()
    _settled(served.server)
    assert (served.server.pool.abandoned, served.server.pool.finished) == (1, 0)


def test_a_stream_that_reads_no_answers_gives_up_its_slot(serve: Any) -> None:
    served = serve(stream_idle_seconds=0.5, max_streams=1)
    # A chunk with no queries is answered at once with an error that echoes its chunk id:
    # 900 kB answers, costing the server nothing, fill the client's receive window quickly.
    chunk = pb.StreamResolveNamesRequest(chunk_id="x" * 900_000)
    small = pb.StreamResolveNamesRequest(chunk_id="ok", queries=names("Shen Yuanxi").queries)

    async def newcomer_after_one_that_never_reads() -> pb.StreamResolveNamesResponse:
        async with (
            grpc.aio.insecure_channel(served.target) as greedy,
            grpc.aio.insecure_channel(served.target) as polite,
        ):
            never_reads = pb_grpc.EntnormServiceStub(greedy).StreamResolveNames()

            async def pump() -> None:
                with contextlib.suppress(grpc.aio.AioRpcError, asyncio.InvalidStateError):
                    while True:
                        await never_reads.write(chunk)

            pumping = asyncio.create_task(pump())
            try:
                for _ in range(120):
                    await asyncio.sleep(0.5)
                    call = pb_grpc.EntnormServiceStub(polite).StreamResolveNames(iter([small]))
                    with contextlib.suppress(grpc.aio.AioRpcError):  # TOO_MANY_STREAMS, so far
                        reply = await call.read()
                        assert isinstance(reply, pb.StreamResolveNamesResponse)
                        return reply
                raise AssertionError("the slot of the stream that reads nothing was never freed")
            finally:
                pumping.cancel()
                never_reads.cancel()

    reply = asyncio.run(newcomer_after_one_that_never_reads())
    assert reply.resolutions[0].outcome == pb.OUTCOME_RESOLVED


def test_too_many_types_are_refused_before_reading_them(serve: Any) -> None:
    served = serve()
    query = pb.NameQuery(text="Shen Yuanxi", types=[pb.EntityType.ValueType(99)] * 100_000)
    error = failure(lambda: served.stub.ResolveNames(pb.ResolveNamesRequest(queries=[query])))
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    [violation] = details(error)["BadRequest"].field_violations
    assert (violation.field, violation.description) == (
        "queries[0].types",
        "must hold at most 4 types, got 100000",
    )


def test_long_ids_in_many_languages_still_give_not_found(serve: Any) -> None:
    served = serve()
    ids = [f"{i:03d}" + "情報本部" * 63 for i in range(30)]
    error = failure(lambda: served.stub.BatchGetEntities(pb.BatchGetEntitiesRequest(ids=ids)))
    assert error.code() is grpc.StatusCode.NOT_FOUND
    assert details(error)["ErrorInfo"].metadata["count"] == "30"


def test_many_long_violations_still_give_invalid_argument(serve: Any) -> None:
    served = serve()
    query = pb.NameQuery(text="x", language="😀" * 35)
    error = failure(
        lambda: served.stub.ResolveNames(pb.ResolveNamesRequest(queries=[query] * 1000))
    )
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert details(error)["ErrorInfo"].reason == "INVALID_QUERY"


@pytest.mark.parametrize(
    "method",
    [
        "/grpc.health.v1.Health/Check",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    ],
)
def test_other_services_refuse_bytes_that_do_not_decode(serve: Any, method: str) -> None:
    served = serve()
    garbage = b"\x0a\x03\xff\xfe\xfd"  # field 1, a string that is not UTF-8
    if "Reflection" in method:
        stream = served.channel.stream_stream(method)
        error = failure(lambda: list(stream(iter([garbage]), timeout=10)))
    else:
        unary = served.channel.unary_unary(method)
        error = failure(lambda: unary(garbage, timeout=10))
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "DecodeError" not in (error.details() or "")
    assert trailer(error, "entnorm-error-reason") == "MALFORMED_REQUEST"


def test_health_watch_streams_are_capped_and_checks_still_answer(serve: Any) -> None:
    from entnorm_server.call_boundary import MAX_SIDE_STREAMS

    served = serve()
    watches = [
        served.health.Watch(health_pb2.HealthCheckRequest()) for _ in range(MAX_SIDE_STREAMS)
    ]
    try:
        for watch in watches:
            next(watch)  # open, with its first status
        error = failure(lambda: next(served.health.Watch(health_pb2.HealthCheckRequest())))
        assert error.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        assert details(error)["ErrorInfo"].reason == "TOO_MANY_STREAMS"
        check = served.health.Check(health_pb2.HealthCheckRequest(), timeout=10)
        assert check.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        for watch in watches:
            watch.cancel()


def test_the_access_log_says_why_a_call_ended(serve: Any) -> None:
    served = serve()
    with structlog.testing.capture_logs() as logs:
        failure(lambda: served.stub.ResolveNames(_expensive(), timeout=0.3))
        served.stub.GetDataRevision(pb.GetDataRevisionRequest())
        _settled(served.server)
        time.sleep(0.2)  # the log line is written as the call's task unwinds
    codes = {e["method"].rsplit("/", 1)[1]: e["code"] for e in logs if e["event"] == "call"}
    assert codes == {"ResolveNames": "DEADLINE_EXCEEDED", "GetDataRevision": "OK"}
    assert not [e for e in logs if e["log_level"] == "error"]


@pytest.mark.parametrize(
    ("tag", "well_formed"),
    [
        ("ko", True),
        ("zh-Hans", True),
        ("sr-Latn-RS", True),
        ("de-DE-1996", True),
        ("en-US-x-twain", True),
        ("x-private", True),
        ("zh-yue-HK", True),
        ("not a tag", False),
        ("en--us", False),
        ("abcdefghi", False),
        ("en-", False),
        ("ko-Hang-", False),
    ],
)
def test_language_hints_are_checked_by_grammar(tag: str, well_formed: bool) -> None:
    from entnorm_server.language_tags import is_well_formed

    assert is_well_formed(tag) is well_formed
