"""Kana, as it writes and hears Latin names: l and r alike (ラ行), m and n alike before b or p
(ン), and consonants in classes. The kana tier looks a kana query's long consonant skeletons up
among the table's Latin names; the fuzzy tier uses the same facts for near matches."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Self

from entnorm_server import routes
from entnorm_server.evidence import Evidence, Tier
from entnorm_server.generators.common import UNSCORED, explain
from entnorm_server.generators.query import PreparedQuery
from entnorm_server.resolution import Candidate, MatchKind
from entnorm_server.routes import Step
from entnorm_server.scripts import profile_of, script_of
from entnorm_server.table import IndexedAlias, IndexedTable, TableForms, frozen
from entnorm_server.translit import kana_consonants

KANA = frozenset(profile_of("Kana").scripts)
NOTHING_HEARD: Mapping[str, Step] = MappingProxyType({})
_M_BEFORE_LIPS = re.compile(r"m(?=[bp])")


@dataclass(frozen=True)
class KanaSkeletonIndex:
    """A consonant skeleton as kana hears it -> positions of the Latin aliases that keep it."""

    skeletons: Mapping[str, tuple[int, ...]]

    @classmethod
    def build(cls, table: TableForms) -> Self:
        found: dict[str, list[int]] = defaultdict(list)
        for position, item in enumerate(table.aliases):
            if item.script == "Latn":
                for skeleton in kana_consonants.indexed(item.alias.text):
                    found[skeleton].append(position)
        return cls(frozen(found))


class KanaConsonantsTier:
    """A kana query's long consonant skeletons looked up among the table's Latin names: names
    too far apart in letters for the fuzzy tier, but the same consonants as kana hears them."""

    def candidates(self, query: PreparedQuery, table: IndexedTable) -> Iterable[Candidate]:
        if script_of(query.query.text) not in KANA:
            return
        skeletons = table.index(KanaSkeletonIndex).skeletons
        for skeleton, route in kana_consonants.of_kana(query.query.text).items():
            if len(skeleton) < kana_consonants.INDEXED:
                continue
            for position in skeletons.get(skeleton, ()):
                item = table.aliases[position]
                if has_kana_name(item, table):
                    continue
                how = f"the consonant classes {'-'.join(skeleton)} as kana hears them"
                evidence = Evidence(
                    Tier.KANA_CONSONANTS, letters=len(skeleton), consonants_kept="-".join(skeleton)
                )
                yield Candidate(
                    item.entity,
                    item.alias,
                    UNSCORED,
                    MatchKind.FUZZY,
                    (routes.on(route, routes.Side.QUERY),),
                    explain(how, item),
                    evidence,
                )


def as_kana_writes(key: str) -> str:
    """Letters kana writes alike made one: l and r (ラ行), and m and n before b or p (ン)."""
    return _M_BEFORE_LIPS.sub("n", key.replace("l", "r"))


def kana_writes_alike(kana_key: str, target: str) -> bool:
    """Whether `target` is the kana-read key as kana writes it, tokens joined or not (kana seldom
    marks where a foreign name's words part)."""
    return as_kana_writes(target).replace(" ", "") == kana_key.replace(" ", "")


def has_kana_name(item: IndexedAlias, table: IndexedTable) -> bool:
    """A kana query meets such an entity through its kana name, not by consonants."""
    return bool(table.scripts_of[item.entity.id] & KANA)


def consonants_kept(heard: Mapping[str, Step], item: IndexedAlias, table: IndexedTable) -> str:
    """The consonant classes a kana query keeps of a Latin alias ("b-s-b-n"); "" for an entity
    with a kana name."""
    if not heard or item.script != "Latn" or has_kana_name(item, table):
        return ""
    return kana_consonants.kept(heard, item.alias.text)
