"""EntnormClient against a real server on loopback, over the default alias tables."""

from __future__ import annotations

import itertools
import json
import random
import socket
from collections.abc import Iterator

import pytest

from entnorm_client import (
    DeadlineExceededError,
    EntnormClient,
    InvalidArgumentError,
    NotFoundError,
    Query,
    Resolution,
    ServerUnavailableError,
)
from entnorm_client.enums import ALIAS_KINDS, ENTITY_TYPES, MATCH_KINDS, OUTCOMES

SHIN = "person:shin-won-sik"
HUR = "org:ua-hur"
NOWHERE = "Zzyzx Qwerty"  # names nothing in the tables


@pytest.fixture
def client(server_target: str) -> Iterator[EntnormClient]:
    with EntnormClient(server_target, timeout=10) as client:
        yield client


def ids(resolution: Resolution) -> list[str]:
    return [candidate.entity_id for candidate in resolution.candidates]


# --- resolve ---------------------------------------------------------------------------------


def test_every_spelling_of_shin_won_sik_resolves_to_one_id(client: EntnormClient) -> None:
    names = ["Shin Won-sik", "Shen Yuanxi", "신원식"]

    resolutions = client.resolve(names)

    assert [r.query for r in resolutions] == names
    assert [r.outcome for r in resolutions] == ["resolved"] * 3
    assert {r.best.entity_id for r in resolutions if r.best} == {SHIN}


def test_kim_tae_hyung_is_ambiguous_with_kim_tae_hyo_among_candidates(
    client: EntnormClient,
) -> None:
    [resolution] = client.resolve(["Kim Tae-hyung"])

    assert resolution.outcome == "ambiguous"
    assert "person:kim-tae-hyo" in ids(resolution)
    assert len(ids(resolution)) >= 2


def test_a_context_only_alias_says_so_and_routes_travel_as_data(client: EntnormClient) -> None:
    [diu, budanov] = client.resolve(["DIU", "Kyrylo Budanow"])

    assert diu.outcome == "ambiguous"
    assert diu.best is not None
    assert diu.best.matched_alias is not None
    assert diu.best.matched_alias.context_only
    assert budanov.best is not None
    [step] = budanov.best.route_steps
    assert (step.side, step.kind, step.source_script, step.system) == (
        "alias",
        "romanize",
        "Cyrl",
        "German",
    )
    assert budanov.best.evidence is not None
    assert budanov.best.evidence.tier == "variant"
    assert budanov.best.evidence.score_terms
    assert budanov.scorer_version
    assert '"context_only": true' in diu.to_json()


def test_black_intelligence_resolves_to_hur_through_the_mistranslation(
    client: EntnormClient,
) -> None:
    [resolution] = client.resolve(["Black Intelligence"])

    assert resolution.outcome == "resolved"
    best = resolution.best
    assert best is not None
    assert best.entity_id == HUR
    assert best.type == "organization"
    assert best.match_kind in MATCH_KINDS.choices()
    assert 0 < best.score <= 1
    alias = best.matched_alias
    assert alias is not None
    assert (alias.text, alias.kind) == ("Black Intelligence", "mistranslation")
    assert alias.source
    assert alias.file.endswith(".yaml")
    assert alias.line > 0


def test_a_japanese_name_in_kanji_is_met_by_its_reading(client: EntnormClient) -> None:
    # 情報本部 is Japan's Defense Intelligence Headquarters; its reading, in either Hepburn.
    for text in ("Joho Honbu", "Joho Hombu"):
        [resolution] = client.resolve([text])
        best = resolution.best
        assert resolution.outcome == "resolved"
        assert best is not None
        assert best.entity_id == "org:jp-defense-intelligence-headquarters"
        assert best.route == ("alias: ja Hani → Latn (Japanese reading, UniDic)",)


def test_an_unknown_name_is_an_unresolved_result(client: EntnormClient) -> None:
    [resolution] = client.resolve([NOWHERE])

    assert resolution.outcome == "unresolved"
    assert resolution.candidates == ()
    assert resolution.best is None
    assert resolution.revision


