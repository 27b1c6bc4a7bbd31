"""Properties of the resolver over the default tables: every Unicode string is a valid query,
whose answer (resolved, ambiguous or, most often, unresolved) is the same each time it is asked."""

from __future__ import annotations

import unicodedata
from functools import cache

import pytest
from conftest import DEFAULT_ALIASES
from hypothesis import event, example, given
from hypothesis import strategies as st
from strategies import edited, languages, texts

from entnorm_server.loading import load_directory
from entnorm_server.model import EntityType
from entnorm_server.resolution import Outcome, Query, Resolution
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot, load_snapshot


@cache
def _table_names() -> list[str]:
    return sorted({a.text for e in load_directory(DEFAULT_ALIASES).entities for a in e.aliases})


# Names of the tables, edited: they reach the candidates, rankings and decisions that random
# text (nearly always unresolved) never does. Deferred: the tables load on first draw.
near_names = st.deferred(lambda: edited(st.sampled_from(_table_names())))
queries = st.builds(
    Query,
    text=st.one_of(texts, near_names),
    language=languages,
    types=st.frozensets(st.sampled_from(list(EntityType))),
    max_candidates=st.integers(min_value=1, max_value=50),
)


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    # Module-wide: hypothesis runs each test many times within one fixture's life.
    return load_snapshot(DEFAULT_ALIASES)


def _answer(resolution: Resolution) -> tuple[object, ...]:
    return (
        resolution.outcome,
        resolution.normalized_text,
        tuple(
            (c.entity.id, c.score, c.match_kind, c.route, c.alias, c.explanation)
            for c in resolution.candidates
        ),
    )


@given(queries)
@example(Query("않하"))  # ㄶ before ㅎ: korean-romanizer had no reading for it
def test_every_text_is_answered(snapshot: Snapshot, query: Query) -> None:
    resolution = Resolver().resolve(snapshot, query)
    candidates = resolution.candidates
    event(f"outcome: {resolution.outcome}")  # shown by --hypothesis-show-statistics
    assert resolution.outcome in (Outcome.RESOLVED, Outcome.AMBIGUOUS, Outcome.UNRESOLVED)
    assert (resolution.outcome is Outcome.UNRESOLVED) == (not candidates)
    assert len(candidates) <= query.max_candidates
    assert len({c.entity.id for c in candidates}) == len(candidates)
    assert all(0.0 <= c.score <= 1.0 for c in candidates)
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    assert all(c.entity.type in query.types for c in candidates) or not query.types


@given(queries)
def test_the_same_query_gets_the_same_answer(snapshot: Snapshot, query: Query) -> None:
    resolver = Resolver()
    first = resolver.resolve(snapshot, query)
    assert _answer(resolver.resolve(snapshot, query)) == _answer(first)
    assert _answer(Resolver().resolve(snapshot, query)) == _answer(first)


def test_a_decomposed_query_gets_the_composed_ones_answer(snapshot: Snapshot) -> None:
    # Before romanize() composed its text, decomposed Hangul got no romanization at all.
    composed = "김정운"  # a misspelling of 김정은
    decomposed = unicodedata.normalize("NFD", composed)
    resolver = Resolver()
    composed_answer = _answer(resolver.resolve(snapshot, Query(composed)))
    assert _answer(resolver.resolve(snapshot, Query(decomposed))) == composed_answer
