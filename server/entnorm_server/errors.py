"""Map engine exceptions to gRPC status codes with google.rpc details, at a single boundary."""

from __future__ import annotations

from typing import NoReturn

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_server.exc import (
    EntityNotFoundError,
    EntnormError,
    InvalidRequestError,
    NotReadyError,
)

DOMAIN = "entnorm.v1"


def _pack(message: error_details_pb2.BadRequest | error_details_pb2.ErrorInfo) -> any_pb2.Any:
    detail = any_pb2.Any()
    detail.Pack(message)
    return detail


def to_status(error: EntnormError) -> status_pb2.Status:
    if isinstance(error, InvalidRequestError):
        bad = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.description
                )
                for v in error.violations
            ]
        )
        info = error_details_pb2.ErrorInfo(reason=error.reason, domain=DOMAIN)
        return status_pb2.Status(
            code=code_pb2.INVALID_ARGUMENT, message=str(error), details=[_pack(bad), _pack(info)]
        )
    if isinstance(error, EntityNotFoundError):
        info = error_details_pb2.ErrorInfo(
            reason="ENTITY_NOT_FOUND", domain=DOMAIN, metadata={"ids": ",".join(error.ids)}
        )
        return status_pb2.Status(code=code_pb2.NOT_FOUND, message=str(error), details=[_pack(info)])
    if isinstance(error, NotReadyError):
        info = error_details_pb2.ErrorInfo(reason="NOT_READY", domain=DOMAIN)
        return status_pb2.Status(
            code=code_pb2.UNAVAILABLE,
            message=f"{error}; retry when the health service reports SERVING",
            details=[_pack(info)],
        )
    return status_pb2.Status(code=code_pb2.INTERNAL, message=str(error))


def abort(context: grpc.ServicerContext, error: EntnormError) -> NoReturn:
    context.abort_with_status(rpc_status.to_status(to_status(error)))
    raise AssertionError("abort_with_status returned")  # it always raises


def chunk_error(error: InvalidRequestError) -> pb.ChunkError:
    return pb.ChunkError(
        code=code_pb2.INVALID_ARGUMENT,
        message=str(error),
        reason=error.reason,
        field_violations=[
            pb.FieldViolation(field=v.field, description=v.description) for v in error.violations
        ],
    )
