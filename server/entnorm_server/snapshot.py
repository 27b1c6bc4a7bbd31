"""The compiled, immutable snapshot that serves queries: entities plus keyed alias indexes.

A snapshot is built once, off the serving path, and never changed; a reload builds a new one.
Its revision is a content hash of the source files, so the same data gives the same revision.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from entnorm_server import routes
from entnorm_server.fuzzy import TrigramIndex
from entnorm_server.loading import load_directory
from entnorm_server.model import Alias, AliasTables, Entity, EntityType
from entnorm_server.normalize import exact_key, folded_key, numbers, script_of
from entnorm_server.qualifiers import inversion, split_qualifier
from entnorm_server.schema import ID_PATTERN
from entnorm_server.translit import cyrillic_transcription, kana_consonants
from entnorm_server.variants import Form, forms, table_keys

KeyFunction = Callable[[str], str]

# Tiers over the original text, strictest first: key -> positions in Snapshot.aliases.
TIERS: dict[str, KeyFunction] = {
    "exact": exact_key,
    "folded": folded_key,
}

# A posting of a variant key: (position in Snapshot.aliases, position in Snapshot.routes).
Posting = tuple[int, int]


@dataclass(frozen=True, slots=True)
class IndexedAlias:
    entity: Entity
    alias: Alias
    script: str  # script_of(alias.text), once
    numbers: tuple[int, ...]  # numbers(alias.text), once


@dataclass(frozen=True)
class Snapshot:
    revision: str
    loaded_at: datetime
    tables: AliasTables
    by_id: Mapping[str, Entity]
    aliases: tuple[IndexedAlias, ...]
    keys: Mapping[str, Mapping[str, tuple[int, ...]]]
    # family -> key -> postings, for the variant families of `variants.FAMILIES`
    variants: Mapping[str, Mapping[str, tuple[Posting, ...]]]
    routes: tuple[tuple[routes.Step, ...], ...]
    fuzzy: TrigramIndex
    fuzzy_postings: tuple[tuple[Posting, ...], ...]  # by position in fuzzy.keys
    # Editors' not_same_as: a name's folded key -> entities it must never match, and
    # entity id -> entities it must never be confused with.
    blocked_names: Mapping[str, frozenset[str]]
    never_with: Mapping[str, frozenset[str]]
    scripts_of: Mapping[str, frozenset[str]]  # entity id -> the scripts its names are written in
    # consonant skeleton as kana hears it -> positions of the Latin aliases that keep it
    kana_skeletons: Mapping[str, tuple[int, ...]]
    # a Cyrillic name's sound key (translit/cyrillic_transcription.py) -> positions of the
    # aliases that have it, of entities with no Latin name (the others are met by their Latin names)
    cyrillic_sounds: Mapping[str, tuple[int, ...]]

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


class _Routes:
    """Interns route tuples so that postings hold a small int."""

    def __init__(self) -> None:
        self.ids: dict[tuple[routes.Step, ...], int] = {}

    def id(self, route: tuple[routes.Step, ...]) -> int:
        return self.ids.setdefault(route, len(self.ids))

    def frozen(self) -> tuple[tuple[routes.Step, ...], ...]:
        return tuple(self.ids)


def _freeze(
    index: Mapping[str, Mapping[str, list[Posting]]],
) -> Mapping[str, Mapping[str, tuple[Posting, ...]]]:
    return MappingProxyType(
        {
            name: MappingProxyType({k: tuple(v) for k, v in keys.items()})
            for name, keys in index.items()
        }
    )


def _cyrillic_sounds(
    aliases: tuple[IndexedAlias, ...], scripts: Mapping[str, set[str]]
) -> Mapping[str, tuple[int, ...]]:
    """The sound keys of the Cyrillic names of entities with no Latin name."""
    sounds: dict[str, list[int]] = defaultdict(list)
    for position, item in enumerate(aliases):
        if item.script != "Cyrl" or "Latn" in scripts[item.entity.id]:
            continue
        if sound := cyrillic_transcription.indexed(item.alias.text):
            sounds[sound].append(position)
    return MappingProxyType({k: tuple(v) for k, v in sounds.items()})


def _alias_forms(item: IndexedAlias) -> Iterator[Form]:
    """The forms of a table name, then those of its name before a qualifier ("Kilburn" of
    "Kilburn, London"), unless it is a person's (whose comma inverts a name)."""
    alias = item.alias
    yield from forms(alias.text, alias.language)
    if inverted := inversion(alias.text):
        head, designator = inverted
        whole = (f"{designator} {head}", routes.uninverted(designator))
        for text, step in (whole, (head, routes.dropped_designator(designator))):
            for form in forms(text, alias.language):
                yield Form(form.text, (step, *form.route), form.ascii)
    qualified = split_qualifier(alias.text)
    if qualified and item.entity.type is not EntityType.PERSON:
        name, qualifier = qualified
        step = routes.dropped_qualifier(qualifier)
        for form in forms(name, alias.language):
            yield Form(form.text, (step, *form.route), form.ascii)


