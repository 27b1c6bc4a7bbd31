"""Wikidata entities (one JSON entity per line, as the dumps are) as a layer.

Labels and aliases by language are names (Wikidata's language codes made BCP-47 by
data/importers/wikidata.yaml and langcodes); the first class an item is an instance of (P31)
that the data file knows gives its type; items of no known class are skipped, named at their
line. A country's id comes from its ISO 3166-1 code (P297: country:ua), so that curated tables
and the base layer meet it; others are `<prefix>:q<number>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache

import langcodes
from pydantic import BaseModel, ConfigDict

from entnorm_server import data_files
from entnorm_server.importing.layers import BadRecord, Record, entity_records
from entnorm_server.model import ID_PREFIX, EntityType


class WikidataRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    types: Mapping[EntityType, tuple[str, ...]]
    languages: Mapping[str, str]
    external_ids: Mapping[str, str]


@cache
def rules() -> WikidataRules:
    return data_files.load("importers/wikidata.yaml", WikidataRules)


@cache
def _type_of_class() -> dict[str, EntityType]:
    return {q: kind for kind, classes in rules().types.items() for q in classes}


def records(lines: Iterable[bytes], source_file: str) -> Iterator[Record]:
    return entity_records(lines, source_file, _entity)


def _entity(obj: object, number: int, source_file: str) -> Record:
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        return BadRecord(source_file, number, "not a Wikidata entity: no `id`")
    qid: str = obj["id"]
    claims = obj.get("claims") if isinstance(obj.get("claims"), dict) else {}
    assert isinstance(claims, dict)
    classes = _claim_ids(claims, "P31")
    kind = next((_type_of_class()[c] for c in classes if c in _type_of_class()), None)
    if kind is None:
        shown = ", ".join(classes[:5]) or "none"
        return BadRecord(
            source_file, number, f"{qid}: instance of {shown}: no type entnorm imports"
        )
    names: dict[str, list[str]] = {}
    for field in ("labels", "aliases"):
        for code, values in _by_language(obj.get(field)):
            tag = language_tag(code)
            if tag:
                for text in values:
                    if text not in names.setdefault(tag, []):
                        names[tag].append(text)
    if not names:
        return BadRecord(source_file, number, f"{qid}: no label in a language entnorm can tag")
    external = {"wikidata": qid}
    for prop, scheme in rules().external_ids.items():
        value = _claim_string(claims, prop)
        if value:
            external[scheme] = value
    iso = external.get("iso3166-1", "")
    own = f"country:{iso.lower()}" if kind is EntityType.COUNTRY and len(iso) == 2 else None
    display = next(iter(names.get("en", []) or next(iter(names.values()))))
    return number, {
        "id": own or f"{ID_PREFIX[kind]}:{qid.lower()}",
        "type": kind.value,
        "display_name": display,
        "names": names,
        "external_ids": external,
    }


@cache
def language_tag(code: str) -> str:
    """Wikidata's language code as a canonical BCP-47 tag, or "" if it has none."""
    code = rules().languages.get(code, code)
    try:
        tag = langcodes.standardize_tag(code)
    except ValueError:
        return ""
    return tag if langcodes.tag_is_valid(tag) else ""


def _by_language(field: object) -> Iterator[tuple[str, list[str]]]:
    if not isinstance(field, dict):
        return
    for code, value in field.items():
        items = value if isinstance(value, list) else [value]
        texts = [
            i["value"].strip()
            for i in items
            if isinstance(i, dict) and isinstance(i.get("value"), str) and i["value"].strip()
        ]
        if texts:
            yield code, texts


def _mainsnak_values(claims: dict[str, object], prop: str) -> list[object]:
    found = claims.get(prop)
    values = []
    for claim in found if isinstance(found, list) else []:
        snak = claim.get("mainsnak") if isinstance(claim, dict) else None
        datavalue = snak.get("datavalue") if isinstance(snak, dict) else None
        if isinstance(datavalue, dict) and "value" in datavalue:
            values.append(datavalue["value"])
    return values


def _claim_ids(claims: dict[str, object], prop: str) -> list[str]:
    return [
        v["id"]
        for v in _mainsnak_values(claims, prop)
        if isinstance(v, dict) and isinstance(v.get("id"), str)
    ]


def _claim_string(claims: dict[str, object], prop: str) -> str:
    strings = [v for v in _mainsnak_values(claims, prop) if isinstance(v, str)]
    return strings[0] if strings else ""
