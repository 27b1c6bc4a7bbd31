"""The server's limits as the client meets them: batches bounded by characters, and the
RESOURCE_EXHAUSTED and idle-stream failures with their reason, request id and retry hint.

Servers with low limits run here beside the session's, over the same default tables.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import DEFAULT_ALIASES
from test_cli import entnorm, json_lines

from entnorm_client import (
    MAX_BATCH_CHARS,
    EntnormClient,
    EntnormError,
    Resolution,
    ResourceExhaustedError,
    ServerUnavailableError,
)

NOWHERE = "Zzyzx Qwerty"
# 204 characters: 300 of them outgrow the server's default 50,000 per request or chunk.
LONG = "Lorem ipsum dolor sit amet " * 7


def long_names(count: int) -> list[str]:
    return [f"{NOWHERE} {i} {LONG}" for i in range(count)]


def han_names(count: int) -> list[str]:
    """Han names of 40 characters, each read in several languages and systems: about 4 ms each
    on a quiet machine, ten times a Latin name's, so a batch of them is seconds of work."""
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(40))
    return [text[i % 40 :] + text[: i % 40] for i in range(count)]


def medium_names(count: int) -> list[str]:
    """Names of 29 characters: 35 of them outgrow a limit of 1,000."""
    return [f"{NOWHERE} {i:04} Lorem ipsum" for i in range(count)]


@pytest.fixture(scope="module")
def small_requests_target() -> Iterator[str]:
    """A server that takes at most 1,000 characters of names per request or chunk."""
    yield from _serving(max_request_chars=1000)


@pytest.fixture(scope="module")
def one_stream_target() -> Iterator[str]:
    """A server that keeps at most one stream open."""
    yield from _serving(max_streams=1)


@pytest.fixture(scope="module")
def quick_idle_target() -> Iterator[str]:
    """A server that closes a stream idle for half a second."""
    yield from _serving(stream_idle_seconds=0.5)


@pytest.fixture(scope="module")
def small_queue_target() -> Iterator[str]:
    """A server that queues at most 1,000 characters of names, and takes big requests: one big
    request keeps it too busy for any other batch."""
    yield from _serving(max_pending_chars=1000, max_request_chars=1_000_000)


def _serving(max_pending_chars: int = 1_000_000, **limits: Any) -> Iterator[str]:
    from entnorm_server.server import ServerOptions, create_server
    from entnorm_server.servicer import CallLimits
    from entnorm_server.store import SnapshotStore

    store = SnapshotStore.from_directory(DEFAULT_ALIASES)
    options = ServerOptions(
        limits=CallLimits(**limits),
        max_pending_chars=max_pending_chars,
    )
    server, port = create_server("127.0.0.1:0", store, options)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


# --- batches bounded by characters -----------------------------------------------------------


def test_long_names_go_in_requests_the_server_takes(server_target: str) -> None:
    names = long_names(300)
    assert sum(map(len, names)) > MAX_BATCH_CHARS

    with EntnormClient(server_target, timeout=60) as client:
        resolved = client.resolve(names)
        streamed = list(client.stream_resolve(names, chunk_size=1000))

    assert [r.query for r in resolved] == [r.query for r in streamed] == names
    assert {r.outcome for r in resolved + streamed} == {"unresolved"}


