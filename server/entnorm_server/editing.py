"""Edits of the tables from the command line (`entnorm alias add|rm`, `entnorm entity new`).

Each edit changes one file in place through round-trip ruamel.yaml, so every comment stays. It is
tried first on a copy of the data directory, loaded as the server loads it and linted: an edit
the loader refuses, or that brings a new lint error (an alias another entity has, mixed scripts,
a misrendering with no source), is refused with its problems, and nothing is written.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from entnorm_server.exc import AliasLoadError, EntnormError
from entnorm_server.formatting import ALIAS_ORDER, ENTITY_ORDER, Formatted, round_trip_yaml, write
from entnorm_server.lint_rules import check
from entnorm_server.loading import load_directory
from entnorm_server.model import AliasTables, Entity, EntityType
from entnorm_server.normalize import folded_key
from entnorm_server.snapshot import revision_of

# Where a new entity goes when no file is named: the shipped tables' files by type.
FILE_OF_TYPE = {
    EntityType.PERSON: "people.yaml",
    EntityType.ORGANIZATION: "organizations.yaml",
    EntityType.COUNTRY: "places.yaml",
    EntityType.PLACE: "places.yaml",
}


# Changes a table's entity node in place; returns the node whose line the edit reports.
Change = Callable[[CommentedMap], CommentedMap]


class EditRefusedError(EntnormError):
    """An edit that would break the tables, or that names nothing to edit."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Edited:
    rel: str
    line: int  # of the changed entry, 1-based
    revision: str  # of the tables after the edit


def add_alias(
    root: Path,
    entity_id: str,
    text: str,
    kind: str,
    *,
    lang: str = "",
    note: str = "",
    source: str = "",
    context_only: bool = False,
) -> Edited:
    tables = _load(root)
    entity = _entity(tables, entity_id)
    if any(folded_key(a.text) == folded_key(text) and a.language == lang for a in entity.aliases):
        raise EditRefusedError(f"{entity_id} already has {text!r}" + (f" [{lang}]" if lang else ""))
    rel = _file_of(entity)
    fields = {"text": text, "kind": kind, "lang": lang, "context_only": context_only}
    fields |= {"note": note, "source": source}
    entry = CommentedMap((k, fields[k]) for k in ALIAS_ORDER if fields[k])

    def change(node: CommentedMap) -> CommentedMap:
        aliases = node.get("aliases")
        if not isinstance(aliases, CommentedSeq):
            aliases = node["aliases"] = CommentedSeq()
        aliases.append(entry)
        return entry

    return _edit(root, tables, rel, entity_id, change)


def remove_alias(root: Path, entity_id: str, text: str, *, lang: str = "") -> Edited:
    tables = _load(root)
    rel = _file_of(_entity(tables, entity_id))

    def change(node: CommentedMap) -> CommentedMap:
        aliases = node.get("aliases")
        found = [
            i
            for i, a in enumerate(aliases if isinstance(aliases, CommentedSeq) else [])
            if isinstance(a, CommentedMap)
            and folded_key(str(a.get("text", ""))) == folded_key(text)
            and (not lang or a.get("lang") == lang)
        ]
        if not found:
            names = " (a name under `names:` is edited in the file)" if _is_name(node, text) else ""
            raise EditRefusedError(f"{entity_id} has no alias {text!r}{names}")
        if len(found) > 1:
            raise EditRefusedError(
                f"{entity_id} has {text!r} in {len(found)} languages: say --lang"
            )
        assert isinstance(aliases, CommentedSeq)
        del aliases[found[0]]
        if not aliases:
            del node["aliases"]
        return node

    return _edit(root, tables, rel, entity_id, change)


