"""The compiled, immutable snapshot that serves queries: entities plus keyed alias indexes.

A snapshot is built once, off the serving path, and never changed; a reload builds a new one.
Its revision is a content hash of the source files, so the same data gives the same revision.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from entnorm_server.loading import load_directory
from entnorm_server.model import Alias, AliasTables, Entity
from entnorm_server.normalize import ascii_key, exact_key, folded_key

KeyFunction = Callable[[str], str]

# Index tiers, strictest first. Each maps a key of an alias text to the aliases that have it.
TIERS: dict[str, KeyFunction] = {
    "exact": exact_key,
    "folded": folded_key,
    "ascii": ascii_key,
}


@dataclass(frozen=True, slots=True)
class IndexedAlias:
    entity: Entity
    alias: Alias


@dataclass(frozen=True)
class Snapshot:
    revision: str
    loaded_at: datetime
    tables: AliasTables
    by_id: Mapping[str, Entity]
    aliases: tuple[IndexedAlias, ...]
    # tier name -> key -> positions in `aliases`
    keys: Mapping[str, Mapping[str, tuple[int, ...]]]

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self.tables.entities

    def lookup(self, tier: str, key: str) -> tuple[IndexedAlias, ...]:
        return tuple(self.aliases[i] for i in self.keys[tier].get(key, ()))


def revision_of(tables: AliasTables) -> str:
    digest = hashlib.sha256()
    for source in sorted(tables.source_files, key=lambda s: s.path):
        digest.update(f"{source.path}\0{source.sha256}\n".encode())
    return digest.hexdigest()[:16]


def compile_snapshot(tables: AliasTables) -> Snapshot:
    aliases = tuple(IndexedAlias(e, a) for e in tables.entities for a in e.aliases)
    keys: dict[str, dict[str, list[int]]] = {tier: defaultdict(list) for tier in TIERS}
    for position, item in enumerate(aliases):
        for tier, key_of in TIERS.items():
            key = key_of(item.alias.text)
            if key:
                keys[tier][key].append(position)
    frozen = {
        tier: MappingProxyType({k: tuple(v) for k, v in postings.items()})
        for tier, postings in keys.items()
    }
    return Snapshot(
        revision=revision_of(tables),
        loaded_at=datetime.now(UTC),
        tables=tables,
        by_id=MappingProxyType({e.id: e for e in tables.entities}),
        aliases=aliases,
        keys=MappingProxyType(frozen),
    )


def load_snapshot(root: str | Path) -> Snapshot:
    """Load, validate and compile a data directory; raises AliasLoadError and changes nothing."""
    return compile_snapshot(load_directory(root))
