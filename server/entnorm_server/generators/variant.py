"""The variant tiers: aliases sharing a key with the query in a variant family (transliteration,
token order, romanization skeletons, initials, consonants), over every form of the query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Self

from entnorm_server import routes
from entnorm_server.evidence import Evidence, Tier
from entnorm_server.generators.common import (
    ABJADS,
    UNSCORED,
    explain,
    letters,
    numbers_agree,
    own_script_missed,
    reachable,
    route_of,
)
from entnorm_server.generators.query import KEYS, PreparedQuery, QueryForm
from entnorm_server.qualifiers import split_qualifier
from entnorm_server.resolution import Candidate
from entnorm_server.routes import Step
from entnorm_server.scripts import script_of, scripts_where
from entnorm_server.table import IndexedAlias, IndexedTable, Posting, TableForms, frozen
from entnorm_server.translit import SKELETONS, abjad_vowels, abugida_vowels
from entnorm_server.variants import Family, query_keys, skeleton_letters, table_keys

VOWELS_UNWRITTEN = scripts_where(vowels="unwritten")


@dataclass(frozen=True)
class VariantIndex:
    """family -> key -> postings, for the families of `variants.FAMILIES`; one posting per
    alias and key."""

    families: Mapping[str, Mapping[str, tuple[Posting, ...]]]

    @classmethod
    def build(cls, table: TableForms) -> Self:
        found: dict[str, dict[str, list[Posting]]] = defaultdict(lambda: defaultdict(list))
        for entry in table.forms:
            item = entry.item
            for family, key in table_keys(entry.form, item.entity.type, item.alias.language):
                postings = found[family.name][key]
                if not postings or postings[-1][0] != entry.posting[0]:
                    postings.append(entry.posting)
        return cls(MappingProxyType({name: frozen(keys) for name, keys in found.items()}))


class VariantTiers:
    """Aliases sharing a key with the query in a variant family, over every form of the query."""

    def candidates(self, query: PreparedQuery, table: IndexedTable) -> Iterable[Candidate]:
        families = table.index(VariantIndex).families
        query_unwritten = query.script in VOWELS_UNWRITTEN
        for qf in query.forms:
            # Families come strictest first. A name met by a strict key is met by every coarser
            # one too ("Kyrylo Budanov" equal is also equal with its tokens sorted): the coarser
            # match is the same evidence blurred, not more of it, whichever of the name's
            # romanizations it came through.
            met: set[int] = set()
            for family, key in query_keys(qf.form):
                postings = families.get(family.name, {}).get(key, ())
                this_family = set()
                for posting, item in reachable(qf, postings, table):
                    # Consonants alone are evidence only where one side never wrote vowels.
                    if posting[0] in met or (
                        family.name == "cons"
                        and not (query_unwritten or item.script in VOWELS_UNWRITTEN)
                    ):
                        continue
                    this_family.add(posting[0])
                    yield _candidate(query, qf, family, key, item, table, posting)
                met |= this_family


def _candidate(
    query: PreparedQuery,
    qf: QueryForm,
    family: Family,
    key: str,
    item: IndexedAlias,
    table: IndexedTable,
    posting: Posting,
) -> Candidate:
    route = route_of(qf.form, table, posting)
    how = family.how
    vowels = consonants = 0
    if family.name == "cons":
        vowels, consonants = _vowels_agreed(query, qf, item, table.routes[posting[1]])
    if vowels:
        agree = "vowel it writes agrees" if vowels == 1 else f"{vowels} vowels it writes agree"
        how = f"{how}, and the {agree}"
    if family.name == "ascii" and routes.accents_only(route):
        how = "equal without diacritics"
    elif family.name == "ascii" and routes.spelled_out(route):
        how = "equal to the name spelled out letter by letter"
    count = letters(qf.form.ascii)
    if family.name in SKELETONS:
        count = min(count, skeleton_letters(key))
    evidence = Evidence(
        Tier.VARIANT,
        family.name,
        count,
        vowels=vowels,
        consonants=consonants,
        numbers_agree=numbers_agree(query, qf, item),
        own_script_missed=own_script_missed(query, item, table),
        written_equal=_written_equal(qf, item),
    )
    return Candidate(
        item.entity,
        item.alias,
        UNSCORED,
        family.match_kind,
        route,
        explain(how, item, route, evidence),
        evidence,
    )


def _written_equal(qf: QueryForm, item: IndexedAlias) -> str:
    """Whether what a form kept of the query (less a title, say) is the alias as written: then
    the match is as good as the exact tiers' on that text, whatever the form's romanization."""
    if qf.source is None:
        return ""  # the query itself: the exact tiers have it
    for name, key_of in KEYS.items():
        if key_of(qf.source) == key_of(item.alias.text):
            return name
    return ""


def _vowels_agreed(
    query: PreparedQuery, qf: QueryForm, item: IndexedAlias, table_route: tuple[Step, ...]
) -> tuple[int, int]:
    """(vowels, consonants) of an abjad or Indic name's written vowels that agree with a Latin
    name met by its consonants, one the query and one the table name; else (0, 0). Whatever form
    met the consonants (a Hebrew query meets them through its readings: letter for letter, vav is
    v), the vowels are read from the names as written, less the qualifier that form dropped."""
    text = _less_qualifier(query.query.text, qf.form.route)
    alias = _less_qualifier(item.alias.text, table_route)
    scripts = (script_of(text), item.script)
    if scripts[0] == "Latn" and (reader := _VOWEL_READERS.get(scripts[1])):
        return reader(alias, text)
    if scripts[1] == "Latn" and (reader := _VOWEL_READERS.get(scripts[0])):
        return reader(text, alias)
    return 0, 0


_VOWEL_READERS = {
    **{script: abjad_vowels.written_vowels_agree for script in ABJADS},
    **{script: abugida_vowels.written_vowels_agree for script in abugida_vowels.SCRIPTS},
}


def _less_qualifier(text: str, route: tuple[Step, ...]) -> str:
    return (split_qualifier(text) or (text, ""))[0] if routes.qualifier_dropped(route) else text
