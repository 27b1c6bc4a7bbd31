"""Engine exceptions as gRPC statuses, at a single boundary.

Every status carries google.rpc details (ErrorInfo with an UPPER_SNAKE reason, RequestInfo with
the request id, and BadRequest or RetryInfo where they apply) in `grpc-status-details-bin`, and,
for clients that cannot decode those, the reason and the request id as plain-text trailers.
Messages are bounded (the first few problems, then how many more) and never carry an
exception's own text.
"""

from __future__ import annotations

from typing import Any, NoReturn

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_server.calls import REQUEST_ID_KEY
from entnorm_server.exc import (
    CallAbandonedError,
    EntityNotFoundError,
    EntnormError,
    InvalidRequestError,
    NotReadyError,
    ResourceExhaustedError,
    RevisionNotHeldError,
    StreamIdleError,
)
from entnorm_server.limits import MAX_ECHOED_CHARS, MAX_REPORTED

DOMAIN = "entnorm.v1"
REASON_KEY = "entnorm-error-reason"
_DETAILS_KEY = "grpc-status-details-bin"
# Violations listed in BadRequest: a few more than the message names.
_MAX_DETAILED = 4 * MAX_REPORTED
# gRPC fails a call whose trailers pass 8 KiB: the details travel base64 (4/3 larger), and the
# message percent-encoded (up to 9 bytes for a character outside ASCII).
_MAX_DETAILS_BYTES = 3000
_MAX_MESSAGE_CHARS = 400


def internal_message(request_id: str) -> str:
    return (
        f"internal error in the server; request id {request_id}"
        " (the server log has the details under this id)"
    )


def code_and_reason(error: EntnormError) -> tuple[int, str]:
    if isinstance(error, InvalidRequestError):
        return code_pb2.INVALID_ARGUMENT, error.reason
    if isinstance(error, EntityNotFoundError):
        return code_pb2.NOT_FOUND, "ENTITY_NOT_FOUND"
    if isinstance(error, NotReadyError):
        return code_pb2.UNAVAILABLE, "NOT_READY"
    if isinstance(error, RevisionNotHeldError):
        return code_pb2.FAILED_PRECONDITION, "REVISION_NOT_HELD"
    if isinstance(error, ResourceExhaustedError):
        return code_pb2.RESOURCE_EXHAUSTED, error.reason
    if isinstance(error, StreamIdleError):
        return code_pb2.DEADLINE_EXCEEDED, "STREAM_IDLE"
    if isinstance(error, CallAbandonedError):
        if error.stopping:
            return code_pb2.UNAVAILABLE, "SHUTTING_DOWN"
        return code_pb2.DEADLINE_EXCEEDED, "DEADLINE_PASSED"
    return code_pb2.INTERNAL, "INTERNAL"


def message_of(error: EntnormError, request_id: str) -> str:
    code, _ = code_and_reason(error)
    if code == code_pb2.INTERNAL:
        return internal_message(request_id)
    if isinstance(error, NotReadyError):
        return f"{error}; retry when the health service reports SERVING"
    return str(error)


def to_status(error: EntnormError, request_id: str) -> status_pb2.Status:
    code, reason = code_and_reason(error)
    info = error_details_pb2.ErrorInfo(reason=reason, domain=DOMAIN)
    details: list[Message] = [info, error_details_pb2.RequestInfo(request_id=request_id)]
    if isinstance(error, InvalidRequestError):
        details.append(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(
                        field=v.field, description=v.description
                    )
                    for v in error.violations[:_MAX_DETAILED]
                ]
            )
        )
    elif isinstance(error, EntityNotFoundError):
        info.metadata["ids"] = ",".join(i[:MAX_ECHOED_CHARS] for i in error.ids[:MAX_REPORTED])
        info.metadata["count"] = str(len(error.ids))
    elif isinstance(error, ResourceExhaustedError) and error.retry_after is not None:
        details.append(error_details_pb2.RetryInfo(retry_delay=_duration(error.retry_after)))
    elif isinstance(error, RevisionNotHeldError):
        details.append(
            error_details_pb2.PreconditionFailure(
                violations=[
                    error_details_pb2.PreconditionFailure.Violation(
                        type="REVISION",
                        subject=error.revision[:MAX_ECHOED_CHARS],
                        description=f"held: {', '.join(error.held)}",
                    )
                ]
            )
        )
    message = message_of(error, request_id)
    if len(message) > _MAX_MESSAGE_CHARS:
        message = message[:_MAX_MESSAGE_CHARS] + "…"
    status = status_pb2.Status(code=code, message=message, details=[_pack(d) for d in details])
    if status.ByteSize() > _MAX_DETAILS_BYTES:  # say less rather than fail with no status
        del status.details[2:]  # keep ErrorInfo and RequestInfo
        info.metadata.pop("ids", None)
        status.details[0].Pack(info)
    return status


def internal_status(request_id: str) -> status_pb2.Status:
    return to_status(EntnormError(), request_id)


async def abort(context: grpc.aio.ServicerContext[Any, Any], status: status_pb2.Status) -> NoReturn:
    """End the call with status, its details and the plain-text trailers."""
    reason = _reason_of(status)
    request_id = _request_id_of(status)
    trailers: tuple[tuple[str, str | bytes], ...] = (
        (_DETAILS_KEY, status.SerializeToString()),
        (REQUEST_ID_KEY, request_id),
        (REASON_KEY, reason),
    )
    code = _CODES.get(status.code, grpc.StatusCode.UNKNOWN)
    await context.abort(code, status.message, trailers)
    raise AssertionError("abort returned")  # it always raises


def chunk_error(error: EntnormError, request_id: str) -> pb.ChunkError:
    """A stream chunk's failure, said in its response; the stream goes on."""
    code, reason = code_and_reason(error)
    chunk = pb.ChunkError(
        code=code,
        message=message_of(error, request_id),
        reason=reason,
        request_id=request_id,
    )
    if isinstance(error, InvalidRequestError):
        chunk.field_violations.extend(
            pb.FieldViolation(field=v.field, description=v.description)
            for v in error.violations[:_MAX_DETAILED]
        )
    if isinstance(error, ResourceExhaustedError) and error.retry_after is not None:
        chunk.retry_delay.CopyFrom(_duration(error.retry_after))
    return chunk


def _pack(message: Message) -> any_pb2.Any:
    detail = any_pb2.Any()
    detail.Pack(message)
    return detail


def _duration(seconds: float) -> duration_pb2.Duration:
    duration = duration_pb2.Duration()
    duration.FromMilliseconds(round(seconds * 1000))
    return duration


def _reason_of(status: status_pb2.Status) -> str:
    info = error_details_pb2.ErrorInfo()
    for detail in status.details:
        if detail.Unpack(info):
            return str(info.reason)
    return ""


def _request_id_of(status: status_pb2.Status) -> str:
    request = error_details_pb2.RequestInfo()
    for detail in status.details:
        if detail.Unpack(request):
            return str(request.request_id)
    return ""


_CODES = {code.value[0]: code for code in grpc.StatusCode}
