"""The validated alias model: what the tables say, independent of YAML and of the wire."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EntityType(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    PLACE = "place"


# The id prefix each type must carry (see aliases/README.md).
ID_PREFIX: dict[EntityType, str] = {
    EntityType.PERSON: "person",
    EntityType.ORGANIZATION: "org",
    EntityType.COUNTRY: "country",
    EntityType.PLACE: "place",
}


class AliasKind(StrEnum):
    NAME = "name"  # from the `names:` block
    ROMANIZATION = "romanization"
    MISRENDERING = "misrendering"
    MISTRANSLATION = "mistranslation"
    ABBREVIATION = "abbreviation"
    FORMER_NAME = "former_name"
    NICKNAME = "nickname"
    TRANSLATION = "translation"
    SHORT_NAME = "short_name"


CURATED = "curated"  # the layer of the editors' YAML tables
CURATED_PRIORITY = 1000  # above every machine-made layer: editors have the last word


@dataclass(frozen=True, slots=True)
class Layer:
    """A machine-made layer of a data directory, as its manifest declares it."""

    name: str
    source: str
    licence: str
    priority: int
    folder: str  # relative to the data directory
    entity_count: int = 0


@dataclass(frozen=True, slots=True)
class Location:
    file: str  # relative to the data directory
    line: int  # 1-based
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Alias:
    text: str
    kind: AliasKind
    language: str = ""
    note: str = ""
    source: str = ""
    context_only: bool = False
    location: Location | None = None
    layer: str = CURATED  # the layer it came from: "curated" for the editors' YAML


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: EntityType
    display_name: str
    # Every name and alias, `names:` entries first in file order.
    aliases: tuple[Alias, ...]
    external_ids: tuple[tuple[str, str], ...] = ()
    related: tuple[str, ...] = ()
    location: Location | None = None
    # Ids of entities, or names, that must never be matched to this entity.
    not_same_as: tuple[str, ...] = ()
    # Role words (titles, offices) that, near a mention, are context for this entity.
    roles: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[Alias, ...]:
        return tuple(a for a in self.aliases if a.kind is AliasKind.NAME)


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str  # relative to the data directory
    sha256: str
    entity_count: int


@dataclass(frozen=True, slots=True)
class AliasTables:
    """Every entity of a data directory, validated as a whole."""

    entities: tuple[Entity, ...]
    source_files: tuple[SourceFile, ...]
    root: str = ""
    layers: tuple[Layer, ...] = ()
