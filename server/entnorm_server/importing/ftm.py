"""FollowTheMoney entities (the JSON lines OpenSanctions publishes) as a layer.

One entity per line: `{"id", "schema", "properties": {"name": [...], ...}}`. Read here by hand,
not with the `followthemoney` library: every release of it needs the `pyicu` distribution,
which pip builds from source into the same `icu` package as our ICU wheels, replacing them (see
docs/data.md). What is read:

- `schema`: Person is a person; Organization, Company, LegalEntity and PublicBody are
  organizations; Country is a country. Other schemata are skipped, each named at its line.
- `name` and `alias` are names; `weakAlias` is a short name marked context-only (FtM's own
  meaning: too weak to match alone); `previousName` a former name. FtM names carry no language:
  each is tagged `und` with its script (`und-Cyrl`).
- `wikidataId` and the FtM id are external ids; `country` (ISO 3166-1 alpha-2) a related country.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from entnorm_server.importing.layers import BadRecord, Record, entity_records, script_tag, slug
from entnorm_server.model import ID_PREFIX, EntityType
from entnorm_server.schema import WIKIDATA_PATTERN

SCHEMATA = {
    "Person": EntityType.PERSON,
    "Organization": EntityType.ORGANIZATION,
    "Company": EntityType.ORGANIZATION,
    "LegalEntity": EntityType.ORGANIZATION,
    "PublicBody": EntityType.ORGANIZATION,
    "Country": EntityType.COUNTRY,
}


def records(lines: Iterable[bytes], source_file: str) -> Iterator[Record]:
    return entity_records(lines, source_file, _entity)


def _entity(obj: object, number: int, source_file: str) -> Record:
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        return BadRecord(source_file, number, "not an FtM entity: no `id`")
    schema = obj.get("schema")
    kind = SCHEMATA.get(schema) if isinstance(schema, str) else None
    if kind is None:
        imported = ", ".join(SCHEMATA)
        return BadRecord(
            source_file, number, f"schema {schema!r} is not imported (only {imported})"
        )
    properties = obj.get("properties")
    props = properties if isinstance(properties, dict) else {}
    names = list(dict.fromkeys(_values(props, "name") + _values(props, "alias")))
    if not names:
        return BadRecord(source_file, number, f"{obj['id']!r} has no `name`")
    by_tag: dict[str, list[str]] = {}
    for name in names:
        by_tag.setdefault(script_tag(name), []).append(name)
    known = set(names)
    aliases = [
        {"text": t, "kind": "short_name", "context_only": True, "note": "FtM weakAlias"}
        for t in _values(props, "weakAlias")
        if t not in known
    ] + [
        {"text": t, "kind": "former_name"} for t in _values(props, "previousName") if t not in known
    ]
    external = {"ftm": obj["id"]}
    wikidata = [q for q in _values(props, "wikidataId") if WIKIDATA_PATTERN.match(q)]
    if wikidata:
        external["wikidata"] = wikidata[0]
    countries = [c.lower() for c in _values(props, "country") if len(c) == 2 and c.isalpha()]
    entity: dict[str, object] = {
        "id": f"{ID_PREFIX[kind]}:{slug(obj['id'])}",
        "type": kind.value,
        "display_name": names[0],
        "names": by_tag,
        "external_ids": external,
    }
    if aliases:
        entity["aliases"] = _once(aliases)
    if countries and kind is not EntityType.COUNTRY:
        entity["related"] = list(dict.fromkeys(f"country:{c}" for c in countries))
    return number, entity


def _values(props: dict[str, object], key: str) -> list[str]:
    values = props.get(key)
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
