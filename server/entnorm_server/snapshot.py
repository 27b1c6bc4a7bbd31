"""The compiled, immutable snapshot that serves queries: entities plus keyed alias indexes.

A snapshot is built once, off the serving path, and never changed; a reload builds a new one.
Each generator owns its index (generators/); the snapshot builds them all from the table's forms.
Its revision is a hash of the validated content, so the same data gives the same revision.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from entnorm_server.annotation.spotting import MentionIndex
from entnorm_server.context import relations
from entnorm_server.generators import INDEXES
from entnorm_server.loading import load_directory
from entnorm_server.model import AliasTables, Entity
from entnorm_server.normalize import folded_key
from entnorm_server.schema import ID_PATTERN
from entnorm_server.table import IndexedAlias, IndexedTable, TableForms


@dataclass(frozen=True)
class Snapshot:
    revision: str
    loaded_at: datetime
    tables: AliasTables
    by_id: Mapping[str, Entity]
    indexed: IndexedTable  # every alias, and each generator's index over them
    # Editors' not_same_as: a name's folded key -> entities it must never match, and
    # entity id -> entities it must never be confused with.
    blocked_names: Mapping[str, frozenset[str]]
    never_with: Mapping[str, frozenset[str]]
    # `related` made symmetric: what context reads.
    related_to: Mapping[str, frozenset[str]]
    mentions: MentionIndex  # every alias key, for finding names in running text

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self.tables.entities

    @property
    def aliases(self) -> tuple[IndexedAlias, ...]:
        return self.indexed.aliases


def revision_of(tables: AliasTables) -> str:
    """A hash of the validated content: the same entities and aliases give the same revision,
    whatever the files' comments, layout, order or names (where a thing is written is left out)."""
    digest = hashlib.sha256()
    for entity in sorted(tables.entities, key=lambda e: e.id):
        digest.update(json.dumps(_content(entity), ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:16]


def _content(value: object) -> object:
    """A dataclass as plain lists, every field but its location."""
    if is_dataclass(value) and not isinstance(value, type):
        return [_content(getattr(value, f.name)) for f in fields(value) if f.name != "location"]
    if isinstance(value, tuple):
        return [_content(v) for v in value]
    return value


def compile_snapshot(tables: AliasTables) -> Snapshot:
    blocked: dict[str, set[str]] = defaultdict(set)
    never: dict[str, set[str]] = defaultdict(set)
    for entity in tables.entities:
        for other in entity.not_same_as:
            if ID_PATTERN.match(other):
                never[entity.id].add(other)
                never[other].add(entity.id)
            else:
                blocked[folded_key(other)].add(entity.id)
    return Snapshot(
        revision=revision_of(tables),
        loaded_at=datetime.now(UTC),
        tables=tables,
        by_id=MappingProxyType({e.id: e for e in tables.entities}),
        indexed=IndexedTable.build(TableForms.of(tables), INDEXES),
        blocked_names=MappingProxyType({k: frozenset(v) for k, v in blocked.items()}),
        never_with=MappingProxyType({k: frozenset(v) for k, v in never.items()}),
        related_to=relations(tables.entities),
        mentions=MentionIndex.build(tables.entities),
    )


def load_snapshot(root: str | Path) -> Snapshot:
    """Load, validate and compile a data directory; raises AliasLoadError and changes nothing."""
    return compile_snapshot(load_directory(root))