def compile_snapshot(tables: AliasTables) -> Snapshot:
    aliases = tuple(
        IndexedAlias(e, a, script_of(a.text), numbers(a.text))
        for e in tables.entities
        for a in e.aliases
    )
    keys: dict[str, dict[str, list[int]]] = {tier: defaultdict(list) for tier in TIERS}
    variants: dict[str, dict[str, list[Posting]]] = defaultdict(lambda: defaultdict(list))
    fuzzy_keys: dict[str, list[Posting]] = defaultdict(list)
    route_ids = _Routes()
    scripts: dict[str, set[str]] = defaultdict(set)
    kana_skeletons: dict[str, list[int]] = defaultdict(list)
    for position, item in enumerate(aliases):
        scripts[item.entity.id].add(item.script)
        if item.script == "Latn":
            for skeleton in kana_consonants.indexed(item.alias.text):
                kana_skeletons[skeleton].append(position)
        for tier, key_of in TIERS.items():
            key = key_of(item.alias.text)
            if key:
                keys[tier][key].append(position)
        for form in _alias_forms(item):
            posting = (position, route_ids.id(form.route))
            for family, key in table_keys(form, item.entity.type, item.alias.language):
                postings = variants[family.name][key]
                if not postings or postings[-1][0] != position:  # one per alias and key
                    postings.append(posting)
            fuzzy = form.ascii
            if fuzzy and (not fuzzy_keys[fuzzy] or fuzzy_keys[fuzzy][-1][0] != position):
                fuzzy_keys[fuzzy].append(posting)
    blocked: dict[str, set[str]] = defaultdict(set)
    never: dict[str, set[str]] = defaultdict(set)
    for entity in tables.entities:
        for other in entity.not_same_as:
            if ID_PATTERN.match(other):
                never[entity.id].add(other)
                never[other].add(entity.id)
            else:
                blocked[folded_key(other)].add(entity.id)
    fuzzy_list = list(fuzzy_keys)
    return Snapshot(
        revision=revision_of(tables),
        loaded_at=datetime.now(UTC),
        tables=tables,
        by_id=MappingProxyType({e.id: e for e in tables.entities}),
        aliases=aliases,
        keys=MappingProxyType(
            {t: MappingProxyType({k: tuple(v) for k, v in p.items()}) for t, p in keys.items()}
        ),
        variants=_freeze(variants),
        routes=route_ids.frozen(),
        fuzzy=TrigramIndex.build(fuzzy_list),
        fuzzy_postings=tuple(tuple(fuzzy_keys[k]) for k in fuzzy_list),
        blocked_names=MappingProxyType({k: frozenset(v) for k, v in blocked.items()}),
        never_with=MappingProxyType({k: frozenset(v) for k, v in never.items()}),
        scripts_of=MappingProxyType({k: frozenset(v) for k, v in scripts.items()}),
        kana_skeletons=MappingProxyType({k: tuple(v) for k, v in kana_skeletons.items()}),
        cyrillic_sounds=_cyrillic_sounds(aliases, scripts),
    )


def load_snapshot(root: str | Path) -> Snapshot:
    """Load, validate and compile a data directory; raises AliasLoadError and changes nothing."""
    return compile_snapshot(load_directory(root))
