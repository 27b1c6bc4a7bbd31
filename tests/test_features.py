"""A candidate's evidence becomes the scorer's features; nothing is read back from text."""

from __future__ import annotations

from entnorm_server.features import features, group
from entnorm_server.model import Alias, AliasKind, AliasTables, Entity, EntityType
from entnorm_server.resolution import Query
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import compile_snapshot

PUTIN = Entity(
    "person:vladimir-putin",
    EntityType.PERSON,
    "Vladimir Putin",
    (Alias("Vladimir Putin", AliasKind.NAME, "en"), Alias("Владимир Путин", AliasKind.NAME, "ru")),
)
SNAPSHOT = compile_snapshot(AliasTables((PUTIN,), ()))


def best(text: str) -> dict[str, float]:
    resolution = Resolver().resolve(SNAPSHOT, Query(text))
    return features(resolution.candidates[0])


def test_a_typo_is_a_fuzzy_match_with_its_edits() -> None:
    found = best("Vladmir Putin")
    assert found["fuzzy"] == 1.0
    assert found["edits:letters"] == 1.0
    assert found["edits:intact"] > 1.0
    assert "variant:ascii" not in found


def test_a_transliteration_names_its_group_and_side() -> None:
    resolution = Resolver().resolve(SNAPSHOT, Query("Путин Владимир"))
    candidate = resolution.candidates[0]
    assert group(candidate) == "variant:sorted"
    assert features(candidate)["translit:query"] == 1.0


def test_a_name_cannot_forge_a_feature() -> None:
    # A name that reads like route steps is only a name.
    sly = Entity(
        "org:sly",
        EntityType.ORGANIZATION,
        "Sly",
        (Alias("dropped title vowels guessed", AliasKind.NAME, "en"),),
    )
    snapshot = compile_snapshot(AliasTables((sly,), ()))
    resolution = Resolver().resolve(snapshot, Query("dropped title vowels guessed"))
    found = features(resolution.candidates[0])
    assert found["equal:exact"] == 1.0
    assert "dropped_title" not in found
    assert "mark:vowels guessed" not in found


def test_an_exact_match_carries_the_evidence_of_a_folded_one_and_more() -> None:
    exact = best("Vladimir Putin")
    folded = best("Vladimir-Putin!")
    assert exact["equal:exact"] == exact["equal:folded"] == 1.0
    assert exact["variant:ascii"] == folded["variant:ascii"] == 1.0
    assert folded["equal:folded"] == 1.0
    assert "equal:exact" not in folded


def test_signs_hold_evidence_to_raise_and_doubts_to_lower() -> None:
    from entnorm_server.features import sign

    assert sign("variant:ascii|letters") == 1
    assert sign("variant:ascii|letters<6") == -1
    assert sign("edits:letters") == -1
    assert sign("mark:vowels guessed") == -1
    assert sign("equal:exact") == 1
    assert sign("fuzzy") == 0
