"""A CSV file of names as a layer: an id column, a name column, optionally a language column and
a type (for the file, or per row). Rows of one id make one entity, in the order first seen; a
bad row (no id or name, an unknown type, a tag that is no BCP-47) is named at its line."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import langcodes

from entnorm_server.importing.layers import BadRecord, Record, script_tag, slug
from entnorm_server.model import ID_PREFIX, EntityType
from entnorm_server.schema import ID_PATTERN


@dataclass(frozen=True, slots=True)
class Columns:
    id: str
    name: str
    language: str = ""
    type: str = ""  # a column naming each row's type; else `fixed_type`
    fixed_type: EntityType | None = None


def records(text: Iterable[str], source_file: str, columns: Columns) -> Iterator[Record]:
    """text: the file opened as UTF-8 with newline="" (as the csv module wants)."""
    reader = csv.DictReader(text)
    missing = [c for c in (columns.id, columns.name, columns.language, columns.type) if c]
    absent = [c for c in missing if c not in (reader.fieldnames or [])]
    if absent:
        got = ", ".join(reader.fieldnames or []) or "no header"
        yield BadRecord(source_file, 1, f"no column {', '.join(absent)} (the header has {got})")
        return
    entities: dict[str, tuple[int, dict[str, object]]] = {}
    try:
        for row in reader:
            found = _row(row, reader.line_num, source_file, columns)
            if isinstance(found, BadRecord):
                yield found
                continue
            entity_id, kind, tag, name = found
            line, entity = entities.setdefault(
                entity_id,
                (
                    reader.line_num,
                    {"id": entity_id, "type": kind.value, "display_name": name, "names": {}},
                ),
            )
            if entity["type"] != kind.value:
                yield BadRecord(
                    source_file,
                    reader.line_num,
                    f"{entity_id} is a {entity['type']} at line {line}",
                )
                continue
            names = entity["names"]
            assert isinstance(names, dict)
            if name not in names.setdefault(tag, []):
                names[tag].append(name)
    except UnicodeDecodeError as error:
        yield BadRecord(
            source_file, reader.line_num + 1, f"not UTF-8 ({error.reason}); the rest is not read"
        )
    except csv.Error as error:
        yield BadRecord(source_file, reader.line_num, f"not CSV: {error}; the rest is not read")
    yield from entities.values()


def _row(
    row: dict[str, str | None], line: int, source_file: str, columns: Columns
) -> tuple[str, EntityType, str, str] | BadRecord:
    raw_id = (row.get(columns.id) or "").strip()
    name = (row.get(columns.name) or "").strip()
    if not raw_id or not name:
        return BadRecord(source_file, line, f"no {columns.id if not raw_id else columns.name}")
    kind = columns.fixed_type
    if columns.type:
        label = (row.get(columns.type) or "").strip().lower()
        kind = next((t for t in EntityType if label in (t.value, ID_PREFIX[t])), None)
        if kind is None:
            known = ", ".join(t.value for t in EntityType)
            return BadRecord(source_file, line, f"type {label!r} is none of {known}")
    assert kind is not None
    entity_id = raw_id if ID_PATTERN.match(raw_id) else f"{ID_PREFIX[kind]}:{slug(raw_id)}"
    if not entity_id.startswith(f"{ID_PREFIX[kind]}:") or entity_id.endswith(":"):
        return BadRecord(source_file, line, f"id {raw_id!r} makes no {kind.value} id")
    tag = script_tag(name)
    if columns.language:
        given = (row.get(columns.language) or "").strip()
        if given:
            if not langcodes.tag_is_valid(given):
                return BadRecord(source_file, line, f"{given!r} is not a BCP-47 language tag")
            tag = langcodes.standardize_tag(given)
    return entity_id, kind, tag, name
