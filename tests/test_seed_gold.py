"""Acceptance: every gold mention of the seed article, sent to a real server over loopback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from conftest import SEEDS
from ruamel.yaml import YAML

from entnorm_client import EntnormClient

GOLD = SEEDS / "kursk-nsc-2024-10-gold.yaml"


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int
    entity: str
    context_only: bool


def _mentions() -> tuple[str, list[Mention]]:
    gold: Any = YAML(typ="safe").load(GOLD.read_text("utf-8"))
    article = (SEEDS / gold["document"]).read_text("utf-8")
    mentions = [
        Mention(m["text"], m["start"], m["end"], m["entity"], bool(m.get("context_only")))
        for m in gold["mentions"]
    ]
    return article, mentions


ARTICLE, MENTIONS = _mentions()


def test_gold_offsets_point_at_their_text() -> None:
    for m in MENTIONS:
        assert ARTICLE[m.start : m.end] == m.text, m


def test_gold_covers_the_article() -> None:
    ids = {m.entity for m in MENTIONS}
    assert len(MENTIONS) >= 40
    assert {"person:shin-won-sik", "person:kim-tae-hyo", "org:ua-hur"} <= ids
    assert any(m.context_only for m in MENTIONS)


@pytest.fixture(scope="module")
def answers(server_target: str) -> dict[str, Any]:
    texts = sorted({m.text for m in MENTIONS})
    with EntnormClient(server_target) as client:
        return dict(zip(texts, client.resolve(texts), strict=True))


@pytest.mark.parametrize("mention", MENTIONS, ids=lambda m: f"{m.start}:{m.text}")
def test_every_gold_mention(answers: dict[str, Any], mention: Mention) -> None:
    answer = answers[mention.text]
    ids = [c.entity_id for c in answer.candidates]
    if mention.context_only:
        # Only context settles it: never silently one entity, and the right one is offered.
        assert answer.outcome == "ambiguous", (mention, ids)
        assert mention.entity in ids
    else:
        assert answer.outcome == "resolved", (mention, ids)
        assert ids[0] == mention.entity
        assert answer.candidates[0].matched_alias is not None
