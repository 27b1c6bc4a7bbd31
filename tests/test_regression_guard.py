"""The engine, not its curation: the seed gold and the people queries with every curated
misrendering and mistranslation taken out of the default tables.

Curated misrenderings answer their own text exactly, so with them in, the seed article tests
only a lookup. Taken out, each mention must still be answered as the gold says, unless it is
listed below with the reason no rule can reach it; a listed case that starts passing fails the
run, so the list only shrinks.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import DEFAULT_ALIASES
from test_people_queries import CASES, Case
from test_seed_gold import MENTIONS, Mention

from entnorm_server.loading import load_directory
from entnorm_server.model import AliasKind, AliasTables
from entnorm_server.resolution import Outcome, Query, Resolution
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot, compile_snapshot

CURATED = frozenset({AliasKind.MISRENDERING, AliasKind.MISTRANSLATION})
# Text -> why only curation can answer it.
NEEDS_CURATION = {
    "Black Intelligence": (
        "a mistranslation: the 乌 of 乌克兰 (Ukraine) read as 'black'; no rule translates back"
    ),
    "Shen Yuanxi": (
        "two edits (x for sh) from Shen Yuanshi, the Mandarin reading of 申源湜, Shin Won-sik's"
        " Hanja name: the engine offers him as the only candidate, but two edits do not decide"
    ),
    "Kim Tae-hyung": (
        "the correct name of other people, garbled from Kim Tae-hyo only in this article: that it"
        " is him here is the editor's knowledge of the article, not a spelling rule"
    ),
}


@pytest.fixture(scope="module")
def uncurated() -> Snapshot:
    tables = load_directory(DEFAULT_ALIASES)
    entities = tuple(
        replace(e, aliases=tuple(a for a in e.aliases if a.kind not in CURATED))
        for e in tables.entities
    )
    removed = sum(len(e.aliases) for e in tables.entities) - sum(len(e.aliases) for e in entities)
    assert removed >= 3, "the default tables curate misrenderings; the guard needs them out"
    return compile_snapshot(AliasTables(entities, tables.source_files, tables.root))


def _resolve(snapshot: Snapshot, text: str, language: str = "") -> Resolution:
    return Resolver().resolve(snapshot, Query(text, language=language, max_candidates=10))


def _gold_holds(answer: Resolution, mention: Mention) -> bool:
    ids = [c.entity.id for c in answer.candidates]
    if mention.context_only:
        return answer.outcome is Outcome.AMBIGUOUS and mention.entity in ids
    return answer.outcome is Outcome.RESOLVED and ids[0] == mention.entity


def _first_mentions() -> list[Mention]:
    """Each distinct text of the gold, at its first mention."""
    return sorted({m.text: m for m in reversed(MENTIONS)}.values(), key=lambda m: m.start)


@pytest.mark.parametrize("mention", _first_mentions(), ids=lambda m: m.text)
def test_seed_mention_without_curated_misrenderings(uncurated: Snapshot, mention: Mention) -> None:
    answer = _resolve(uncurated, mention.text)
    seen = f"{answer.outcome} {[c.entity.id for c in answer.candidates][:3]}"
    if mention.text in NEEDS_CURATION:
        assert not _gold_holds(answer, mention), f"now reached without curation: {seen}"
    else:
        assert _gold_holds(answer, mention), seen


def _case_holds(answer: Resolution, case: Case) -> bool:
    ids = [c.entity.id for c in answer.candidates]
    if case.expect == "resolved":
        return answer.outcome is Outcome.RESOLVED and ids[0] == case.entity
    if case.expect == "ambiguous":
        return answer.outcome is Outcome.AMBIGUOUS and (not case.entity or case.entity in ids)
    if case.expect == "unresolved":
        return answer.outcome is Outcome.UNRESOLVED
    return answer.outcome is not Outcome.RESOLVED


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if not c.xfail],
    ids=lambda c: f"{c.phenomenon}:{c.text}" + (f"@{c.language}" if c.language else ""),
)
def test_people_query_without_curated_misrenderings(uncurated: Snapshot, case: Case) -> None:
    answer = _resolve(uncurated, case.text, case.language)
    seen = f"{answer.outcome} {[c.entity.id for c in answer.candidates][:3]}"
    if case.text in NEEDS_CURATION:
        assert not _case_holds(answer, case), f"now reached without curation: {seen}"
    else:
        assert _case_holds(answer, case), seen
