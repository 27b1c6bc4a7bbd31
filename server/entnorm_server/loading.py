"""Load a directory of alias tables into validated `AliasTables`, or fail with every problem.

A load either fully succeeds or raises `AliasLoadError`; it never returns half a table. Which
files are tables is `table_files`' business; reading one with line marks is `marked_yaml`'s.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import process

from entnorm_server.exc import AliasLoadError, Problem
from entnorm_server.marked_yaml import Mark, MarkedList, MarkedMap, read
from entnorm_server.model import (
    CURATED,
    CURATED_PRIORITY,
    Alias,
    AliasKind,
    AliasTables,
    Entity,
    Layer,
    Location,
    SourceFile,
)
from entnorm_server.normalize import exact_key
from entnorm_server.schema import ID_PATTERN, AliasEntry, AliasTable, EntityEntry, LayerManifest
from entnorm_server.table_files import LAYER_MANIFEST, TableFile, find_tables

_FIELDS = {
    "table": tuple(AliasTable.model_fields),
    "entity": tuple(EntityEntry.model_fields),
    "alias": tuple(AliasEntry.model_fields),
}


def load_directory(root: str | Path, layers: Sequence[Path] = ()) -> AliasTables:
    """Load a data directory, and extra layer folders outside it (the embedded base layer)."""
    with _no_cycle_collection():
        return _load_directory(Path(root), tuple(layers))


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


def _load_directory(root: Path, extra: tuple[Path, ...]) -> AliasTables:
    if not root.is_dir():
        raise AliasLoadError([Problem(Location(str(root), 0, 0), "not a directory")])
    files, problems = find_tables(root)
    for folder in extra:
        files += _extra_layer(folder, problems)
    if not any(f.kind != "manifest" for f in files):
        problems.append(
            Problem(
                Location(str(root), 0, 0),
                "no *.yaml alias tables or layers in this directory or its folders (*.yml counts"
                " too)",
            )
        )
        raise AliasLoadError(problems)
    layers = _manifests([f for f in files if f.kind == "manifest"], problems)
    loaded: list[tuple[int, str, Entity]] = []  # priority, layer, entity
    sources: list[SourceFile] = []
    # Ids declared anywhere, even in entries that failed validation, so that one typo does not
    # also make every reference to its entity look dangling.
    declared: set[str] = set()
    unread = 0  # files whose ids are unknown: a reference to one of them may be right
    for file in files:
        if file.kind == "manifest":
            continue
        layer = layers.get(file.layer) if file.layer else None
        if file.layer and layer is None:
            unread += 1  # its manifest is broken, and said so
            continue
        try:
            data = file.path.read_bytes()
        except OSError as error:
            problems.append(Problem(Location(file.rel, 0, 0), f"cannot read: {error.strerror}"))
            unread += 1
            continue
        before = len(declared)
        if layer is None:
            file_entities = _load_file(file.rel, data, problems, declared)
            priority, name = CURATED_PRIORITY, CURATED
        else:
            file_entities = _load_jsonl(file.rel, data, layer.name, problems, declared)
            priority, name = layer.priority, layer.name
        unread += len(declared) == before and not file_entities and _broken(problems, file.rel)
        loaded.extend((priority, name, e) for e in file_entities)
        sources.append(SourceFile(file.rel, hashlib.sha256(data).hexdigest(), len(file_entities)))
    entities = _merged(loaded, problems)
    # After a syntax error, that one cause is reported; an id the broken file may define is not
    # called undefined elsewhere.
    problems.extend(_cross_check(entities, declared, references=not unread))
    counts = Counter(name for _, name, _ in loaded)
    tables = AliasTables(
        tuple(entities),
        tuple(sources),
        root=str(root),
        layers=tuple(
            replace(layer, entity_count=counts[layer.name])
            for layer in sorted(layers.values(), key=lambda la: -la.priority)
        ),
    )
    if problems:
        raise AliasLoadError(problems, partial=tables)
    return tables


def _extra_layer(folder: Path, problems: list[Problem]) -> list[TableFile]:
    """A layer folder given beside the data directory: its files, named from the folder."""
    found, said = find_tables(folder)
    prefix = folder.name
    problems.extend(
        Problem(replace(p.location, file=f"{prefix}/{p.location.file}"), p.message) for p in said
    )
    if not any(f.kind == "manifest" for f in found):
        problems.append(Problem(Location(prefix, 0, 0), f"not a layer: no {LAYER_MANIFEST} in it"))
        return []
    return [
        replace(f, rel=f"{prefix}/{f.rel}", layer=f"+{prefix}") for f in found if f.layer == "."
    ]


def _manifests(files: list[TableFile], problems: list[Problem]) -> dict[str, Layer]:
    """Each layer folder's manifest, read and checked; a layer whose manifest is not is left out
    (its problems say why)."""
    layers: dict[str, Layer] = {}
    named: dict[str, str] = {}  # layer name -> the manifest that took it
    for file in files:
        try:
            tree, found = read(file.path.read_bytes())
        except OSError as error:
            problems.append(Problem(Location(file.rel, 0, 0), f"cannot read: {error.strerror}"))
            continue
        problems.extend(Problem(Location(file.rel, line, col), msg) for line, col, msg in found)
        if found:
            continue
        try:
            manifest = LayerManifest.model_validate(tree)
        except ValidationError as err:
            for detail in err.errors():
                loc = tuple(detail["loc"])
                line, col = _position(tree, loc) if isinstance(tree, MarkedMap) else (1, 1)
                problems.append(Problem(Location(file.rel, line, col), _describe_manifest(detail)))
            continue
        if manifest.name in named or manifest.name == CURATED:
            taken = named.get(manifest.name, "the editors' YAML tables")
            problems.append(
                Problem(
                    Location(file.rel, 1, 1),
                    f"layer name {manifest.name!r} is taken by {taken}: name each layer once",
                )
            )
            continue
        named[manifest.name] = file.rel
        layers[file.layer] = Layer(
            manifest.name, manifest.source, manifest.licence, manifest.priority, file.layer
        )
    return layers


def _describe_manifest(error: Any) -> str:
    parts = [str(p) for p in error["loc"]]
    where = ".".join(parts) or "manifest"
    if error["type"] == "missing":
        return (
            f"{where}: missing required field; a layer.yaml holds name, source, licence, priority"
        )
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown field; allowed: {', '.join(LayerManifest.model_fields)}"
    return f"{where}: {error['msg']}"


def _load_jsonl(
    rel: str, data: bytes, layer: str, problems: list[Problem], declared: set[str]
) -> list[Entity]:
    """A layer's table: one entity per line, in the YAML tables' schema, as JSON."""
    entities: list[Entity] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        at = data[: bad.start].count(b"\n") + 1
        problems.append(Problem(Location(rel, at, 1), f"not UTF-8 ({bad.reason})"))
        return []
    for number, record in enumerate(text.split("\n"), start=1):
        if not record.strip():
            continue
        try:
            obj = json.loads(record)
        except json.JSONDecodeError as broken:
            problems.append(Problem(Location(rel, number, broken.colno), f"not JSON: {broken.msg}"))
            continue
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            declared.add(obj["id"])
        try:
            entry = EntityEntry.model_validate(obj)
        except ValidationError as err:
            for detail in err.errors():
                problems.append(
                    Problem(Location(rel, number, 1), _describe(detail, tuple(detail["loc"])))
                )
            continue
        entities.append(_to_layer_entity(Location(rel, number, 1), entry, layer))
    return entities


def _to_layer_entity(location: Location, entry: EntityEntry, layer: str) -> Entity:
    aliases = [
        Alias(name.text, AliasKind.NAME, tag, source=name.source, location=location, layer=layer)
        for tag, texts in entry.names.items()
        for name in texts
    ]
    aliases += [_alias(a, location, layer) for a in entry.aliases]
    return _entity(entry, aliases, location)


def _merged(loaded: list[tuple[int, str, Entity]], problems: list[Problem]) -> list[Entity]:
    """One entity per id: where layers share an id, the higher layer's type and display name,
    and every layer's names and aliases, the higher first (an alias a higher layer has already,
    in the same language, is left out), related ids and roles of all. An id twice in one
    layer is a problem; so is a type that layers disagree on."""
    by_id: dict[str, list[tuple[int, str, Entity]]] = {}
    for item in loaded:
        by_id.setdefault(item[2].id, []).append(item)
    merged = []
    for group in by_id.values():
        if len(group) == 1:
            merged.append(group[0][2])
            continue
        group.sort(key=lambda item: -item[0])
        seen_layers: dict[str, Entity] = {}
        kept = []
        for _, layer, entity in group:
            earlier = seen_layers.get(layer)
            if earlier is not None:
                within = "all tables" if layer == CURATED else f"layer {layer}"
                problems.append(
                    Problem(
                        _loc(entity),
                        f"duplicate id {entity.id!r}: already defined at {_loc(earlier)};"
                        f" ids are unique across {within}",
                    )
                )
                continue
            seen_layers[layer] = entity
            kept.append(entity)
        top = kept[0]
        for other in kept[1:]:
            if other.type is not top.type:
                problems.append(
                    Problem(
                        _loc(top),
                        f"{top.id!r} is a {top.type.value} here and a {other.type.value} in"
                        f" layer {other.aliases[0].layer if other.aliases else '?'}"
                        f" ({_loc(other)}): one id, one type",
                    )
                )
        merged.append(_combine(kept))
    return merged


def _combine(entities: list[Entity]) -> Entity:
    top = entities[0]
    if len(entities) == 1:
        return top
    aliases: list[Alias] = []
    seen: set[tuple[str, str]] = set()
    for entity in entities:
        for alias in entity.aliases:
            key = (exact_key(alias.text), alias.language)
            if key not in seen:
                seen.add(key)
                aliases.append(alias)
    external: dict[str, str] = {}
    for entity in reversed(entities):  # the higher layer's value last, so it wins
        external.update(entity.external_ids)
    return replace(
        top,
        aliases=tuple(aliases),
        external_ids=tuple(sorted(external.items())),
        related=_union(e.related for e in entities),
        not_same_as=_union(e.not_same_as for e in entities),
        roles=_union(e.roles for e in entities),
    )


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))


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
        aliases.append(_alias(a, Location(rel, line, column), CURATED))
    return _entity(entry, aliases, Location(rel, *node.key_at["id"]))


def _entity(entry: EntityEntry, aliases: list[Alias], location: Location) -> Entity:
    return Entity(
        entry.id,
        entry.type,
        entry.display_name,
        tuple(aliases),
        tuple(sorted(entry.external_ids.items())),
        tuple(entry.related),
        location,
        tuple(entry.not_same_as),
        tuple(entry.roles),
    )


def _alias(entry: AliasEntry, location: Location, layer: str) -> Alias:
    return Alias(
        entry.text,
        AliasKind(entry.kind),
        entry.lang or "",
        entry.note.strip(),
        entry.source.strip(),
        entry.context_only,
        location,
        layer,
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
    for entity in entities:
        # A layer may name entities no table holds (an importer's countries): not a problem.
        checked = references and _curated(entity)
        for rid in entity.related:
            if rid == entity.id:
                yield Problem(_loc(entity), f"{entity.id!r} lists itself under related")
            elif checked and rid not in declared:
                hint = process.extractOne(rid, sorted(declared))
                maybe = f"; did you mean {hint[0]!r}?" if hint and hint[1] >= 80 else ""
                yield Problem(
                    _loc(entity), f"related id {rid!r} is not defined in any table{maybe}"
                )
        for other in entity.not_same_as:
            if checked and ID_PATTERN.match(other) and other not in declared:
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


def _curated(entity: Entity) -> bool:
    return not entity.aliases or entity.aliases[0].layer == CURATED


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
