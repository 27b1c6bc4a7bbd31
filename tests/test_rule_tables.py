"""The engine's rule tables (data/rules/*.yaml, data/scripts.yaml) read and checked as data."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from entnorm_server import rule_tables
from entnorm_server.rule_tables import Rule
from entnorm_server.scripts import profiles


def test_every_table_loads() -> None:
    assert rule_tables.korean_given_names().rules
    assert rule_tables.slavic_skeleton().rules
    assert rule_tables.kana_readings().latin
    assert "English" in rule_tables.cyrillic_transcription().languages
    assert rule_tables.korean_surnames()[0].hangul == "김"
    assert "president" in rule_tables.titles().before["en"]
    assert profiles()


def test_rules_rewrite_in_order() -> None:
    rules = (
        Rule.model_validate({"match": "sh", "to": "s"}),
        Rule.model_validate({"match": r"(.)\1+", "to": r"\1"}),
    )
    assert rule_tables.apply(rules, "sshin") == "sin"  # ss from the first rule, made s by the next


@pytest.mark.parametrize(
    "rule",
    [
        {"match": "(unclosed", "to": "x"},  # not a regular expression
        {"match": "ab", "to": r"\1"},  # a group the pattern lacks
        {"match": "ab", "to": "x", "because": "typo'd field"},
        {"match": "ab"},
    ],
)
def test_a_bad_rule_is_refused(rule: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Rule.model_validate(rule)


def test_one_replacement_is_not_several_readings() -> None:
    rule = Rule.model_validate({"match": "c", "to": ["k", "s"]})
    assert rule.readings == ("k", "s")
    with pytest.raises(TypeError):
        _ = rule.replacement
