"""What every data set of the evaluation suite gives: real entities with all the names a source
gives them, and, optionally, queries seen in the wild that the suite cannot derive by itself.

The suite (bench/suite/cases.py) turns records into a table and queries the same way for every
data set: it holds out names, adds typos and reorders tokens, leaves entities out as negatives,
and splits by entity into fit, dev and test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from entnorm_server.model import EntityType


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    language: str = ""  # BCP-47, where the source gives one
    # "name" for a name of the entity; or "abbreviation", "former_name", "nickname",
    # "translation", "short_name" as the alias tables say (aliases/README.md)
    kind: str = "name"


@dataclass(frozen=True, slots=True)
class Record:
    """One real-world entity, its display name first among its names."""

    id: str  # namespaced as in the alias tables: "country:de", "person:vladimir-putin"
    type: EntityType
    names: tuple[Name, ...]


@dataclass(frozen=True, slots=True)
class CuratedQuery:
    """A query the suite cannot derive from the records, as users write it."""

    text: str
    expected: str | None  # a record id; None when no record is right
    phenomenon: str  # e.g. "possessive", "garbled", "surname_alone"
    language: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class DataSet:
    name: str  # "cities", "countries", "people", "organizations"
    source: str  # where the names come from, with the licence
    records: tuple[Record, ...]
    queries: tuple[CuratedQuery, ...] = field(default=())
