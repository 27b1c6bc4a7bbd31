"""The one scorer: evidence to a probability, read from a versioned data file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import DEFAULT_ALIASES
from hypothesis import given
from hypothesis import strategies as st

from entnorm_server.features import features
from entnorm_server.generators import GENERATORS
from entnorm_server.resolution import Candidate, MatchKind, Outcome, Query
from entnorm_server.resolver import Resolver
from entnorm_server.scorer import Scorer, ScorerFileError, shipped
from entnorm_server.snapshot import Snapshot, load_snapshot

QUERIES = (
    "Shin Won-sik",
    "Shen Yuanxi",
    "Kim Tae-hyung",
    "Vladmir Putin",
    "Путин",
    "Kim Jung Un",
    "Zelenskky",
    "Black Intelligence",
    "Russia's",
    "Budanov",
    "NSC",
    "김태효",
)


_DEFAULT = load_snapshot(DEFAULT_ALIASES)


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return _DEFAULT


def test_the_shipped_scorer_is_versioned_and_decides_by_its_own_threshold() -> None:
    scorer = shipped()
    fitted, _, digest = scorer.version.partition("+")
    assert fitted
    assert len(digest) == 8
    assert 0.5 < scorer.threshold <= 1.0
    assert 0.0 <= scorer.margin < 0.5
    policy = Resolver().policy
    assert (policy.threshold, policy.margin) == (scorer.threshold, scorer.margin)


def test_a_score_is_the_logistic_of_its_terms(snapshot: Snapshot) -> None:
    scorer = shipped()
    resolution = Resolver().resolve(snapshot, Query("Vladmir Putin"))
    top = resolution.candidates[0]
    assert top.terms, "a scored candidate says what made its score"
    z = scorer.bias + sum(t.value * t.weight for t in top.terms)
    assert top.score == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-6)
    assert {t.feature for t in top.terms} <= set(features(top))
    effects = [abs(t.contribution) for t in top.terms]
    assert effects == sorted(effects, reverse=True)


def test_an_edit_lowers_the_score(snapshot: Snapshot) -> None:
    def score(text: str) -> float:
        found = Resolver().resolve(snapshot, Query(text)).candidates
        return next(c.score for c in found if c.entity.id == "person:vladimir-putin")

    assert score("Vladimir Putin") > score("Vladimir Putn") > score("Vladmir Putn")


def test_the_decision_does_not_depend_on_the_order_generators_run_in(snapshot: Snapshot) -> None:
    # An engine that skips a generator "that cannot change the outcome" answers differently when
    # the order changes; one that weighs every candidate does not.
    forward, backward = Resolver(GENERATORS), Resolver(tuple(reversed(GENERATORS)))
    for text in QUERIES:
        a = forward.resolve(snapshot, Query(text))
        b = backward.resolve(snapshot, Query(text))
        assert a.outcome is b.outcome, text
        assert [(c.entity.id, c.score) for c in a.candidates[:1]] == [
            (c.entity.id, c.score) for c in b.candidates[:1]
        ], text


@given(st.one_of(st.sampled_from(QUERIES), st.text(max_size=40)))
def test_leaving_out_what_cannot_reach_the_floor_changes_no_outcome(text: str) -> None:
    # The fuzzy tier skips near matches whose best possible score is under the floor; with
    # every candidate weighed, the outcome and the answer are the same.
    query = Query(text)
    fast = Resolver().resolve(_DEFAULT, query)
    full = Resolver(exhaustive=True).resolve(_DEFAULT, query)
    assert fast.outcome is full.outcome
    if fast.outcome is Outcome.RESOLVED:
        assert fast.candidates[0].entity.id == full.candidates[0].entity.id
        assert fast.candidates[0].score == full.candidates[0].score


def test_a_scorer_file_is_checked_field_by_field(tmp_path: Path) -> None:
    good = {"name": "t", "version": "v", "bias": 0.0, "weights": {"x": 1.0}}
    path = tmp_path / "scorer.json"
    path.write_text(json.dumps({**good, "threshold": 0.9, "margin": 0.1}), "utf-8")
    assert Scorer.from_path(path).weights == {"x": 1.0}
    path.write_text(json.dumps(good), "utf-8")
    with pytest.raises(ScorerFileError, match=r"scorer\.json: not a scorer file .*threshold"):
        Scorer.from_path(path)
    path.write_text(json.dumps({**good, "threshold": 1.5, "margin": 0.1}), "utf-8")
    with pytest.raises(ScorerFileError, match="threshold must be in"):
        Scorer.from_path(path)


def test_a_feature_the_file_does_not_weigh_adds_nothing() -> None:
    text = json.dumps(
        {"name": "t", "version": "v", "bias": 1.0, "weights": {}, "threshold": 0.9, "margin": 0}
    )
    scorer = Scorer.from_json(text)
    assert scorer.terms(_evidenced()) == ()
    assert scorer.probability(_evidenced()) == round(1 / (1 + math.exp(-1.0)), 6)


def _evidenced() -> Candidate:
    from entnorm_server.evidence import Evidence, Tier
    from entnorm_server.model import Alias, AliasKind, Entity, EntityType

    alias = Alias("X", AliasKind.NAME, "en")
    entity = Entity("org:x", EntityType.ORGANIZATION, "X", (alias,))
    return Candidate(entity, alias, 0.0, MatchKind.EXACT, evidence=Evidence(Tier.EXACT))
