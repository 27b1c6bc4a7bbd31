"""Candidate generators: each turns a prepared query into candidates from a snapshot's indexes.

The resolver runs every generator and keeps each entity's best candidate, so a generator only
says what it found and how; it never decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from entnorm_server.model import Alias, AliasKind
from entnorm_server.normalize import script_of
from entnorm_server.resolution import Candidate, MatchKind, Query
from entnorm_server.snapshot import TIERS, IndexedAlias, Snapshot


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    query: Query
    keys: Mapping[str, str]  # tier name -> the query's key in that tier

    @classmethod
    def of(cls, query: Query) -> PreparedQuery:
        return cls(query, {tier: key_of(query.text) for tier, key_of in TIERS.items()})


class CandidateGenerator(Protocol):
    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]: ...


@dataclass(frozen=True, slots=True)
class KeyTier:
    """Aliases whose key in one index tier equals the query's key there."""

    tier: str
    match_kind: MatchKind
    score: float
    how: str

    def candidates(self, query: PreparedQuery, snapshot: Snapshot) -> Iterable[Candidate]:
        key = query.keys[self.tier]
        for item in snapshot.lookup(self.tier, key):
            yield Candidate(
                item.entity,
                item.alias,
                self.score,
                self.match_kind,
                self._route(query.query.text, item.alias),
                explain(self.how, item),
            )

    def _route(self, text: str, alias: Alias) -> tuple[str, ...]:
        if self.match_kind is not MatchKind.TRANSLITERATED:
            return ()
        steps = []
        for side, value, tag in (("query", text, ""), ("alias", alias.text, alias.language)):
            if not value.isascii():
                label = f"{tag} " if tag else ""
                steps.append(f"{side} {label}{script_of(value)} → Latn (unidecode)")
        return tuple(steps)


EXACT_TIERS: tuple[KeyTier, ...] = (
    KeyTier("exact", MatchKind.EXACT, 1.0, "equal after Unicode NFKC and case folding"),
    KeyTier("folded", MatchKind.NORMALIZED, 0.97, "equal after punctuation and space folding"),
    KeyTier("ascii", MatchKind.TRANSLITERATED, 0.92, "equal after transliteration to ASCII"),
)

_KIND_LABEL = {kind: kind.value.replace("_", " ") for kind in AliasKind}


def explain(how: str, item: IndexedAlias) -> str:
    alias, entity = item.alias, item.entity
    lang = f" [{alias.language}]" if alias.language else ""
    where = f" ({alias.location})" if alias.location else ""
    text = f"{how} to the {_KIND_LABEL[alias.kind]} {alias.text!r}{lang} of {entity.display_name}"
    text += where
    if alias.context_only:
        text += "; this alias also names others, so only context can settle it"
    return text
