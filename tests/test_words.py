"""Word forms for finding names in text: the per-script rules of data/rules/word_forms.yaml."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entnorm_server.annotation.words import alias_forms, form_of, hangul_tails, keys_of, words


@pytest.mark.parametrize(
    ("name", "inflected"),
    [
        ("Буданов", "Буданова"),
        ("Буданов", "Буданову"),
        ("Зеленський", "Зеленського"),
        ("Зеленський", "Зеленському"),
        ("Росія", "Росії"),
        ("Росія", "Росією"),
        ("Україна", "Україні"),
        ("Корея", "Кореї"),
        ("область", "області"),
        ("Курська", "Курської"),
        ("Курськ", "Курська"),
    ],
)
def test_a_declined_word_meets_the_name(name: str, inflected: str) -> None:
    assert form_of(inflected, "Cyrl") in alias_forms(name, "Cyrl")


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Курськ", "Курському"),  # the adjective of "на Курському напрямку"
        ("Зеленський", "Зеленська"),  # his wife
        ("Росія", "Роса"),  # dew: the stem of Росія is not eaten into
    ],
)
def test_an_adjective_or_another_word_does_not(name: str, other: str) -> None:
    assert form_of(other, "Cyrl") not in alias_forms(name, "Cyrl")


def test_apostrophes_and_hyphens_cut_words_and_unspaced_scripts_are_cut_into_characters() -> None:
    assert [w.form for w in words("Russia's Kim Tae-hyung")] == [
        "russia",
        "s",
        "kim",
        "tae",
        "hyung",
    ]
    assert [w.form for w in words("北京市")] == ["北", "京", "市"]
    assert [w.form for w in words("Zoë")] == ["zoe"]  # Latin accents folded


def test_a_long_name_gets_its_forms_within_bounds() -> None:
    keys = keys_of("Головне управління розвідки Міністерства оборони України")
    assert 1 <= len(keys) <= 64
    assert "головнₐ управлінн розвідк міністерств оборон україн" in keys


def test_hangul_tails_are_particles_and_titles() -> None:
    tails = hangul_tails()
    assert {"", "은", "에서는", "위원장은", "과의"} <= tails
    assert "장" not in tails  # 국가안보실장 is a title, not the office with a particle


@given(st.text(max_size=80))
def test_words_are_exact_spans_of_any_text(text: str) -> None:
    last = 0
    for word in words(text):
        assert last <= word.start < word.end <= len(text)
        last = word.end
