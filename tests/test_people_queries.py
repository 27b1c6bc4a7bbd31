"""Acceptance: hand-written multilingual queries for people, sent to a real server over loopback.

The cases live in tests/data/people_queries.yaml. A case with `xfail: <reason>` is expected to
fail today and is marked xfail(strict=True): once the feature lands and it passes, the run fails
until the mark is removed from the YAML.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from entnorm_client import EntnormClient, Query, Resolution

CASES_FILE = Path(__file__).resolve().parent / "data" / "people_queries.yaml"
EXPECTS = frozenset({"resolved", "ambiguous", "unresolved", "not_resolved"})
FIELDS = frozenset({"text", "language", "expect", "entity", "phenomenon", "note", "xfail"})
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Case:
    text: str
    language: str
    expect: str
    entity: str
    phenomenon: str
    note: str
    xfail: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.text, self.language)


def _load() -> list[Case]:
    data: Any = YAML(typ="safe").load(CASES_FILE.read_text("utf-8"))
    cases = []
    for raw in data["cases"]:
        unknown = set(raw) - FIELDS
        assert not unknown, f"{raw.get('text')!r}: unknown fields {sorted(unknown)}"
        cases.append(
            Case(
                text=str(raw["text"]),
                language=str(raw.get("language", "")),
                expect=str(raw["expect"]),
                entity=str(raw.get("entity", "")),
                phenomenon=str(raw.get("phenomenon", "")),
                note=str(raw.get("note", "")),
                xfail=str(raw.get("xfail", "")),
            )
        )
    return cases


CASES = _load()


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        label = f"{case.phenomenon}:{case.text}" + (f"@{case.language}" if case.language else "")
        params.append(pytest.param(case, marks=marks, id=label))
    return params


def test_cases_are_well_formed() -> None:
    assert len(CASES) >= 60
    assert len({c.key for c in CASES}) == len(CASES), "duplicate (text, language)"
    for case in CASES:
        assert case.expect in EXPECTS, case
        assert case.phenomenon, case
        assert case.note, case
        if case.expect == "resolved":
            assert case.entity.startswith("person:"), case
        if case.expect in ("unresolved", "not_resolved"):
            assert not case.entity, case
    expects = Counter(c.expect for c in CASES)
    assert expects["not_resolved"] >= 8, expects
    assert expects["ambiguous"] >= 4, expects
    assert any(c.language == "ar" for c in CASES)


def test_expected_entities_exist(server_target: str) -> None:
    ids = sorted({c.entity for c in CASES if c.entity})
    with EntnormClient(server_target) as client:
        entities = client.get_entities(ids)
    assert [e.id for e in entities] == ids


@pytest.fixture(scope="module")
def answers(server_target: str) -> dict[tuple[str, str], Resolution]:
    queries = [
        Query(text=c.text, language=c.language, max_candidates=MAX_CANDIDATES) for c in CASES
    ]
    with EntnormClient(server_target) as client:
        resolutions = client.resolve(queries)
    return {c.key: r for c, r in zip(CASES, resolutions, strict=True)}


@pytest.mark.parametrize("case", _params())
def test_people_query(answers: dict[tuple[str, str], Resolution], case: Case) -> None:
    answer = answers[case.key]
    ids = [c.entity_id for c in answer.candidates]
    seen = f"{answer.outcome} {ids}"
    if case.expect == "resolved":
        assert answer.outcome == "resolved", seen
        assert ids[0] == case.entity, seen
    elif case.expect == "ambiguous":
        assert answer.outcome == "ambiguous", seen
        if case.entity:
            assert case.entity in ids, seen
    elif case.expect == "unresolved":
        assert answer.outcome == "unresolved", seen
    else:
        assert answer.outcome != "resolved", seen
