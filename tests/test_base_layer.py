"""The embedded base layer and the snapshot cache: `entnorm serve` with no tables of one's own
answers countries, subdivisions and cities in many languages, starts again from its cached
snapshot, and `--no-base-layer` serves the curated tables alone. The server runs as a
subprocess, as `make serve` runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import WriteTables

from entnorm_client import EntnormClient
from entnorm_server.loading import load_directory
from entnorm_server.settings import base_layer_dir
from entnorm_server.snapshot_cache import SnapshotCache, key_of
from entnorm_server.store import SnapshotStore

ENTNORM = [sys.executable, "-m", "entnorm_client.cli"]
ACCEPTANCE = {
    "Deutschland": "country:de",
    "Corée du Sud": "country:kr",
    "Харків": "place:gn-706483",
    "北京": "place:gn-1816670",
    "Rio de Janeiro": "place:gn-3451190",
    # The curated tables still decide what they hold, and merge with the layer by id.
    "Shen Yuanxi": "person:shin-won-sik",
    "Kursk Oblast": "place:ru-kursk-oblast",
    "Kiev": "place:ua-kyiv",
}


def _serve(cache: Path, *args: str) -> tuple[subprocess.Popen[str], str, list[str]]:
    env = {**os.environ, "ENTNORM_CACHE_DIR": str(cache)}
    env.pop("ENTNORM_ALIASES", None)
    env.pop("ENTNORM_BASE_LAYER", None)
    proc = subprocess.Popen(
        [*ENTNORM, "serve", "--host", "127.0.0.1", "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stderr is not None
    said: list[str] = []
    for line in proc.stderr:
        said.append(line)
        found = re.search(r"serving.*port=(\d+)", line)
        if found:
            # Keep reading stderr, so that the server never blocks on a full pipe.
            threading.Thread(target=lambda: said.extend(proc.stderr or ()), daemon=True).start()
            return proc, f"127.0.0.1:{found.group(1)}", said
    raise AssertionError("the server ended before serving:\n" + "".join(said))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("snapshots")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(timeout=120)


@pytest.mark.timeout(900)  # the first start compiles some 200,000 names: most of a minute
def test_the_default_server_answers_the_base_layer_then_starts_from_its_cache(cache: Path) -> None:
    proc, target, said = _serve(cache)
    try:
        with EntnormClient(target, timeout=60) as client:
            answers = client.resolve(list(ACCEPTANCE))
            got = {
                a.query: a.best.entity_id if a.outcome == "resolved" and a.best else a.outcome
                for a in answers
            }
            assert got == ACCEPTANCE
            layers = client.data_revision().layers
            assert [(la.name, la.priority) for la in layers] == [("base", 10)]
            assert "CC-BY-4.0" in layers[0].licence
            revision = client.data_revision().revision
        # The snapshot is written beside serving, after the server is ready: wait for it.
        for _ in range(600):
            if list(cache.glob("*.snapshot")):
                break
            threading.Event().wait(0.5)
    finally:
        _stop(proc)
    assert "snapshot from cache" not in "".join(said)
    again, target, said = _serve(cache)
    try:
        assert "snapshot from cache" in "".join(said)
        with EntnormClient(target, timeout=60) as client:
            assert client.data_revision().revision == revision
            [answer] = client.resolve(["Deutschland"])
            assert answer.best is not None
            assert answer.best.entity_id == "country:de"
    finally:
        _stop(again)


def test_no_base_layer_serves_the_curated_tables_alone(tmp_path: Path) -> None:
    proc, target, _ = _serve(tmp_path, "--no-base-layer")
    try:
        with EntnormClient(target, timeout=30) as client:
            [answer] = client.resolve(["Deutschland"])
            assert answer.outcome == "unresolved"
            assert client.data_revision().layers == ()
    finally:
        _stop(proc)


def test_the_base_layer_loads_under_the_curated_tables_without_a_problem() -> None:
    tables = load_directory(Path(__file__).parent.parent / "aliases", [base_layer_dir()])
    [layer] = tables.layers
    assert layer.entity_count > 10_000
    merged = {e.id: e for e in tables.entities}["place:ru-kursk-oblast"]
    assert {a.layer for a in merged.aliases} == {"curated", "base"}


def test_a_changed_table_is_compiled_anew_not_read_from_the_cache(
    write_tables: WriteTables, tmp_path: Path
) -> None:
    table = "entities:\n  - {id: person:a, type: person, display_name: A, names: {en: Aaa Bbb}}\n"
    root = write_tables({"t.yaml": table})
    cache = SnapshotCache(tmp_path / "cache")
    first = SnapshotStore(root, cache=cache)
    first.reload()
    key = key_of(root, ())
    assert key is not None
    for _ in range(200):
        if cache.read(key) is not None:
            break
        threading.Event().wait(0.05)
    assert cache.read(key) is not None
    (root / "t.yaml").write_text(table.replace("Aaa Bbb", "Ccc Ddd"), "utf-8")
    assert key_of(root, ()) != key
    second = SnapshotStore(root, cache=cache)
    assert second.reload().by_id["person:a"].aliases[0].text == "Ccc Ddd"


def test_lint_over_the_base_layer_loads_it_and_names_curated_collisions() -> None:
    done = subprocess.run(
        [*ENTNORM, "lint", "--base-layer", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = [json.loads(line) for line in done.stdout.splitlines()]
    # The layer merges with the curated tables without a load problem; what lint names are
    # curated entries that meet imported names.
    assert all(f["code"] != "load" for f in findings), findings
    assert all(f["file"].endswith(".yaml") for f in findings)
    assert re.search(r"\b10,?\d{3} entities", done.stdout + done.stderr)
