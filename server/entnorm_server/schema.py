"""The YAML schema v1 of alias tables as pydantic models (see aliases/README.md).

These models only check one file's shape; cross-file rules (unique ids, related ids) live in
`loading`. Every message says what to fix.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Literal

import langcodes
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from entnorm_server.model import ID_PREFIX, EntityType

ID_PATTERN = re.compile(r"^(person|org|country|place):[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_PATTERN = re.compile(r"^Q[1-9][0-9]*$")

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _check_tag(tag: str) -> str:
    problem = _tag_problem(tag)
    if problem:
        raise ValueError(problem)
    return tag


@lru_cache(maxsize=4096)  # a table has a few dozen tags, each checked thousands of times
def _tag_problem(tag: str) -> str:
    if not langcodes.tag_is_valid(tag):
        return f"{tag!r} is not a valid BCP-47 language tag (e.g. en, ko, ko-Hani, zh-Hans)"
    canonical = langcodes.standardize_tag(tag)
    if canonical != tag:
        return f"write the language tag {tag!r} in its canonical form {canonical!r}"
    return ""


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use <prefix>:<slug> with prefix person, org, country or"
            " place and a slug of lowercase ASCII words joined by hyphens, e.g. person:shin-won-sik"
        )
    return value


def _as_list(value: object) -> object:
    """A name, or a list of names; each a string or {text, source}."""
    items = [value] if isinstance(value, str | dict) else value
    if not isinstance(items, list):
        return items
    return [{"text": item} if isinstance(item, str) else item for item in items]


LangTag = Annotated[str, AfterValidator(_check_tag)]


class NameEntry(BaseModel):
    """A name with where it comes from: `en: [{text: Kim Jong Un, source: KCNA}]`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: NonEmpty
    source: str = ""


# `names:` values are a name or a list of names, each a string or {text, source}; all load as
# a list.
NameList = Annotated[list[NameEntry], BeforeValidator(_as_list), Field(min_length=1)]
EntityId = Annotated[str, AfterValidator(_check_id)]
AliasKindName = Literal[
    "romanization",
    "misrendering",
    "mistranslation",
    "abbreviation",
    "former_name",
    "nickname",
    "translation",
    "short_name",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AliasEntry(_Strict):
    text: NonEmpty
    kind: AliasKindName
    lang: LangTag | None = None
    note: str = ""
    source: str = ""
    context_only: bool = False


class EntityEntry(_Strict):
    id: EntityId
    type: EntityType
    display_name: NonEmpty
    names: dict[LangTag, NameList] = Field(min_length=1)
    # Factories, not `= []`: pydantic deep-copies a mutable default for every entity.
    aliases: list[AliasEntry] = Field(default_factory=list)
    external_ids: dict[NonEmpty, NonEmpty] = Field(default_factory=dict)
    related: list[EntityId] = Field(default_factory=list)
    not_same_as: list[NonEmpty] = Field(default_factory=list)
    # Role words (titles, offices) that, near a mention, speak for this entity: "deputy", "1차장".
    roles: list[NonEmpty] = Field(default_factory=list)

    @model_validator(mode="after")
    def _id_matches_type(self) -> EntityEntry:
        prefix = self.id.partition(":")[0]
        expected = ID_PREFIX[self.type]
        if prefix != expected:
            raise ValueError(
                f"id {self.id!r} has prefix {prefix!r}, but type {self.type.value!r}"
                f" needs {expected!r}"
            )
        wikidata = self.external_ids.get("wikidata")
        if wikidata is not None and not WIKIDATA_PATTERN.match(wikidata):
            raise ValueError(f"external_ids.wikidata {wikidata!r} must be Q followed by digits")
        return self


class AliasTable(_Strict):
    entities: list[EntityEntry] = Field(min_length=1)


class LayerManifest(_Strict):
    """A layer folder's `layer.yaml`: what it is, where it comes from, under what licence, and
    where it stands among the other layers (higher wins; the curated tables stand above all)."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    source: NonEmpty
    licence: NonEmpty
    priority: int = Field(ge=0, lt=1000)
    description: str = ""
