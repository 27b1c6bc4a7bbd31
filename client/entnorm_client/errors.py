"""The errors the client raises, and the one place that maps gRPC failures onto them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

import grpc
from google.protobuf import duration_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from entnorm_client.request_ids import REQUEST_ID_KEY, metadata_value

# A plain-text trailer with the ErrorInfo reason, for clients that cannot read the rich status.
REASON_KEY = "entnorm-error-reason"


@dataclass(frozen=True)
class FieldViolation:
    """A request field that failed validation, e.g. `queries[3].text`."""

    field: str
    description: str

    def __str__(self) -> str:
        return f"{self.field}: {self.description}"


@dataclass(frozen=True)
class StatusDetails:
    """What a failure says beyond its code and message, from google.rpc details or a ChunkError."""

    field_violations: tuple[FieldViolation, ...] = ()
    # UPPER_SNAKE reason from google.rpc.ErrorInfo, e.g. "REQUEST_TOO_COSTLY".
    reason: str = ""
    # The id of the call in the server's log; "" when no server answered.
    request_id: str = ""
    # Seconds to wait before sending again, when the server says waiting helps.
    retry_after: float | None = None


class EntnormError(Exception):
    """Base of every error the client raises.

    `request_id` is the id of the failed call in the server's log (empty when no server
    answered); `reason` the server's UPPER_SNAKE reason, when it gave one.
    """

    def __init__(
        self,
        message: str,
        *,
        code: grpc.StatusCode | None = None,
        reason: str = "",
        request_id: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.reason = reason
        self.request_id = request_id


class ServerUnavailableError(EntnormError):
    """The server could not be reached (nothing listening, wrong target, network down)."""

    def __init__(
        self,
        target: str,
        details: str,
        *,
        code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE,
        reason: str = "",
        request_id: str = "",
    ) -> None:
        super().__init__(
            f"cannot reach server at {target} ({details}); "
            "start it with 'entnorm serve' or pass --target",
            code=code,
            reason=reason,
            request_id=request_id,
        )
        self.target = target


class DeadlineExceededError(ServerUnavailableError):
    """No answer within the deadline: the server is unreachable, stuck or overloaded."""

    def __init__(
        self,
        target: str,
        timeout: float | None,
        details: str = "",
        *,
        reason: str = "",
        request_id: str = "",
    ) -> None:
        within = f" within {timeout:g} s" if timeout is not None else ""
        what = f"no answer{within}" + (f": {details}" if details else "")
        super().__init__(
            target,
            what,
            code=grpc.StatusCode.DEADLINE_EXCEEDED,
            reason=reason,
            request_id=request_id,
        )
        self.timeout = timeout


class InvalidArgumentError(EntnormError):
    """The server rejected the request; `field_violations` name the offending fields."""

    def __init__(
        self,
        message: str,
        field_violations: Sequence[FieldViolation] = (),
        *,
        reason: str = "",
        request_id: str = "",
    ) -> None:
        super().__init__(
            message, code=grpc.StatusCode.INVALID_ARGUMENT, reason=reason, request_id=request_id
        )
        self.field_violations = tuple(field_violations)

    def __str__(self) -> str:
        # Servers often put the violations in the message already; say each one once.
        unsaid = [str(v) for v in self.field_violations if str(v) not in self.message]
        return f"{self.message} ({'; '.join(unsaid)})" if unsaid else self.message


class NotFoundError(EntnormError):
    """An id the loaded data does not hold."""


class RevisionNotHeldError(EntnormError):
    """A pinned data revision the server no longer holds; the message names those it does."""


class ResourceExhaustedError(EntnormError):
    """The server refused the load: a request too costly, the server busy, too many streams.

    `retry_after` (seconds) is set when the server says sending again after it may succeed;
    None means waiting does not help (e.g. `reason` "REQUEST_TOO_COSTLY": send less at once).
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str = "",
        request_id: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message,
            code=grpc.StatusCode.RESOURCE_EXHAUSTED,
            reason=reason,
            request_id=request_id,
        )
        self.retry_after = retry_after


