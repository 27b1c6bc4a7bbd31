"""The boundary every call of every service passes: request id, access log, and no leaked faults.

- Each call gets its request id (sent back as `x-request-id`) and one access-log line when it
  ends: method, code, latency, names resolved, peer and request id. Calls that end OK are logged
  at the sampling rate; every other call is logged.
- A request of another service (health, reflection) that does not decode is INVALID_ARGUMENT, as
  for EntnormService (whose servicer decodes its own requests).
- Streams of other services (health Watch, reflection) are capped in number, so that holding
  them open cannot use up the server's calls.
- An exception that escapes a handler is logged with its traceback and id, and the caller gets
  INTERNAL with the id, never the exception's text; after the call has ended (a cancel racing a
  write) it is only noted.
"""

from __future__ import annotations

import asyncio
import inspect
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeAlias

import grpc

from entnorm_server import calls, errors
from entnorm_server.exc import (
    EntnormError,
    FieldViolation,
    InvalidRequestError,
    ResourceExhaustedError,
)
from entnorm_server.logs import get_logger
from entnorm_server.servicer import SERVICE_NAME

log = get_logger("entnorm.access")
Context = grpc.aio.ServicerContext[Any, Any]
Handler: TypeAlias = "grpc.RpcMethodHandler[Any, Any]"  # generic in the stubs only

MAX_SIDE_STREAMS = 64  # per method of the health and reflection services


class _Undecodable:
    """What a request that failed to decode becomes, so that the handler can refuse it."""


class CallBoundary(grpc.aio.ServerInterceptor):
    def __init__(self, sample: float = 1.0) -> None:
        self.sample = sample
        self._side_streams: Counter[str] = Counter()  # read and written on the loop only

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler | None]],
        details: grpc.HandlerCallDetails,
    ) -> Handler | None:
        handler = await continuation(details)
        if handler is None:
            return handler
        return _wrapped(handler, details.method, self)

    @asynccontextmanager
    async def observing(self, context: Context, method: str) -> AsyncIterator[calls.Call]:
        call = calls.Call(calls.request_id_from(context.invocation_metadata()), method)
        token = calls.enter(call)
        context.set_trailing_metadata(((calls.REQUEST_ID_KEY, call.request_id),))
        started = time.perf_counter()
        code: grpc.StatusCode | None = None
        try:
            yield call
        except asyncio.CancelledError:
            code = _ended(context)
            raise
        except grpc.aio.AbortError:
            raise
        except EntnormError as error:
            await errors.abort(context, errors.to_status(error, call.request_id))
        except Exception:
            if context.cancelled() or context.done():
                code = _ended(context)  # a write or abort raced the call's end: nobody waits
            else:
                log.exception("unhandled error", method=method, request_id=call.request_id)
                await errors.abort(context, errors.internal_status(call.request_id))
        finally:
            if code is None:
                code = _ended(context) if context.cancelled() else _code(context.code())
            self._log(context, call, code, time.perf_counter() - started)
            calls.leave(token)

    @asynccontextmanager
    async def side_stream(self, method: str) -> AsyncIterator[None]:
        """A slot for a stream of the health or reflection service; TOO_MANY_STREAMS if none."""
        if self._side_streams[method] >= MAX_SIDE_STREAMS:
            raise ResourceExhaustedError(
                "TOO_MANY_STREAMS",
                f"{self._side_streams[method]} streams of {method} are open, its limit;"
                " retry later",
                retry_after=1.0,
            )
        self._side_streams[method] += 1
        try:
            yield
        finally:
            self._side_streams[method] -= 1

    def _log(
        self, context: Context, call: calls.Call, code: grpc.StatusCode, seconds: float
    ) -> None:
        if code is grpc.StatusCode.OK and random.random() >= self.sample:
            return
        log.info(
            "call",
            method=call.method,
            code=code.name,
            ms=round(seconds * 1000, 2),
            names=call.names,
            peer=context.peer(),
            request_id=call.request_id,
        )


def _code(code: object) -> grpc.StatusCode:
    return code if isinstance(code, grpc.StatusCode) else grpc.StatusCode.OK


def _ended(context: Context) -> grpc.StatusCode:
    """Why a call ended without an answer: its deadline, or its caller."""
    remaining = context.time_remaining()
    if remaining is not None and remaining <= 0:
        return grpc.StatusCode.DEADLINE_EXCEEDED
    return grpc.StatusCode.CANCELLED


def _wrapped(handler: Handler, method: str, boundary: CallBoundary) -> Handler:
    """The same handler, its behaviour run inside `boundary.observing`."""
    ours = method.startswith(f"/{SERVICE_NAME}/")
    decode = handler.request_deserializer
    lenient = None if decode is None else _lenient(decode)
    kinds = (
        (handler.unary_unary, grpc.unary_unary_rpc_method_handler, False, False),
        (handler.unary_stream, grpc.unary_stream_rpc_method_handler, False, True),
        (handler.stream_unary, grpc.stream_unary_rpc_method_handler, True, False),
        (handler.stream_stream, grpc.stream_stream_rpc_method_handler, True, True),
    )
    for behaviour, make, streams_in, streams_out in kinds:
        if behaviour is not None:
            capped = (streams_in or streams_out) and not ours
            around = _around(behaviour, method, boundary, streams_in=streams_in, capped=capped)
            wrapped: Handler = make(
                around,
                request_deserializer=lenient,
                response_serializer=handler.response_serializer,
            )
            return wrapped
    return handler


def _lenient(decode: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
    def decoding(data: bytes) -> Any:
        try:
            return decode(data)
        except Exception:
            return _Undecodable()

    return decoding


def _refuse_undecodable(request: Any, method: str) -> None:
    if isinstance(request, _Undecodable):
        violation = FieldViolation("", f"the request is not a valid message for {method}")
        raise InvalidRequestError("MALFORMED_REQUEST", [violation])


async def _checked(requests: AsyncIterator[Any], method: str) -> AsyncIterator[Any]:
    async for request in requests:
        _refuse_undecodable(request, method)
        yield request


def _around(
    behaviour: Any, method: str, boundary: CallBoundary, *, streams_in: bool, capped: bool
) -> Any:
    def arguments(request: Any) -> Any:
        if streams_in:
            return _checked(request, method) if hasattr(request, "__aiter__") else request
        _refuse_undecodable(request, method)
        return request

    if inspect.isasyncgenfunction(behaviour):

        async def streaming(request: Any, context: Context) -> AsyncIterator[Any]:
            async with boundary.observing(context, method), _slot(boundary, method, capped):
                async for response in behaviour(arguments(request), context):
                    yield response

        return streaming

    async def answering(request: Any, context: Context) -> Any:
        async with boundary.observing(context, method), _slot(boundary, method, capped):
            return await behaviour(arguments(request), context)

    return answering


@asynccontextmanager
async def _slot(boundary: CallBoundary, method: str, capped: bool) -> AsyncIterator[None]:
    if not capped:
        yield
        return
    async with boundary.side_stream(method):
        yield
