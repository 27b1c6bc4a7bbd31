"""The errors the client raises, and the one place that maps gRPC failures onto them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import grpc
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status


@dataclass(frozen=True)
class FieldViolation:
    """A request field that failed validation, e.g. `queries[3].text`."""

    field: str
    description: str

    def __str__(self) -> str:
        return f"{self.field}: {self.description}"


class EntnormError(Exception):
    """Base of every error the client raises."""

    def __init__(
        self, message: str, *, code: grpc.StatusCode | None = None, reason: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        # UPPER_SNAKE reason from google.rpc.ErrorInfo, when the server gave one.
        self.reason = reason


class ServerUnavailableError(EntnormError):
    """The server could not be reached (nothing listening, wrong target, network down)."""

    def __init__(
        self, target: str, details: str, *, code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE
    ) -> None:
        super().__init__(
            f"cannot reach server at {target} ({details}); "
            "start it with 'entnorm serve' or pass --target",
            code=code,
        )
        self.target = target


class DeadlineExceededError(ServerUnavailableError):
    """No answer within the deadline: the server is unreachable, stuck or overloaded."""

    def __init__(self, target: str, timeout: float | None, details: str = "") -> None:
        within = f" within {timeout:g} s" if timeout is not None else ""
        what = f"no answer{within}" + (f": {details}" if details else "")
        super().__init__(target, what, code=grpc.StatusCode.DEADLINE_EXCEEDED)
        self.timeout = timeout


class InvalidArgumentError(EntnormError):
    """The server rejected the request; `field_violations` name the offending fields."""

    def __init__(
        self, message: str, field_violations: Sequence[FieldViolation] = (), *, reason: str = ""
    ) -> None:
        super().__init__(message, code=grpc.StatusCode.INVALID_ARGUMENT, reason=reason)
        self.field_violations = tuple(field_violations)

    def __str__(self) -> str:
        # Servers often put the violations in the message already; say each one once.
        unsaid = [str(v) for v in self.field_violations if str(v) not in self.message]
        return f"{self.message} ({'; '.join(unsaid)})" if unsaid else self.message


class NotFoundError(EntnormError):
    """An id the loaded data does not hold."""


class ResourceExhaustedError(EntnormError):
    """The server or the channel refused the load, e.g. a message over the size limit."""


def error_for_status(
    code: grpc.StatusCode,
    message: str,
    *,
    target: str,
    timeout: float | None = None,
    field_violations: Sequence[FieldViolation] = (),
    reason: str = "",
) -> EntnormError:
    """The client error for a status, from a failed call or a rejected stream chunk."""
    if code is grpc.StatusCode.UNAVAILABLE:
        return ServerUnavailableError(target, message)
    if code is grpc.StatusCode.DEADLINE_EXCEEDED:
        return DeadlineExceededError(target, timeout, message)
    if code is grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgumentError(message, field_violations, reason=reason)
    if code is grpc.StatusCode.NOT_FOUND:
        return NotFoundError(message, code=code, reason=reason)
    if code is grpc.StatusCode.RESOURCE_EXHAUSTED:
        return ResourceExhaustedError(message, code=code, reason=reason)
    return EntnormError(f"{code.name}: {message}", code=code, reason=reason)


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
    violations, reason = _rich_details(error)
    if shift is not None:
        message = shift.apply(message)
        violations = [FieldViolation(shift.apply(v.field), v.description) for v in violations]
    return error_for_status(
        error.code(),
        message,
        target=target,
        timeout=timeout,
        field_violations=violations,
        reason=reason,
    )


def _rich_details(error: grpc.RpcError) -> tuple[list[FieldViolation], str]:
    """Field violations and ErrorInfo reason from the google.rpc.Status trailer, if any."""
    if not isinstance(error, grpc.Call):
        return [], ""
    try:
        status: status_pb2.Status | None = rpc_status.from_call(error)
    except ValueError:  # the trailer contradicts the call's own code or message
        return [], ""
    violations: list[FieldViolation] = []
    reason = ""
    for detail in status.details if status is not None else ():
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
    return violations, reason
