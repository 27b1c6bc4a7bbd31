"""Load a directory of alias tables into validated `AliasTables`, or fail with every problem.

A load either fully succeeds or raises `AliasLoadError`; it never returns half a table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import process
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from entnorm_server.exc import AliasLoadError, Problem
from entnorm_server.model import (
    Alias,
    AliasKind,
    AliasTables,
    Entity,
    Location,
    SourceFile,
)
from entnorm_server.normalize import exact_key
from entnorm_server.schema import ID_PATTERN, AliasEntry, AliasTable, EntityEntry

_FIELDS = {
    "table": tuple(AliasTable.model_fields),
    "entity": tuple(EntityEntry.model_fields),
    "alias": tuple(AliasEntry.model_fields),
}


def table_files(root: Path) -> list[Path]:
    """The alias tables of a data directory: every *.yaml directly in it, in name order."""
    return sorted(p for p in root.glob("*.yaml") if p.is_file())


def load_directory(root: str | Path) -> AliasTables:
    root = Path(root)
    if not root.is_dir():
        raise AliasLoadError([Problem(Location(str(root), 0, 0), "not a directory")])
    files = table_files(root)
    if not files:
        raise AliasLoadError(
            [Problem(Location(str(root), 0, 0), "no *.yaml alias tables in this directory")]
        )
    problems: list[Problem] = []
    entities: list[Entity] = []
    sources: list[SourceFile] = []
    # Ids declared anywhere, even in entries that failed validation, so that one typo does not
    # also make every reference to its entity look dangling.
    declared: set[str] = set()
    for path in files:
        data = path.read_bytes()
        rel = path.relative_to(root).as_posix()
        file_entities = _load_file(rel, data, problems, declared)
        entities.extend(file_entities)
        sources.append(SourceFile(rel, hashlib.sha256(data).hexdigest(), len(file_entities)))
    problems.extend(_cross_check(entities, declared))
    if problems:
        raise AliasLoadError(problems)
    return AliasTables(tuple(entities), tuple(sources), root=str(root))


def _load_file(rel: str, data: bytes, problems: list[Problem], declared: set[str]) -> list[Entity]:
    try:
        tree = YAML(typ="rt").load(data)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(p for p in (err.context, err.problem) if p)
        problems.append(Problem(Location(rel, line, col), f"YAML syntax: {what}"))
        return []
    except UnicodeDecodeError as err:
        problems.append(Problem(Location(rel, 1, 1), f"not UTF-8 text: {err.reason}"))
        return []
    if not isinstance(tree, CommentedMap):
        problems.append(
            Problem(Location(rel, 1, 1), "expected a mapping with an `entities:` list at the top")
        )
        return []
    declared.update(_raw_ids(tree))
    try:
        table = AliasTable.model_validate(tree)
    except ValidationError as err:
        for error in err.errors():
            loc = tuple(error["loc"])
            line, col = _position(tree, loc)
            problems.append(Problem(Location(rel, line, col), _describe(error, loc)))
        return []
    nodes: CommentedSeq = tree["entities"]
    return [_to_entity(rel, entry, nodes[i]) for i, entry in enumerate(table.entities)]


def _to_entity(rel: str, entry: EntityEntry, node: CommentedMap) -> Entity:
    def at(container: CommentedMap | CommentedSeq, key: str | int) -> Location:
        if isinstance(container, CommentedSeq):
            line, col = container.lc.item(key)
        else:
            line, col = container.lc.key(key)
        return Location(rel, line + 1, col + 1)

    aliases: list[Alias] = []
    names_node: CommentedMap = node["names"]
    for tag, texts in entry.names.items():
        value = names_node[tag]
        for i, text in enumerate(texts):
            loc = at(value, i) if isinstance(value, CommentedSeq) else at(names_node, tag)
            aliases.append(Alias(text, AliasKind.NAME, tag, location=loc))
    for i, a in enumerate(entry.aliases):
        aliases.append(
            Alias(
                a.text,
                AliasKind(a.kind),
                a.lang or "",
                a.note.strip(),
                a.source.strip(),
                a.context_only,
                at(node["aliases"], i),
            )
        )
    return Entity(
        entry.id,
        entry.type,
        entry.display_name,
        tuple(aliases),
        tuple(sorted(entry.external_ids.items())),
        tuple(entry.related),
        at(node, "id"),
        tuple(entry.not_same_as),
    )


def _raw_ids(tree: CommentedMap) -> Iterator[str]:
    entries = tree.get("entities")
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                yield entry["id"]


def _cross_check(entities: list[Entity], declared: set[str]) -> Iterator[Problem]:
    first: dict[str, Entity] = {}
    for entity in entities:
        if entity.id in first:
            yield Problem(
                _loc(entity),
                f"duplicate id {entity.id!r}: already defined at {_loc(first[entity.id])};"
                " ids are unique across all tables",
            )
        else:
            first[entity.id] = entity
    for entity in entities:
        for rid in entity.related:
            if rid == entity.id:
                yield Problem(_loc(entity), f"{entity.id!r} lists itself under related")
            elif rid not in declared:
                hint = process.extractOne(rid, sorted(declared))
                maybe = f"; did you mean {hint[0]!r}?" if hint and hint[1] >= 80 else ""
                yield Problem(
                    _loc(entity), f"related id {rid!r} is not defined in any table{maybe}"
                )
        for other in entity.not_same_as:
            if ID_PATTERN.match(other) and other not in declared:
                yield Problem(_loc(entity), f"not_same_as id {other!r} is not defined in any table")
            elif other == entity.id:
                yield Problem(_loc(entity), f"{entity.id!r} lists itself under not_same_as")
        yield from _repeated_aliases(entity)


def _repeated_aliases(entity: Entity) -> Iterator[Problem]:
    seen: dict[tuple[str, str], Alias] = {}
    for alias in entity.aliases:
        key = (exact_key(alias.text), alias.language)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = alias
        elif alias.location is not None:
            yield Problem(
                alias.location,
                f"{alias.text!r} repeats the {earlier.kind.value} at "
                f"{earlier.location or '?'} of {entity.id!r}; remove one",
            )


def _loc(entity: Entity) -> Location:
    return entity.location or Location("?", 0, 0)


def _position(tree: Any, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """The 1-based line and column of the YAML node that a pydantic error path points at."""
    node, line, col = tree, tree.lc.line, tree.lc.col
    for i, part in enumerate(loc):
        last = i == len(loc) - 1 or loc[i + 1] == "[key]"
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.key(part) if last else node.lc.value(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line, col = node.lc.item(part)
            node = node[part]
        else:
            break
    return line + 1, col + 1


def _describe(error: Any, loc: tuple[int | str, ...]) -> str:
    parts = [p for p in loc if p != "[key]"]
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    kind, msg = error["type"], error["msg"]
    if kind == "missing":
        return f"{path}: missing required field {parts[-1]!r}"
    if kind == "extra_forbidden":
        owner = "alias" if "aliases" in parts[:-1] else "entity" if parts[:-1] else "table"
        return f"{path}: unknown field {parts[-1]!r}; allowed: {', '.join(_FIELDS[owner])}"
    if kind == "string_too_short":
        return f"{path}: must not be empty"
    if kind == "too_short":
        return f"{path}: needs at least one entry"
    msg = msg.removeprefix("Value error, ")
    given = error.get("input")
    if isinstance(given, str | int | float | bool) and repr(given) not in msg:
        msg = f"{msg} (got {given!r})"
    return f"{path or 'file'}: {msg}"
