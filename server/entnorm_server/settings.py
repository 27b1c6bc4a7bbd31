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
    max_workers: int
    max_concurrent_rpcs: int
    grace_seconds: int

    @classmethod
    def from_env(cls) -> Settings:
        aliases = env_str("ALIASES", "")
        return cls(
            host=env_str("HOST", "localhost"),
            port=env_int("PORT", 50051),
            aliases=Path(aliases) if aliases else default_aliases_dir(),
            log_format=env_str("LOG_FORMAT", "console"),
            max_workers=env_int("MAX_WORKERS", 8),
            # Past this many calls in flight, gRPC answers RESOURCE_EXHAUSTED instead of queueing.
            max_concurrent_rpcs=env_int("MAX_CONCURRENT_RPCS", 256),
            grace_seconds=env_int("GRACE_SECONDS", 5),
        )
