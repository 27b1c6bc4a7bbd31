"""The Cyrillic transcription tier: a Latin query looked up among the Cyrillic names of entities
the table knows in no Latin name, by how each source language's spelling is written in Cyrillic
(translit/cyrillic_transcription.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Self

from entnorm_server import routes
from entnorm_server.evidence import Evidence, Tier
from entnorm_server.generators.common import UNSCORED, explain, letters, numbers_agree
from entnorm_server.generators.query import PreparedQuery
from entnorm_server.resolution import Candidate, MatchKind
from entnorm_server.scripts import script_of
from entnorm_server.table import IndexedTable, TableForms, frozen
from entnorm_server.translit import cyrillic_transcription


@dataclass(frozen=True)
class CyrillicSoundIndex:
    """A Cyrillic name's sound key -> positions of the aliases that have it, of entities with no
    Latin name (the others are met by their Latin names)."""

    sounds: Mapping[str, tuple[int, ...]]

    @classmethod
    def build(cls, table: TableForms) -> Self:
        found: dict[str, list[int]] = defaultdict(list)
        for position, item in enumerate(table.aliases):
            if item.script != "Cyrl" or "Latn" in table.scripts_of[item.entity.id]:
                continue
            if sound := cyrillic_transcription.indexed(item.alias.text):
                found[sound].append(position)
        return cls(frozen(found))


class CyrillicTranscriptionTier:
    """A Latin query as each language's spelling is written in Cyrillic."""

    def candidates(self, query: PreparedQuery, table: IndexedTable) -> Iterable[Candidate]:
        sounds = table.index(CyrillicSoundIndex).sounds
        if not sounds or script_of(query.query.text) != "Latn":
            return  # reading the query costs ~0.1 ms: not for a table with no such entity
        for key, language in cyrillic_transcription.of_latin(query.query.text).items():
            for position in sounds.get(key, ()):
                item = table.aliases[position]
                how = f"read {routes.read_as(language)}, as Cyrillic writes it ({key!r})"
                # The key has no digits: "Torino 03" is Торино's key too, so numbers are evidence.
                evidence = Evidence(
                    Tier.CYRILLIC_TRANSCRIPTION,
                    letters=letters(key),
                    numbers_agree=numbers_agree(query, query.forms[0], item),
                )
                yield Candidate(
                    item.entity,
                    item.alias,
                    UNSCORED,
                    MatchKind.TRANSLITERATED,
                    (routes.on(routes.as_cyrillic_writes(language), routes.Side.QUERY),),
                    explain(how, item, (), evidence),
                    evidence,
                )