def test_filters_reach_the_server(client: EntnormClient) -> None:
    [as_person] = client.resolve(["Black Intelligence"], types=["person"])
    [one] = client.resolve(["Kim Tae-hyung"], max_candidates=1)
    # A Query carries its own filters; the call's apply to plain names only.
    [own, plain] = client.resolve(
        [Query("Black Intelligence", types=("organization",)), "Black Intelligence"],
        types=["place"],
    )

    assert HUR not in ids(as_person)
    assert len(one.candidates) == 1
    assert ids(own)[:1] == [HUR]
    assert HUR not in ids(plain)


def test_an_unknown_type_label_fails_before_any_call(client: EntnormClient) -> None:
    with pytest.raises(ValueError, match="planet"):
        client.resolve(["Kyiv"], types=["planet"])
    with pytest.raises(ValueError, match="planet"):
        Query("Kyiv", types=("planet",))


def test_one_string_instead_of_a_list_is_refused(client: EntnormClient) -> None:
    with pytest.raises(TypeError, match="single str"):
        client.resolve("Shin Won-sik")


def test_empty_text_is_an_invalid_argument_naming_the_field(client: EntnormClient) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        client.resolve([""])

    assert [v.field for v in raised.value.field_violations] == ["queries[0].text"]
    assert "queries[0].text" in str(raised.value)


def test_more_than_1000_names_go_in_batches(client: EntnormClient) -> None:
    names = [f"{NOWHERE} {i}" for i in range(2500)]
    names[1700] = "Shen Yuanxi"

    resolutions = client.resolve(names)

    assert [r.query for r in resolutions] == names
    assert ids(resolutions[1700])[:1] == [SHIN]


def test_a_violation_in_a_later_batch_names_the_callers_index(client: EntnormClient) -> None:
    names = ["Shin Won-sik"] * 2500
    names[2100] = "   "

    with pytest.raises(InvalidArgumentError) as raised:
        client.resolve(names)

    assert [v.field for v in raised.value.field_violations] == ["queries[2100].text"]


# --- stream_resolve --------------------------------------------------------------------------


