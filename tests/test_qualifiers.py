"""A name's qualifier, inversion or possessive ("Kilburn, London", "Korea, Republic of",
"Russia's"), split off."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entnorm_server.qualifiers import inversion, split_possessive, split_qualifier


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("Kilburn, London", ("Kilburn", "London")),
        ("نیوبرگ، اورگن", ("نیوبرگ", "اورگن")),  # the Arabic comma
        ("滑铁卢，塞拉利昂", ("滑铁卢", "塞拉利昂")),  # the full-width comma
        ("Mianzhu, Deyang, Sichuan", ("Mianzhu", "Deyang, Sichuan")),  # the first comma
        ("Kilburn", None),
        ("Kilburn,", None),
        (", London", None),
        ("東京、大阪", None),  # the ideographic comma lists names, it qualifies none
    ],
)
def test_split_qualifier(text: str, split: tuple[str, str] | None) -> None:
    assert split_qualifier(text) == split


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("Sint Maarten (Dutch part)", ("Sint Maarten", "Dutch part")),
        ("Georgia (country)", ("Georgia", "country")),
        ("Congo, Democratic Republic of the", None),  # inverted, not qualified
        ("Iran (Islamic Republic of)", None),
        ("x ()", None),
    ],
)
def test_a_bracketed_qualifier_and_an_inversion(text: str, split: tuple[str, str] | None) -> None:
    assert split_qualifier(text) == split


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Congo, Democratic Republic of the", ("Congo", "Democratic Republic of the")),
        ("Korea, Republic of", ("Korea", "Republic of")),
        ("Iran (Islamic Republic of)", ("Iran", "Islamic Republic of")),
        ("Bolivia, Plurinational State of", ("Bolivia", "Plurinational State of")),
        ("Taiwan, Province of China", None),  # a qualifier: it ends in a name
        ("Kilburn, London", None),
    ],
)
def test_inversion(text: str, parts: tuple[str, str] | None) -> None:
    assert inversion(text) == parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Russia's", ("Russia", "'s")),
        ("Ukraine’s", ("Ukraine", "’s")),
        ("the Philippines'", ("the Philippines", "'")),
        ("O'Neil", None),
        ("Paris", None),
        ("'s", None),
    ],
)
def test_split_possessive(text: str, parts: tuple[str, str] | None) -> None:
    assert split_possessive(text) == parts


@given(st.text())
def test_every_text_splits_into_parts_of_itself_or_not_at_all(text: str) -> None:
    for split in (split_qualifier, inversion, split_possessive):
        parts = split(text)
        if parts is not None:
            head, tail = parts
            assert head
            assert tail
            assert head in text
            assert tail in text
