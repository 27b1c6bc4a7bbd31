"""EntnormClient: a blocking client for the entnorm gRPC API."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Self

import grpc

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm.v1 import entnorm_service_pb2_grpc as pb_grpc
from entnorm_client.annotating import DocumentFeeder, ordered_annotations
from entnorm_client.batching import MAX_BATCH, MAX_BATCH_CHARS, batches
from entnorm_client.enums import ENTITY_TYPES
from entnorm_client.errors import DeadlineExceededError, IndexShift, translating_rpc_errors
from entnorm_client.request_ids import Metadata, request_metadata
from entnorm_client.streaming import ChunkFeeder, ordered_resolutions
from entnorm_client.types import (
    Annotation,
    Context,
    DataRevision,
    Entity,
    Query,
    Resolution,
    paired_resolutions,
)

__all__ = ["DEFAULT_TARGET", "DEFAULT_TIMEOUT", "MAX_BATCH", "MAX_BATCH_CHARS", "EntnormClient"]

DEFAULT_TARGET = "localhost:50051"
DEFAULT_TIMEOUT = 10.0
# 1000 queries with 50 candidates each outgrow gRPC's default limit of 4 MiB per message.
_MAX_RECEIVE_BYTES = 64 * 1024 * 1024

ToQuery = Callable[[str | Query], pb.NameQuery]


class EntnormClient:
    """A connection to an entnorm server; use it as a context manager to close the channel.

    Every call has a deadline: `timeout` seconds unless the call is given its own.
    Failures are raised as `EntnormError` subclasses (see `entnorm_client.errors`), with the
    call's `request_id` in the server's log. A call given `request_id` sends it as the call's id
    (1 to 64 characters of A-Z, a-z, 0-9 and . _ : -), so the caller can find it in the log.
    Names go to the server in requests or chunks of at most MAX_BATCH names and
    `max_batch_chars` characters: pass a lower limit for a server configured with one.
    """

    def __init__(
        self,
        target: str = DEFAULT_TARGET,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_batch_chars: int = MAX_BATCH_CHARS,
    ) -> None:
        if max_batch_chars < 1:
            raise ValueError(f"max_batch_chars must be at least 1, not {max_batch_chars}")
        self.target = target
        self.timeout = timeout
        self.max_batch_chars = max_batch_chars
        self._channel = grpc.insecure_channel(
            target, options=[("grpc.max_receive_message_length", _MAX_RECEIVE_BYTES)]
        )
        self._stub = pb_grpc.EntnormServiceStub(self._channel)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._channel.close()

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until the channel connects; DeadlineExceededError after `timeout` seconds."""
        wait = self._deadline(timeout)
        ready = grpc.channel_ready_future(self._channel)
        try:
            ready.result(timeout=wait)
        except grpc.FutureTimeoutError:
            ready.cancel()
            raise DeadlineExceededError(self.target, wait) from None

    def resolve(
        self,
        names: Sequence[str | Query],
        *,
        types: Sequence[str] = (),
        language: str = "",
        max_candidates: int = 0,
        threshold: float | None = None,
        context: Context | None = None,
        revision: str = "",
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> list[Resolution]:
        """Resolve names, one resolution per name in the same order.

        A `str` takes the filters given here; a `Query` carries its own. More names than one
        request takes (MAX_BATCH, or `max_batch_chars` characters) go as several requests, each
        with the deadline; a field violation still names the caller's index, e.g.
        `queries[1500].text`. A name the server failed on has the outcome "error" and its
        `error`; the other names are answered. `revision` pins a data revision the server
        still holds (RevisionNotHeldError names those it does); every batch is answered from it.
        `context` (ids, text, country) goes with every plain name and may settle one that is
        ambiguous alone.
        """
        _reject_single_str(names, "names")
        metadata = request_metadata(request_id)
        to_query = _query_converter(types, language, max_candidates, threshold, context)
        queries = [to_query(name) for name in names]
        resolutions: list[Resolution] = []
        for batch in batches(queries, MAX_BATCH, self.max_batch_chars):
            with self._translating(timeout, IndexShift("queries", len(resolutions))):
                response = self._stub.ResolveNames(
                    pb.ResolveNamesRequest(queries=batch, revision=revision),
                    timeout=self._deadline(timeout),
                    metadata=metadata,
                )
            texts = [query.text for query in batch]
            resolutions += paired_resolutions(
                texts, response.resolutions, response.revision, response.scorer_version
            )
        return resolutions

    def stream_resolve(
        self,
        queries: Iterable[str | Query],
        *,
        chunk_size: int = 500,
        types: Sequence[str] = (),
        language: str = "",
        max_candidates: int = 0,
        threshold: float | None = None,
        revision: str = "",
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Generator[Resolution, None, None]:
        """Resolve any number of names over one stream, yielding resolutions in input order.

        `queries` is read lazily, in chunks of at most `chunk_size` names and `max_batch_chars`
        characters. `timeout` bounds the wait for each chunk's answer rather than the whole
        stream, so a long input is not cut off. A rejected chunk raises its error
        (InvalidArgumentError naming e.g. `queries[1500].text`, ResourceExhaustedError with
        `retry_after` when the server is busy); the resolutions before it have been yielded. A
        name the server failed on is yielded with the outcome "error" and its `error`.
        Closing the generator early (`close()`) cancels the stream. `revision` pins every chunk
        to a data revision the server holds, so a long job answers from one revision throughout;
        RevisionNotHeldError once the server no longer holds it.
        """
        _reject_single_str(queries, "queries")
        if not 1 <= chunk_size <= MAX_BATCH:
            raise ValueError(f"chunk_size must be in 1..{MAX_BATCH}, not {chunk_size}")
        # Checked here, before the stream, so that a bad filter or id raises at the call.
        metadata = request_metadata(request_id)
        to_query = _query_converter(types, language, max_candidates, threshold)
        return self._stream(
            map(to_query, queries), chunk_size, self._deadline(timeout), metadata, revision
        )

    def get_entity(
        self,
        entity_id: str,
        *,
        revision: str = "",
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Entity:
        """The entity with this id (in a pinned `revision`, if given); NotFoundError for an
        unknown id."""
        metadata = request_metadata(request_id)
        with self._translating(timeout):
            response = self._stub.GetEntity(
                pb.GetEntityRequest(id=entity_id, revision=revision),
                timeout=self._deadline(timeout),
                metadata=metadata,
            )
        return Entity.from_proto(response.entity, response.revision)

    def get_entities(
        self,
        ids: Sequence[str],
        *,
        revision: str = "",
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> list[Entity]:
        """The entities with these ids (in a pinned `revision`, if given), in order;
        NotFoundError if any id is unknown."""
        _reject_single_str(ids, "ids")
        metadata = request_metadata(request_id)
        entities: list[Entity] = []
        for offset in range(0, len(ids), MAX_BATCH):
            batch = ids[offset : offset + MAX_BATCH]
            with self._translating(timeout, IndexShift("ids", offset)):
                response = self._stub.BatchGetEntities(
                    pb.BatchGetEntitiesRequest(ids=batch, revision=revision),
                    timeout=self._deadline(timeout),
                    metadata=metadata,
                )
            entities += [Entity.from_proto(e, response.revision) for e in response.entities]
        return entities

    def data_revision(
        self, *, timeout: float | None = None, request_id: str | None = None
    ) -> DataRevision:
        """The data revision the server has loaded."""
        metadata = request_metadata(request_id)
        with self._translating(timeout):
            response = self._stub.GetDataRevision(
                pb.GetDataRevisionRequest(), timeout=self._deadline(timeout), metadata=metadata
            )
        return DataRevision.from_proto(response.data_revision)

    def annotate(
        self,
        text: str,
        *,
        types: Sequence[str] = (),
        language: str = "",
        max_candidates: int = 0,
        context: Context | None = None,
        revision: str = "",
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Annotation:
        """Every mention of the tables' entities in `text`, resolved together: the certain ones
        settle the ambiguous. Offsets are code points into `text`. `context` (its ids and
        country; not its text) applies to the whole document."""
        metadata = request_metadata(request_id)
        request = _document(text, types, language, max_candidates, context, revision)
        with self._translating(timeout):
            response = self._stub.AnnotateText(
                request, timeout=self._deadline(timeout), metadata=metadata
            )
        return Annotation.from_proto(
            response.mentions, response.answers, response.revision, response.scorer_version
        )

    def stream_annotate(
        self,
        documents: Iterable[str | tuple[str, str]],
        *,
        types: Sequence[str] = (),
        language: str = "",
        max_candidates: int = 0,
        revision: str = "",
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Generator[Annotation, None, None]:
        """Annotate many documents over one stream, yielding their annotations in input order.

        A document is a text or an (id, text) pair; its Annotation carries the id (a text's id
        is its index). `documents` is read lazily; `timeout` bounds the wait for each answer. A
        rejected document raises its error (InvalidArgumentError naming
        `documents[7].document.text`); the annotations before it have been yielded.
        """
        _reject_single_str(documents, "documents")
        metadata = request_metadata(request_id)
        # Checked here, before the stream, so that a bad filter raises at the call.
        _document("", types, language, max_candidates, None, revision)

        def requests() -> Iterator[tuple[str, pb.AnnotateTextRequest]]:
            for index, document in enumerate(documents):
                doc_id, text = (str(index), document) if isinstance(document, str) else document
                yield doc_id, _document(text, types, language, max_candidates, None, revision)

        return self._annotations(DocumentFeeder(requests()), self._deadline(timeout), metadata)

    def _annotations(
        self, feeder: DocumentFeeder, idle_timeout: float, metadata: Metadata | None
    ) -> Generator[Annotation, None, None]:
        call = self._stub.StreamAnnotateText(feeder.requests(), metadata=metadata)
        with self._translating(idle_timeout):
            yield from ordered_annotations(
                call, feeder, target=self.target, idle_timeout=idle_timeout
            )

    def _stream(
        self,
        queries: Iterator[pb.NameQuery],
        chunk_size: int,
        idle_timeout: float,
        metadata: Metadata | None,
        revision: str = "",
    ) -> Generator[Resolution, None, None]:
        feeder = ChunkFeeder(queries, chunk_size, self.max_batch_chars, revision)
        # No deadline on the stream as a whole: ordered_resolutions bounds each answer instead.
        call = self._stub.StreamResolveNames(feeder.requests(), metadata=metadata)
        try:
            with self._translating(idle_timeout):
                yield from ordered_resolutions(
                    call, feeder, target=self.target, idle_timeout=idle_timeout
                )
        finally:
            feeder.stop()
            call.cancel()

    def _deadline(self, timeout: float | None) -> float:
        return self.timeout if timeout is None else timeout

    def _translating(
        self, timeout: float | None, shift: IndexShift | None = None
    ) -> AbstractContextManager[None]:
        return translating_rpc_errors(self.target, self._deadline(timeout), shift)


def _query_converter(
    types: Sequence[str],
    language: str,
    max_candidates: int,
    threshold: float | None,
    context: Context | None = None,
) -> ToQuery:
    """Turns a name or a Query into a wire query; the filters apply to plain names."""
    _reject_single_str(types, "types")
    type_numbers = [ENTITY_TYPES.number(label) for label in types]

    def to_query(name: str | Query) -> pb.NameQuery:
        if isinstance(name, Query):
            return name.to_proto()
        return pb.NameQuery(
            text=name,
            types=type_numbers,
            language=language,
            max_candidates=max_candidates,
            threshold=threshold,
            context=context.to_proto() if context else None,
        )

    return to_query


def _document(
    text: str,
    types: Sequence[str],
    language: str,
    max_candidates: int,
    context: Context | None,
    revision: str,
) -> pb.AnnotateTextRequest:
    _reject_single_str(types, "types")
    return pb.AnnotateTextRequest(
        text=text,
        types=[ENTITY_TYPES.number(label) for label in types],
        language=language,
        max_candidates=max_candidates,
        context=context.to_proto() if context else None,
        revision=revision,
    )


def _reject_single_str(items: object, what: str) -> None:
    # A str is a Sequence of one-letter strings: resolve("Kim") would send three queries.
    if isinstance(items, str):
        raise TypeError(f"{what} must be a sequence of strings, not a single str")
