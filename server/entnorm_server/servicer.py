"""The EntnormService servicer: validate, take one snapshot, answer, stamp the revision.

Its methods take and return the messages' bytes: decoding, resolving and encoding run as jobs on
the work pool's threads, so the event loop only moves bytes, and a message that does not decode
is an INVALID_ARGUMENT naming its field (see `wire_decode`). Health checks and cheap lookups are
answered on the loop, never behind resolution work.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import grpc

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_server import calls, errors, requests, wire
from entnorm_server.annotation.documents import annotating, resolve_in_context
from entnorm_server.exc import (
    EntityNotFoundError,
    EntnormError,
    InvalidRequestError,
    ResourceExhaustedError,
    RevisionNotHeldError,
    StreamIdleError,
    echo,
)
from entnorm_server.logs import get_logger
from entnorm_server.resolution import Outcome, Query, QueryFailure, Resolution
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot
from entnorm_server.store import SnapshotStore
from entnorm_server.wire_decode import decode, string_field
from entnorm_server.work import CancelToken, Flow, Job, WorkPool

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EntnormService"].full_name
Context = grpc.aio.ServicerContext[Any, Any]
log = get_logger("entnorm.service")
# A stream's answer to one request message: the reply's bytes.
Answer = Callable[[bytes, Flow, CancelToken, calls.Call], Awaitable[bytes]]


@dataclass(frozen=True, slots=True)
class CallLimits:
    max_request_chars: int = 50_000  # characters of query text per request or chunk
    max_streams: int = 128
    stream_idle_seconds: float = 60.0


class EntnormService:
    def __init__(
        self,
        store: SnapshotStore,
        pool: WorkPool,
        limits: CallLimits = CallLimits(),
        resolver: Resolver | None = None,
    ) -> None:
        self.store = store
        self.pool = pool
        self.limits = limits
        self.resolver = resolver or Resolver()
        self._streams = 0  # open streams; read and written on the event loop only

    async def ResolveNames(self, data: bytes, context: Context) -> bytes:  # noqa: N802
        call = _call()
        try:
            request = decode(pb.ResolveNamesRequest, data)
            snapshot = self.store.snapshot(request.revision)
            return await self.pool.run(
                self._resolve(request, snapshot, call),
                flow=Flow(),
                token=_token(context),
                cost=_characters(request.queries),
            )
        except EntnormError as error:
            await errors.abort(context, errors.to_status(error, call.request_id))

    async def StreamResolveNames(self, _: object, context: Context) -> None:  # noqa: N802
        await self._stream(context, self._answer_chunk, "send batches with ResolveNames")

    async def AnnotateText(self, data: bytes, context: Context) -> bytes:  # noqa: N802
        call = _call()
        try:
            request = decode(pb.AnnotateTextRequest, data)
            snapshot = self.store.snapshot(request.revision)
            return await self.pool.run(
                self._annotate(request, snapshot, call),
                flow=Flow(),
                token=_token(context),
                cost=_document_cost(request),
            )
        except EntnormError as error:
            await errors.abort(context, errors.to_status(error, call.request_id))

    async def StreamAnnotateText(self, _: object, context: Context) -> None:  # noqa: N802
        await self._stream(context, self._answer_document, "send documents with AnnotateText")

    async def _stream(self, context: Context, answer: Answer, instead: str) -> None:
        call = _call()
        if self._streams >= self.limits.max_streams:
            busy = ResourceExhaustedError(
                "TOO_MANY_STREAMS",
                f"the server has {self._streams} streams open, its limit; retry later, or"
                f" {instead}",
                retry_after=1.0,
            )
            await errors.abort(context, errors.to_status(busy, call.request_id))
        self._streams += 1
        try:
            await self._serve_stream(context, call, answer)
        finally:
            self._streams -= 1

    async def _serve_stream(self, context: Context, call: calls.Call, answer: Answer) -> None:
        flow = Flow()  # the whole stream is one flow: it yields to fresh calls as it runs
        token = _token(context)
        idle = self.limits.stream_idle_seconds
        while True:
            # A stream that sends nothing, or reads no answer, for the idle limit holds a slot
            # for nobody. (asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel.)
            try:
                async with asyncio.timeout(idle):
                    data = await context.read()
            except TimeoutError:
                await errors.abort(
                    context, errors.to_status(StreamIdleError(idle), call.request_id)
                )
            if data is grpc.aio.EOF:
                return
            reply = await answer(data, flow, token, call)
            try:
                async with asyncio.timeout(idle):
                    await context.write(reply)
            except TimeoutError:
                # The client reads nothing, so even the closing status waits behind the answers
                # it has not read. Say it if it can be said soon, then free the stream's slot;
                # gRPC ends the call itself when the client reads or goes.
                idle_error = StreamIdleError(idle, reading=False)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(1.0):
                        await errors.abort(context, errors.to_status(idle_error, call.request_id))
                log.warning(
                    "stream closed: its client reads no answers", request_id=call.request_id
                )
                return

    async def _answer_chunk(
        self, data: bytes, flow: Flow, token: CancelToken, call: calls.Call
    ) -> bytes:
        snapshot = self.store.current
        try:
            chunk = decode(pb.StreamResolveNamesRequest, data)
            snapshot = self.store.snapshot(chunk.revision)
            return await self.pool.run(
                self._chunk(chunk, snapshot, call),
                flow=flow,
                token=token,
                cost=_characters(chunk.queries),
            )
        except (InvalidRequestError, ResourceExhaustedError, RevisionNotHeldError) as error:
            # A bad chunk, one the server has no room for, or one pinned to a revision it no
            # longer holds, is answered; the stream goes on.
            chunk_id = string_field(pb.StreamResolveNamesRequest, data, "chunk_id")
            return _chunk_failure(chunk_id, snapshot, error, call)

    async def _answer_document(
        self, data: bytes, flow: Flow, token: CancelToken, call: calls.Call
    ) -> bytes:
        snapshot = self.store.current
        try:
            request = decode(pb.StreamAnnotateTextRequest, data)
            snapshot = self.store.snapshot(request.document.revision)
            return await self.pool.run(
                self._annotate(request.document, snapshot, call, request.document_id),
                flow=flow,
                token=token,
                cost=_document_cost(request.document),
            )
        except (InvalidRequestError, ResourceExhaustedError, RevisionNotHeldError) as error:
            document_id = string_field(pb.StreamAnnotateTextRequest, data, "document_id")
            reply = pb.StreamAnnotateTextResponse(
                document_id=document_id,
                revision=snapshot.revision,
                error=errors.chunk_error(error, call.request_id),
            )
            return reply.SerializeToString()

    async def GetEntity(self, data: bytes, context: Context) -> bytes:  # noqa: N802
        call = _call()
        try:
            request = decode(pb.GetEntityRequest, data)
            entity_id = requests.id_from_wire(request.id)
            snapshot = self.store.snapshot(request.revision)
            entity = snapshot.by_id.get(entity_id)
            if entity is None:
                raise EntityNotFoundError([entity_id])
        except EntnormError as error:
            await errors.abort(context, errors.to_status(error, call.request_id))
        reply = pb.GetEntityResponse(entity=wire.entity_to_wire(entity), revision=snapshot.revision)
        return reply.SerializeToString()

    async def BatchGetEntities(self, data: bytes, context: Context) -> bytes:  # noqa: N802
        call = _call()
        try:
            request = decode(pb.BatchGetEntitiesRequest, data)
            snapshot = self.store.snapshot(request.revision)
            return await self.pool.run(
                _entities(request, snapshot),
                flow=Flow(),
                token=_token(context),
                cost=len(request.ids),
            )
        except EntnormError as error:
            await errors.abort(context, errors.to_status(error, call.request_id))

    async def GetDataRevision(self, data: bytes, context: Context) -> bytes:  # noqa: N802
        call = _call()
        try:
            decode(pb.GetDataRevisionRequest, data)
            snapshot = self.store.current
        except EntnormError as error:
            await errors.abort(context, errors.to_status(error, call.request_id))
        revision = wire.data_revision_to_wire(
            snapshot,
            self.resolver.scorer.version,
            self.store.held_revisions,
            self.store.last_attempt,
        )
        return pb.GetDataRevisionResponse(data_revision=revision).SerializeToString()

    # Jobs: generators run on the pool's threads, yielding after each query.

    def _annotate(
        self,
        request: pb.AnnotateTextRequest,
        snapshot: Snapshot,
        call: calls.Call,
        document_id: str | None = None,
    ) -> Job[bytes]:
        path = "document" if document_id is not None else ""
        text, settings, given = requests.document_from_wire(request, path)
        yield
        found = yield from annotating(snapshot, self.resolver, text, settings, given)
        call.names += len(found)
        on_wire = wire.MentionsOnWire()
        for n, mention in enumerate(found, start=1):
            on_wire.add(mention)
            if n % 1024 == 0:
                yield
        mentions, answers = on_wire.mentions, on_wire.answers
        if document_id is None:
            return pb.AnnotateTextResponse(
                mentions=mentions,
                answers=answers,
                revision=snapshot.revision,
                scorer_version=self.resolver.scorer.version,
            ).SerializeToString()
        return pb.StreamAnnotateTextResponse(
            document_id=document_id,
            mentions=mentions,
            answers=answers,
            revision=snapshot.revision,
            scorer_version=self.resolver.scorer.version,
        ).SerializeToString()

    def _resolve(
        self, request: pb.ResolveNamesRequest, snapshot: Snapshot, call: calls.Call
    ) -> Job[bytes]:
        queries = self._queries(request.queries)
        call.names = len(queries)
        yield
        resolutions = yield from self._resolutions(snapshot, queries, call)
        reply = pb.ResolveNamesResponse(
            resolutions=resolutions,
            revision=snapshot.revision,
            scorer_version=self.resolver.scorer.version,
        )
        return reply.SerializeToString()

    def _chunk(
        self, chunk: pb.StreamResolveNamesRequest, snapshot: Snapshot, call: calls.Call
    ) -> Job[bytes]:
        try:
            queries = self._queries(chunk.queries, in_stream=True)
        except EntnormError as error:  # a bad chunk is answered, not fatal
            return _chunk_failure(chunk.chunk_id, snapshot, error, call)
        call.names += len(queries)
        yield
        resolutions = yield from self._resolutions(snapshot, queries, call)
        reply = pb.StreamResolveNamesResponse(
            chunk_id=chunk.chunk_id,
            resolutions=resolutions,
            revision=snapshot.revision,
            scorer_version=self.resolver.scorer.version,
        )
        return reply.SerializeToString()

    def _queries(self, given: Sequence[pb.NameQuery], *, in_stream: bool = False) -> list[Query]:
        queries = requests.queries_from_wire(given, in_stream=in_stream)
        chars = sum(len(q.text) for q in queries)
        if chars > self.limits.max_request_chars:
            raise ResourceExhaustedError(
                "REQUEST_TOO_COSTLY",
                f"the queries hold {chars:,} characters; a request or chunk may hold"
                f" {self.limits.max_request_chars:,}: split it into smaller batches",
            )
        return queries

    def _resolutions(
        self, snapshot: Snapshot, queries: list[Query], call: calls.Call
    ) -> Generator[None, None, list[pb.Resolution]]:
        resolutions = []
        for index, query in enumerate(queries):
            resolution = self._resolve_one(snapshot, query, index, call)
            resolutions.append(wire.resolution_to_wire(resolution))
            yield
        return resolutions

    def _resolve_one(
        self, snapshot: Snapshot, query: Query, index: int, call: calls.Call
    ) -> Resolution:
        """One query's answer; a fault answers this query alone, and is logged with its id."""
        try:
            return resolve_in_context(snapshot, self.resolver, query)
        except Exception:
            log.exception(
                "query failed",
                method=call.method,
                request_id=call.request_id,
                query_index=index,
                text=echo(query.text),
            )
            failure = QueryFailure(
                "INTERNAL", errors.internal_message(call.request_id), call.request_id
            )
            return Resolution(Outcome.ERROR, failure=failure)