def test_resolve_file_of_long_names_is_not_refused(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "long.csv"
    names = long_names(300)
    source.write_text("name\n" + "".join(f"{name}\n" for name in names), encoding="utf-8")

    result = entnorm("--timeout", "60", "--target", server_target, "resolve-file", str(source))

    assert result.returncode == 0, result.stderr
    assert [row["input"]["name"] for row in json_lines(result.stdout)] == names


def test_a_client_can_keep_to_a_lower_server_limit(small_requests_target: str) -> None:
    names = medium_names(200)

    with EntnormClient(small_requests_target, max_batch_chars=1000) as client:
        resolved = client.resolve(names)
        streamed = list(client.stream_resolve(names))

    assert [r.query for r in resolved] == [r.query for r in streamed] == names


# --- RESOURCE_EXHAUSTED ----------------------------------------------------------------------


def test_a_chunk_too_costly_is_refused_with_its_reason_and_request_id(
    small_requests_target: str,
) -> None:
    names = medium_names(200)
    seen: list[Resolution] = []

    with (
        EntnormClient(small_requests_target) as client,
        pytest.raises(ResourceExhaustedError) as raised,
    ):
        seen.extend(client.stream_resolve(names, chunk_size=50, request_id="costly-1"))

    assert seen == []
    error = raised.value
    assert error.reason == "REQUEST_TOO_COSTLY"
    assert error.request_id == "costly-1"
    assert error.retry_after is None  # waiting does not make the chunk smaller


def test_a_stream_past_the_servers_limit_says_when_to_retry(one_stream_target: str) -> None:
    with EntnormClient(one_stream_target) as client:
        endless = (f"{NOWHERE} {i}" for i in itertools.count())
        open_stream = client.stream_resolve(endless, chunk_size=10)
        next(open_stream)  # the server's one stream is now taken
        try:
            with pytest.raises(ResourceExhaustedError) as raised:
                list(client.stream_resolve(["Shin Won-sik"]))
        finally:
            open_stream.close()

    error = raised.value
    assert error.reason == "TOO_MANY_STREAMS"
    assert error.retry_after is not None
    assert error.retry_after > 0
    assert error.request_id


def test_a_busy_server_says_when_to_retry_a_call_or_a_chunk(small_queue_target: str) -> None:
    with (
        EntnormClient(small_queue_target, timeout=60, max_batch_chars=1_000_000) as client,
        ThreadPoolExecutor(1) as pool,
    ):
        # One request (1,000 names) of several seconds' work even on a fast machine: the checks
        # below run while it lasts.
        busy = pool.submit(client.resolve, han_names(1000))
        time.sleep(0.3)
        # A one-name call runs ahead of the queue; a batch of some size is refused.
        assert client.resolve(["Shin Won-sik"])[0].outcome == "resolved"
        with pytest.raises(ResourceExhaustedError) as call:
            client.resolve(long_names(10))
        with pytest.raises(ResourceExhaustedError) as chunk:
            list(client.stream_resolve(long_names(10)))
        assert len(busy.result()) == 1000

    for error in (call.value, chunk.value):
        assert error.reason == "SERVER_BUSY"
        assert error.retry_after is not None
        assert error.retry_after > 0
        assert error.request_id


def test_an_idle_stream_closed_by_the_server_is_not_called_unreachable(
    quick_idle_target: str,
) -> None:
    def slow_names() -> Iterator[str]:
        yield "Shin Won-sik"
        time.sleep(2)  # the server closes the stream meanwhile
        yield "Shin Won-sik"

    seen: list[Resolution] = []
    with EntnormClient(quick_idle_target) as client, pytest.raises(EntnormError) as raised:
        seen.extend(client.stream_resolve(slow_names(), chunk_size=1))

    assert len(seen) == 1
    assert not isinstance(raised.value, ServerUnavailableError)
    assert raised.value.reason == "STREAM_IDLE"
    assert raised.value.request_id
    assert "cannot reach" not in str(raised.value)


# --- the CLI when a chunk is refused ---------------------------------------------------------


def test_resolve_file_names_the_row_where_a_refused_chunk_stopped_it(
    small_requests_target: str, tmp_path: Path
) -> None:
    source = tmp_path / "names.csv"
    short = ["Shin Won-sik"] * 40  # 480 characters: the first chunk passes
    names = short + medium_names(40)  # 1,160 characters: the second does not
    source.write_text("id,name\n" + "".join(f"{i},{n}\n" for i, n in enumerate(names)))
    out = tmp_path / "out.jsonl"

    result = entnorm(
        "--target",
        small_requests_target,
        "resolve-file",
        str(source),
        "--chunk-size",
        "40",
        "-o",
        str(out),
    )

    assert result.returncode == 1
    assert len(json_lines(out.read_text(encoding="utf-8"))) == 40
    refused, stopped = result.stderr.splitlines()
    assert refused.startswith("entnorm: the queries hold 1,160 characters")
    assert re.search(r" \(request id [A-Za-z0-9._:-]+\)$", refused)
    assert stopped == f"entnorm: {source}:42: stopped at this row; 40 rows written"
