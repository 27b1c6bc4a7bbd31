"""Server settings, read once from ENTNORM_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PREFIX = "ENTNORM_"


def env_str(name: str, default: str) -> str:
    return os.environ.get(PREFIX + name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{PREFIX}{name} must be a whole number, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{PREFIX}{name} must be a number, got {raw!r}") from None


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(PREFIX + name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{PREFIX}{name} must be true or false, got {raw!r}")


def base_layer_dir() -> Path:
    """The embedded base layer (`make data` builds it), a layer folder inside the package."""
    return Path(__file__).parent / "base_layer"


def default_aliases_dir() -> Path:
    """The embedded default tables: inside the wheel, or aliases/ of a source checkout."""
    packaged = Path(__file__).parent / "default_aliases"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "aliases"


@dataclass(frozen=True, slots=True)
class Settings:
    host: str
    port: int
    aliases: Path
    log_format: str  # "console" or "json"
    workers: int
    max_concurrent_rpcs: int
    max_streams: int
    stream_idle_seconds: float
    max_request_chars: int
    max_pending_chars: int
    grace_seconds: float
    access_log_sample: float
    reuse_port: bool
    processes: int
    watch: bool
    base_layer: bool = False
    snapshot_cache: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        aliases = env_str("ALIASES", "")
        return cls(
            host=env_str("HOST", "localhost"),
            port=env_int("PORT", 50051),
            aliases=Path(aliases) if aliases else default_aliases_dir(),
            log_format=env_str("LOG_FORMAT", "console"),
            # Threads that resolve. Resolving is CPU-bound Python under the GIL: a second thread
            # adds no throughput and slows the event loop (bench/serving.py). Scale with processes.
            workers=env_int("WORKERS", 1),
            # Past this many calls in flight, gRPC answers RESOURCE_EXHAUSTED, health checks
            # included. A waiting call costs a coroutine; the work pool's queue bound sheds load.
            max_concurrent_rpcs=env_int("MAX_CONCURRENT_RPCS", 1000),
            max_streams=env_int("MAX_STREAMS", 128),
            stream_idle_seconds=env_float("STREAM_IDLE_SECONDS", 60.0),
            # Characters of query text per request or chunk, and queued across all calls.
            max_request_chars=env_int("MAX_REQUEST_CHARS", 50_000),
            max_pending_chars=env_int("MAX_PENDING_CHARS", 1_000_000),
            grace_seconds=env_float("GRACE_SECONDS", 5.0),
            # Share of calls that end OK written to the access log; failures are always written.
            access_log_sample=env_float("ACCESS_LOG_SAMPLE", 1.0),
            # Several processes on one port (SO_REUSEPORT); off, so a second server fails to bind.
            reuse_port=env_bool("REUSE_PORT", False),
            # Serving processes sharing the port (they turn SO_REUSEPORT on themselves).
            processes=env_int("PROCESSES", 1),
            # Reload the tables when a file in their folder changes (SIGHUP reloads regardless).
            watch=env_bool("WATCH", True),
            # Serve the embedded base layer (countries, subdivisions, cities) under the tables:
            # by default with the embedded default tables, not with a directory of one's own.
            base_layer=env_bool("BASE_LAYER", not aliases),
            # Keep compiled snapshots on disk, so that a start on the same tables takes seconds.
            snapshot_cache=env_bool("SNAPSHOT_CACHE", True),
        )
