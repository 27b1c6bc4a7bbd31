"""An interceptor around every call of every service: request id, access log, no leaked errors.

Each call gets its request id (sent back as `x-request-id`), and one access-log line when it ends:
method, code, latency, names resolved, peer and request id. Calls that end OK are logged at the
sampling rate; every other call is logged. An exception that escapes a handler is logged with its
traceback and id, and the caller gets INTERNAL with the id, never the exception's text.
"""

from __future__ import annotations

import asyncio
import inspect
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeAlias

import grpc

from entnorm_server import calls, errors
from entnorm_server.logs import get_logger

log = get_logger("entnorm.access")
Context = grpc.aio.ServicerContext[Any, Any]
Handler: TypeAlias = "grpc.RpcMethodHandler[Any, Any]"  # generic in the stubs only


class AccessLog(grpc.aio.ServerInterceptor):
    def __init__(self, sample: float = 1.0) -> None:
        self.sample = sample

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
            code = grpc.StatusCode.CANCELLED
            raise
        except grpc.aio.AbortError:
            raise
        except Exception:
            log.exception("unhandled error", method=method, request_id=call.request_id)
            await errors.abort(context, errors.internal_status(call.request_id))
        finally:
            self._log(context, call, code or context.code(), time.perf_counter() - started)
            calls.leave(token)

    def _log(self, context: Context, call: calls.Call, code: object, seconds: float) -> None:
        status = code if isinstance(code, grpc.StatusCode) else grpc.StatusCode.OK
        if status is grpc.StatusCode.OK and random.random() >= self.sample:
            return
        log.info(
            "call",
            method=call.method,
            code=status.name,
            ms=round(seconds * 1000, 2),
            names=call.names,
            peer=context.peer(),
            request_id=call.request_id,
        )


def _wrapped(handler: Handler, method: str, access: AccessLog) -> Handler:
    """The same handler, its behaviour run inside `access.observing`."""
    if handler.unary_unary is not None:
        return grpc.unary_unary_rpc_method_handler(
            _around(handler.unary_unary, method, access),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    if handler.unary_stream is not None:
        return grpc.unary_stream_rpc_method_handler(
            _around(handler.unary_stream, method, access),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    if handler.stream_unary is not None:
        return grpc.stream_unary_rpc_method_handler(
            _around(handler.stream_unary, method, access),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    return grpc.stream_stream_rpc_method_handler(
        _around(handler.stream_stream, method, access),
        request_deserializer=handler.request_deserializer,
        response_serializer=handler.response_serializer,
    )


def _around(behaviour: Any, method: str, access: AccessLog) -> Any:
    if inspect.isasyncgenfunction(behaviour):

        async def streaming(request: Any, context: Context) -> AsyncIterator[Any]:
            async with access.observing(context, method):
                async for response in behaviour(request, context):
                    yield response

        return streaming

    async def answering(request: Any, context: Context) -> Any:
        async with access.observing(context, method):
            return await behaviour(request, context)

    return answering
