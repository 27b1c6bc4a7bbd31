"""Importers: FollowTheMoney, Wikidata and CSV files become layers (the CLI as a subprocess),
bad records are named at their line, a failed import writes nothing, and a real server resolves
what was imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from entnorm_client import EntnormClient
from entnorm_server.server import create_server
from entnorm_server.store import SnapshotStore

DATA = Path(__file__).parent / "data" / "importers"
ENTNORM = [sys.executable, "-m", "entnorm_client.cli"]


def _import(kind: str, file: str, out: Path, *more: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENTNORM, "import", kind, str(DATA / file), "-o", str(out), "--licence", "CC0-1.0", *more],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("layers")
    said = {}
    for kind, file, *more in (
        ("ftm", "sanctioned.ftm.json"),
        ("wikidata", "kyiv.wikidata.json"),
        (
            "csv",
            "companies.csv",
            "--id-col",
            "id",
            "--name-col",
            "name",
            "--lang-col",
            "lang",
            "--type-col",
            "type",
        ),
    ):
        done = _import(kind, file, out, *more)
        assert done.returncode == 0, done.stderr
        said[kind] = done.stderr
    return out, said


def test_bad_records_are_named_at_their_line(imported: tuple[Path, dict[str, str]]) -> None:
    _, said = imported
    assert "skipped: sanctioned.ftm.json:3: schema 'Vessel' is not imported" in said["ftm"]
    assert "skipped: sanctioned.ftm.json:4: not JSON" in said["ftm"]
    assert "skipped: sanctioned.ftm.json:5: 'NK-no-name' has no `name`" in said["ftm"]
    assert "kyiv.wikidata.json:5: Q8502: instance of Q23392" in said["wikidata"]
    for line, why in (
        (4, "no id"),
        (5, "no name"),
        (6, "'english' is not a BCP-47"),
        (7, "type 'spaceship' is none of"),
    ):
        assert f"skipped: companies.csv:{line}: {why}" in said["csv"]
    assert "2 entities, 9 names" in said["ftm"]


def test_a_layer_is_its_manifest_and_its_table_and_nothing_else(
    imported: tuple[Path, dict[str, str]],
) -> None:
    out, _ = imported
    assert sorted(p.name for p in out.iterdir()) == ["csv", "ftm", "wikidata"]  # no leftovers
    assert sorted(p.name for p in (out / "ftm").iterdir()) == ["entities.jsonl", "layer.yaml"]
    manifest = (out / "ftm" / "layer.yaml").read_text("utf-8")
    assert 'licence: "CC0-1.0"' in manifest


def test_importing_again_writes_the_same_bytes(
    imported: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    out, _ = imported
    again = _import("ftm", "sanctioned.ftm.json", tmp_path)
    assert again.returncode == 0
    assert (tmp_path / "ftm" / "entities.jsonl").read_bytes() == (
        out / "ftm" / "entities.jsonl"
    ).read_bytes()


def test_on_error_stop_writes_nothing_and_keeps_the_last_layer(tmp_path: Path) -> None:
    first = _import("ftm", "sanctioned.ftm.json", tmp_path)
    assert first.returncode == 0
    before = (tmp_path / "ftm" / "entities.jsonl").read_bytes()
    stopped = _import("ftm", "sanctioned.ftm.json", tmp_path, "--on-error", "stop")
    assert stopped.returncode == 1
    assert "sanctioned.ftm.json:3: schema 'Vessel'" in stopped.stderr
    assert "nothing written" in stopped.stderr
    assert (tmp_path / "ftm" / "entities.jsonl").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ftm"]


def test_a_csv_without_its_columns_says_which(tmp_path: Path) -> None:
    done = _import(
        "csv",
        "companies.csv",
        tmp_path,
        "--id-col",
        "key",
        "--name-col",
        "name",
        "--type",
        "organization",
    )
    assert done.returncode == 0
    assert "companies.csv:1: no column key (the header has id, name, lang, type)" in done.stderr
    assert "0 entities" in done.stderr


def test_served_layers_resolve_the_imported_names_in_every_script(
    imported: tuple[Path, dict[str, str]],
) -> None:
    out, _ = imported
    store = SnapshotStore.from_directory(out)
    server, port = create_server("127.0.0.1:0", store)
    server.start()
    try:
        with EntnormClient(f"127.0.0.1:{port}") as client:
            queries = {
                "Ramzan Kadyrov": "person:nk-kadyrov-example",
                "Рамзан Кадыров": "person:nk-kadyrov-example",
                "رمضان قديروف": "person:nk-kadyrov-example",
                "ООО Торговый дом Грозный": "org:nk-example-company",
                "Киев": "place:q1899",
                "키이우": "place:q1899",
                "基辅": "place:q1899",
                "Kijów": "place:q1899",
                "Україна": "country:ua",
                "АКМЕ Холдинг": "org:acme",
            }
            answers = client.resolve(list(queries))
            got = {
                a.query: a.best.entity_id if a.outcome == "resolved" and a.best else a.outcome
                for a in answers
            }
            assert got == queries
            layers = {
                a.query: a.best.matched_alias.layer
                for a in answers
                if a.best and a.best.matched_alias
            }
            assert layers["Киев"] == "wikidata"
            assert layers["Ramzan Kadyrov"] == "ftm"
            # FtM's weak alias is context-only: offered, never decided alone.
            [weak] = client.resolve(["Kadyrov"])
            assert weak.outcome == "ambiguous"
            revision = client.data_revision()
            assert sorted(la.name for la in revision.layers) == ["csv", "ftm", "wikidata"]
    finally:
        server.stop(None)


def test_serve_takes_the_imported_directory(imported: tuple[Path, dict[str, str]]) -> None:
    out, _ = imported
    lint = subprocess.run([*ENTNORM, "lint", str(out)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    assert "7 entities" in lint.stdout
