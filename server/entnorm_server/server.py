"""Build the gRPC server (servicer, health, reflection) and serve it until a signal."""

from __future__ import annotations

import signal
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm.v1 import entnorm_service_pb2_grpc as pb_grpc
from entnorm_server.logs import get_logger
from entnorm_server.servicer import EntnormService
from entnorm_server.snapshot import Snapshot
from entnorm_server.store import SnapshotStore

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EntnormService"].full_name
log = get_logger(__name__)


class EntnormServer:
    """A grpc.Server with its health service, so that stopping can announce itself first."""

    def __init__(self, server: grpc.Server, health_servicer: health.HealthServicer) -> None:
        self.grpc_server = server
        self.health = health_servicer

    def start(self) -> None:
        self.grpc_server.start()

    def stop(self, grace: float | None) -> threading.Event:
        # Tell load balancers first, then drain calls in flight for up to `grace` seconds.
        self.health.enter_graceful_shutdown()
        return self.grpc_server.stop(grace)


def create_server(
    address: str,
    store: SnapshotStore,
    *,
    max_workers: int = 8,
    max_concurrent_rpcs: int | None = None,
) -> tuple[EntnormServer, int]:
    """A server bound to address (port 0 picks a free one), not yet started."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="entnorm"),
        maximum_concurrent_rpcs=max_concurrent_rpcs,
    )
    pb_grpc.add_EntnormServiceServicer_to_server(EntnormService(store), server)

    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ("", SERVICE_NAME):
        health_servicer.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)

    def ready(_: Snapshot) -> None:
        for name in ("", SERVICE_NAME):
            health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)

    store.on_swap(ready)

    reflection.enable_server_reflection(
        (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot bind {address}")
    return EntnormServer(server, health_servicer), port


def serve_until_signal(server: EntnormServer, grace: float) -> None:
    """Block until SIGTERM or SIGINT, then stop gracefully: report NOT_SERVING, drain, stop."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    log.info("stopping", grace_seconds=grace)
    server.stop(grace).wait()
    log.info("stopped")
