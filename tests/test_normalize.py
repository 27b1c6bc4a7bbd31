"""Normalization tiers: each forgives more than the one before."""

from __future__ import annotations

import pytest

from entnorm_server.normalize import ascii_key, exact_key, folded_key, numbers


@pytest.mark.parametrize(
    ("text", "exact", "folded", "ascii"),
    [
        ("  Kim   Tae-hyung ", "kim tae-hyung", "kim tae hyung", "kim tae hyung"),
        ("ＫＩＭ Jong—un", "kim jong—un", "kim jong un", "kim jong un"),  # NFKC widths, em dash
        ("Zelens\u2019kyi", "zelens\u2019kyi", "zelenskyi", "zelenskyi"),  # in-word apostrophe
        ("Ukraïna", "ukraïna", "ukraïna", "ukraina"),
        ("Straße", "strasse", "strasse", "strasse"),  # casefold, not lower
        (
            "Володимир Зеленський",
            "володимир зеленський",
            "володимир зеленський",
            "volodimir zelenskii",
        ),
        ("申源湜", "申源湜", "申源湜", "shen yuan shi"),
        ("«The Drive»", "«the drive»", "the drive", "the drive"),
        ("أبو مازن", "أبو مازن", "ابو مازن", "bw mzn"),  # hamza seat folded
        ("مَدِينَة", "مَدِينَة", "مدينه", "mdynh"),  # harakat dropped, ta marbuta folded
    ],
)
def test_tiers(text: str, exact: str, folded: str, ascii: str) -> None:
    assert exact_key(text) == exact
    assert folded_key(text) == folded
    assert ascii_key(text) == ascii


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lyon 03", (3,)),
        ("Chelyabinsk-40", (40,)),
        ("Louis XIV", (14,)),
        ("Ongallur-II", (2,)),
        ("Henry VIII", (8,)),
        ("Xi Jinping", ()),  # a syllable, not a numeral
        ("XI JINPING", ()),  # all capitals: no telling
        ("DC United", ()),  # an abbreviation
        ("Ongallur-I", ()),  # a lone I is a word as often as a number
    ],
)
def test_numbers_a_name_carries(text: str, expected: tuple[int, ...]) -> None:
    assert numbers(text) == expected