def new_entity(
    root: Path,
    entity_id: str,
    entity_type: EntityType,
    name: str,
    *,
    lang: str = "en",
    file: str = "",
) -> Edited:
    tables = _load(root)
    if any(e.id == entity_id for e in tables.entities):
        raise EditRefusedError(
            f"{entity_id} exists already, in {_file_of(_entity(tables, entity_id))}"
        )
    rel = file or FILE_OF_TYPE[entity_type]
    path = root / rel
    yaml = round_trip_yaml()
    data = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None
    if data is None:
        data = CommentedMap(entities=CommentedSeq())
    fields = {
        "id": entity_id,
        "type": entity_type.value,
        "display_name": name,
        "names": CommentedMap({lang: name}),
    }
    entry = CommentedMap((k, fields[k]) for k in ENTITY_ORDER if k in fields)
    entities = data["entities"]
    entities.append(entry)
    if len(entities) > 1:  # entities are set apart by a blank line, as editors write them
        entities.yaml_set_comment_before_after_key(len(entities) - 1, before="\n")
    return _write_checked(root, tables, rel, data, entry)


def _load(root: Path) -> AliasTables:
    try:
        return load_directory(root)
    except AliasLoadError as error:
        raise EditRefusedError(
            "the tables have problems already; fix them first (entnorm lint)",
            [str(p) for p in error.problems],
        ) from None


def _entity(tables: AliasTables, entity_id: str) -> Entity:
    for entity in tables.entities:
        if entity.id == entity_id:
            return entity
    raise EditRefusedError(f"no entity {entity_id!r} in these tables")


def _file_of(entity: Entity) -> str:
    if entity.location is None:
        raise EditRefusedError(f"{entity.id} has no file to edit")
    return str(entity.location.file)


def _is_name(node: CommentedMap, text: str) -> bool:
    names = node.get("names") or {}
    values = [v for vs in names.values() for v in (vs if isinstance(vs, list) else [vs])]
    texts = [str(v.get("text", "")) if isinstance(v, dict) else str(v) for v in values]
    return any(folded_key(t) == folded_key(text) for t in texts)


def _edit(root: Path, base: AliasTables, rel: str, entity_id: str, change: Change) -> Edited:
    data = round_trip_yaml().load((root / rel).read_text(encoding="utf-8"))
    for node in data["entities"]:
        if isinstance(node, CommentedMap) and node.get("id") == entity_id:
            return _write_checked(root, base, rel, data, change(node))
    raise EditRefusedError(f"{entity_id} is not in {rel}")


def _write_checked(
    root: Path, base: AliasTables, rel: str, data: CommentedMap, node: CommentedMap
) -> Edited:
    """Write the edited table if the tables still load, and lint finds no error that `base`,
    the tables before the edit, did not have."""
    path = root / rel
    out = io.StringIO()
    round_trip_yaml().dump(data, out)
    text = out.getvalue()
    with tempfile.TemporaryDirectory(prefix="entnorm-edit-") as scratch:
        trial = Path(scratch) / "tables"
        shutil.copytree(root, trial, symlinks=False)
        (trial / rel).parent.mkdir(parents=True, exist_ok=True)
        (trial / rel).write_text(text, encoding="utf-8")
        try:
            tables = load_directory(trial)
        except AliasLoadError as error:
            raise EditRefusedError(
                "the edit would break the tables; nothing was written",
                [str(p) for p in error.problems],
            ) from None
        before_findings = {(f.code, f.message) for f in check(base)}
        errors = [
            f
            for f in check(tables)
            if f.level == "error" and (f.code, f.message) not in before_findings
        ]
        if errors:
            raise EditRefusedError(
                "lint would refuse the edit; nothing was written", [str(f) for f in errors]
            )
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    write(Formatted(rel, path, before, text))
    line = _line_of(text, node)
    return Edited(rel, line, revision_of(tables))


def _line_of(text: str, node: CommentedMap) -> int:
    """The line of the changed entry in the written text (ruamel marks only what it read)."""
    reread = round_trip_yaml().load(text)
    wanted = dict(node)
    for entity in reread["entities"]:
        if dict(entity) == wanted:
            return int(entity.lc.line) + 1
        for alias in entity.get("aliases") or []:
            if dict(alias) == wanted:
                return int(alias.lc.line) + 1
        if entity.get("id") == wanted.get("id"):
            return int(entity.lc.line) + 1
    return 1
