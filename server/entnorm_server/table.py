"""The compiled table that generators read: every alias once, with its script and numbers, the
routes its forms took, and each generator's own index.

`TableForms` is what every index is built from. Making a name's forms (romanizations, inversions,
names before a qualifier) is most of the cost of compiling, so it is done once, and each index
takes what it needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol, Self, TypeVar, cast

from entnorm_server import routes
from entnorm_server.model import Alias, AliasTables, Entity, EntityType
from entnorm_server.normalize import numbers
from entnorm_server.qualifiers import inversion, split_qualifier
from entnorm_server.scripts import script_of
from entnorm_server.variants import Form, forms

# Where a form of a table name sits: (position in aliases, position in routes).
Posting = tuple[int, int]
V = TypeVar("V")


def frozen(lists: Mapping[str, Sequence[V]]) -> Mapping[str, tuple[V, ...]]:
    """An index built in lists, frozen: key -> tuple, read-only."""
    return MappingProxyType({key: tuple(values) for key, values in lists.items()})


@dataclass(frozen=True, slots=True)
class IndexedAlias:
    entity: Entity
    alias: Alias
    script: str  # script_of(alias.text), once
    numbers: tuple[int, ...]  # numbers(alias.text), once


@dataclass(frozen=True, slots=True)
class TableForm:
    posting: Posting
    item: IndexedAlias
    form: Form


@dataclass(frozen=True)
class TableForms:
    """Every alias, and every form of it with its posting, in table order."""

    aliases: tuple[IndexedAlias, ...]
    forms: tuple[TableForm, ...]
    routes: tuple[tuple[routes.Step, ...], ...]
    scripts_of: Mapping[str, frozenset[str]]  # entity id -> the scripts its names are written in

    @classmethod
    def of(cls, tables: AliasTables) -> TableForms:
        aliases = tuple(
            IndexedAlias(e, a, script_of(a.text), numbers(a.text))
            for e in tables.entities
            for a in e.aliases
        )
        route_ids: dict[tuple[routes.Step, ...], int] = {}  # interned: a posting holds an int
        scripts: dict[str, set[str]] = defaultdict(set)
        found = []
        for position, item in enumerate(aliases):
            scripts[item.entity.id].add(item.script)
            for form in _alias_forms(item):
                posting = (position, route_ids.setdefault(form.route, len(route_ids)))
                found.append(TableForm(posting, item, form))
        return cls(
            aliases,
            tuple(found),
            tuple(route_ids),
            MappingProxyType({k: frozenset(v) for k, v in scripts.items()}),
        )


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


class Index(Protocol):
    """A generator's own index, built from the table's forms when a snapshot is compiled."""

    @classmethod
    def build(cls, table: TableForms) -> Self: ...


IndexT = TypeVar("IndexT", bound=Index)


@dataclass(frozen=True)
class IndexedTable:
    """The table as generators read it: its aliases, routes and scripts, and every index."""

    aliases: tuple[IndexedAlias, ...]
    routes: tuple[tuple[routes.Step, ...], ...]
    scripts_of: Mapping[str, frozenset[str]]
    indexes: Mapping[type[Index], Index]

    @classmethod
    def build(cls, table: TableForms, kinds: Iterable[type[Index]]) -> IndexedTable:
        indexes = {kind: kind.build(table) for kind in kinds}
        return cls(table.aliases, table.routes, table.scripts_of, MappingProxyType(indexes))

    def index(self, kind: type[IndexT]) -> IndexT:
        """The index of that kind; KeyError if the snapshot was compiled without it."""
        return cast(IndexT, self.indexes[kind])
