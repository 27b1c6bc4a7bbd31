"""Foreign names in Hangul read back towards their own spelling."""

from __future__ import annotations

import pytest

from entnorm_server.routes import Mark, lossy
from entnorm_server.translit import romanize
from entnorm_server.translit.hangul_loanwords import reading
from entnorm_server.translit.korean import LOANWORD_R_ROUTE, LOANWORD_ROUTE


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


def test_a_first_r_reads_as_r_on_request() -> None:
    assert reading("라바트 로마", initial_r=True) == "rabat roma"
    assert reading("베를린", initial_r=True) == "berlin"  # only a word's first ㄹ


def test_the_r_reading_is_a_guess_beside_the_l_reading() -> None:
    found = {r.text: r.route for r in romanize("리야드")}
    assert found["Liyad"] == LOANWORD_ROUTE
    assert found["Riyad"] == LOANWORD_R_ROUTE
    assert Mark.SOUNDS_GUESSED in LOANWORD_R_ROUTE.marks
    assert lossy(LOANWORD_R_ROUTE)
    assert not any(r.route == LOANWORD_R_ROUTE for r in romanize("베를린"))


def test_no_hangul_no_reading() -> None:
    assert reading("Berlin") == ""


def test_a_foreign_name_gets_the_reading_as_a_route() -> None:
    found = {r.text: r.route for r in romanize("베를린")}
    assert found["Berlin"] == LOANWORD_ROUTE


def test_a_name_shaped_word_gets_the_reading_after_its_name_renderings() -> None:
    # 리야드 reads as surname 리 and a given name, yet it is Riyadh.
    routes = [r.route for r in romanize("리야드")]
    assert LOANWORD_ROUTE in routes
    assert routes.index(LOANWORD_ROUTE) > max(
        i for i, route in enumerate(routes) if "surname" in route.variant
    )
