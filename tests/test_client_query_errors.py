"""A name the server fails on (outcome "error"): the client returns it with its error, and the CLI
shows it, goes on, and exits 5.

A real server is built with a resolver that has a bug for one name (tests/faults.py): the server's
own code then answers that name with OUTCOME_ERROR and a QueryError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEFAULT_ALIASES
from faults import FAULTY, faulty_resolver
from test_cli import entnorm, json_lines

from entnorm_client import EntnormClient, QueryFailure, Resolution
from entnorm_server.server import create_server
from entnorm_server.store import SnapshotStore

SHIN = "person:shin-won-sik"
NOWHERE = "Zzyzx Qwerty"


@pytest.fixture(scope="module")
def faulty_target() -> Iterator[str]:
    """A real server over the default tables whose resolver fails on FAULTY."""
    server, port = create_server(
        "127.0.0.1:0", SnapshotStore.from_directory(DEFAULT_ALIASES), resolver=faulty_resolver()
    )
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(None).wait(10)


@pytest.fixture
def faulty_name() -> str:
    return FAULTY


@pytest.fixture
def client(faulty_target: str) -> Iterator[EntnormClient]:
    with EntnormClient(faulty_target, timeout=10) as client:
        yield client


def assert_failed_with_request_id(resolution: Resolution) -> QueryFailure:
    assert resolution.outcome == "error"
    assert resolution.failed
    assert resolution.candidates == ()
    error = resolution.error
    assert error is not None
    assert (error.code, error.reason) == ("INTERNAL", "INTERNAL")
    assert error.request_id
    assert error.request_id in error.message
    assert "KeyError" not in error.message
    return error


# --- the client library ----------------------------------------------------------------------


def test_resolve_answers_the_other_names_around_a_failed_one(
    client: EntnormClient, faulty_name: str
) -> None:
    resolutions = client.resolve(["Shin Won-sik", faulty_name, NOWHERE])

    assert [r.outcome for r in resolutions] == ["resolved", "error", "unresolved"]
    assert_failed_with_request_id(resolutions[1])
    assert resolutions[0].error is None
    assert resolutions[0].best is not None
    assert resolutions[0].best.entity_id == SHIN


def test_stream_resolve_yields_a_failed_name_and_goes_on(
    client: EntnormClient, faulty_name: str
) -> None:
    names = [NOWHERE] * 30 + [faulty_name] + ["Shin Won-sik"] * 30

    resolutions = list(client.stream_resolve(names, chunk_size=10))

    assert [r.query for r in resolutions] == names
    assert [i for i, r in enumerate(resolutions) if r.failed] == [30]
    assert_failed_with_request_id(resolutions[30])
    assert {r.outcome for r in resolutions[31:]} == {"resolved"}


def test_a_failed_resolution_converts_to_json_with_its_error(
    client: EntnormClient, faulty_name: str
) -> None:
    [failed, answered] = client.resolve([faulty_name, NOWHERE])

    error = assert_failed_with_request_id(failed)
    as_json = json.loads(failed.to_json())
    assert as_json["outcome"] == "error"
    assert as_json["error"] == {
        "code": "INTERNAL",
        "message": error.message,
        "reason": "INTERNAL",
        "request_id": error.request_id,
    }
    assert json.loads(answered.to_json())["error"] is None


# --- the CLI ---------------------------------------------------------------------------------


def test_resolve_prints_a_failed_name_as_its_answer_and_exits_5(
    faulty_target: str, faulty_name: str
) -> None:
    result = entnorm("--target", faulty_target, "resolve", "Shin Won-sik", faulty_name, NOWHERE)

    assert result.returncode == 5, result.stderr
    out = result.stdout
    assert out.index("Shin Won-sik") < out.index(SHIN) < out.index(faulty_name)
    assert out.index(faulty_name) < out.index(NOWHERE)
    [request_id] = re.findall(r"request id (\w+)", out)
    assert re.search(rf"{faulty_name}\s+error", out)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "entnorm: the server failed on 1 of 3 names"
    assert request_id in result.stderr


def test_resolve_json_writes_the_error_in_the_failed_names_line(
    faulty_target: str, faulty_name: str
) -> None:
    result = entnorm("--target", faulty_target, "resolve", "--json", faulty_name, NOWHERE)

    assert result.returncode == 5, result.stderr
    failed, answered = json_lines(result.stdout)
    assert failed["outcome"] == "error"
    assert failed["error"]["request_id"] in result.stderr
    assert answered["outcome"] == "unresolved"


def test_resolve_file_writes_a_failed_row_warns_and_goes_on(
    faulty_target: str, faulty_name: str, tmp_path: Path
) -> None:
    source = tmp_path / "names.csv"
    names = ["Shin Won-sik", faulty_name, NOWHERE, faulty_name, "Shin Won-sik"]
    source.write_text("name\n" + "".join(f"{name}\n" for name in names), encoding="utf-8")
    out = tmp_path / "out.jsonl"

    result = entnorm(
        "--target", faulty_target, "resolve-file", str(source), "-o", str(out), "--chunk-size", "2"
    )

    assert result.returncode == 5, result.stderr
    rows = json_lines(out.read_text(encoding="utf-8"))
    assert [row["input"]["name"] for row in rows] == names
    outcomes = [row["resolution"]["outcome"] for row in rows]
    assert outcomes == ["resolved", "error", "unresolved", "error", "resolved"]
    ids = [rows[i]["resolution"]["error"]["request_id"] for i in (1, 3)]
    warnings, summary = result.stderr.splitlines()[:-1], result.stderr.splitlines()[-1]
    assert [w.split(": not resolved: ")[0] for w in warnings] == [
        f"entnorm: {source}:3",
        f"entnorm: {source}:5",
    ]
    assert all(request_id in warning for request_id, warning in zip(ids, warnings, strict=True))
    assert summary == "entnorm: the server failed on 2 of 5 rows; each is written with its error"
