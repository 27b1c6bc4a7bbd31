"""The resolver in process, over small tables written for each case."""

from __future__ import annotations

import pytest
from conftest import WriteTables

from entnorm_server.model import Alias, AliasKind, Entity, EntityType
from entnorm_server.resolution import Candidate, MatchKind, Outcome, Query
from entnorm_server.resolver import DecisionPolicy, Resolver
from entnorm_server.routes import describe_all
from entnorm_server.snapshot import Snapshot, load_snapshot

TABLE = """\
entities:
  - id: person:shin-won-sik
    type: person
    display_name: Shin Won-sik
    names: {en: Shin Won-sik, ko: 신원식}
    aliases:
      - {text: Shen Yuanxi, kind: misrendering, source: seed:kursk-nsc-2024-10}
  - id: person:kim-tae-hyo
    type: person
    display_name: Kim Tae-hyo
    names: {en: Kim Tae-hyo, ko: 김태효}
    aliases:
      - {text: Kim Tae-hyung, kind: misrendering, context_only: true}
  - id: person:kim-tae-hyung-1995
    type: person
    display_name: Kim Tae-hyung
    names: {en: Kim Tae-hyung, ko: 김태형}
  - id: country:kr
    type: country
    display_name: South Korea
    names: {en: South Korea, ko: 대한민국}
    aliases:
      - {text: Korea, kind: short_name, context_only: true}
  - id: country:kp
    type: country
    display_name: North Korea
    names: {en: North Korea}
    aliases:
      - {text: Korea, kind: short_name, context_only: true}
  - id: place:ru-kursk
    type: place
    display_name: Kursk
    names: {en: Kursk, ru: Курск}
  - id: org:kursk-club
    type: organization
    display_name: Kursk Club
    names: {en: Kursk Club}
    aliases:
      - {text: Kursk, kind: short_name, lang: en}
"""


@pytest.fixture
def snapshot(write_tables: WriteTables) -> Snapshot:
    return load_snapshot(write_tables({"t.yaml": TABLE}))


def resolve(snapshot: Snapshot, text: str, **kw: object) -> tuple[Outcome, list[str]]:
    result = Resolver().resolve(snapshot, Query(text, **kw))  # type: ignore[arg-type]
    return result.outcome, [c.entity.id for c in result.candidates]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Shin Won-sik", MatchKind.EXACT),
        ("SHIN WON-SIK", MatchKind.EXACT),
        ("shin won sik", MatchKind.NORMALIZED),
        ("Shen Yuanxi", MatchKind.EXACT),
        ("신원식", MatchKind.EXACT),
    ],
)
def test_one_entity_from_many_forms(snapshot: Snapshot, text: str, kind: MatchKind) -> None:
    result = Resolver().resolve(snapshot, Query(text))
    assert result.outcome is Outcome.RESOLVED
    assert [c.entity.id for c in result.candidates] == ["person:shin-won-sik"]
    assert result.candidates[0].match_kind is kind


def test_a_letter_for_letter_spelling_finds_its_name(snapshot: Snapshot) -> None:
    # RR letter for letter (and unidecode) spell 신원식 "sinweonsig": found, and weighed as the
    # guess at a spelling it is; whether that clears the fitted threshold is the scorer's call.
    result = Resolver().resolve(snapshot, Query("sinweonsig"))
    [only] = result.candidates
    assert only.entity.id == "person:shin-won-sik"
    assert only.match_kind is MatchKind.TRANSLITERATED
    assert "spelled out letter by letter" in only.explanation


def test_explanation_names_the_alias_entry(snapshot: Snapshot) -> None:
    best = Resolver().resolve(snapshot, Query("Shen Yuanxi")).candidates[0]
    assert best.alias.kind.value == "misrendering"
    assert best.alias.source == "seed:kursk-nsc-2024-10"
    assert "misrendering 'Shen Yuanxi'" in best.explanation
    assert best.alias.location is not None
    assert (best.alias.location.file, best.alias.location.line) == ("t.yaml", 7)


def test_transliteration_route_is_explained(snapshot: Snapshot) -> None:
    best = Resolver().resolve(snapshot, Query("sinweonsig")).candidates[0]
    assert describe_all(best.route) == ("alias: ko Hang → Latn (unidecode)",)


def test_shared_name_is_ambiguous_with_all_owners(snapshot: Snapshot) -> None:
    outcome, ids = resolve(snapshot, "Kim Tae-hyung")
    assert outcome is Outcome.AMBIGUOUS
    assert set(ids) == {"person:kim-tae-hyo", "person:kim-tae-hyung-1995"}
    # The real name ranks above the context-only misrendering.
    assert ids[0] == "person:kim-tae-hyung-1995"


def test_context_only_alias_never_resolves_alone(snapshot: Snapshot) -> None:
    assert resolve(snapshot, "Korea") == (Outcome.AMBIGUOUS, ["country:kp", "country:kr"])
    only_south = resolve(snapshot, "Korea", types=frozenset({EntityType.COUNTRY}))
    assert only_south[0] is Outcome.AMBIGUOUS


def test_type_filter_can_settle_a_shared_name(snapshot: Snapshot) -> None:
    assert resolve(snapshot, "Kursk") == (Outcome.AMBIGUOUS, ["place:ru-kursk", "org:kursk-club"])
    assert resolve(snapshot, "Kursk", types=frozenset({EntityType.PLACE})) == (
        Outcome.RESOLVED,
        ["place:ru-kursk"],
    )


def test_language_hint_orders_but_does_not_decide(snapshot: Snapshot) -> None:
    outcome, ids = resolve(snapshot, "Kursk", language="en")
    assert outcome is Outcome.AMBIGUOUS
    assert ids == ["place:ru-kursk", "org:kursk-club"]  # name before short name either way


def test_unknown_name_is_unresolved(snapshot: Snapshot) -> None:
    assert resolve(snapshot, "Nobody Atall") == (Outcome.UNRESOLVED, [])


def test_max_candidates_cuts_the_list_not_the_decision(snapshot: Snapshot) -> None:
    outcome, ids = resolve(snapshot, "Korea", max_candidates=1)
    assert outcome is Outcome.AMBIGUOUS
    assert len(ids) == 1


def _candidate(entity_id: str, score: float, context_only: bool = False) -> Candidate:
    alias = Alias("X", AliasKind.NAME, context_only=context_only)
    entity = Entity(entity_id, EntityType.PERSON, "X", (alias,))
    return Candidate(entity, alias, score, MatchKind.EXACT)


@pytest.mark.parametrize(
    ("scores", "outcome"),
    [
        ([], Outcome.UNRESOLVED),
        ([0.92], Outcome.RESOLVED),
        ([0.80], Outcome.AMBIGUOUS),  # below the threshold
        ([1.0, 0.97], Outcome.AMBIGUOUS),  # within the margin
        ([1.0, 0.92], Outcome.RESOLVED),  # clear of the runner-up
    ],
)
def test_policy_threshold_and_margin(scores: list[float], outcome: Outcome) -> None:
    ranked = [_candidate(f"person:p{i}", s) for i, s in enumerate(scores)]
    assert DecisionPolicy(threshold=0.85, margin=0.05).decide(ranked) is outcome


def test_policy_context_only_caps_at_ambiguous() -> None:
    policy = DecisionPolicy(threshold=0.85, margin=0.05)
    assert policy.decide([_candidate("person:a", 1.0, True)]) is Outcome.AMBIGUOUS
