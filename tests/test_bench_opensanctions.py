"""The OpenSanctions baseline of the evaluation suite (bench/suite/opensanctions.py): nomenklatura's
logic-v2 in its own virtualenv, run as a worker process.

Skipped unless that virtualenv exists (`bash bench/opensanctions_env.sh`): nomenklatura cannot be
installed into .venv, whose `icu` it would replace (see the module's docstring).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from entnorm_server.model import EntityType
from suite.opensanctions import (
    DEFAULT_THRESHOLD,
    OpenSanctionsMatcher,
    Ranking,
    entity_of,
    resolve,
    worker_python,
)
from suite.records import Name, Record

PUTIN = "person:vladimir-putin"
RECORDS = (
    Record(
        PUTIN,
        EntityType.PERSON,
        (
            Name("Vladimir Putin", "en"),
            Name("Владимир Владимирович Путин", "ru"),
            Name("Wladimir Wladimirowitsch Putin", "de"),
        ),
    ),
    Record(
        "person:angela-merkel",
        EntityType.PERSON,
        (Name("Angela Merkel", "de"), Name("Ангела Меркель", "ru")),
    ),
    Record(
        "org:united-nations",
        EntityType.ORGANIZATION,
        (
            Name("United Nations", "en"),
            Name("Organisation des Nations unies", "fr"),
            Name("UN", "en", "abbreviation"),
        ),
    ),
    Record("country:de", EntityType.COUNTRY, (Name("Germany", "en"), Name("Deutschland", "de"))),
    Record("place:berlin", EntityType.PLACE, (Name("Berlin"), Name("Берлин"), Name("베를린"))),
)


def test_records_become_ftm_entities() -> None:
    assert entity_of(RECORDS[0]) == {
        "id": PUTIN,
        "schema": "Person",
        "properties": {
            "name": ["Vladimir Putin"],
            "alias": ["Владимир Владимирович Путин", "Wladimir Wladimirowitsch Putin"],
        },
    }
    assert entity_of(RECORDS[2])["properties"]["abbreviation"] == ["UN"]
    assert entity_of(RECORDS[3])["schema"] == "LegalEntity"  # logic-v2 scores no Territory
    assert entity_of(RECORDS[4])["schema"] == "LegalEntity"  # nor an Address


def test_the_decision_rule() -> None:
    assert resolve([("a", 0.9), ("b", 0.85)], DEFAULT_THRESHOLD) == "a"  # no margin by default
    assert resolve([("a", 0.9), ("b", 0.85)], DEFAULT_THRESHOLD, margin=0.1) is None
    assert resolve([("a", 0.9), ("b", 0.9)], DEFAULT_THRESHOLD) is None  # a tie names no one
    assert resolve([("a", 0.69)], DEFAULT_THRESHOLD) is None
    assert resolve([("a", 0.7)], DEFAULT_THRESHOLD) == "a"
    assert resolve([], DEFAULT_THRESHOLD) is None


needs_worker = pytest.mark.skipif(
    worker_python() is None,
    reason="no nomenklatura virtualenv: run bash bench/opensanctions_env.sh",
)


@pytest.fixture(scope="module")
def matcher() -> Iterator[OpenSanctionsMatcher]:
    # One worker for the module: it takes some 10 s to start (imports, rigour's name tagger).
    with OpenSanctionsMatcher(RECORDS) as opened:
        yield opened
    with pytest.raises(RuntimeError, match="closed"):  # the worker ended with the matcher
        opened.match("Putin")


def top(ranking: Ranking) -> str | None:
    return resolve(ranking, DEFAULT_THRESHOLD)


@needs_worker
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Wladimir Putin", PUTIN),  # German spelling
        ("Путин Владимир", PUTIN),  # Cyrillic, family name first
        ("Vladimir Putn", PUTIN),  # a typo
        ("Angela Merkel", "person:angela-merkel"),
        ("United Nations", "org:united-nations"),
        ("UN", "org:united-nations"),  # an abbreviation, matched whole
        ("Deutschland", "country:de"),
        ("베를린", "place:berlin"),
    ],
)
def test_finds_the_right_record(matcher: OpenSanctionsMatcher, query: str, expected: str) -> None:
    ranking = matcher.match(query)
    assert top(ranking) == expected, ranking
    assert expected in matcher.candidates(query)


@needs_worker
def test_a_stranger_matches_no_one(matcher: OpenSanctionsMatcher) -> None:
    ranking = matcher.match("Joe Bloggs")
    assert all(score < DEFAULT_THRESHOLD for _, score in ranking), ranking
    assert top(ranking) is None


@needs_worker
def test_batches_rank_and_time_each_query(matcher: OpenSanctionsMatcher) -> None:
    rankings, times = matcher.match_batch(["Wladimir Putin", "Joe Bloggs", ""])
    assert [top(r) for r in rankings] == [PUTIN, None, None]
    assert len(times) == 3
    assert all(t > 0 for t in times)
    assert rankings[0] == sorted(rankings[0], key=lambda item: -item[1])
    assert all(0.0 < score <= 1.0 for ranking in rankings for _, score in ranking)
    assert matcher.versions["nomenklatura"]
    assert matcher.default_threshold == DEFAULT_THRESHOLD == 0.7
