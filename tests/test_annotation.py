"""AnnotateText: every mention of the tables' entities in a text, found across scripts and
resolved together; the three gold documents through a real server on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import grpc
import pytest
from conftest import DEFAULT_ALIASES, SEEDS, WriteTables
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm.v1 import entnorm_service_pb2_grpc as pb_grpc
from entnorm_client import Annotation, Context, EntnormClient, InvalidArgumentError
from entnorm_server.annotation.documents import annotate
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot, load_snapshot

GOLD_FILES = sorted(SEEDS.glob("*-gold.yaml"))
_RESOLVER = Resolver()


@cache
def _snapshot() -> Snapshot:
    return load_snapshot(DEFAULT_ALIASES)


ENTNORM = [sys.executable, "-m", "entnorm_client.cli"]


@pytest.fixture(scope="module")
def client(server_target: str) -> EntnormClient:
    return EntnormClient(server_target, timeout=60)


def _gold(path: Path) -> tuple[str, dict[tuple[int, int], str]]:
    gold: Any = YAML(typ="safe").load(path.read_text("utf-8"))
    text = (SEEDS / gold["document"]).read_text("utf-8")
    return text, {(m["start"], m["end"]): m["entity"] for m in gold["mentions"]}


def _answers(annotation: Annotation) -> dict[tuple[int, int], str | None]:
    return {
        (m.start, m.end): m.resolution.best.entity_id
        if m.resolution.outcome == "resolved" and m.resolution.best
        else None
        for m in annotation.mentions
    }


def test_there_are_three_gold_documents_in_three_scripts() -> None:
    assert len(GOLD_FILES) == 3
    texts = [_gold(path)[0] for path in GOLD_FILES]
    assert any("김태효" in t for t in texts)
    assert any("Буданова" in t for t in texts)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_document_every_mention_found_with_its_id_and_nothing_else(
    client: EntnormClient, path: Path
) -> None:
    text, gold = _gold(path)
    got = _answers(client.annotate(text))
    missed = {
        span: (text[slice(*span)], want) for span, want in gold.items() if got.get(span) != want
    }
    extra = {span: (text[slice(*span)], got[span]) for span in got if span not in gold}
    assert missed == {}
    assert extra == {}


def test_the_seed_article_settles_its_ambiguous_names_by_its_certain_ones(
    client: EntnormClient,
) -> None:
    text = (SEEDS / "kursk-nsc-2024-10-article.txt").read_text("utf-8")
    mentions = client.annotate(text).mentions
    by_text = {m.text: m for m in mentions}
    kim = by_text["Kim Tae-hyung"]
    best = kim.resolution.best
    assert best is not None
    assert best.entity_id == "person:kim-tae-hyo"
    assert "settled by context" in best.explanation
    deciders = {mentions[i].text for i in kim.decided_by}
    assert "National Security Office" in deciders
    assert {e.kind for e in best.context_evidence} == {"related"}
    for name in ("Shen Yuanxi", "Black Intelligence"):
        assert by_text[name].resolution.outcome == "resolved"
        assert not by_text[name].decided_by  # resolved alone


def test_offsets_are_code_points_into_the_exact_text(client: EntnormClient) -> None:
    # Astral characters, a combining accent, CRLF and a possessive before and around the names.
    text = "🇰🇷😀 Cafe\u0301\r\nRussia's war; 𝒳 Kim Jong-un met VLADIMIR PUTIN."
    mentions = client.annotate(text).mentions
    assert [(m.text, text[m.start : m.end]) for m in mentions] == [
        ("Russia", "Russia"),
        ("Kim Jong-un", "Kim Jong-un"),
        ("VLADIMIR PUTIN", "VLADIMIR PUTIN"),
    ]


def test_longest_match_wins_and_names_joined_by_punctuation_are_two(
    client: EntnormClient,
) -> None:
    text = (
        "the Intelligence Directorate of the Ukrainian Ministry of Defense"
        " and North Korea-Russia ties"
    )
    got = [
        (m.text, m.resolution.best and m.resolution.best.entity_id)
        for m in client.annotate(text).mentions
    ]
    assert got == [
        ("Intelligence Directorate of the Ukrainian Ministry of Defense", "org:ua-hur"),
        ("North Korea", "country:kp"),
        ("Russia", "country:ru"),
    ]


def test_demonyms_and_lowercase_words_are_not_names(client: EntnormClient) -> None:
    text = "Russian and South Korean officials took a drive; the russia desk."
    assert client.annotate(text).mentions == ()


def test_a_surname_after_the_full_name_is_that_person(client: EntnormClient) -> None:
    text = "Кирило Буданов заявив це. За словами Буданова, війська прибудуть."
    mentions = client.annotate(text).mentions
    assert [(m.text, m.resolution.best and m.resolution.best.entity_id) for m in mentions] == [
        ("Кирило Буданов", "person:kyrylo-budanov"),
        ("Буданова", "person:kyrylo-budanov"),
    ]
    # A first name alone, shared by two people named in full, is neither.
    both = "Володимир Зеленський і Володимир Путін. Володимир сказав."
    assert [m.text for m in client.annotate(both).mentions] == [
        "Володимир Зеленський",
        "Володимир Путін",
    ]


def test_inflected_forms_meet_their_words_but_an_adjective_is_no_noun(
    client: EntnormClient,
) -> None:
    text = "До Курської області, на Курському напрямку, поблизу Курська."
    got = [
        (m.text, m.resolution.best and m.resolution.best.entity_id)
        for m in client.annotate(text).mentions
    ]
    assert got[0] == ("Курської області", "place:ru-kursk-oblast")
    assert "Курському" not in [t for t, _ in got]


def test_korean_particles_stay_outside_and_chinese_needs_no_spaces(
    client: EntnormClient,
) -> None:
    korean = "신원식은 김태효와 만났다."
    assert [m.text for m in client.annotate(korean).mentions] == ["신원식", "김태효"]
    chinese = "乌克兰国防部情报总局局长基里洛·布达诺夫说"
    ids = [
        m.resolution.best and m.resolution.best.entity_id for m in client.annotate(chinese).mentions
    ]
    assert ids == ["org:ua-hur", "person:kyrylo-budanov"]


def test_a_short_hangul_name_counts_only_where_korean_reads_a_noun(
    client: EntnormClient,
) -> None:
    # 나선 is Rason, and "who stepped up" (나서 + ㄴ): Kiwi reads which (annotation/korean.py).
    verb = "회의 직후 브리핑에 나선 김태효 1차장은 밝혔다."
    place = "북한 나선에서 러시아로 향한 컨테이너"
    assert [m.text for m in client.annotate(verb).mentions] == ["김태효"]
    assert [m.text for m in client.annotate(place).mentions] == ["북한", "나선", "러시아"]


def test_context_given_for_a_document_settles_its_names(client: EntnormClient) -> None:
    alone = client.annotate("Kim Tae-hyung spoke.").mentions
    assert [m.resolution.outcome for m in alone] == ["ambiguous"]
    known = Context(entity_ids=("org:kr-national-security-office",))
    [settled] = client.annotate("Kim Tae-hyung spoke.", context=known).mentions
    assert settled.resolution.best is not None
    assert settled.resolution.best.entity_id == "person:kim-tae-hyo"


def test_a_megabyte_document_is_annotated_and_past_the_limit_is_refused(
    client: EntnormClient,
) -> None:
    article = (SEEDS / "kursk-nsc-2024-10-article.txt").read_text("utf-8")
    copies = 1_000_000 // len(article) + 1
    big = "\n\n".join([article] * copies)
    assert len(big.encode()) >= 1_000_000
    annotation = client.annotate(big)
    assert len(annotation.mentions) == 62 * copies
    too_big = "x" * (2 * 1024 * 1024 + 1)
    with pytest.raises(InvalidArgumentError) as caught:
        client.annotate(too_big)
    assert [v.field for v in caught.value.field_violations] == ["text"]
    assert "split the document" in str(caught.value)


def test_stream_annotates_in_order_and_a_bad_document_does_not_end_it(
    server_target: str,
) -> None:
    documents = ["Putin met Kim Jong-un.", "", "Shen Yuanxi chaired the meeting."]
    with grpc.insecure_channel(server_target) as channel:
        stub = pb_grpc.EntnormServiceStub(channel)
        requests = (
            pb.StreamAnnotateTextRequest(
                document_id=f"d{i}", document=pb.AnnotateTextRequest(text=text)
            )
            for i, text in enumerate(documents)
        )
        replies = list(stub.StreamAnnotateText(requests, timeout=30))
    assert [r.document_id for r in replies] == ["d0", "d1", "d2"]
    assert [len(r.mentions) for r in replies] == [2, 0, 1]
    assert replies[1].error.reason == "INVALID_DOCUMENT"
    assert [v.field for v in replies[1].error.field_violations] == ["document.text"]
    assert all(r.revision for r in replies)


def test_client_stream_annotate_names_the_callers_document(client: EntnormClient) -> None:
    stream = client.stream_annotate([("a", "Putin"), ("b", "Budanov spoke"), ("c", " ")])
    assert next(stream).document_id == "a"
    assert next(stream).document_id == "b"
    with pytest.raises(InvalidArgumentError) as caught:
        next(stream)
    assert [v.field for v in caught.value.field_violations] == ["documents[2].document.text"]


@given(st.text(max_size=200))
def test_any_text_annotates_with_exact_non_overlapping_spans(text: str) -> None:
    mentions = annotate(_snapshot(), _RESOLVER, text)
    ends = -1
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= ends
        ends = mention.end


@given(
    st.lists(
        st.sampled_from(
            ["Putin", "Kim Tae-hyung", "신원식은", "Курської області", " ", ", ", "乌克兰", "x"]
        ),
        max_size=12,
    )
)
def test_names_in_any_arrangement_annotate_with_exact_spans(parts: list[str]) -> None:
    text = "".join(parts)
    for mention in annotate(_snapshot(), _RESOLVER, text):
        assert text[mention.start : mention.end] == mention.text


def test_cli_annotate_highlights_the_article_and_prints_json_spans(server_target: str) -> None:
    env = {**os.environ, "ENTNORM_TARGET": server_target}
    article = SEEDS / "kursk-nsc-2024-10-article.txt"
    shown = subprocess.run(
        [*ENTNORM, "annotate", str(article)], capture_output=True, text=True, env=env
    )
    assert shown.returncode == 0, shown.stderr
    assert "Shen Yuanxi[24]" in shown.stdout
    assert "person:kim-tae-hyo" in shown.stdout
    assert "settled by context" in shown.stdout
    as_json = subprocess.run(
        [*ENTNORM, "annotate", "--json", "-"],
        input="Black Intelligence Chief",
        capture_output=True,
        text=True,
        env=env,
    )
    assert as_json.returncode == 0, as_json.stderr
    [line] = [json.loads(x) for x in as_json.stdout.splitlines()]
    assert (line["start"], line["end"], line["text"]) == (0, 18, "Black Intelligence")
    assert line["resolution"]["candidates"][0]["entity_id"] == "org:ua-hur"


def test_cli_annotate_offsets_count_a_files_crlf(server_target: str, tmp_path: Path) -> None:
    env = {**os.environ, "ENTNORM_TARGET": server_target}
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"Putin\r\nmet Kim Jong-un")
    done = subprocess.run(
        [*ENTNORM, "annotate", "--json", str(crlf)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert [(json.loads(x)["start"], json.loads(x)["text"]) for x in done.stdout.splitlines()] == [
        (0, "Putin"),
        (11, "Kim Jong-un"),
    ]
    not_utf8 = subprocess.run(
        [*ENTNORM, "annotate", "-"], input=b"\xff\xfe", capture_output=True, env=env
    )
    assert not_utf8.returncode == 2
    assert b"not UTF-8 text" in not_utf8.stderr


def test_mentions_with_one_answer_share_it_on_the_wire(server_target: str) -> None:
    text = "South Korea. " + "NSC " * 5000
    with grpc.insecure_channel(server_target) as channel:
        reply = pb_grpc.EntnormServiceStub(channel).AnnotateText(
            pb.AnnotateTextRequest(text=text), timeout=60
        )
    assert len(reply.mentions) == 5001
    # South Korea, and NSC settled by it: two answers for 5,001 mentions.
    assert len(reply.answers) == 2
    assert {m.answer for m in reply.mentions[1:]} == {1}
    best = reply.answers[1].candidates[0]
    assert best.entity_id == "org:kr-national-security-council"


def test_a_long_document_is_annotated_in_slices_the_server_can_interleave() -> None:
    from entnorm_server.annotation.documents import annotating

    text = "Putin met Kim Jong Un. " * 5000
    steps = annotating(_snapshot(), _RESOLVER, text)
    yields = 0
    while True:
        try:
            next(steps)
            yields += 1
        except StopIteration as done:
            mentions = done.value
            break
    assert len(mentions) == 10_000
    # A yield at least every 64 mentions: a small call waits a slice, not the document.
    assert yields >= len(mentions) // 64


def test_whitespace_is_no_document(client: EntnormClient) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        client.annotate("  \n\t ")
    assert "only whitespace" in str(caught.value)


def test_declined_names_that_share_a_first_stem_are_told_apart(write_tables: WriteTables) -> None:
    root = write_tables(
        {
            "t.yaml": "entities:\n"
            "  - {id: country:kp, type: country, display_name: North Korea,"
            " names: {uk: Північна Корея}}\n"
            "  - {id: place:gb-nir, type: place, display_name: Northern Ireland,"
            " names: {uk: Північна Ірландія}}\n"
        }
    )
    snapshot = load_snapshot(root)
    text = "з Північної Кореї та Північної Ірландії"
    got = [
        (m.text, m.resolution.candidates[0].entity.id) for m in annotate(snapshot, _RESOLVER, text)
    ]
    assert got == [("Північної Кореї", "country:kp"), ("Північної Ірландії", "place:gb-nir")]
