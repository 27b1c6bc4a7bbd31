"""Layered tables: machine-made JSON Lines layers under the curated YAML, merged by id, every name
carrying its layer; served and reported through a real server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import WriteTables

from entnorm_client import EntnormClient
from entnorm_server.exc import AliasLoadError
from entnorm_server.loading import load_directory
from entnorm_server.server import create_server
from entnorm_server.snapshot import load_snapshot
from entnorm_server.store import SnapshotStore

ENTNORM = [sys.executable, "-m", "entnorm_client.cli"]
CURATED = """\
entities:
  - id: place:ru-kursk
    type: place
    display_name: Kursk
    names: {en: Kursk}
    aliases:
      - {text: Kursk city, kind: translation, lang: en, source: test}
    roles: [city]
"""
MANIFEST = "name: {name}\nsource: a test gazetteer\nlicence: CC0-1.0\npriority: {priority}\n"


def _layer(root: Path, folder: str, name: str, priority: int, *entities: dict[str, object]) -> None:
    layer = root / folder
    layer.mkdir(parents=True)
    (layer / "layer.yaml").write_text(MANIFEST.format(name=name, priority=priority), "utf-8")
    lines = [json.dumps(e, ensure_ascii=False) for e in entities]
    (layer / "entities.jsonl").write_text("\n".join(lines) + "\n", "utf-8")


def _city(id_: str, display: str, names: dict[str, object], **more: object) -> dict[str, object]:
    return {"id": id_, "type": "place", "display_name": display, "names": names, **more}


def test_curated_entries_extend_an_imported_one_and_win_its_fields(
    write_tables: WriteTables,
) -> None:
    root = write_tables({"places.yaml": CURATED})
    _layer(
        root,
        "base",
        "base",
        10,
        _city("place:ru-kursk", "Kursk (gazetteer)", {"ru": "Курск", "fr": "Koursk"}),
        _city(
            "place:de-berlin", "Berlin", {"de": "Berlin", "ru": "Берлин"}, related=["country:de"]
        ),
    )
    tables = load_directory(root)
    kursk = next(e for e in tables.entities if e.id == "place:ru-kursk")
    assert kursk.display_name == "Kursk"  # the curated field wins
    assert [(a.text, a.layer) for a in kursk.aliases] == [
        ("Kursk", "curated"),
        ("Kursk city", "curated"),
        ("Курск", "base"),
        ("Koursk", "base"),
    ]
    assert kursk.roles == ("city",)
    [layer] = tables.layers
    assert (layer.name, layer.priority, layer.licence, layer.entity_count) == (
        "base",
        10,
        "CC0-1.0",
        2,
    )
    # A layer may name entities no table holds (country:de): not a problem for the load.
    assert {e.id for e in tables.entities} == {"place:ru-kursk", "place:de-berlin"}


def test_the_higher_layer_wins_and_the_revision_covers_every_layer(
    write_tables: WriteTables,
) -> None:
    root = write_tables({"places.yaml": CURATED})
    _layer(root, "low", "low", 1, _city("place:x-a", "A from low", {"en": "Aaa"}))
    _layer(root, "high", "high", 5, _city("place:x-a", "A from high", {"en": "Aaa", "de": "Aah"}))
    before = load_snapshot(root)
    entity = before.by_id["place:x-a"]
    assert entity.display_name == "A from high"
    assert [(a.text, a.layer) for a in entity.aliases] == [("Aaa", "high"), ("Aah", "high")]
    (root / "low" / "entities.jsonl").write_text(
        json.dumps(_city("place:x-a", "A from low", {"en": "Aaa", "it": "Aaaa"})) + "\n", "utf-8"
    )
    after = load_snapshot(root)
    assert after.revision != before.revision
    assert ("Aaaa", "low") in [(a.text, a.layer) for a in after.by_id["place:x-a"].aliases]


def test_layer_problems_are_named_at_their_line(write_tables: WriteTables) -> None:
    root = write_tables({"places.yaml": CURATED})
    layer = root / "base"
    layer.mkdir()
    (layer / "layer.yaml").write_text("name: base\nsource: s\npriority: 5000\n", "utf-8")
    (layer / "a.jsonl").write_text("{}\n", "utf-8")
    (root / "stray.jsonl").write_text("{}\n", "utf-8")
    other = root / "other"
    other.mkdir()
    (other / "layer.yaml").write_text(MANIFEST.format(name="other", priority=3), "utf-8")
    (other / "x.jsonl").write_text(
        json.dumps(_city("place:x-a", "A", {"en": "Aaa"}))
        + "\nnot json\n"
        + json.dumps({"id": "place:x-b", "type": "place", "names": {"en": "B"}})
        + "\n"
        + json.dumps(_city("place:x-a", "A again", {"en": "Aaa"}))
        + "\n",
        "utf-8",
    )
    (other / "notes.txt").write_text("?", "utf-8")
    with pytest.raises(AliasLoadError) as caught:
        load_directory(root)
    said = [str(p) for p in caught.value.problems]
    assert any(p.startswith("base/layer.yaml:") and "licence" in p for p in said)
    assert any(p.startswith("base/layer.yaml:") and "priority" in p for p in said)
    assert any(p.startswith("stray.jsonl:") and "layer" in p for p in said)
    assert any(p.startswith("other/x.jsonl:2:") and "not JSON" in p for p in said)
    assert any(p.startswith("other/x.jsonl:3:") and "display_name" in p for p in said)
    assert any(p.startswith("other/x.jsonl:4:") and "duplicate id 'place:x-a'" in p for p in said)
    assert any(p.startswith("other/notes.txt:") for p in said)


def test_a_server_answers_with_the_layer_of_each_name(write_tables: WriteTables) -> None:
    root = write_tables({"places.yaml": CURATED})
    _layer(
        root,
        "base",
        "base",
        10,
        _city("place:de-berlin", "Berlin", {"de": "Berlin", "ru": "Берлин"}),
    )
    store = SnapshotStore.from_directory(root)
    server, port = create_server("127.0.0.1:0", store)
    server.start()
    try:
        with EntnormClient(f"127.0.0.1:{port}") as client:
            [answer] = client.resolve(["Берлин"])
            assert answer.outcome == "resolved"
            assert answer.best is not None
            assert answer.best.matched_alias is not None
            assert answer.best.matched_alias.layer == "base"
            [entity] = client.get_entities(["place:ru-kursk"])
            assert {n.layer for n in entity.names} == {"curated"}
            revision = client.data_revision()
            assert [(la.name, la.entity_count) for la in revision.layers] == [("base", 1)]
    finally:
        server.stop(None)


def test_lint_checks_layers_and_flags_only_editors_entries(write_tables: WriteTables) -> None:
    root = write_tables({"places.yaml": CURATED})
    # Two imported namesakes share an alias: the importer's business, not an editor's error.
    _layer(
        root,
        "base",
        "base",
        10,
        _city(
            "place:us-springfield-il",
            "Springfield",
            {"en": "Springfield, Illinois"},
            aliases=[{"text": "Springfield", "kind": "short_name"}],
        ),
        _city(
            "place:us-springfield-ma",
            "Springfield",
            {"en": "Springfield, Massachusetts"},
            aliases=[{"text": "Springfield", "kind": "short_name"}],
        ),
    )
    clean = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout
    (root / "places.yaml").write_text(
        CURATED + "  - {id: place:x-s, type: place, display_name: S, names: {en: S town},\n"
        "     aliases: [{text: Springfield, kind: nickname, source: test}]}\n",
        "utf-8",
    )
    flagged = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert flagged.returncode == 1
    [line] = flagged.stdout.splitlines()
    assert line.startswith(f"{root / 'places.yaml'}:")
    assert " shared-alias " in line


def test_not_same_as_and_context_only_work_across_layers(write_tables: WriteTables) -> None:
    curated = (
        "entities:\n"
        "  - id: place:x-a\n"  # extends the imported entity: one of its names is context-only
        "    type: place\n"
        "    display_name: Springfield (Illinois)\n"
        '    names: {en: "Springfield, Illinois"}\n'
        "    aliases: [{text: Springfield, kind: short_name, lang: en, context_only: true,"
        " source: test}]\n"
        "  - id: place:x-c\n"
        "    type: place\n"
        "    display_name: Shelbyville\n"
        "    names: {en: Shelbyville}\n"
        "    not_same_as: [place:x-b]\n"  # an id only the layer defines
    )
    root = write_tables({"places.yaml": curated})
    _layer(
        root,
        "base",
        "base",
        10,
        _city("place:x-a", "Springfield", {"de": "Springfield"}),
        _city("place:x-b", "Shelbyvile", {"en": "Shelbyvile"}),
    )
    snapshot = load_snapshot(root)
    a = snapshot.by_id["place:x-a"]
    assert any(al.text == "Springfield" and al.context_only for al in a.aliases)
    assert snapshot.never_with["place:x-b"] == frozenset({"place:x-c"})