def error_for_status(
    code: grpc.StatusCode,
    message: str,
    *,
    target: str,
    timeout: float | None = None,
    details: StatusDetails = StatusDetails(),
) -> EntnormError:
    """The client error for a status, from a failed call or a rejected stream chunk."""
    reason, request_id = details.reason, details.request_id
    if code is grpc.StatusCode.UNAVAILABLE:
        return ServerUnavailableError(target, message, reason=reason, request_id=request_id)
    # An idle stream closed by the server is the caller's pause, not a server out of reach.
    if code is grpc.StatusCode.DEADLINE_EXCEEDED and reason != "STREAM_IDLE":
        return DeadlineExceededError(target, timeout, message, reason=reason, request_id=request_id)
    if code is grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgumentError(
            message, details.field_violations, reason=reason, request_id=request_id
        )
    if code is grpc.StatusCode.NOT_FOUND:
        return NotFoundError(message, code=code, reason=reason, request_id=request_id)
    if code is grpc.StatusCode.FAILED_PRECONDITION and reason == "REVISION_NOT_HELD":
        return RevisionNotHeldError(message, code=code, reason=reason, request_id=request_id)
    if code is grpc.StatusCode.RESOURCE_EXHAUSTED:
        return ResourceExhaustedError(
            message, reason=reason, request_id=request_id, retry_after=details.retry_after
        )
    return EntnormError(f"{code.name}: {message}", code=code, reason=reason, request_id=request_id)


def status_code(number: int) -> grpc.StatusCode:
    """The StatusCode of a google.rpc.Code number; UNKNOWN for a number grpc does not know."""
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN


@dataclass(frozen=True)
class IndexShift:
    """Where one request's items start in the caller's input, e.g. `queries` from 1000.

    The client splits long inputs into several requests; shifting `queries[i]` to
    `queries[i + offset]` makes a field path name the caller's item, not its place in one request.
    """

    collection: str
    offset: int

    def apply(self, text: str) -> str:
        pattern = rf"\b{re.escape(self.collection)}\[(\d+)\]"
        return re.sub(pattern, lambda m: f"{self.collection}[{int(m[1]) + self.offset}]", text)


@contextmanager
def translating_rpc_errors(
    target: str, timeout: float | None, shift: IndexShift | None = None
) -> Iterator[None]:
    """Raise grpc.RpcError from the block as the matching EntnormError."""
    try:
        yield
    except grpc.RpcError as error:
        raise from_rpc_error(error, target=target, timeout=timeout, shift=shift) from error


def from_rpc_error(
    error: grpc.RpcError,
    *,
    target: str,
    timeout: float | None = None,
    shift: IndexShift | None = None,
) -> EntnormError:
    """The client error for a failed call, with the details of its rich status."""
    # details() is None for some transport failures; keep the message on one line.
    message = " ".join((error.details() or "").split()) or error.code().name.lower()
    details = _call_details(error)
    if shift is not None:
        message = shift.apply(message)
        violations = tuple(
            FieldViolation(shift.apply(v.field), v.description) for v in details.field_violations
        )
        details = replace(details, field_violations=violations)
    return error_for_status(error.code(), message, target=target, timeout=timeout, details=details)


def _call_details(error: grpc.RpcError) -> StatusDetails:
    """The details of a failed call: its google.rpc.Status trailer and plain-text trailers."""
    if not isinstance(error, grpc.Call):  # a failure before any call was made
        return StatusDetails()
    trailers = error.trailing_metadata()
    # The plain-text trailers hold for a server whose rich status cannot be read.
    plain = StatusDetails(
        reason=metadata_value(trailers, REASON_KEY),
        request_id=metadata_value(trailers, REQUEST_ID_KEY),
    )
    try:
        status: status_pb2.Status | None = rpc_status.from_call(error)
    except ValueError:  # the trailer contradicts the call's own code or message
        return plain
    if status is None:
        return plain
    rich = _unpacked(status)
    return replace(
        rich,
        reason=rich.reason or plain.reason,
        request_id=plain.request_id or rich.request_id,
    )


def _unpacked(status: status_pb2.Status) -> StatusDetails:
    violations: list[FieldViolation] = []
    reason = request_id = ""
    retry_after: float | None = None
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            violations += [
                FieldViolation(v.field, v.description) for v in bad_request.field_violations
            ]
        elif detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
        elif detail.Is(error_details_pb2.RequestInfo.DESCRIPTOR):
            request = error_details_pb2.RequestInfo()
            detail.Unpack(request)
            request_id = request.request_id
        elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            retry = error_details_pb2.RetryInfo()
            detail.Unpack(retry)
            retry_after = seconds(retry.retry_delay)
    return StatusDetails(tuple(violations), reason, request_id, retry_after)


def seconds(duration: duration_pb2.Duration) -> float:
    """A protobuf Duration in seconds."""
    return duration.seconds + duration.nanos / 1e9
