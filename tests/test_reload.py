"""Hot reload: edits of the tables reach a running server; a bad edit never does.

Real tables on disk, a real server on loopback, the CLI as a subprocess for SIGHUP.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from conftest import WriteTables

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm.v1 import entnorm_service_pb2_grpc as pb_grpc
from entnorm_client import EntnormClient, RevisionNotHeldError
from entnorm_server.exc import AliasLoadError
from entnorm_server.reloading import Reloader
from entnorm_server.server import create_server
from entnorm_server.snapshot import load_snapshot
from entnorm_server.store import HELD, SnapshotStore

TABLE = """\
# The seed's security chief.
entities:
  - id: person:shin-won-sik
    type: person
    display_name: Shin Won-sik
    names: {en: Shin Won-sik, ko: 신원식}
    aliases:
      - {text: Shen Yuanxi, kind: misrendering, source: seed:kursk-nsc-2024-10}
"""
# The same content: other comments, layout and quoting.
TABLE_RELAID = """\
entities:
- id: "person:shin-won-sik"   # reformatted
  type: person
  display_name: 'Shin Won-sik'
  names:
    en: Shin Won-sik
    ko: 신원식
  aliases:
  - text: Shen Yuanxi
    kind: misrendering
    source: seed:kursk-nsc-2024-10
