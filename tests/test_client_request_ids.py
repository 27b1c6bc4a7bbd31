"""Request ids: a failure carries the id of its call in the server's log, the CLI prints it, and
a caller may send its own."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from test_cli import entnorm

from entnorm_client import EntnormClient, InvalidArgumentError, NotFoundError

SHIN = "person:shin-won-sik"
NOBODY = "person:nobody-at-all"
# An id as the API describes it; the server makes its own in that form.
SERVER_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@pytest.fixture
def client(server_target: str) -> Iterator[EntnormClient]:
    with EntnormClient(server_target, timeout=10) as client:
        yield client


def test_a_failure_carries_the_servers_request_id(client: EntnormClient) -> None:
    with pytest.raises(NotFoundError) as not_found:
        client.get_entities([SHIN, NOBODY])
    with pytest.raises(InvalidArgumentError) as invalid:
        client.resolve(["Shin Won-sik", ""])

    assert SERVER_ID.fullmatch(not_found.value.request_id)
    assert SERVER_ID.fullmatch(invalid.value.request_id)
    assert not_found.value.request_id != invalid.value.request_id
    assert not_found.value.reason == "ENTITY_NOT_FOUND"


def test_a_callers_request_id_comes_back_on_its_failure(client: EntnormClient) -> None:
    with pytest.raises(InvalidArgumentError) as unary:
        client.resolve([""], request_id="job-42.a")
    with pytest.raises(InvalidArgumentError) as streamed:
        list(client.stream_resolve(["Shin Won-sik", ""], chunk_size=1, request_id="job:43"))
    with pytest.raises(NotFoundError) as lookup:
        client.get_entity(NOBODY, request_id="job_44")

    assert unary.value.request_id == "job-42.a"
    assert streamed.value.request_id == "job:43"
    assert [v.field for v in streamed.value.field_violations] == ["queries[1].text"]
    assert lookup.value.request_id == "job_44"


def test_a_request_id_the_server_would_replace_is_refused_at_the_call(
    client: EntnormClient,
) -> None:
    for bad in ("", "has space", "x" * 65, "ünïcode"):
        with pytest.raises(ValueError, match="request_id"):
            client.resolve(["Shin Won-sik"], request_id=bad)
        with pytest.raises(ValueError, match="request_id"):
            client.stream_resolve(["Shin Won-sik"], request_id=bad)


def test_the_cli_prints_the_request_id_on_a_failure(server_target: str) -> None:
    own = entnorm("--target", server_target, "--request-id", "run-7", "get", NOBODY)
    made = entnorm("--target", server_target, "resolve", "Shin Won-sik", "")

    assert own.returncode == 4
    [line] = own.stderr.splitlines()
    assert line.startswith("entnorm: no entity with id")
    assert line.endswith(" (request id run-7)")
    assert made.returncode == 2
    [line] = made.stderr.splitlines()
    assert re.fullmatch(r"entnorm: queries\[1\]\.text: .+ \(request id [A-Za-z0-9._:-]+\)", line)


def test_the_cli_refuses_a_request_id_the_server_would_replace(dead_target: str) -> None:
    result = entnorm("--target", dead_target, "--request-id", "has space", "revision")

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("entnorm: --request-id: expected 1 to 64 characters")
