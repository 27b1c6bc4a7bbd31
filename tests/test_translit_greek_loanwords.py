"""Foreign names in Greek read back towards their own spelling."""

from __future__ import annotations

import pytest

from entnorm_server.translit import romanize
from entnorm_server.translit.greek_loanwords import readings

ROUTE = "el Grek → Latn (loanword reading, sounds guessed)"


@pytest.mark.parametrize(
    ("greek", "latin"),
    [
        ("Φλένσμπουργκ", "Flensburg"),  # μπ, γκ after a consonant are b, g; ου is u
        ("Χάιφα", "Haifa"),  # χ is h
        ("Ντάλας", "Dalas"),  # ντ starting a word is d
        ("Τζουνίγια", "Juniya"),  # τζ is j, γι before a vowel is y
        ("Λίμπεκ", "Libek"),  # after a vowel, the first reading says b
        ("Κατμαντού", "Katmandu"),  # ... and the second nd
    ],
)
def test_foreign_names_read_back(greek: str, latin: str) -> None:
    assert romanize(greek)
    assert {r.text: str(r.route) for r in romanize(greek)}[latin] == ROUTE


def test_two_readings_only_after_a_vowel() -> None:
    assert readings("Κολόμπο") == ("κολοbο", "κολοmbο")
    assert readings("Φλένσμπουργκ") == ("φλενσbuρg",)  # ρ is left to ICU


def test_nothing_to_read_back() -> None:
    # Greek's own names keep to ICU and UNGEGN.
    assert readings("Αθήνα") == ()
    assert not any(str(r.route) == ROUTE for r in romanize("Θεσσαλονίκη"))
