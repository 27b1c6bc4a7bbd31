"""Build the gRPC server (servicer, health, reflection) and serve it until a signal.

The server is asyncio (`grpc.aio`) on an event loop of its own thread: an open stream or a waiting
call costs a coroutine, not a thread, so no number of idle streams can starve health checks.
Resolution runs on the work pool's few threads. `EntnormServer` lets plain threaded code (the CLI,
tests) start and stop it.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from entnorm_server import logs, reflection_v1, signals
from entnorm_server.call_boundary import CallBoundary
from entnorm_server.limits import MAX_MESSAGE_BYTES
from entnorm_server.logs import get_logger
from entnorm_server.resolver import Resolver
from entnorm_server.servicer import SERVICE_NAME, CallLimits, EntnormService, add_to_server
from entnorm_server.settings import Settings
from entnorm_server.snapshot import Snapshot
from entnorm_server.store import SnapshotStore
from entnorm_server.work import WorkPool

__all__ = ["SERVICE_NAME", "BindError", "EntnormServer", "ServerOptions", "create_server"]

log = get_logger(__name__)
T = TypeVar("T")
LOOP_SWITCH_INTERVAL = 0.001  # seconds; see create_server
_SERVING = health_pb2.HealthCheckResponse.SERVING
_NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


class BindError(OSError):
    """The address cannot be listened on: the port is taken, or the host is not ours."""


@dataclass(frozen=True, slots=True)
class ServerOptions:
    workers: int = 1
    max_concurrent_rpcs: int | None = None
    limits: CallLimits = field(default_factory=CallLimits)
    max_pending_chars: int = 1_000_000
    access_log_sample: float = 1.0
    reuse_port: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerOptions:
        return cls(
            workers=settings.workers,
            max_concurrent_rpcs=settings.max_concurrent_rpcs,
            limits=CallLimits(
                max_request_chars=settings.max_request_chars,
                max_streams=settings.max_streams,
                stream_idle_seconds=settings.stream_idle_seconds,
            ),
            max_pending_chars=settings.max_pending_chars,
            access_log_sample=settings.access_log_sample,
            reuse_port=settings.reuse_port,
        )


class EntnormServer:
    """A grpc.aio server running on its own event-loop thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, options: ServerOptions) -> None:
        self._loop = loop
        self._stopping = threading.Lock()
        self._stopped: threading.Event | None = None
        self.pool = WorkPool(options.workers, max_pending_cost=options.max_pending_chars)
        self.health = health.aio.HealthServicer()
        self.grpc_server = grpc.aio.server(
            interceptors=[CallBoundary(options.access_log_sample)],
            maximum_concurrent_rpcs=options.max_concurrent_rpcs,
            options=[
                ("grpc.so_reuseport", int(options.reuse_port)),
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ],
        )

    def start(self) -> None:
        self._run(self.grpc_server.start())

    def stop(self, grace: float | None) -> threading.Event:
        """Report NOT_SERVING, let calls in flight finish for up to `grace` seconds, cancel the
        rest, and stop the loop. The event is set when all of that is done; stopping again
        returns the same event."""
        with self._stopping:
            if self._stopped is not None:
                return self._stopped
            self._stopped = stopped = threading.Event()

        async def stop() -> None:
            try:
                await self.health.enter_graceful_shutdown()
                await self.grpc_server.stop(grace)
            finally:
                self.pool.close()
                await _settle_tasks()
                self._loop.call_soon(self._loop.stop)
                stopped.set()

        asyncio.run_coroutine_threadsafe(stop(), self._loop)
        return stopped

    def announce(self, status: int) -> None:
        """Set the health of the server and of EntnormService, from any thread."""

        async def announce() -> None:
            for name in ("", SERVICE_NAME):
                await self.health.set(name, status)

        self._run(announce())

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        if _on_loop(self._loop):  # a swap announced from the loop itself: do not wait on it
            self._loop.create_task(work)
            return None  # type: ignore[return-value]
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()


def create_server(
    address: str,
    store: SnapshotStore,
    options: ServerOptions | None = None,
    resolver: Resolver | None = None,
) -> tuple[EntnormServer, int]:
    """A server bound to address (port 0 picks a free one), not yet started; BindError if the
    address cannot be listened on."""
    options = options or ServerOptions()
    logs.ensure_configured()
    # The event loop needs the GIL to answer anything (a cancel, a stop, a health check), and a
    # resolving thread holds it for up to the switch interval at a time, each time the loop
    # asks: at Python's 5 ms, a cancel took seconds to reach a busy job on a loaded machine, and
    # the job ran to its end. 1 ms keeps the loop responsive (bench/serving.py). Process-wide,
    # so any server made here gets it, not only `entnorm serve`.
    sys.setswitchinterval(min(sys.getswitchinterval(), LOOP_SWITCH_INTERVAL))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=_run_loop, args=(loop,), name="entnorm-grpc", daemon=True)
    thread.start()

    async def build() -> tuple[EntnormServer, int]:
        server = EntnormServer(loop, options)
        service = EntnormService(store, server.pool, options.limits, resolver)
        add_to_server(service, server.grpc_server)
        health_pb2_grpc.add_HealthServicer_to_server(server.health, server.grpc_server)
        reflection_v1.enable(server.grpc_server, (SERVICE_NAME, health.SERVICE_NAME))
        try:
            port = server.grpc_server.add_insecure_port(address)
        except RuntimeError:
            port = 0
        if port == 0:
            server.pool.close()
            raise BindError(f"cannot listen on {address}: the port is in use or not allowed")
        return server, port

    try:
        server, port = asyncio.run_coroutine_threadsafe(build(), loop).result()
    except BaseException:
        loop.call_soon_threadsafe(loop.stop)
        raise
    for name in ("", SERVICE_NAME):
        server._run(server.health.set(name, _NOT_SERVING))

    def ready(_: Snapshot) -> None:
        server.announce(_SERVING)

    store.on_swap(ready)
    return server, port


def serve_until_signal(
    server: EntnormServer,
    grace: float,
    caught: signals.Caught,
    on_reload: Callable[[str], None] | None = None,
) -> bool:
    """Block until a caught stop signal (SIGTERM or SIGINT), then stop gracefully: report
    NOT_SERVING, drain, stop. SIGHUP, if caught, asks `on_reload` for a reload and serves on.

    True if everything stopped within the grace period (and a second of slack).
    """
    received = caught.wait()
    while received == signals.RELOAD_SIGNAL:
        log.info("reload asked", signal=signal.Signals(received).name)
        if on_reload is not None:
            on_reload("SIGHUP")
        received = caught.wait()
    log.info("stopping", signal=signal.Signals(received).name, grace_seconds=grace)
    finished = server.stop(grace).wait(grace + 1.0)
    if finished:
        log.info("stopped")
    else:
        log.warning("stopped with calls still running past the grace period")
    return finished


async def _settle_tasks() -> None:
    """Cancel what the stopped server left on the loop (its calls' tasks) and let it unwind."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=1.0)


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        loop.close()


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
