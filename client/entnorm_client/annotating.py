"""Ordered annotation of many documents over the StreamAnnotateText bidirectional stream.

Documents are read lazily in gRPC's sending thread, at most WINDOW unanswered, and their
annotations yielded in input order (the server answers a stream's documents in order).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Generator, Iterator

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_client.errors import (
    EntnormError,
    FieldViolation,
    StatusDetails,
    error_for_status,
    seconds,
    status_code,
)
from entnorm_client.streaming import WINDOW, ResponseStream, answers_within
from entnorm_client.types import Annotation


class DocumentFeeder:
    """The request side: one message per document, at most WINDOW unanswered."""

    def __init__(self, documents: Iterator[tuple[str, pb.AnnotateTextRequest]]) -> None:
        self._documents = documents
        self._slots = threading.Semaphore(WINDOW)
        self._stopped = threading.Event()
        self.sent: list[str] = []  # document ids, in order; read by the caller's thread
        self.failure: Exception | None = None

    def requests(self) -> Iterator[pb.StreamAnnotateTextRequest]:
        try:
            for document_id, request in self._documents:
                while not self._slots.acquire(timeout=0.05):
                    if self._stopped.is_set():
                        return
                if self._stopped.is_set():
                    return
                self.sent.append(document_id)
                yield pb.StreamAnnotateTextRequest(document_id=document_id, document=request)
        except Exception as error:  # the caller's iterable failed in gRPC's thread
            self.failure = error

    def answered(self) -> None:
        self._slots.release()

    def stop(self) -> None:
        self._stopped.set()


def ordered_annotations(
    call: ResponseStream[pb.StreamAnnotateTextResponse],
    feeder: DocumentFeeder,
    *,
    target: str,
    idle_timeout: float,
) -> Generator[Annotation, None, None]:
    index = 0
    try:
        for response in answers_within(call, target=target, idle_timeout=idle_timeout):
            feeder.answered()
            if response.HasField("error"):
                raise _document_error(response.error, index, target)
            yield Annotation.from_proto(
                response.mentions,
                response.answers,
                response.revision,
                response.scorer_version,
                response.document_id,
            )
            index += 1
        if feeder.failure is not None:
            raise feeder.failure
        if index < len(feeder.sent):
            raise EntnormError(
                f"the stream from {target} ended with {len(feeder.sent) - index} document(s)"
                " unanswered"
            )
    finally:
        feeder.stop()
        call.cancel()


def _document_error(error: pb.ChunkError, index: int, target: str) -> EntnormError:
    """The server names a field of the stream's message (`document.text`); the caller's input
    is `documents[index]`."""

    def placed(text: str) -> str:
        return _DOCUMENT_FIELD.sub(f"documents[{index}].document.", text)

    details = StatusDetails(
        field_violations=tuple(
            FieldViolation(placed(v.field), v.description) for v in error.field_violations
        ),
        reason=error.reason,
        request_id=error.request_id,
        retry_after=seconds(error.retry_delay) if error.HasField("retry_delay") else None,
    )
    return error_for_status(
        status_code(error.code), placed(error.message), target=target, details=details
    )


_DOCUMENT_FIELD = re.compile(r"(?<![\w.\]])document\.")