"""
EDITED = TABLE.replace(
    "      - {text: Shen Yuanxi",
    "      - {text: Sin Wonsik Jr, kind: misrendering, source: test}\n      - {text: Shen Yuanxi",
)
BROKEN = TABLE.replace("type: person", "type: persn")
ENTNORM = [sys.executable, "-m", "entnorm_client.cli"]


def eventually(check: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Whether check() holds before the deadline: generous, for a busy machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


@pytest.fixture
def tables(write_tables: WriteTables) -> Path:
    return write_tables({"people.yaml": TABLE})


@pytest.fixture
def served(tables: Path) -> Iterator[tuple[str, SnapshotStore]]:
    store = SnapshotStore.from_directory(tables)
    server, port = create_server("127.0.0.1:0", store)
    server.start()
    try:
        yield f"127.0.0.1:{port}", store
    finally:
        server.stop(grace=None)


def test_comments_layout_and_file_split_do_not_change_the_revision(
    write_tables: WriteTables, tmp_path: Path
) -> None:
    one = load_snapshot(write_tables({"people.yaml": TABLE})).revision
    other = tmp_path / "other"
    other.mkdir()
    (other / "renamed.yml").write_text(TABLE_RELAID, encoding="utf-8")
    assert load_snapshot(other).revision == one
    (other / "renamed.yml").write_text(EDITED, encoding="utf-8")
    assert load_snapshot(other).revision != one


def test_a_bad_edit_keeps_the_last_good_revision_serving_and_says_where(
    served: tuple[str, SnapshotStore], tables: Path
) -> None:
    target, store = served
    good = store.current.revision
    (tables / "people.yaml").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(AliasLoadError):
        store.reload()
    with EntnormClient(target) as client:
        [answer] = client.resolve(["Shen Yuanxi"])
        revision = client.data_revision()
    assert (answer.outcome, answer.revision) == ("resolved", good)
    assert revision.revision == good
    assert revision.last_reload is not None
    assert not revision.last_reload.succeeded
    assert revision.last_reload.attempted_at is not None
    assert any(p.startswith("people.yaml:") and "persn" in p for p in revision.last_reload.problems)
    # The CLI says it too.
    shown = subprocess.run(
        [*ENTNORM, "--target", target, "revision"], capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert "failed" in shown.stdout
    assert "people.yaml:" in shown.stdout


def test_a_comment_only_edit_is_no_new_revision(
    served: tuple[str, SnapshotStore], tables: Path
) -> None:
    _, store = served
    before = store.current
    (tables / "people.yaml").write_text(TABLE_RELAID, encoding="utf-8")
    assert store.reload() is before
    assert store.last_attempt is not None
    assert store.last_attempt.succeeded
    assert store.held_revisions == [before.revision]


def test_a_request_may_pin_a_held_revision(served: tuple[str, SnapshotStore], tables: Path) -> None:
    target, store = served
    old = store.current.revision
    (tables / "people.yaml").write_text(EDITED, encoding="utf-8")
    new = store.reload().revision
    assert store.held_revisions == [new, old]
    with EntnormClient(target) as client:
        [now] = client.resolve(["Sin Wonsik Jr"])
        [then] = client.resolve(["Sin Wonsik Jr"], revision=old)
        assert (now.outcome, now.revision) == ("resolved", new)
        assert then.revision == old
        assert then.outcome != "resolved"
        assert client.get_entity("person:shin-won-sik", revision=old).revision == old
        with pytest.raises(RevisionNotHeldError) as refused:
            client.resolve(["Shen Yuanxi"], revision="0123456789abcdef")
    assert refused.value.code is grpc.StatusCode.FAILED_PRECONDITION
    assert new in str(refused.value)
    assert old in str(refused.value)
    # A stream's chunk pinned to a revision no longer held is answered with the error; the
    # stream goes on.
    with grpc.insecure_channel(target) as channel:
        stub = pb_grpc.EntnormServiceStub(channel)
        chunks = [
            pb.StreamResolveNamesRequest(
                chunk_id="a", queries=[pb.NameQuery(text="Shen Yuanxi")], revision="feed"
            ),
            pb.StreamResolveNamesRequest(
                chunk_id="b", queries=[pb.NameQuery(text="Shen Yuanxi")], revision=old
            ),
        ]
        first, second = stub.StreamResolveNames(iter(chunks), timeout=30)
    assert first.error.reason == "REVISION_NOT_HELD"
    assert second.revision == old
    assert len(second.resolutions) == 1


def test_only_the_last_few_revisions_are_held(
    served: tuple[str, SnapshotStore], tables: Path
) -> None:
    _, store = served
    seen = [store.current.revision]
    for n in range(HELD + 1):
        (tables / "people.yaml").write_text(EDITED.replace("Jr", f"Jr {n}"), encoding="utf-8")
        seen.append(store.reload().revision)
    assert store.held_revisions == seen[::-1][:HELD]


def test_an_edit_reaches_a_watching_server(served: tuple[str, SnapshotStore], tables: Path) -> None:
    target, store = served
    reloader = Reloader(store, watch=True)
    reloader.start()
    try:
        time.sleep(0.5)  # the watch is set up
        (tables / "people.yaml").write_text(EDITED, encoding="utf-8")
        with EntnormClient(target) as client:
            assert eventually(lambda: client.resolve(["Sin Wonsik Jr"])[0].outcome == "resolved")
            (tables / "people.yaml").write_text(BROKEN, encoding="utf-8")
            assert eventually(
                lambda: (
                    (last := client.data_revision().last_reload) is not None and not last.succeeded
                )
            )
            assert client.resolve(["Sin Wonsik Jr"])[0].outcome == "resolved"
    finally:
        reloader.stop()


def test_sighup_reloads_a_served_folder(tables: Path) -> None:
    proc = subprocess.Popen(
        [*ENTNORM, "serve", "--aliases", str(tables), "--host", "127.0.0.1", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ENTNORM_WATCH": "0", "ENTNORM_GRACE_SECONDS": "2"},
    )
    assert proc.stderr is not None
    try:
        port = None
        while port is None:
            line = proc.stderr.readline()
            assert line, "the server ended before serving"
            if "serving" in line:
                port = int(line.split("port=")[1].split()[0])
        (tables / "people.yaml").write_text(EDITED, encoding="utf-8")
        with EntnormClient(f"127.0.0.1:{port}") as client:
            assert client.resolve(["Sin Wonsik Jr"])[0].outcome != "resolved"  # not watching
            proc.send_signal(signal.SIGHUP)
            assert eventually(lambda: client.resolve(["Sin Wonsik Jr"])[0].outcome == "resolved")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_fifty_reloads_good_and_bad_lose_no_request(
    served: tuple[str, SnapshotStore], tables: Path
) -> None:
    target, store = served
    good = {store.current.revision}
    failures: list[BaseException] = []
    answered = 0
    stop = threading.Event()

    def client_loop() -> None:
        nonlocal answered
        with EntnormClient(target) as client:
            while not stop.is_set():
                try:
                    [answer] = client.resolve(["Shen Yuanxi"])
                    assert answer.outcome == "resolved", answer
                    answered += 1
                except BaseException as error:
                    failures.append(error)

    threads = [threading.Thread(target=client_loop) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for n in range(50):
            text = BROKEN if n % 3 == 2 else EDITED.replace("Jr", f"Jr {n}")
            (tables / "people.yaml").write_text(text, encoding="utf-8")
            try:
                good.add(store.reload().revision)
            except AliasLoadError:
                assert n % 3 == 2
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert not failures, failures[:3]
    assert answered > 0
    assert store.current.revision in good


def test_a_stream_may_pin_a_held_revision(served: tuple[str, SnapshotStore], tables: Path) -> None:
    target, store = served
    old = store.current.revision
    (tables / "people.yaml").write_text(EDITED, encoding="utf-8")
    store.reload()
    with EntnormClient(target) as client:
        names = ["Sin Wonsik Jr"] * 3
        pinned = list(client.stream_resolve(names, chunk_size=1, revision=old))
        assert {(r.revision, r.outcome == "resolved") for r in pinned} == {(old, False)}
        with pytest.raises(RevisionNotHeldError):
            list(client.stream_resolve(names, revision="0123456789abcdef"))
