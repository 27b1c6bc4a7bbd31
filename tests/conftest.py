"""Shared fixtures: real alias tables on disk and a real gRPC server on loopback."""

from __future__ import annotations

import os
import socket
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ALIASES = REPO / "aliases"
SEEDS = REPO / "seeds"

WriteTables = Callable[[dict[str, str]], Path]

# Servers the tests start keep their compiled snapshots here, not in the user's cache.
os.environ.setdefault("ENTNORM_CACHE_DIR", tempfile.mkdtemp(prefix="entnorm-test-cache-"))


@pytest.fixture
def write_tables(tmp_path: Path) -> WriteTables:
    """Write {file name: YAML text} into a fresh alias directory and return it."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "aliases"
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write


@pytest.fixture
def dead_target() -> str:
    """An address on loopback that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"127.0.0.1:{port}"


@pytest.fixture(scope="session")
def server_target() -> Iterator[str]:
    """A real server over the embedded default tables, on 127.0.0.1 and a free port."""
    from entnorm_server.server import create_server
    from entnorm_server.store import SnapshotStore

    store = SnapshotStore.from_directory(DEFAULT_ALIASES)
    server, port = create_server("127.0.0.1:0", store)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


# Hypothesis profiles for the property tests (tests/test_properties_*.py), chosen by the
# HYPOTHESIS_PROFILE environment variable: "ci" (the default) keeps them to seconds on a busy
# machine; "fuzz" (`make fuzz`) runs long. No deadline: a query's time varies with the load.
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
