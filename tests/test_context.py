"""Context on ResolveNames: what is known around a name settles what the name alone cannot,
and without context nothing changes. Through a real server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from entnorm_client import Context, EntnormClient, InvalidArgumentError


@pytest.fixture(scope="module")
def client(server_target: str) -> EntnormClient:
    return EntnormClient(server_target)


def test_without_context_an_ambiguous_name_stays_ambiguous(client: EntnormClient) -> None:
    [alone] = client.resolve(["Kim Tae-hyung"])
    assert alone.outcome == "ambiguous"
    assert all(not c.context_evidence for c in alone.candidates)


def test_a_known_related_id_settles_kim_tae_hyung(client: EntnormClient) -> None:
    context = Context(entity_ids=("org:kr-national-security-office",))
    [answer] = client.resolve(["Kim Tae-hyung"], context=context)
    assert answer.outcome == "resolved"
    best = answer.best
    assert best is not None
    assert best.entity_id == "person:kim-tae-hyo"
    [evidence] = best.context_evidence
    assert (evidence.kind, evidence.entity_id) == ("related", "org:kr-national-security-office")
    assert "settled by context: related to org:kr-national-security-office" in best.explanation


def test_the_sentence_it_came_from_settles_it_and_names_the_mention(
    client: EntnormClient,
) -> None:
    sentence = "the head of the National Security Office, Kim Tae-hyung, explained the stance"
    [answer] = client.resolve(["Kim Tae-hyung"], context=Context(text=sentence))
    assert answer.outcome == "resolved"
    assert answer.best is not None
    assert answer.best.entity_id == "person:kim-tae-hyo"
    evidence = answer.best.context_evidence
    # The office was found in the sentence, at its offset; the name does not vouch for itself.
    assert [(e.kind, e.text, e.start) for e in evidence] == [
        ("related", "National Security Office", sentence.index("National Security Office"))
    ]


def test_a_country_settles_an_abbreviation_both_countries_use(client: EntnormClient) -> None:
    [korean] = client.resolve(["NSC"], context=Context(country="KR"))
    [american] = client.resolve(["NSC"], context=Context(country="country:us"))
    [nowhere] = client.resolve(["NSC"], context=Context(country="FR"))
    assert (korean.outcome, korean.best and korean.best.entity_id) == (
        "resolved",
        "org:kr-national-security-council",
    )
    assert (american.outcome, american.best and american.best.entity_id) == (
        "resolved",
        "org:us-national-security-council",
    )
    assert nowhere.outcome == "ambiguous"


def test_the_entity_named_with_certainty_beats_its_relatives(client: EntnormClient) -> None:
    # "Kursk" is the city's name and the oblast's short name; the oblast named elsewhere wins
    # over the city that is merely related to it.
    [answer] = client.resolve(["Kursk"], context=Context(entity_ids=("place:ru-kursk-oblast",)))
    assert answer.outcome == "resolved"
    assert answer.best is not None
    assert answer.best.entity_id == "place:ru-kursk-oblast"
    assert answer.best.context_evidence[0].kind == "same_entity"


def test_context_never_excuses_a_near_name_of_someone_else(client: EntnormClient) -> None:
    context = Context(entity_ids=("org:kr-national-security-office",), country="KR")
    [answer] = client.resolve(["Shin Won-suk"], context=context)
    assert answer.outcome == "ambiguous"


def test_context_that_speaks_for_no_candidate_changes_nothing(client: EntnormClient) -> None:
    context = Context(entity_ids=("person:vladimir-putin", "no:such-id"), text="Nothing here.")
    assert client.resolve(["Kim Tae-hyung"], context=context)[0].outcome == "ambiguous"
    # A name that resolves alone is not moved by context.
    [resolved] = client.resolve(["Shen Yuanxi"], context=context)
    assert resolved.outcome == "resolved"
    assert resolved.best is not None
    assert not resolved.best.context_evidence


@pytest.mark.parametrize(
    ("context", "field"),
    [
        (Context(country="Korea"), "queries[0].context.country"),
        (Context(entity_ids=("",)), "queries[0].context.entity_ids[0]"),
        (Context(entity_ids=tuple(f"x:{i}" for i in range(101))), "queries[0].context.entity_ids"),
        (Context(text="x" * 10_001), "queries[0].context.text"),
    ],
)
def test_bad_context_is_invalid_argument_naming_the_field(
    client: EntnormClient, context: Context, field: str
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        client.resolve(["Kim Tae-hyung"], context=context)
    assert [v.field for v in caught.value.field_violations] == [field]


def test_cli_resolve_with_context_id_settles_and_without_stays_ambiguous(
    server_target: str,
) -> None:
    env = {**os.environ, "ENTNORM_TARGET": server_target}
    entnorm = [sys.executable, "-m", "entnorm_client.cli", "resolve", "Kim Tae-hyung", "--json"]
    with_context = subprocess.run(
        [*entnorm, "--context-id", "org:kr-national-security-office"],
        capture_output=True,
        text=True,
        env=env,
    )
    alone = subprocess.run(entnorm, capture_output=True, text=True, env=env)
    assert with_context.returncode == 0, with_context.stderr
    assert '"outcome": "resolved"' in with_context.stdout
    assert '"entity_id": "person:kim-tae-hyo"' in with_context.stdout.split("candidates")[1][:120]
    assert '"outcome": "ambiguous"' in alone.stdout
