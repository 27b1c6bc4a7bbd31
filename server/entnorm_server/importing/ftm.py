"""FollowTheMoney entities (the JSON lines OpenSanctions publishes) as a layer, read through the
`followthemoney` library's model: each line's schema is the model's (with its ancestry, so a
PublicBody is an Organization), and only properties that schema defines are read.

- Schemata: a Person is a person; an Organization (Company, PublicBody, ...) or another
  LegalEntity is an organization; a Country (where the model has one) is a country. Other
  schemata (Vessel, Address, ...) are skipped, each named at its line.
- `name` and `alias` are names; `weakAlias` is a short name marked context-only (FtM's own
  meaning: too weak to match alone); `previousName` a former name. FtM names carry no language:
  each is tagged `und` with its script (`und-Cyrl`).
- `wikidataId` and the FtM id are external ids; `country` (ISO 3166-1 alpha-2) a related country.

The library needs the `pyicu` distribution, which pip would build from source over the ICU
wheels the engine is pinned to; it is installed without its dependencies (see docs/data.md),
which `import icu` from our ICU wheels then serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from entnorm_server.importing.layers import BadRecord, Record, entity_records, script_tag, slug
from entnorm_server.model import ID_PREFIX, EntityType
from entnorm_server.schema import WIKIDATA_PATTERN

if TYPE_CHECKING:
    from followthemoney.schema import Schema

INSTALL = (
    "the FtM importer needs the followthemoney library, installed without its dependencies so"
    " that it keeps the engine's ICU: `make` does it; else pip install 'entnorm[ftm]' then"
    " pip install --no-deps followthemoney==4.11.2 rigour==2.6.1 normality==3.1.0"
)


class LibraryMissingError(RuntimeError):
    pass


def records(lines: Iterable[bytes], source_file: str) -> Iterator[Record]:
    model = _model()

    def entity(obj: object, number: int, source_file: str) -> Record:
        return _entity(model, obj, number, source_file)

    return entity_records(lines, source_file, entity)


def _model() -> Any:
    try:
        from followthemoney import model
    except ImportError as error:
        raise LibraryMissingError(INSTALL) from error
    return model


def type_of(schema: Schema) -> EntityType | None:
    if schema.is_a("Person"):
        return EntityType.PERSON
    if schema.name == "Country":
        return EntityType.COUNTRY
    if schema.is_a("Organization") or schema.is_a("LegalEntity"):
        return EntityType.ORGANIZATION
    return None


def _entity(model: Any, obj: object, number: int, source_file: str) -> Record:
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        return BadRecord(source_file, number, "not an FtM entity: no `id`")
    schema = model.get(obj.get("schema")) if isinstance(obj.get("schema"), str) else None
    if schema is None:
        return BadRecord(source_file, number, f"schema {obj.get('schema')!r} is not in FtM's model")
    kind = type_of(schema)
    if kind is None:
        return BadRecord(
            source_file,
            number,
            f"schema {schema.name!r} is not imported (only people, organizations and"
            " other legal entities, and countries)",
        )
    given = obj.get("properties")
    proxy = _Properties(schema, given if isinstance(given, dict) else {}, obj["id"])
    names = list(dict.fromkeys([*_values(proxy, "name"), *_values(proxy, "alias")]))
    if not names:
        return BadRecord(source_file, number, f"{proxy.id!r} has no `name`")
    by_tag: dict[str, list[str]] = {}
    for name in names:
        by_tag.setdefault(script_tag(name), []).append(name)
    known = set(names)
    aliases = [
        {"text": t, "kind": "short_name", "context_only": True, "note": "FtM weakAlias"}
        for t in _values(proxy, "weakAlias")
        if t not in known
    ] + [
        {"text": t, "kind": "former_name"} for t in _values(proxy, "previousName") if t not in known
    ]
    external = {"ftm": proxy.id}
    wikidata = [q for q in _values(proxy, "wikidataId") if WIKIDATA_PATTERN.match(q)]
    if wikidata:
        external["wikidata"] = wikidata[0]
    countries = [c for c in _values(proxy, "country") if len(c) == 2 and c.isalpha()]
    entity: dict[str, object] = {
        "id": f"{ID_PREFIX[kind]}:{slug(proxy.id)}",
        "type": kind.value,
        "display_name": names[0],
        "names": by_tag,
        "external_ids": external,
    }
    if aliases:
        entity["aliases"] = _once(aliases)
    if countries and kind is not EntityType.COUNTRY:
        entity["related"] = list(dict.fromkeys(f"country:{c.lower()}" for c in countries))
    return number, entity


class _Properties:
    """An entity's properties as its schema defines them."""

    __slots__ = ("given", "id", "schema")

    def __init__(self, schema: Schema, given: dict[str, object], entity_id: str) -> None:
        self.schema, self.given, self.id = schema, given, entity_id


def _values(proxy: _Properties, prop: str) -> list[str]:
    """A property's values, stripped and each once; none where the schema lacks the property."""
    if prop not in proxy.schema.properties:
        return []
    values = proxy.given.get(prop)
    if not isinstance(values, list):
        return []
    return list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))


def _once(aliases: list[dict[str, object]]) -> list[dict[str, object]]:
    seen: set[object] = set()
    kept = []
    for alias in aliases:
        if alias["text"] not in seen:
            seen.add(alias["text"])
            kept.append(alias)
    return kept