def mixed_names(count: int) -> list[str]:
    """Known names among numbered unknown ones, in a fixed shuffled order."""
    names = [f"{NOWHERE} {i}" for i in range(count)]
    names += ["Shin Won-sik", "Black Intelligence", "Kim Tae-hyung", "신원식"] * (count // 10)
    random.Random(7).shuffle(names)
    return names


def answers(resolutions: list[Resolution]) -> list[tuple[str, str, list[str]]]:
    """What the server decided, without the query text the client fills in itself."""
    return [(r.outcome, r.normalized_text, ids(r)) for r in resolutions]


@pytest.mark.parametrize("chunk_size", [500, 37])
def test_stream_resolve_answers_in_input_order(client: EntnormClient, chunk_size: int) -> None:
    names = mixed_names(3000)

    streamed = list(client.stream_resolve(iter(names), chunk_size=chunk_size))

    assert [r.query for r in streamed] == names
    # The server's own answers, including each numbered name's normalized text, line up.
    assert answers(streamed) == answers(client.resolve(names))


def test_stream_resolve_reads_its_input_lazily(client: EntnormClient) -> None:
    endless = (f"{NOWHERE} {i}" for i in itertools.count())

    stream = client.stream_resolve(endless, chunk_size=100)
    first = list(itertools.islice(stream, 250))
    stream.close()  # the stream ends although the input does not

    assert [r.query for r in first] == [f"{NOWHERE} {i}" for i in range(250)]


def test_a_rejected_chunk_raises_with_the_callers_index(client: EntnormClient) -> None:
    names = ["Shin Won-sik"] * 1200
    names[1111] = ""

    with pytest.raises(InvalidArgumentError) as raised:
        list(client.stream_resolve(names, chunk_size=500))

    assert [v.field for v in raised.value.field_violations] == ["queries[1111].text"]


def test_a_failing_input_raises_its_own_error_after_the_names_before_it(
    client: EntnormClient,
) -> None:
    def names() -> Iterator[str]:
        yield from ["Shin Won-sik"] * 30
        raise RuntimeError("input broke")

    seen: list[Resolution] = []
    with pytest.raises(RuntimeError, match="input broke"):
        seen.extend(client.stream_resolve(names(), chunk_size=10))

    assert len(seen) == 30


def test_stream_resolve_checks_its_arguments_at_the_call(client: EntnormClient) -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        client.stream_resolve(["x"], chunk_size=1001)
    with pytest.raises(ValueError, match="planet"):
        client.stream_resolve(["x"], types=["planet"])


# --- entities and revision -------------------------------------------------------------------


def test_get_entity(client: EntnormClient) -> None:
    entity = client.get_entity(SHIN)

    assert (entity.id, entity.type, entity.display_name) == (SHIN, "person", "Shin Won-sik")
    assert ("ko", "신원식") in [(n.language, n.text) for n in entity.names]
    aliases = {alias.text: alias for alias in entity.aliases}
    assert aliases["Shen Yuanxi"].kind == "misrendering"
    assert aliases["Shen Yuanxi"].note
    assert entity.file.endswith(".yaml")
    assert entity.revision == client.data_revision().revision


def test_get_entities_keeps_the_order_of_the_ids(client: EntnormClient) -> None:
    entities = client.get_entities([HUR, SHIN, HUR])

    assert [e.id for e in entities] == [HUR, SHIN, HUR]


def test_unknown_ids_are_not_found(client: EntnormClient) -> None:
    with pytest.raises(NotFoundError):
        client.get_entity("person:nobody-at-all")
    with pytest.raises(NotFoundError):
        client.get_entities([SHIN, "person:nobody-at-all"])


def test_data_revision(client: EntnormClient) -> None:
    revision = client.data_revision()
    [resolution] = client.resolve(["Shin Won-sik"])

    assert revision.revision == resolution.revision
    assert revision.entity_count > 0
    assert revision.alias_count >= revision.entity_count
    assert revision.source_files
    assert all(f.path.endswith(".yaml") and len(f.sha256) == 64 for f in revision.source_files)
    assert sum(f.entity_count for f in revision.source_files) == revision.entity_count
    assert revision.loaded_at is not None
    assert revision.loaded_at.utcoffset() is not None


def test_results_convert_to_json(client: EntnormClient) -> None:
    [resolution] = client.resolve(["Black Intelligence"])
    revision = client.data_revision()
    entity = client.get_entity(HUR)

    as_json = json.loads(resolution.to_json())
    assert as_json == resolution.as_dict()
    assert as_json["outcome"] == "resolved"
    assert as_json["candidates"][0]["matched_alias"]["kind"] == "mistranslation"
    assert isinstance(as_json["candidates"][0]["route"], list)
    assert json.loads(revision.to_json())["loaded_at"] == revision.as_dict()["loaded_at"]
    assert json.loads(entity.to_json())["id"] == HUR


# --- failures --------------------------------------------------------------------------------


def test_a_server_that_is_down_is_unavailable(dead_target: str) -> None:
    with EntnormClient(dead_target, timeout=5) as client:
        with pytest.raises(ServerUnavailableError) as raised:
            client.resolve(["Shin Won-sik"])
        with pytest.raises(ServerUnavailableError):
            list(client.stream_resolve(["Shin Won-sik"]))
        with pytest.raises(ServerUnavailableError):
            client.wait_ready(timeout=0.2)

    message = str(raised.value)
    assert dead_target in message
    assert "entnorm serve" in message
    assert "--target" in message


def test_wait_ready_returns_once_connected(client: EntnormClient) -> None:
    client.wait_ready(timeout=5)


def test_a_server_that_never_answers_misses_the_deadline() -> None:
    # A socket that accepts connections and never speaks HTTP/2: the call waits for its deadline.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        target = f"127.0.0.1:{silent.getsockname()[1]}"
        with EntnormClient(target, timeout=0.3) as client:
            with pytest.raises(DeadlineExceededError, match=r"within 0\.3 s"):
                client.resolve(["Shin Won-sik"])
            with pytest.raises(DeadlineExceededError, match=r"within 0\.3 s"):
                list(client.stream_resolve(["Shin Won-sik"]))


# --- enum labels -----------------------------------------------------------------------------


def test_enum_labels_come_from_the_descriptors() -> None:
    assert ENTITY_TYPES.choices() == ["person", "organization", "country", "place"]
    assert OUTCOMES.choices() == ["resolved", "ambiguous", "unresolved", "error"]
    assert "token_reorder" in MATCH_KINDS.choices()
    assert {"misrendering", "mistranslation", "name"} <= set(ALIAS_KINDS.choices())
    assert ENTITY_TYPES.label(0) == "unspecified"
    assert ENTITY_TYPES.label(99) == "99"  # a value from a newer server
    assert ENTITY_TYPES.number("Person") == 1
