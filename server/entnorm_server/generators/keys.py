"""The exact tiers: aliases whose key of the original text (NFKC and case folded; then
punctuation and spaces folded too) equals the query's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Self

from entnorm_server.evidence import Evidence, Tier
from entnorm_server.generators.common import UNSCORED, explain, letters
from entnorm_server.generators.query import KEYS, PreparedQuery
from entnorm_server.resolution import Candidate, MatchKind
from entnorm_server.table import IndexedTable, TableForms, frozen


@dataclass(frozen=True)
class KeyIndex:
    """key name ("exact", "folded") -> key -> positions of the aliases that have it."""

    keys: Mapping[str, Mapping[str, tuple[int, ...]]]

    @classmethod
    def build(cls, table: TableForms) -> Self:
        keys: dict[str, dict[str, list[int]]] = {name: defaultdict(list) for name in KEYS}
        for position, item in enumerate(table.aliases):
            for name, key_of in KEYS.items():
                if key := key_of(item.alias.text):
                    keys[name][key].append(position)
        return cls(MappingProxyType({name: frozen(found) for name, found in keys.items()}))


@dataclass(frozen=True, slots=True)
class KeyTier:
    """Aliases whose key in one tier equals the original query's key there."""

    tier: str
    match_kind: MatchKind
    how: str

    def candidates(self, query: PreparedQuery, table: IndexedTable) -> Iterable[Candidate]:
        key = query.keys[self.tier]
        evidence = Evidence(Tier(self.tier), letters=letters(key), numbers_agree=True)
        for position in table.index(KeyIndex).keys[self.tier].get(key, ()):
            item = table.aliases[position]
            yield Candidate(
                item.entity,
                item.alias,
                UNSCORED,
                self.match_kind,
                (),
                explain(self.how, item),
                evidence,
            )


EXACT_TIERS: tuple[KeyTier, ...] = (
    KeyTier("exact", MatchKind.EXACT, "equal after Unicode NFKC and case folding"),
    KeyTier("folded", MatchKind.NORMALIZED, "equal after punctuation and space folding"),
)
