"""Ordered, chunked resolution over the StreamResolveNames bidirectional stream.

The caller's queries become request chunks lazily, in gRPC's sending thread, so an input of any
length is never held in memory at once; answers are put back into input order before they are
yielded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

import grpc

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_client.batching import MAX_BATCH_CHARS, batches
from entnorm_client.errors import (
    DeadlineExceededError,
    EntnormError,
    FieldViolation,
    IndexShift,
    StatusDetails,
    error_for_status,
    seconds,
    status_code,
)
from entnorm_client.types import Resolution, paired_resolutions

# Unanswered chunks in flight: enough to keep the server busy, few enough to bound memory.
WINDOW = 4


R = TypeVar("R", covariant=True)


class ResponseStream(Protocol[R]):
    """What the client needs of the call object a streaming method returns."""

    def __next__(self) -> R: ...

    def cancel(self) -> bool: ...


@dataclass(frozen=True)
class _SentChunk:
    offset: int  # index of the chunk's first query in the caller's input
    texts: tuple[str, ...]


class ChunkFeeder:
    """The request side of the stream: chunks of queries, at most WINDOW unanswered.

    A chunk holds at most `chunk_size` queries and `max_chars` characters of text, so that a file
    of long names is not refused for its chunks' size.
    """

    def __init__(
        self,
        queries: Iterable[pb.NameQuery],
        chunk_size: int,
        max_chars: int = MAX_BATCH_CHARS,
        revision: str = "",
    ) -> None:
        self._queries = queries
        self._revision = revision  # pinned on every chunk, if given
        self._chunk_size = chunk_size
        self._max_chars = max_chars
        self._slots = threading.Semaphore(WINDOW)
        self._stopped = threading.Event()
        # Written by gRPC's sending thread, read by the caller's; single dict operations are atomic.
        self.sent: dict[str, _SentChunk] = {}
        self.failure: Exception | None = None

    def requests(self) -> Iterator[pb.StreamResolveNamesRequest]:
        try:
            offset = 0
            chunks = batches(self._queries, self._chunk_size, self._max_chars)
            for index, chunk in enumerate(chunks):
                if not self._take_slot():
                    return
                chunk_id = str(index)
                self.sent[chunk_id] = _SentChunk(offset, tuple(q.text for q in chunk))
                offset += len(chunk)
                yield pb.StreamResolveNamesRequest(
                    chunk_id=chunk_id, queries=chunk, revision=self._revision
                )
        except Exception as error:
            # The caller's iterable failed in gRPC's thread: end the requests cleanly and let the
            # caller's thread raise it once the chunks already sent are answered.
            self.failure = error

    def answered(self) -> None:
        self._slots.release()

    def stop(self) -> None:
        self._stopped.set()

    def _take_slot(self) -> bool:
        # Poll so that a stream abandoned by the caller does not leave this thread blocked.
        while not self._slots.acquire(timeout=0.05):
            if self._stopped.is_set():
                return False
        return not self._stopped.is_set()


def ordered_resolutions(
    call: ResponseStream[pb.StreamResolveNamesResponse],
    feeder: ChunkFeeder,
    *,
    target: str,
    idle_timeout: float,
) -> Iterator[Resolution]:
    """The resolutions of every chunk, in the order the queries were given."""
    early: dict[str, pb.StreamResolveNamesResponse] = {}
    next_index = 0
    for response in answers_within(call, target=target, idle_timeout=idle_timeout):
        feeder.answered()
        early[response.chunk_id] = response
        while (ready := early.pop(str(next_index), None)) is not None:
            yield from _chunk_resolutions(ready, feeder.sent.pop(ready.chunk_id), target)
            next_index += 1
    if feeder.failure is not None:
        raise feeder.failure
    if feeder.sent or early:
        raise EntnormError(
            f"the stream from {target} ended with {len(feeder.sent)} chunk(s) unanswered"
        )


def answers_within(
    call: ResponseStream[R],
    *,
    target: str,
    idle_timeout: float,
) -> Iterator[R]:
    """The responses, each due within `idle_timeout` seconds of the one before.

    A deadline on the whole stream would fail any input that takes longer than it to resolve; the
    wait for each answer is what `timeout` bounds here.
    """
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        call.cancel()

    while True:
        timer = threading.Timer(idle_timeout, expire)
        timer.daemon = True
        timer.start()
        try:
            response = next(call)
        except StopIteration:
            return
        except grpc.RpcError as error:
            if expired.is_set():
                raise DeadlineExceededError(target, idle_timeout) from error
            raise
        finally:
            timer.cancel()
        yield response


def _chunk_resolutions(
    response: pb.StreamResolveNamesResponse, sent: _SentChunk, target: str
) -> list[Resolution]:
    if response.HasField("error"):
        error = response.error
        shift = IndexShift("queries", sent.offset)
        details = StatusDetails(
            field_violations=tuple(
                FieldViolation(shift.apply(v.field), v.description) for v in error.field_violations
            ),
            reason=error.reason,
            request_id=error.request_id,
            retry_after=seconds(error.retry_delay) if error.HasField("retry_delay") else None,
        )
        raise error_for_status(
            status_code(error.code), shift.apply(error.message), target=target, details=details
        )
    return paired_resolutions(
        sent.texts, response.resolutions, response.revision, response.scorer_version
    )