def _entities(request: pb.BatchGetEntitiesRequest, snapshot: Snapshot) -> Job[bytes]:
    ids = requests.ids_from_wire(request.ids)
    missing = [i for i in ids if i not in snapshot.by_id]
    if missing:
        raise EntityNotFoundError(missing)  # atomic: all or nothing (AIP-231)
    yield
    entities = [wire.entity_to_wire(snapshot.by_id[i]) for i in ids]
    return pb.BatchGetEntitiesResponse(
        entities=entities, revision=snapshot.revision
    ).SerializeToString()


def _chunk_failure(
    chunk_id: str, snapshot: Snapshot, error: EntnormError, call: calls.Call
) -> bytes:
    reply = pb.StreamResolveNamesResponse(
        chunk_id=chunk_id,
        revision=snapshot.revision,
        error=errors.chunk_error(error, call.request_id),
    )
    return reply.SerializeToString()


def _token(context: Context) -> CancelToken:
    """Fires when the call ends for any reason (cancelled, deadline, server stopping), and once
    its deadline has passed."""
    token = CancelToken.within(context.time_remaining())
    context.add_done_callback(lambda _: token.cancel())  # type: ignore[arg-type]  # stubs: a class
    return token


def _characters(queries: Sequence[pb.NameQuery]) -> int:
    """What a batch costs the pool: resolving takes time roughly in proportion to text length
    (a context's text is annotated too)."""
    return sum(len(q.text) + len(q.context.text) for q in queries) or 1


