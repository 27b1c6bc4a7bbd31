"""Foreign names in Hangul read back towards their own spelling."""

from __future__ import annotations

import pytest

from entnorm_server.translit import romanize
from entnorm_server.translit.hangul_loanwords import reading
from entnorm_server.translit.korean import LOANWORD_ROUTE


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("베를린", "berlin"),  # the added ㅡ goes, ㄹㄹ is one l
        ("런던", "london"),  # an initial ㄹ is l, ㅓ is o
        ("스톡홀름", "stokholm"),
        ("로스앤젤레스", "losanjeles"),
        ("뉴 델리", "nyu deli"),  # words stay words
    ],
)
def test_reading(hangul: str, latin: str) -> None:
    assert reading(hangul) == latin


def test_no_hangul_no_reading() -> None:
    assert reading("Berlin") == ""


def test_a_foreign_name_gets_the_reading_as_a_route() -> None:
    found = {r.text: r.route for r in romanize("베를린")}
    assert found["Berlin"] == LOANWORD_ROUTE


def test_a_korean_personal_name_gets_none() -> None:
    assert all(r.route != LOANWORD_ROUTE for r in romanize("김정은"))
