"""What every generator shares: the protocol, the route of a match, and the facts of an alias
that several kinds of evidence need."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Protocol

from entnorm_server import routes
from entnorm_server.evidence import Evidence
from entnorm_server.generators.query import PreparedQuery, QueryForm
from entnorm_server.resolution import Candidate
from entnorm_server.routes import Step
from entnorm_server.scripts import script_of, scripts_where
from entnorm_server.table import IndexedAlias, IndexedTable, Posting
from entnorm_server.variants import NAME_PART, Form

# Generators find and describe; they never score. What each match is worth (how many letters,
# which guesses on the way, which edits) is the scorer's to weigh (scorer.py, features.py).
UNSCORED = 0.0
# Scripts whose vowels the abjad reader reads (Arabic, Hebrew): unidecode leaves them out.
ABJADS = scripts_where(vowel_reader="abjad")


class CandidateGenerator(Protocol):
    """Finds candidates for a query in the table's indexes (its own, built at compile time), and
    says how, as evidence."""

    def candidates(self, query: PreparedQuery, table: IndexedTable) -> Iterable[Candidate]: ...


def route_of(query: Form, table: IndexedTable, posting: Posting) -> tuple[Step, ...]:
    """Both sides' steps: how the query and the table name each reached the shared key."""
    item = table.aliases[posting[0]]
    query_side, alias_side = routes.Side.QUERY, routes.Side.ALIAS
    steps = [routes.on(step, query_side) for step in query.route]
    if not query.text.isascii() and not any(map(routes.transliterates, query.route)):
        steps.append(routes.on(_unidecode_step(query.text, script_of(query.text)), query_side))
    table_route = table.routes[posting[1]]
    steps += [routes.on(step, alias_side) for step in table_route]
    if not item.alias.text.isascii() and not any(map(routes.transliterates, table_route)):
        step = _unidecode_step(item.alias.text, item.script, item.alias.language)
        steps.append(routes.on(step, alias_side))
    return tuple(steps)


def _unidecode_step(text: str, script: str, language: str = "") -> Step:
    if script == "Latn":
        return routes.DIACRITICS_FOLDED
    step = routes.unidecoded(script, vowels_dropped=script in ABJADS)
    return replace(step, language=language) if language else step


def reachable(
    qf: QueryForm, postings: Iterable[Posting], table: IndexedTable
) -> Iterator[tuple[Posting, IndexedAlias]]:
    """The aliases behind postings whose entity's type this query form may name."""
    for posting in postings:
        item = table.aliases[posting[0]]
        if qf.types is None or item.entity.type in qf.types:
            yield posting, item


def letters(key: str) -> int:
    return len(key.replace(" ", ""))


def own_script_missed(query: PreparedQuery, item: IndexedAlias, table: IndexedTable) -> bool:
    """Whether the alias is in another script than the query, though the entity has names in
    the query's script: those, the query did not meet as well."""
    return item.script != query.script and query.script in table.scripts_of[item.entity.id]


def numbers_agree(query: PreparedQuery, qf: QueryForm, item: IndexedAlias) -> bool:
    carried = query.numbers if qf.numbers is None else qf.numbers
    return carried == item.numbers


def explain(
    how: str, item: IndexedAlias, route: tuple[Step, ...] = (), evidence: Evidence | None = None
) -> str:
    """How the query met the alias, in one sentence; the alias entry itself (kind, source, file
    and line) travels beside it as structured data."""
    if evidence is not None and not evidence.numbers_agree:
        # A rival, never the answer (resolver.needs_context): say why.
        how = f"{how}, but the numbers differ"
    alias = item.alias
    lang = f" [{alias.language}]" if alias.language else ""
    kind = alias.kind.value.replace("_", " ")
    text = f"{how}: the {kind} {alias.text!r}{lang}"
    if alias.context_only:
        text += "; this alias also names others, so only context can settle it"
    elif routes.qualifier_dropped(route):
        text += (
            "; met without the qualifier that tells it from namesakes: only context can settle it"
        )
    elif evidence is not None and evidence.family == NAME_PART.name:
        text += "; one part of a name alone: only context can settle it"
    elif evidence is not None and evidence.edits is not None and evidence.edits.part_changed:
        text += "; a quarter of one part of the name differs: another name as often as a slip"
    return text