def _document_cost(request: pb.AnnotateTextRequest) -> int:
    """A document costs the pool about a name's worth per hundred characters."""
    return len(request.text) // 100 + 1


def _call() -> calls.Call:
    # Every call passes the access-log interceptor first; outside it (a direct call) make one.
    return calls.current() or calls.Call(calls.request_id_from(None), "")


def add_to_server(service: EntnormService, server: grpc.aio.Server) -> None:
    """Register the methods with no (de)serializers: they take and return bytes."""
    handlers: dict[str, grpc.RpcMethodHandler[bytes, bytes]] = {
        "ResolveNames": grpc.unary_unary_rpc_method_handler(service.ResolveNames),
        "StreamResolveNames": grpc.stream_stream_rpc_method_handler(service.StreamResolveNames),
        "GetEntity": grpc.unary_unary_rpc_method_handler(service.GetEntity),
        "BatchGetEntities": grpc.unary_unary_rpc_method_handler(service.BatchGetEntities),
        "GetDataRevision": grpc.unary_unary_rpc_method_handler(service.GetDataRevision),
        "AnnotateText": grpc.unary_unary_rpc_method_handler(service.AnnotateText),
        "StreamAnnotateText": grpc.stream_stream_rpc_method_handler(service.StreamAnnotateText),
    }
    missing = set(pb.DESCRIPTOR.services_by_name["EntnormService"].methods_by_name) - set(handlers)
    assert not missing, f"methods of the .proto without a handler: {missing}"
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))
