"""Load a directory of alias tables into validated `AliasTables`, or fail with every problem.

A load either fully succeeds or raises `AliasLoadError`; it never returns half a table. Which
files are tables is `table_files`' business; reading one with line marks is `marked_yaml`'s.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import process

from entnorm_server.exc import AliasLoadError, Problem
from entnorm_server.marked_yaml import Mark, MarkedList, MarkedMap, read
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
from entnorm_server.table_files import find_tables

_FIELDS = {
    "table": tuple(AliasTable.model_fields),
    "entity": tuple(EntityEntry.model_fields),
    "alias": tuple(AliasEntry.model_fields),
}


def load_directory(root: str | Path) -> AliasTables:
    with _no_cycle_collection():
        return _load_directory(Path(root))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A load makes millions of small objects and no reference cycles; the cycle collector
    would walk them all several times over as they pile up (a fifth of the load's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_directory(root: Path) -> AliasTables:
    if not root.is_dir():
        raise AliasLoadError([Problem(Location(str(root), 0, 0), "not a directory")])
    files, problems = find_tables(root)
    if not files:
        problems.append(
            Problem(
                Location(str(root), 0, 0),
                "no *.yaml alias tables in this directory or its folders (*.yml counts too)",
            )
        )
        raise AliasLoadError(problems)
    entities: list[Entity] = []
    sources: list[SourceFile] = []
    # Ids declared anywhere, even in entries that failed validation, so that one typo does not
    # also make every reference to its entity look dangling.
    declared: set[str] = set()
    unread = 0  # files whose ids are unknown: a reference to one of them may be right
    for file in files:
        try:
            data = file.path.read_bytes()
        except OSError as error:
            problems.append(Problem(Location(file.rel, 0, 0), f"cannot read: {error.strerror}"))
            unread += 1
            continue
        before = len(declared)
        file_entities = _load_file(file.rel, data, problems, declared)
        unread += len(declared) == before and not file_entities and _broken(problems, file.rel)
        entities.extend(file_entities)
        sources.append(SourceFile(file.rel, hashlib.sha256(data).hexdigest(), len(file_entities)))
    # After a syntax error, that one cause is reported; an id the broken file may define is not
    # called undefined elsewhere.
    problems.extend(_cross_check(entities, declared, references=not unread))
    tables = AliasTables(tuple(entities), tuple(sources), root=str(root))
    if problems:
        raise AliasLoadError(problems, partial=tables)
    return tables


def _load_file(rel: str, data: bytes, problems: list[Problem], declared: set[str]) -> list[Entity]:
    tree, found = read(data)
    problems.extend(
        Problem(Location(rel, line, column), message) for line, column, message in found
    )
    if tree is None and found:
        return []
    if not isinstance(tree, MarkedMap):
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
    nodes: MarkedList = tree["entities"]
    return [_to_entity(rel, entry, nodes[i]) for i, entry in enumerate(table.entities)]


def _to_entity(rel: str, entry: EntityEntry, node: MarkedMap) -> Entity:
    aliases: list[Alias] = []
    names_node: MarkedMap = node["names"]
    for tag, texts in entry.names.items():
        value = names_node[tag]
        marks = value.item_at if isinstance(value, MarkedList) else [names_node.key_at[tag]]
        for name, (line, column) in zip(texts, marks, strict=True):
            location = Location(rel, line, column)
            aliases.append(
                Alias(name.text, AliasKind.NAME, tag, source=name.source, location=location)
            )
    alias_marks = node["aliases"].item_at if entry.aliases else []
    for a, (line, column) in zip(entry.aliases, alias_marks, strict=True):
        aliases.append(
            Alias(
                a.text,
                AliasKind(a.kind),
                a.lang or "",
                a.note.strip(),
                a.source.strip(),
                a.context_only,
                Location(rel, line, column),
            )
        )
    return Entity(
        entry.id,
        entry.type,
        entry.display_name,
        tuple(aliases),
        tuple(sorted(entry.external_ids.items())),
        tuple(entry.related),
        Location(rel, *node.key_at["id"]),
        tuple(entry.not_same_as),
        tuple(entry.roles),
    )


def _raw_ids(tree: MarkedMap) -> Iterator[str]:
    entries = tree.get("entities")
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                yield entry["id"]


def _broken(problems: list[Problem], rel: str) -> bool:
    return any(p.location.file == rel for p in problems)


def _cross_check(
    entities: list[Entity], declared: set[str], *, references: bool = True
) -> Iterator[Problem]:
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
            elif references and rid not in declared:
                hint = process.extractOne(rid, sorted(declared))
                maybe = f"; did you mean {hint[0]!r}?" if hint and hint[1] >= 80 else ""
                yield Problem(
                    _loc(entity), f"related id {rid!r} is not defined in any table{maybe}"
                )
        for other in entity.not_same_as:
            if references and ID_PATTERN.match(other) and other not in declared:
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


def _position(tree: MarkedMap, loc: tuple[int | str, ...]) -> Mark:
    """The 1-based line and column of the YAML value that a pydantic error path points at."""
    node: Any = tree
    line, col = tree.start
    for i, part in enumerate(loc):
        last = i == len(loc) - 1 or loc[i + 1] == "[key]"
        if isinstance(node, MarkedMap) and part in node:
            line, col = node.key_at[part] if last else node.value_at[part]
            node = node[part]
        elif isinstance(node, MarkedList) and isinstance(part, int) and part < len(node):
            line, col = node.item_at[part]
            node = node[part]
        else:
            break
    return line, col


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
